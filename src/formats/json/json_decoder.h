#pragma once
// JSON decoder: one JSON object per record, fields matched to columns by name (case-sensitive,
// as Flink), decoded with simdjson's on-demand API straight into the batch's columns.
//
// Per column type: INT/BIGINT take integral numbers (or numeric strings, as Flink); DOUBLE takes
// numbers and "NaN"/"Infinity"; DECIMAL is exact from the number's text, rounded half-up to the
// scale (a value too wide for the precision is an error); STRING takes strings, and other JSON
// values as their JSON text (Flink does the same); BOOLEAN takes true/false (or the strings);
// TIMESTAMP/TIMESTAMP_LTZ take 'yyyy-MM-dd HH:mm:ss[.f…]' or ISO-8601 strings (a 'Z' / offset is
// applied); epoch numbers are rejected as Flink does; DATE takes 'yyyy-MM-dd'. A missing field or
// JSON null is NULL. Unknown fields are ignored. Strings without escapes point into the input
// when RecordInput::owner is set.
//
// Deviation from Flink: a fractional number for an INT/BIGINT column is an error (Flink
// truncates it), and a DECIMAL too wide for its precision is an error (Flink reads NULL).

#include <memory>

#include "formats/json/json_format.h"
#include "formats/record_decoder.h"

namespace sluice {

/// INTERVAL columns are rejected (Flink's json format has no interval type).
Result<std::unique_ptr<RecordDecoder>> MakeJsonRecordDecoder(const Schema& schema,
                                                             const JsonOptions& options);

}  // namespace sluice
