#pragma once
// CSV encoder: one RFC 4180 row per Batch row, no header. Strings are quoted only when they hold
// the delimiter, the quote or escape character, or a line break (doubled quotes inside); with
// quoting disabled such characters are escaped when csv.escape-character is set. Other values
// are written as the JSON encoder writes them, without quotes. NULL is an empty field, or
// csv.null-literal.

#include <memory>

#include "formats/csv/csv_format.h"
#include "formats/record_encoder.h"

namespace sluice {

/// INTERVAL columns are rejected.
Result<std::unique_ptr<RecordEncoder>> MakeCsvRecordEncoder(const Schema& schema,
                                                            const CsvOptions& options);

}  // namespace sluice
