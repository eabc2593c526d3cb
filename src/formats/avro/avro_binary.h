#pragma once
// Avro binary encoding primitives: zig-zag varints, little-endian floats, length-prefixed bytes,
// big-endian two's complement decimals. Readers are bounds-checked and never read past `end`.

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/status.h"
#include "formats/avro/avro_schema.h"
#include "types/logical_type.h"

namespace sluice {

static_assert(std::endian::native == std::endian::little, "Avro floats are read as little-endian");

enum class AvroRead : uint8_t { kOk, kTruncated, kBadVarint };

/// Reads a zig-zag varint of at most 10 bytes. A value that needs more bits than 64 is kBadVarint.
inline AvroRead ReadAvroLong(const uint8_t*& p, const uint8_t* end, int64_t* out) {
  if (p >= end) return AvroRead::kTruncated;
  uint64_t b = *p;
  if (b < 0x80) {  // one byte: the common case for small values and lengths
    ++p;
    *out = static_cast<int64_t>((b >> 1) ^ (~(b & 1) + 1));
    return AvroRead::kOk;
  }
  uint64_t value = b & 0x7f;
  const uint8_t* q = p + 1;
  int shift = 7;
  while (true) {
    if (q >= end) return AvroRead::kTruncated;
    b = *q++;
    if (shift == 63) {
      if (b > 1) return AvroRead::kBadVarint;  // bits beyond 64 (or a 11th byte)
      value |= b << 63;
      break;
    }
    value |= (b & 0x7f) << shift;
    if (b < 0x80) break;
    shift += 7;
  }
  p = q;
  *out = static_cast<int64_t>((value >> 1) ^ (~(value & 1) + 1));
  return AvroRead::kOk;
}

/// An Avro int: a varint whose value must fit 32 bits.
inline AvroRead ReadAvroInt(const uint8_t*& p, const uint8_t* end, int32_t* out) {
  int64_t v;
  AvroRead r = ReadAvroLong(p, end, &v);
  if (r != AvroRead::kOk) return r;
  if (v < INT32_MIN || v > INT32_MAX) return AvroRead::kBadVarint;
  *out = static_cast<int32_t>(v);
  return AvroRead::kOk;
}

inline void AppendAvroLong(int64_t value, std::string* out) {
  uint64_t v = (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  char buf[10];
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out->append(buf, n);
}

inline void AppendAvroBytes(std::string_view bytes, std::string* out) {
  AppendAvroLong(static_cast<int64_t>(bytes.size()), out);
  out->append(bytes);
}

inline void AppendAvroDouble(double value, std::string* out) {
  char buf[8];
  std::memcpy(buf, &value, 8);
  out->append(buf, 8);
}

inline void AppendAvroFloat(float value, std::string* out) {
  char buf[4];
  std::memcpy(buf, &value, 4);
  out->append(buf, 4);
}

/// The unscaled value as the shortest big-endian two's complement bytes (Java's
/// BigInteger.toByteArray(), what Avro's decimal conversion writes).
void AppendDecimalBytes(int128_t unscaled, std::string* out);
/// Exactly `size` bytes, sign-extended (a fixed decimal). False when the value does not fit.
bool AppendDecimalFixed(int128_t unscaled, size_t size, std::string* out);
/// Reads big-endian two's complement bytes. False when the value does not fit 128 bits.
bool DecimalFromBytes(const uint8_t* bytes, size_t size, int128_t* out);

/// 10^n for n in [0, 38].
int128_t Pow10I128(int n);
/// True when |v| < 10^precision.
bool DecimalFitsPrecision(int128_t v, int precision);
/// Rescales an unscaled value from scale `from` to `to`, rounding half-up (away from zero) when
/// digits are dropped. False on overflow of 38 digits.
bool RescaleDecimal(int128_t v, int from, int to, int128_t* out);

/// The Avro binary encoding of a field default (JSON text) for the type at `node`: a union's
/// default is for its first branch; bytes and fixed defaults are strings of code points 0-255.
/// InvalidArgument when the JSON does not fit the type.
Status EncodeAvroDefault(const AvroSchema& schema, int node, std::string_view default_json,
                         std::string* out);

}  // namespace sluice
