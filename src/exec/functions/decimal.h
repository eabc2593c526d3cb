#pragma once
// Exact DECIMAL arithmetic on the unscaled __int128 a column stores. Every operation reports
// overflow (std::nullopt) instead of wrapping; rounding is HALF_UP as Java's BigDecimal.

#include <optional>
#include <string>
#include <string_view>

#include "types/logical_type.h"

namespace sluice {

constexpr int kMaxDecimalPrecision = 38;

/// 10^n for n in [0, 38].
int128_t Pow10(int n);
/// |v| < 10^precision.
bool FitsPrecision(int128_t v, int precision);
/// Moves `v` from scale `from` to scale `to`, rounding HALF_UP when digits are dropped.
std::optional<int128_t> Rescale(int128_t v, int from, int to);
/// Moves `v` to a smaller scale dropping digits (towards zero), as BigDecimal's RoundingMode.DOWN.
int128_t RescaleDown(int128_t v, int from, int to);
/// a (scale sa) / b (scale sb) as an unscaled value of scale `scale`, HALF_UP; b != 0.
std::optional<int128_t> DivideDecimal(int128_t a, int sa, int128_t b, int sb, int scale);
/// a * b, nullopt on overflow.
std::optional<int128_t> MultiplyChecked(int128_t a, int128_t b);

/// Parses "[+-]digits[.digits][e[+-]digits]" (surrounding whitespace allowed) into the given
/// precision and scale (HALF_UP); nullopt when malformed or too large.
std::optional<int128_t> ParseDecimal(std::string_view text, int precision, int scale);
/// Nearest double (correctly rounded).
double DecimalToDouble(int128_t v, int scale);

/// Flink's rule when a result needs more than 38 digits: keep the integer digits, and at least
/// min(scale, 6) fractional digits.
LogicalType AdjustedDecimalType(int precision, int scale);

}  // namespace sluice
