#include "types/time_format.h"

#include <cstdio>

namespace sluice {

// Howard Hinnant's days_from_civil / civil_from_days algorithms (public-domain math).
int32_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int32_t>(era * 146097 + static_cast<int64_t>(doe) - 719468);
}

void CivilFromDays(int64_t z, int64_t* year, unsigned* month, unsigned* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (*month <= 2);
}

namespace {

bool ParseDigits(std::string_view s, size_t pos, size_t count, int64_t* out) {
  if (pos + count > s.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

bool ValidDate(int64_t y, int64_t m, int64_t d) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  if (m == 2 && d == 29) return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return true;
}

// Parses "yyyy-M[M]-d[d]" at the start of s; sets *consumed.
bool ParseDatePart(std::string_view s, int32_t* days, size_t* consumed) {
  int64_t y, m, d;
  if (!ParseDigits(s, 0, 4, &y) || s.size() < 5 || s[4] != '-') return false;
  size_t pos = 5;
  size_t mlen = (pos + 1 < s.size() && s[pos + 1] != '-') ? 2 : 1;
  if (!ParseDigits(s, pos, mlen, &m)) return false;
  pos += mlen;
  if (pos >= s.size() || s[pos] != '-') return false;
  ++pos;
  size_t dlen = (pos + 1 < s.size() && s[pos + 1] >= '0' && s[pos + 1] <= '9') ? 2 : 1;
  if (!ParseDigits(s, pos, dlen, &d)) return false;
  pos += dlen;
  if (!ValidDate(y, m, d)) return false;
  *days = DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  *consumed = pos;
  return true;
}

}  // namespace

std::optional<int32_t> ParseDate(std::string_view text) {
  int32_t days;
  size_t used;
  if (!ParseDatePart(text, &days, &used) || used != text.size()) return std::nullopt;
  return days;
}

std::optional<int64_t> ParseTimestamp(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  int32_t days;
  size_t pos;
  if (!ParseDatePart(s, &days, &pos)) return std::nullopt;
  int64_t micros = static_cast<int64_t>(days) * kMicrosPerDay;
  if (pos == s.size()) return micros;
  if (s[pos] != ' ' && s[pos] != 'T') return std::nullopt;
  ++pos;
  int64_t hh, mm, ss = 0;
  if (!ParseDigits(s, pos, 2, &hh) || pos + 2 >= s.size() || s[pos + 2] != ':') return std::nullopt;
  if (!ParseDigits(s, pos + 3, 2, &mm)) return std::nullopt;
  pos += 5;
  if (pos < s.size() && s[pos] == ':') {
    if (!ParseDigits(s, pos + 1, 2, &ss)) return std::nullopt;
    pos += 3;
  }
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  int64_t fraction = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) fraction = fraction * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0 || digits > 9) return std::nullopt;
    for (int i = digits; i < 6; ++i) fraction *= 10;
  }
  micros += hh * kMicrosPerHour + mm * kMicrosPerMinute + ss * kMicrosPerSecond + fraction;
  if (pos == s.size()) return micros;
  if (s[pos] == 'Z' && pos + 1 == s.size()) return micros;
  if (s[pos] == '+' || s[pos] == '-') {
    int sign = s[pos] == '+' ? 1 : -1;
    int64_t oh, om = 0;
    if (!ParseDigits(s, pos + 1, 2, &oh)) return std::nullopt;
    size_t p = pos + 3;
    if (p < s.size() && s[p] == ':') ++p;
    if (p < s.size()) {
      if (!ParseDigits(s, p, 2, &om)) return std::nullopt;
      p += 2;
    }
    if (p != s.size()) return std::nullopt;
    return micros - sign * (oh * kMicrosPerHour + om * kMicrosPerMinute);
  }
  return std::nullopt;
}

namespace {
void SplitMicros(int64_t micros, int64_t* days, int64_t* time_of_day) {
  *days = FloorDiv(micros, kMicrosPerDay);
  *time_of_day = micros - *days * kMicrosPerDay;
}
}  // namespace

std::string FormatDate(int32_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::string FormatTimestampIso(int64_t micros) {
  int64_t days, tod;
  SplitMicros(micros, &days, &tod);
  std::string out = FormatDate(static_cast<int32_t>(days));
  int64_t h = tod / kMicrosPerHour, mi = tod / kMicrosPerMinute % 60,
          s = tod / kMicrosPerSecond % 60, frac = tod % kMicrosPerSecond;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "T%02lld:%02lld", static_cast<long long>(h),
                static_cast<long long>(mi));
  out += buf;
  if (s != 0 || frac != 0) {
    std::snprintf(buf, sizeof(buf), ":%02lld", static_cast<long long>(s));
    out += buf;
    if (frac != 0) {
      if (frac % 1000 == 0) {
        std::snprintf(buf, sizeof(buf), ".%03lld", static_cast<long long>(frac / 1000));
      } else {
        std::snprintf(buf, sizeof(buf), ".%06lld", static_cast<long long>(frac));
      }
      out += buf;
    }
  }
  return out;
}

std::string FormatTimestampSql(int64_t micros, int precision) {
  int64_t days, tod;
  SplitMicros(micros, &days, &tod);
  std::string out = FormatDate(static_cast<int32_t>(days));
  char buf[48];
  std::snprintf(buf, sizeof(buf), " %02lld:%02lld:%02lld",
                static_cast<long long>(tod / kMicrosPerHour),
                static_cast<long long>(tod / kMicrosPerMinute % 60),
                static_cast<long long>(tod / kMicrosPerSecond % 60));
  out += buf;
  if (precision > 0) {
    if (precision > 6) precision = 6;
    int64_t frac = tod % kMicrosPerSecond;
    for (int i = precision; i < 6; ++i) frac /= 10;
    std::snprintf(buf, sizeof(buf), ".%0*lld", precision, static_cast<long long>(frac));
    out += buf;
  }
  return out;
}

}  // namespace sluice
