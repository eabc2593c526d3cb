#pragma once
// Scalar values as text, for the text formats (JSON, CSV): strict parsers that report why a
// value was rejected, and appenders that write into an output buffer without temporaries.

#include <cstdint>
#include <string>
#include <string_view>

#include "types/logical_type.h"

namespace sluice {

enum class TextParse : uint8_t {
  kOk,
  kSyntax,       // not a number at all
  kOverflow,     // a number that does not fit the target type
  kNotIntegral,  // a valid number with a fraction or exponent where an integer is expected
};

/// "-12", "+7". Surrounding spaces are not allowed (callers trim).
TextParse ParseInt64Text(std::string_view text, int64_t* out);
/// Exact decimal from "12.5", "-0.125", "1e3", rounded half-up to `scale` digits; kOverflow
/// when the result needs more than `precision` digits.
TextParse ParseDecimalText(std::string_view text, int precision, int scale, int128_t* out);
/// Java's Double.parseDouble forms: "1.5", "-1e10", "NaN", "Infinity", "-Infinity".
bool ParseDoubleText(std::string_view text, double* out);
/// "true" / "false", any case.
bool ParseBooleanText(std::string_view text, bool* out);

void AppendInt64Text(int64_t value, std::string* out);
/// "12.50" for unscaled 1250 at scale 2.
void AppendDecimalText(int128_t unscaled, int scale, std::string* out);
/// "yyyy-MM-dd<sep>HH:mm:ss[.f…]" with exactly `precision` (0..6) fractional digits.
void AppendTimestampText(int64_t micros, int precision, char separator, std::string* out);
/// "yyyy-MM-dd".
void AppendDateText(int32_t days, std::string* out);

/// `text` shortened to at most 40 characters for error messages ("…" marks a cut).
std::string Snippet(std::string_view text);

}  // namespace sluice
