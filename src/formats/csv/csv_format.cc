#include "formats/csv/csv_format.h"

#include "formats/csv/csv_decoder.h"
#include "formats/csv/csv_encoder.h"
#include "formats/option_reader.h"

namespace sluice {

Result<CsvOptions> ParseCsvOptions(const Options& options) {
  OptionReader reader(options);
  CsvOptions out;
  SLUICE_ASSIGN_OR_RETURN(out.delimiter, reader.Char("csv.field-delimiter", ','));
  SLUICE_ASSIGN_OR_RETURN(out.quote, reader.Char("csv.quote-character", '"'));
  SLUICE_ASSIGN_OR_RETURN(bool disable_quote, reader.Bool("csv.disable-quote-character", false));
  out.quoting = !disable_quote;
  SLUICE_ASSIGN_OR_RETURN(out.allow_comments, reader.Bool("csv.allow-comments", false));
  SLUICE_ASSIGN_OR_RETURN(out.ignore_parse_errors, reader.Bool("csv.ignore-parse-errors", false));
  if (reader.Has("csv.null-literal")) out.null_literal = reader.String("csv.null-literal", "");
  if (reader.Has("csv.escape-character")) {
    SLUICE_ASSIGN_OR_RETURN(out.escape, reader.Char("csv.escape-character", '\\'));
  }
  if (disable_quote && reader.Has("csv.quote-character")) {
    // Flink rejects this pair as contradictory.
    return Status::InvalidOption(
        "options 'csv.quote-character' and 'csv.disable-quote-character' cannot be used "
        "together");
  }
  for (char c : {'\n', '\r'}) {
    if (out.delimiter == c || (out.quoting && out.quote == c) || out.escape == c) {
      return Status::InvalidOption(
          "csv format: a line break cannot be a delimiter, quote or "
          "escape character");
    }
  }
  if (out.quoting && out.quote == out.delimiter) {
    return Status::InvalidOption(
        "options 'csv.field-delimiter' and 'csv.quote-character' must differ");
  }
  return out;
}

namespace {

Result<std::unique_ptr<RecordDecoder>> MakeCsvDecoder(const Schema& schema,
                                                      const Options& options) {
  SLUICE_ASSIGN_OR_RETURN(CsvOptions csv, ParseCsvOptions(options));
  return MakeCsvRecordDecoder(schema, csv);
}

Result<std::unique_ptr<RecordEncoder>> MakeCsvEncoder(const Schema& schema,
                                                      const Options& options) {
  SLUICE_ASSIGN_OR_RETURN(CsvOptions csv, ParseCsvOptions(options));
  return MakeCsvRecordEncoder(schema, csv);
}

}  // namespace

const FormatSpec kCsvFormat = {
    .name = "csv",
    .file_extension = "csv",
    .options =
        {
            {"csv.field-delimiter", ",", "Field delimiter character."},
            {"csv.quote-character", "\"", "Quote character around fields."},
            {"csv.disable-quote-character", "false", "Treat quotes as plain characters."},
            {"csv.allow-comments", "false", "Skip lines starting with '#'."},
            {"csv.ignore-parse-errors", "false", "Skip rows that cannot be decoded."},
            {"csv.null-literal", "", "Text that stands for NULL."},
            {"csv.escape-character", "", "Character that makes the next one literal."},
        },
    .make_decoder = MakeCsvDecoder,
    .make_encoder = MakeCsvEncoder,
};

}  // namespace sluice
