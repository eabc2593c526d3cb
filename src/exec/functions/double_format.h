#pragma once
// DOUBLE <-> decimal text the way Java does it: Double.toString for CAST(... AS STRING), and
// BigDecimal.valueOf(double) (the shortest round-trip digits) for ROUND, TRUNCATE and
// DOUBLE -> DECIMAL.

#include <optional>
#include <string>
#include <string_view>

#include "types/logical_type.h"

namespace sluice {

/// Shortest digits that read back as the same double: |value| = 0.digits * 10^point.
struct ShortestDigits {
  std::string digits;  // no leading or trailing zeros; "0" for zero
  int point = 0;
  bool negative = false;
};

/// For finite values.
ShortestDigits ToShortestDigits(double value);

/// Java's Double.toString: "1.0", "0.1", "1.0E-5", "1.23456789E8", "NaN", "-Infinity".
std::string FormatDoubleJava(double value);

/// BigDecimal.valueOf(value).setScale(places, HALF_UP or DOWN).doubleValue(); NaN and infinities
/// pass through.
double RoundDouble(double value, int places, bool truncate);

/// BigDecimal.valueOf(value) rescaled (HALF_UP) to `scale` as an unscaled integer; nullopt when
/// it needs more than `precision` digits or the value is not finite.
std::optional<int128_t> DoubleToUnscaled(double value, int precision, int scale);

/// Java's Double.parseDouble on trimmed text: decimal and exponent forms, "NaN", "Infinity",
/// optional sign and a trailing 'd'/'D'/'f'/'F'.
std::optional<double> ParseDoubleJava(std::string_view text);

}  // namespace sluice
