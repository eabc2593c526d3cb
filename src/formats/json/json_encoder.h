#pragma once
// JSON encoder: one JSON object per row in Flink's json format, fields in schema order.
//
// Numbers as JSON numbers (DOUBLE as Java prints it; NaN and infinities as the strings "NaN",
// "Infinity", as Jackson does), DECIMAL exact and plain, timestamps as
// "yyyy-MM-dd HH:mm:ss.SSS" (the column's precision; 'T' instead of ' ' under ISO-8601, and a
// trailing 'Z' for TIMESTAMP_LTZ), DATE as "yyyy-MM-dd", NULL as null (or left out with
// json.encode.ignore-null-fields).

#include <memory>
#include <string>
#include <string_view>

#include "common/json_string.h"
#include "formats/json/json_format.h"
#include "formats/record_encoder.h"

namespace sluice {

/// INTERVAL columns are rejected.
Result<std::unique_ptr<RecordEncoder>> MakeJsonRecordEncoder(const Schema& schema,
                                                             const JsonOptions& options);

}  // namespace sluice
