#pragma once
// Calendar arithmetic on wall-clock microseconds (TIMESTAMP values, or TIMESTAMP_LTZ values after
// conversion to the session zone) for EXTRACT, FLOOR/CEIL TO, TIMESTAMPADD and TIMESTAMPDIFF.
// Everything uses floor division, so times before 1970 behave like times after it.

#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice {

enum class TimeUnit : uint8_t {
  kMicrosecond,
  kMillisecond,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kQuarter,
  kYear,
  // EXTRACT only:
  kNanosecond,
  kDecade,
  kCentury,
  kMillennium,
  kDayOfWeek,     // DOW: Sunday = 1 ... Saturday = 7
  kDayOfYear,     // DOY: 1 ... 366
  kIsoDayOfWeek,  // ISODOW: Monday = 1 ... Sunday = 7
  kIsoYear,
  kEpoch,  // seconds since 1970-01-01 00:00:00
};

/// Upper-case SQL spelling ("YEAR", "DOW", "DAYOFWEEK", "SQL_TSI_DAY"...) to a unit.
std::optional<TimeUnit> ParseTimeUnit(std::string_view name);
/// True for MICROSECOND ... YEAR (the units FLOOR/CEIL/TIMESTAMPADD/TIMESTAMPDIFF accept).
bool IsIntervalUnit(TimeUnit unit);

/// EXTRACT(unit FROM wall-clock time).
int64_t ExtractField(TimeUnit unit, int64_t wall_micros);
/// Start of the unit containing the time (weeks start on Sunday, as Flink).
int64_t FloorToUnit(int64_t wall_micros, TimeUnit unit);
/// Smallest unit boundary at or after the time.
int64_t CeilToUnit(int64_t wall_micros, TimeUnit unit);
/// Adds n units; months clamp the day to the month's length (Jan 31 + 1 month = Feb 28/29).
/// nullopt on overflow.
std::optional<int64_t> AddUnits(int64_t wall_micros, TimeUnit unit, int64_t n);
/// Whole units from a to b (negative when b is earlier), as TIMESTAMPDIFF.
int64_t DiffUnits(TimeUnit unit, int64_t a, int64_t b);

}  // namespace sluice
