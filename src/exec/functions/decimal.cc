#include "exec/functions/decimal.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "types/value.h"

namespace sluice {

namespace {

using uint128_t = unsigned __int128;

constexpr std::array<int128_t, 39> MakePow10() {
  std::array<int128_t, 39> t{};
  t[0] = 1;
  for (size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
  return t;
}
constexpr std::array<int128_t, 39> kPow10 = MakePow10();
constexpr uint128_t kInt128Max = (~uint128_t{0}) >> 1;

uint128_t Magnitude(int128_t v) {
  return v < 0 ? -static_cast<uint128_t>(v) : uint128_t(v);
}

std::optional<int128_t> Signed(uint128_t magnitude, bool negative) {
  if (magnitude > kInt128Max) return std::nullopt;
  int128_t v = static_cast<int128_t>(magnitude);
  return negative ? -v : v;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

int128_t Pow10(int n) {
  return kPow10[n];
}

bool FitsPrecision(int128_t v, int precision) {
  return Magnitude(v) < static_cast<uint128_t>(kPow10[std::clamp(precision, 0, 38)]);
}

std::optional<int128_t> MultiplyChecked(int128_t a, int128_t b) {
  int128_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<int128_t> Rescale(int128_t v, int from, int to) {
  if (to == from) return v;
  if (to > from) {
    int d = to - from;
    if (v == 0) return 0;
    if (d > 38) return std::nullopt;
    return MultiplyChecked(v, kPow10[d]);
  }
  int d = from - to;
  if (d > 38) return 0;  // |v| < 10^38 rounds to zero
  uint128_t p = static_cast<uint128_t>(kPow10[d]);
  uint128_t m = Magnitude(v);
  uint128_t q = m / p;
  uint128_t r = m % p;
  if (r >= p - r) ++q;  // HALF_UP: r >= p / 2
  return Signed(q, v < 0);
}

int128_t RescaleDown(int128_t v, int from, int to) {
  if (to >= from) return v;
  int d = from - to;
  if (d > 38) return 0;
  return v / kPow10[d];
}

std::optional<int128_t> DivideDecimal(int128_t a, int sa, int128_t b, int sb, int scale) {
  int e = scale - sa + sb;
  bool negative = (a < 0) != (b < 0);
  uint128_t ua = Magnitude(a);
  uint128_t ub = Magnitude(b);
  if (e < 0) {
    // Dividing by a larger power: scale the divisor, saturating (the quotient then rounds to 0).
    int d = std::min(-e, 38);
    uint128_t scaled;
    if (__builtin_mul_overflow(ub, static_cast<uint128_t>(kPow10[d]), &scaled)) return 0;
    ub = scaled;
    e = 0;
  }
  uint128_t q, r;
  uint128_t num;
  if (e <= 38 && !__builtin_mul_overflow(ua, static_cast<uint128_t>(kPow10[e]), &num)) {
    q = num / ub;
    r = num % ub;
  } else {
    // Long division one digit at a time when a * 10^e does not fit.
    q = ua / ub;
    r = ua % ub;
    for (int i = 0; i < e; ++i) {
      uint128_t r10;
      if (__builtin_mul_overflow(q, uint128_t{10}, &q)) return std::nullopt;
      if (__builtin_mul_overflow(r, uint128_t{10}, &r10)) return std::nullopt;
      q += r10 / ub;
      r = r10 % ub;
    }
  }
  if (r >= ub - r) ++q;
  return Signed(q, negative);
}

std::optional<int128_t> ParseDecimal(std::string_view text, int precision, int scale) {
  std::string_view s = Trim(text);
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  std::string digits;  // significant digits, leading zeros dropped
  int fraction_digits = 0;
  bool seen_point = false, seen_digit = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (!(digits.empty() && c == '0')) digits.push_back(c);
      if (seen_point) ++fraction_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!seen_digit) return std::nullopt;
  int64_t exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
    size_t start = i;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
      if (exponent < 100000) exponent = exponent * 10 + (s[i] - '0');
    }
    if (i == start) return std::nullopt;
    if (exp_negative) exponent = -exponent;
  }
  if (i != s.size()) return std::nullopt;
  if (digits.empty()) return 0;
  // value = digits * 10^shift at the target scale.
  int64_t shift = exponent - fraction_digits + scale;
  int64_t kept = static_cast<int64_t>(digits.size()) + shift;
  if (kept > precision) return std::nullopt;
  uint128_t m = 0;
  for (int64_t k = 0; k < std::min<int64_t>(kept, digits.size()); ++k)
    m = m * 10 + (digits[k] - '0');
  for (int64_t k = digits.size(); k < kept; ++k) m *= 10;
  if (kept >= 0 && kept < static_cast<int64_t>(digits.size()) && digits[kept] >= '5') ++m;
  if (!FitsPrecision(static_cast<int128_t>(m), precision)) return std::nullopt;
  return negative ? -static_cast<int128_t>(m) : static_cast<int128_t>(m);
}

double DecimalToDouble(int128_t v, int scale) {
  constexpr int128_t kExactInt = int128_t{1} << 53;
  if (v > -kExactInt && v < kExactInt && scale <= 22) {
    // Both operands are exact doubles, so the one division rounds correctly.
    static constexpr double kPow10Double[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                              1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                              1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    return static_cast<double>(static_cast<int64_t>(v)) / kPow10Double[scale];
  }
  std::string s = FormatDecimal(v, scale);
  return std::strtod(s.c_str(), nullptr);
}

LogicalType AdjustedDecimalType(int precision, int scale) {
  if (precision <= kMaxDecimalPrecision) return LogicalType::Decimal(precision, scale);
  int int_digits = precision - scale;
  int min_scale = std::min(scale, 6);
  scale = std::max(kMaxDecimalPrecision - int_digits, min_scale);
  return LogicalType::Decimal(kMaxDecimalPrecision, scale);
}

}  // namespace sluice
