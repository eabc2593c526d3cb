#include "exec/functions/time_unit.h"

#include <algorithm>
#include <array>
#include <string>

#include "types/time_format.h"

namespace sluice {

namespace {

struct Civil {
  int64_t days;         // since 1970-01-01
  int64_t time_of_day;  // micros since midnight
  int64_t year;
  unsigned month;
  unsigned day;
};

Civil Split(int64_t micros) {
  Civil c;
  c.days = FloorDiv(micros, kMicrosPerDay);
  c.time_of_day = micros - c.days * kMicrosPerDay;
  CivilFromDays(c.days, &c.year, &c.month, &c.day);
  return c;
}

bool IsLeap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

int64_t FixedMicros(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMicrosecond:
      return 1;
    case TimeUnit::kMillisecond:
      return kMicrosPerMilli;
    case TimeUnit::kSecond:
      return kMicrosPerSecond;
    case TimeUnit::kMinute:
      return kMicrosPerMinute;
    case TimeUnit::kHour:
      return kMicrosPerHour;
    case TimeUnit::kDay:
      return kMicrosPerDay;
    case TimeUnit::kWeek:
      return 7 * kMicrosPerDay;
    default:
      return 0;  // calendar units
  }
}

int64_t MonthsPerUnit(TimeUnit unit) {
  return unit == TimeUnit::kYear ? 12 : unit == TimeUnit::kQuarter ? 3 : 1;
}

// Monday = 1 ... Sunday = 7 (1970-01-01 was a Thursday).
int64_t IsoWeekday(int64_t days) {
  return FloorMod(days + 3, 7) + 1;
}

int64_t IsoWeeksInYear(int64_t year) {
  int64_t jan1 = IsoWeekday(DaysFromCivil(year, 1, 1));
  return jan1 == 4 || (jan1 == 3 && IsLeap(year)) ? 53 : 52;
}

// ISO-8601 week number and week-based year.
void IsoWeek(const Civil& c, int64_t* week, int64_t* week_year) {
  int64_t doy = c.days - DaysFromCivil(c.year, 1, 1) + 1;
  int64_t w = (doy - IsoWeekday(c.days) + 10) / 7;
  *week_year = c.year;
  if (w < 1) {
    *week_year = c.year - 1;
    w = IsoWeeksInYear(c.year - 1);
  } else if (w > IsoWeeksInYear(c.year)) {
    *week_year = c.year + 1;
    w = 1;
  }
  *week = w;
}

int64_t MonthIndex(const Civil& c) {
  return c.year * 12 + (c.month - 1);
}

}  // namespace

std::optional<TimeUnit> ParseTimeUnit(std::string_view name) {
  if (name.substr(0, 8) == "SQL_TSI_") name.remove_prefix(8);
  struct Entry {
    std::string_view name;
    TimeUnit unit;
  };
  static constexpr Entry kUnits[] = {
      {"MICROSECOND", TimeUnit::kMicrosecond},
      {"MILLISECOND", TimeUnit::kMillisecond},
      {"SECOND", TimeUnit::kSecond},
      {"MINUTE", TimeUnit::kMinute},
      {"HOUR", TimeUnit::kHour},
      {"DAY", TimeUnit::kDay},
      {"WEEK", TimeUnit::kWeek},
      {"MONTH", TimeUnit::kMonth},
      {"QUARTER", TimeUnit::kQuarter},
      {"YEAR", TimeUnit::kYear},
      {"DOW", TimeUnit::kDayOfWeek},
      {"DAYOFWEEK", TimeUnit::kDayOfWeek},
      {"DOY", TimeUnit::kDayOfYear},
      {"DAYOFYEAR", TimeUnit::kDayOfYear},
      {"ISODOW", TimeUnit::kIsoDayOfWeek},
      {"ISOYEAR", TimeUnit::kIsoYear},
      {"EPOCH", TimeUnit::kEpoch},
      {"FRAC_SECOND", TimeUnit::kMicrosecond},
      {"NANOSECOND", TimeUnit::kNanosecond},
      {"DECADE", TimeUnit::kDecade},
      {"CENTURY", TimeUnit::kCentury},
      {"MILLENNIUM", TimeUnit::kMillennium},
  };
  for (const Entry& e : kUnits) {
    if (e.name == name) return e.unit;
  }
  return std::nullopt;
}

bool IsIntervalUnit(TimeUnit unit) {
  return unit <= TimeUnit::kYear;
}

int64_t ExtractField(TimeUnit unit, int64_t wall_micros) {
  Civil c = Split(wall_micros);
  switch (unit) {
    case TimeUnit::kMicrosecond:
      return c.time_of_day % kMicrosPerSecond;
    case TimeUnit::kMillisecond:
      return c.time_of_day / kMicrosPerMilli % 1000;
    case TimeUnit::kSecond:
      return c.time_of_day / kMicrosPerSecond % 60;
    case TimeUnit::kMinute:
      return c.time_of_day / kMicrosPerMinute % 60;
    case TimeUnit::kHour:
      return c.time_of_day / kMicrosPerHour;
    case TimeUnit::kDay:
      return c.day;
    case TimeUnit::kWeek:
    case TimeUnit::kIsoYear: {
      int64_t week, week_year;
      IsoWeek(c, &week, &week_year);
      return unit == TimeUnit::kWeek ? week : week_year;
    }
    case TimeUnit::kMonth:
      return c.month;
    case TimeUnit::kQuarter:
      return (c.month - 1) / 3 + 1;
    case TimeUnit::kYear:
      return c.year;
    case TimeUnit::kDayOfWeek:
      return FloorMod(c.days + 4, 7) + 1;
    case TimeUnit::kDayOfYear:
      return c.days - DaysFromCivil(c.year, 1, 1) + 1;
    case TimeUnit::kIsoDayOfWeek:
      return IsoWeekday(c.days);
    case TimeUnit::kEpoch:
      return FloorDiv(wall_micros, kMicrosPerSecond);
    case TimeUnit::kNanosecond:
      return c.time_of_day % kMicrosPerSecond * 1000;
    case TimeUnit::kDecade:
      return FloorDiv(c.year, 10);
    case TimeUnit::kCentury:  // 1901-2000 is the 20th century
      return c.year > 0 ? (c.year + 99) / 100 : -((-c.year) / 100 + 1);
    case TimeUnit::kMillennium:
      return c.year > 0 ? (c.year + 999) / 1000 : -((-c.year) / 1000 + 1);
  }
  return 0;
}

int64_t FloorToUnit(int64_t wall_micros, TimeUnit unit) {
  if (unit == TimeUnit::kWeek) {
    int64_t days = FloorDiv(wall_micros, kMicrosPerDay);
    return (days - FloorMod(days + 4, 7)) * kMicrosPerDay;  // back to Sunday
  }
  if (int64_t fixed = FixedMicros(unit)) return FloorDiv(wall_micros, fixed) * fixed;
  Civil c = Split(wall_micros);
  unsigned month = unit == TimeUnit::kYear      ? 1
                   : unit == TimeUnit::kQuarter ? (c.month - 1) / 3 * 3 + 1
                                                : c.month;
  return static_cast<int64_t>(DaysFromCivil(c.year, month, 1)) * kMicrosPerDay;
}

int64_t CeilToUnit(int64_t wall_micros, TimeUnit unit) {
  int64_t floor = FloorToUnit(wall_micros, unit);
  if (floor == wall_micros) return floor;
  return AddUnits(floor, unit, 1).value_or(floor);
}

std::optional<int64_t> AddUnits(int64_t wall_micros, TimeUnit unit, int64_t n) {
  if (int64_t fixed = FixedMicros(unit)) {
    int64_t delta, result;
    if (__builtin_mul_overflow(n, fixed, &delta) ||
        __builtin_add_overflow(wall_micros, delta, &result)) {
      return std::nullopt;
    }
    return result;
  }
  Civil c = Split(wall_micros);
  int64_t months;
  if (__builtin_mul_overflow(n, MonthsPerUnit(unit), &months) || months > 12'000'000 ||
      months < -12'000'000) {
    return std::nullopt;
  }
  int64_t index = MonthIndex(c) + months;
  int64_t year = FloorDiv(index, 12);
  unsigned month = static_cast<unsigned>(FloorMod(index, 12)) + 1;
  unsigned day = std::min(c.day, DaysInMonth(year, month));
  return static_cast<int64_t>(DaysFromCivil(year, month, day)) * kMicrosPerDay + c.time_of_day;
}

int64_t DiffUnits(TimeUnit unit, int64_t a, int64_t b) {
  if (int64_t fixed = FixedMicros(unit)) {
    return static_cast<int64_t>((static_cast<__int128>(b) - a) / fixed);
  }
  Civil ca = Split(a), cb = Split(b);
  int64_t months = MonthIndex(cb) - MonthIndex(ca);
  // A month counts only once its day and time of day are reached.
  auto rest = [](const Civil& c) { return std::make_pair(c.day, c.time_of_day); };
  if (months > 0 && rest(cb) < rest(ca)) --months;
  if (months < 0 && rest(cb) > rest(ca)) ++months;
  return months / MonthsPerUnit(unit);
}

}  // namespace sluice
