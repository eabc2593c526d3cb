#include "exec/functions/double_format.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "exec/functions/decimal.h"

namespace sluice {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Rounds `d` to its first `keep` digits (0 < keep < size) HALF_UP; a carry out of the first digit
// grows the point.
void RoundDigitsHalfUp(ShortestDigits* d, size_t keep) {
  bool up = d->digits[keep] >= '5';
  d->digits.resize(keep);
  if (!up) return;
  int i = static_cast<int>(keep) - 1;
  while (i >= 0 && d->digits[i] == '9') {
    d->digits[i] = '0';
    --i;
  }
  if (i < 0) {
    d->digits.insert(d->digits.begin(), '1');
    ++d->point;
  } else {
    ++d->digits[i];
  }
}

double ParseDigits(const ShortestDigits& d) {
  std::string text = (d.negative ? "-0." : "0.") + d.digits + "e" + std::to_string(d.point);
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace

ShortestDigits ToShortestDigits(double value) {
  ShortestDigits out;
  out.negative = std::signbit(value);
  if (value == 0) {
    out.digits.assign(1, '0');
    return out;
  }
  char buf[64];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof(buf), std::fabs(value), std::chars_format::scientific);
  // "d.ddde[+-]xx": shortest digits that round-trip.
  const char* p = buf;
  for (; p < end && *p != 'e'; ++p) {
    if (*p != '.') out.digits.push_back(*p);
  }
  int exponent = 0;
  std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), end, exponent);
  while (out.digits.size() > 1 && out.digits.back() == '0') out.digits.pop_back();
  out.point = exponent + 1;
  return out;
}

double RoundDouble(double value, int places, bool truncate) {
  if (!std::isfinite(value) || value == 0) return value;
  ShortestDigits d = ToShortestDigits(value);
  int64_t keep = static_cast<int64_t>(d.point) + places;
  if (keep >= static_cast<int64_t>(d.digits.size())) return value;  // nothing to drop
  if (keep < 0 || (keep == 0 && (truncate || d.digits[0] < '5'))) return 0.0;
  if (keep == 0) {
    // Rounds up to one unit of the last kept place: 10^-places.
    d.digits.assign(1, '1');
    d.point = -places + 1;
    return ParseDigits(d);
  }
  if (truncate) {
    d.digits.resize(keep);
  } else {
    RoundDigitsHalfUp(&d, keep);
  }
  return ParseDigits(d);
}

std::optional<int128_t> DoubleToUnscaled(double value, int precision, int scale) {
  if (!std::isfinite(value)) return std::nullopt;
  if (value == 0) return 0;
  ShortestDigits d = ToShortestDigits(value);
  int64_t kept = static_cast<int64_t>(d.point) + scale;
  if (kept > kMaxDecimalPrecision + 1) return std::nullopt;
  int128_t m = 0;
  for (int64_t k = 0; k < kept; ++k) {
    m = m * 10 + (k < static_cast<int64_t>(d.digits.size()) ? d.digits[k] - '0' : 0);
  }
  if (kept >= 0 && kept < static_cast<int64_t>(d.digits.size()) && d.digits[kept] >= '5') ++m;
  if (!FitsPrecision(m, precision)) return std::nullopt;
  return d.negative ? -m : m;
}

std::optional<double> ParseDoubleJava(std::string_view text) {
  std::string_view s = Trim(text);
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "NaN") return std::nan("");
  if (s == "Infinity") return negative ? -HUGE_VAL : HUGE_VAL;
  if (!s.empty() && (s.back() == 'd' || s.back() == 'D' || s.back() == 'f' || s.back() == 'F')) {
    s.remove_suffix(1);
  }
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != 'e' && c != 'E' &&
        c != '+' && c != '-') {
      return std::nullopt;
    }
  }
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (end != s.data() + s.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Java gives infinity or zero rather than failing.
    v = std::strtod(std::string(s).c_str(), nullptr);
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  return negative ? -v : v;
}

}  // namespace sluice
