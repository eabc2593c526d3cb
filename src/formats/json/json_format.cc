#include "formats/json/json_format.h"

#include "formats/json/json_decoder.h"
#include "formats/json/json_encoder.h"
#include "formats/option_reader.h"

namespace sluice {

Result<JsonOptions> ParseJsonOptions(const Options& options) {
  OptionReader reader(options);
  JsonOptions out;
  SLUICE_ASSIGN_OR_RETURN(out.fail_on_missing_field,
                          reader.Bool("json.fail-on-missing-field", false));
  SLUICE_ASSIGN_OR_RETURN(out.ignore_parse_errors, reader.Bool("json.ignore-parse-errors", false));
  SLUICE_ASSIGN_OR_RETURN(out.ignore_null_fields,
                          reader.Bool("json.encode.ignore-null-fields", false));
  SLUICE_ASSIGN_OR_RETURN(bool plain_decimals,
                          reader.Bool("json.encode.decimal-as-plain-number", false));
  (void)plain_decimals;  // validated only: decimals are always plain
  std::string standard = reader.String("json.timestamp-format.standard", "SQL");
  if (standard == "ISO-8601") {
    out.iso8601 = true;
  } else if (standard != "SQL") {
    return Status::InvalidOption(
        "option 'json.timestamp-format.standard' expects 'SQL' or 'ISO-8601', got '" + standard +
        "'");
  }
  if (out.fail_on_missing_field && out.ignore_parse_errors) {
    // Flink rejects this pair: a missing field could be neither an error nor skipped.
    return Status::InvalidOption(
        "options 'json.fail-on-missing-field' and 'json.ignore-parse-errors' cannot both be "
        "true");
  }
  return out;
}

namespace {

Result<std::unique_ptr<RecordDecoder>> MakeJsonDecoder(const Schema& schema,
                                                       const Options& options) {
  SLUICE_ASSIGN_OR_RETURN(JsonOptions json, ParseJsonOptions(options));
  return MakeJsonRecordDecoder(schema, json);
}

Result<std::unique_ptr<RecordEncoder>> MakeJsonEncoder(const Schema& schema,
                                                       const Options& options) {
  SLUICE_ASSIGN_OR_RETURN(JsonOptions json, ParseJsonOptions(options));
  return MakeJsonRecordEncoder(schema, json);
}

}  // namespace

const FormatSpec kJsonFormat = {
    .name = "json",
    .file_extension = "json",
    .options =
        {
            {"json.fail-on-missing-field", "false", "Fail when a field of the table is missing."},
            {"json.ignore-parse-errors", "false", "Skip records that cannot be decoded."},
            {"json.timestamp-format.standard", "SQL", "'SQL' or 'ISO-8601' timestamp text."},
            {"json.encode.ignore-null-fields", "false", "Leave NULL fields out when writing."},
            {"json.encode.decimal-as-plain-number", "false",
             "Accepted; decimals are always written as plain numbers."},
        },
    .make_decoder = MakeJsonDecoder,
    .make_encoder = MakeJsonEncoder,
};

}  // namespace sluice
