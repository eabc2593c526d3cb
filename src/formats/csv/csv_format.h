#pragma once
// The 'csv' format: RFC 4180 rows without a header line, as Flink's csv format.
//
// Options (Flink's names):
//   csv.field-delimiter          Default: ','. One character ('\t' accepted for a tab).
//   csv.quote-character          Default: '"'. Quoted fields may hold delimiters, doubled quotes
//                                and line breaks.
//   csv.disable-quote-character  Default: false. Quotes are plain characters.
//   csv.allow-comments           Default: false. Lines starting with '#' are skipped.
//   csv.ignore-parse-errors      Default: false. Skip (and count) bad rows; a short row is padded
//                                with NULLs instead of failing.
//   csv.null-literal             Default: none. This text (unquoted or quoted) reads as NULL and
//                                NULL is written as it.
//   csv.escape-character         Default: none. The next character is taken literally.
//
// An empty field is NULL for non-STRING columns and '' for STRING columns (NULL is written as an
// empty field unless csv.null-literal is set). Extra fields are ignored; blank lines are skipped.

#include <optional>
#include <string>

#include "formats/format.h"

namespace sluice {

struct CsvOptions {
  char delimiter = ',';
  char quote = '"';
  bool quoting = true;
  bool allow_comments = false;
  bool ignore_parse_errors = false;
  std::optional<std::string> null_literal;
  std::optional<char> escape;
};

/// Reads the csv.* options of a table.
Result<CsvOptions> ParseCsvOptions(const Options& options);

extern const FormatSpec kCsvFormat;

}  // namespace sluice
