#include "formats/scalar_text.h"

#include <strings.h>

#include <charconv>
#include <cmath>

#include "types/time_format.h"

namespace sluice {

namespace {

constexpr int kMaxDecimalDigits = 38;

int128_t PowerOfTen(int n) {
  static const auto kTable = [] {
    struct Table {
      int128_t values[kMaxDecimalDigits + 1];
    } t{};
    t.values[0] = 1;
    for (int i = 1; i <= kMaxDecimalDigits; ++i) t.values[i] = t.values[i - 1] * 10;
    return t;
  }();
  return kTable.values[n];
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Checks the JSON/Java number grammar [+-]digits[.digits][e[+-]digits] and reports its parts.
struct NumberParts {
  bool negative = false;
  std::string_view integer;   // digits before '.'
  std::string_view fraction;  // digits after '.'
  int64_t exponent = 0;
  bool has_fraction_or_exponent = false;
};

bool SplitNumber(std::string_view s, NumberParts* parts) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) parts->negative = s[i++] == '-';
  size_t start = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  parts->integer = s.substr(start, i - start);
  if (i < s.size() && s[i] == '.') {
    parts->has_fraction_or_exponent = true;
    size_t f = ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    parts->fraction = s.substr(f, i - f);
  }
  if (parts->integer.empty() && parts->fraction.empty()) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    parts->has_fraction_or_exponent = true;
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) exp_negative = s[i++] == '-';
    size_t e = i;
    int64_t exponent = 0;
    while (i < s.size() && IsDigit(s[i])) {
      if (exponent < 100000) exponent = exponent * 10 + (s[i] - '0');
      ++i;
    }
    if (i == e) return false;
    parts->exponent = exp_negative ? -exponent : exponent;
  }
  return i == s.size();
}

}  // namespace

TextParse ParseInt64Text(std::string_view text, int64_t* out) {
  size_t i = 0;
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) negative = text[i++] == '-';
  if (i == text.size()) return TextParse::kSyntax;
  // Accumulate negatively so INT64_MIN parses.
  int64_t value = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (!IsDigit(c)) {
      NumberParts parts;
      return SplitNumber(text, &parts) ? TextParse::kNotIntegral : TextParse::kSyntax;
    }
    int digit = c - '0';
    if (value < (INT64_MIN + digit) / 10) {
      NumberParts parts;
      if (!SplitNumber(text, &parts)) return TextParse::kSyntax;
      return parts.has_fraction_or_exponent ? TextParse::kNotIntegral : TextParse::kOverflow;
    }
    value = value * 10 - digit;
  }
  if (!negative) {
    if (value == INT64_MIN) return TextParse::kOverflow;
    value = -value;
  }
  *out = value;
  return TextParse::kOk;
}

TextParse ParseDecimalText(std::string_view text, int precision, int scale, int128_t* out) {
  NumberParts parts;
  if (!SplitNumber(text, &parts)) return TextParse::kSyntax;
  // The number is digits(integer ++ fraction) * 10^(exponent - |fraction|); we want it times
  // 10^scale, i.e. the digit string shifted by `shift` places.
  std::string_view integer = parts.integer;
  while (!integer.empty() && integer.front() == '0') integer.remove_prefix(1);
  std::string_view fraction = parts.fraction;
  int64_t shift = parts.exponent - static_cast<int64_t>(fraction.size()) + scale;
  auto digit_at = [&](size_t i) -> int {
    return i < integer.size() ? integer[i] - '0' : fraction[i - integer.size()] - '0';
  };
  size_t total = integer.size() + fraction.size();
  // Leading zeros of the fraction carry no value.
  size_t first = 0;
  while (first < total && digit_at(first) == 0) ++first;
  if (first == total) {
    *out = 0;
    return TextParse::kOk;
  }
  // Digits kept: those left of the shifted decimal point.
  int64_t kept_end = static_cast<int64_t>(total) + shift;  // exclusive index into the digits
  int128_t value = 0;
  int digits = 0;
  for (int64_t i = static_cast<int64_t>(first); i < kept_end; ++i) {
    int d = i < static_cast<int64_t>(total) ? digit_at(static_cast<size_t>(i)) : 0;
    if (++digits > precision) return TextParse::kOverflow;
    value = value * 10 + d;
  }
  if (kept_end >= static_cast<int64_t>(first) && kept_end < static_cast<int64_t>(total) &&
      digit_at(static_cast<size_t>(kept_end)) >= 5) {
    ++value;  // half-up: the first dropped digit decides
  } else if (kept_end < static_cast<int64_t>(first)) {
    value = 0;  // every significant digit is dropped, and the first dropped one is a zero
  }
  if (value >= PowerOfTen(precision)) return TextParse::kOverflow;
  *out = parts.negative ? -value : value;
  return TextParse::kOk;
}

bool ParseDoubleText(std::string_view text, double* out) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "NaN") {
    *out = std::nan("");
    return true;
  }
  if (s == "Infinity") {
    *out = negative ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  NumberParts parts;
  if (!SplitNumber(s, &parts) || parts.negative || s.empty() || s[0] == '+') return false;
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  // Out of range rounds to infinity or zero, as Java does.
  if (ec == std::errc::result_out_of_range) {
    value = parts.exponent > 0 ? HUGE_VAL : 0.0;
  } else if (ec != std::errc() || end != s.data() + s.size()) {
    return false;
  }
  *out = negative ? -value : value;
  return true;
}

bool ParseBooleanText(std::string_view text, bool* out) {
  if (text.size() == 4 && strncasecmp(text.data(), "true", 4) == 0) {
    *out = true;
    return true;
  }
  if (text.size() == 5 && strncasecmp(text.data(), "false", 5) == 0) {
    *out = false;
    return true;
  }
  return false;
}

void AppendInt64Text(int64_t value, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  out->append(buf, end);
}

void AppendDecimalText(int128_t unscaled, int scale, std::string* out) {
  char buf[48];
  char* p = buf + sizeof(buf);
  bool negative = unscaled < 0;
  // Work on the magnitude as unsigned so the most negative value does not overflow.
  unsigned __int128 magnitude =
      negative ? static_cast<unsigned __int128>(-(unscaled + 1)) + 1 : unscaled;
  int written = 0;
  do {
    *--p = static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
    if (++written == scale) *--p = '.';
  } while (magnitude != 0 || written < scale);
  if (scale > 0 && *p == '.') *--p = '0';
  if (negative) *--p = '-';
  out->append(p, buf + sizeof(buf));
}

namespace {
inline void Put2(char* p, int64_t v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}
}  // namespace

void AppendDateText(int32_t days, std::string* out) {
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  if (year < 0 || year > 9999) {
    out->append(FormatDate(days));
    return;
  }
  char buf[10];
  Put2(buf, year / 100);
  Put2(buf + 2, year % 100);
  buf[4] = '-';
  Put2(buf + 5, month);
  buf[7] = '-';
  Put2(buf + 8, day);
  out->append(buf, sizeof(buf));
}

void AppendTimestampText(int64_t micros, int precision, char separator, std::string* out) {
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t tod = micros - days * kMicrosPerDay;
  AppendDateText(static_cast<int32_t>(days), out);
  char buf[16];
  buf[0] = separator;
  Put2(buf + 1, tod / kMicrosPerHour);
  buf[3] = ':';
  Put2(buf + 4, tod / kMicrosPerMinute % 60);
  buf[6] = ':';
  Put2(buf + 7, tod / kMicrosPerSecond % 60);
  size_t len = 9;
  if (precision > 0) {
    if (precision > 6) precision = 6;
    buf[len++] = '.';
    int64_t frac = tod % kMicrosPerSecond;
    int64_t divisor = 100000;
    for (int i = 0; i < precision; ++i, divisor /= 10) {
      buf[len++] = static_cast<char>('0' + frac / divisor % 10);
    }
  }
  out->append(buf, len);
}

std::string Snippet(std::string_view text) {
  constexpr size_t kMax = 40;
  if (text.size() <= kMax) return std::string(text);
  return std::string(text.substr(0, kMax)) + "…";
}

}  // namespace sluice
