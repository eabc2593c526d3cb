#pragma once
// DOUBLE <-> decimal digits the way Java does it: BigDecimal.valueOf(double) (the shortest
// round-trip digits) for ROUND, TRUNCATE and DOUBLE -> DECIMAL, and Double.parseDouble for
// VARCHAR -> DOUBLE. (Double.toString is FormatDoubleJava in types/value.h.)

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
