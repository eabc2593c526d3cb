#pragma once
// CSV decoder: RFC 4180 records (quoted fields may span lines), fields matched to columns by
// position. Values are read as the JSON decoder reads JSON strings: numbers (spaces around them
// allowed), exact decimals, 'true'/'false', 'yyyy-MM-dd HH:mm:ss[.f…]' or ISO-8601 timestamps,
// 'yyyy-MM-dd' dates. Unquoted fields and quoted fields without doubled quotes point into the
// input when RecordInput::owner is set.

#include <memory>

#include "formats/csv/csv_format.h"
#include "formats/record_decoder.h"

namespace sluice {

/// INTERVAL columns are rejected.
Result<std::unique_ptr<RecordDecoder>> MakeCsvRecordDecoder(const Schema& schema,
                                                            const CsvOptions& options);

}  // namespace sluice
