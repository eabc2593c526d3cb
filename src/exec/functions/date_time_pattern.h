#pragma once
// DateTimePattern: a Java date-time pattern ("yyyy-MM-dd HH:mm:ss.SSS", "dd/MMM/yyyy:HH:mm:ss Z")
// compiled once, for DATE_FORMAT, TO_TIMESTAMP, TO_DATE, UNIX_TIMESTAMP and FROM_UNIXTIME.
//
// Letters: y year (yy: two digits), M/L month (MMM "Jan", MMMM "January"), d day, D day of year,
// H 0-23, k 1-24, K 0-11, h 1-12, a AM/PM, m minute, s second, S fraction of a second (as
// java.time: SSS = milliseconds), E day name (EEE "Mon", EEEE "Monday"), Z "+0800",
// X/XX/XXX "Z"|"+08"|"+0800"|"+08:00", x likewise without "Z". Text in single quotes is literal
// ('' is a quote); other letters are errors, other characters literal.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice {

class DateTimePattern {
 public:
  /// InvalidArgument naming the pattern for unknown letters or an unclosed quote.
  static Result<DateTimePattern> Compile(std::string_view pattern);

  /// Appends the wall-clock time formatted; `offset_micros` feeds the zone letters.
  void Format(int64_t wall_micros, int64_t offset_micros, std::string* out) const;

  struct Parsed {
    int64_t wall_micros = 0;
    std::optional<int64_t> offset_micros;  // when the text carried a zone offset
  };
  /// Parses the whole text; nullopt when it does not match or names an invalid date.
  std::optional<Parsed> Parse(std::string_view text) const;

 private:
  enum class Field : uint8_t {
    kLiteral,
    kYear,
    kMonth,
    kDay,
    kDayOfYear,
    kHour24,      // H
    kHour24One,   // k
    kHour12Zero,  // K
    kHour12,      // h
    kAmPm,
    kMinute,
    kSecond,
    kFraction,
    kDayName,
    kOffsetZ,  // Z
    kOffsetX,  // X: "Z" for zero
    kOffsetx,  // x
  };
  struct Token {
    Field field;
    int width;            // letter count
    std::string literal;  // kLiteral
  };

  static bool IsNumeric(const Token& t);

  std::vector<Token> tokens_;
};

}  // namespace sluice
