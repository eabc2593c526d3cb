#pragma once
// The 'json' format: one JSON object per record (JSON lines in files), as Flink's json format.
//
// Options (Flink's names):
//   json.fail-on-missing-field      Default: false. A missing field is an error instead of NULL.
//   json.ignore-parse-errors        Default: false. Skip (and count) bad records instead of
//   failing. json.timestamp-format.standard  Default: 'SQL'. 'SQL' writes "2024-01-01
//   00:00:05.000",
//                                   'ISO-8601' writes "2024-01-01T00:00:05.000". Both forms (and
//                                   a 'Z' or '+hh:mm' offset) are accepted when reading.
//   json.encode.ignore-null-fields  Default: false. Leave NULL fields out when writing.
//   json.encode.decimal-as-plain-number  Default: false. Accepted; decimals are always written
//                                   as plain numbers ("0.00000001", never "1E-8").

#include "formats/format.h"

namespace sluice {

struct JsonOptions {
  bool fail_on_missing_field = false;
  bool ignore_parse_errors = false;
  bool iso8601 = false;  // json.timestamp-format.standard = 'ISO-8601'
  bool ignore_null_fields = false;
};

/// Reads the json.* options of a table.
Result<JsonOptions> ParseJsonOptions(const Options& options);

extern const FormatSpec kJsonFormat;

}  // namespace sluice
