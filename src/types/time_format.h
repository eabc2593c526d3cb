#pragma once
// Conversions between calendar dates/times and the integers columns store.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

constexpr int64_t kMicrosPerMilli = 1000;
constexpr int64_t kMicrosPerSecond = 1000 * 1000;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

/// Days since 1970-01-01 of a proleptic Gregorian date.
int32_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
/// Inverse of DaysFromCivil.
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);

/// Floor division that rounds towards negative infinity (timestamps before 1970 stay correct).
inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
inline int64_t FloorMod(int64_t a, int64_t b) {
  return a - FloorDiv(a, b) * b;
}

/// Parses "yyyy-MM-dd HH:mm:ss[.fff…]", "yyyy-MM-ddTHH:mm:ss[.fff…]" with an optional trailing
/// "Z" or "+hh:mm" offset (applied, giving UTC), or "yyyy-MM-dd". Returns microseconds.
std::optional<int64_t> ParseTimestamp(std::string_view text);
/// Parses "yyyy-MM-dd" into days.
std::optional<int32_t> ParseDate(std::string_view text);

/// Flink's print format for TIMESTAMP: "2024-01-01T00:01", "2024-01-01T00:01:05.120" (Java's
/// LocalDateTime.toString: seconds and fraction only when non-zero, fraction in 3/6 digits).
std::string FormatTimestampIso(int64_t micros);
/// SQL format "2024-01-01 00:01:05.120" with `precision` fractional digits (0..6).
std::string FormatTimestampSql(int64_t micros, int precision);
std::string FormatDate(int32_t days);

}  // namespace sluice
