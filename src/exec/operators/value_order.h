#pragma once
// Orders and hashes of physical values for MIN/MAX and DISTINCT, as Flink compares them:
// DOUBLE by Java's Double.compare (-0.0 < 0.0, NaN above +Infinity), VARCHAR by bytes.

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include "columnar/hash.h"
#include "types/logical_type.h"

namespace sluice {

struct ValueLess {
  template <typename T>
  bool operator()(const T& a, const T& b) const {
    return a < b;
  }
  bool operator()(double a, double b) const { return TotalOrderKey(a) < TotalOrderKey(b); }
  bool operator()(std::string_view a, std::string_view b) const { return a < b; }

  /// Maps a double to an integer whose order is Double.compare's order.
  static int64_t TotalOrderKey(double d) {
    if (d != d) d = std::numeric_limits<double>::quiet_NaN();  // one NaN, as doubleToLongBits
    int64_t bits = std::bit_cast<int64_t>(d);
    return bits ^ ((bits >> 63) & 0x7fffffffffffffffLL);
  }
};

/// Hash for DISTINCT value sets; transparent so std::string sets can be probed with views.
struct ValueHash {
  using is_transparent = void;
  size_t operator()(uint64_t v) const { return MixHash(v); }
  size_t operator()(int64_t v) const { return MixHash(static_cast<uint64_t>(v)); }
  size_t operator()(int32_t v) const { return MixHash(static_cast<uint32_t>(v)); }
  size_t operator()(uint8_t v) const { return MixHash(v); }
  size_t operator()(int128_t v) const {
    return CombineHash(MixHash(static_cast<uint64_t>(v)), static_cast<uint64_t>(v >> 64));
  }
  size_t operator()(std::string_view v) const { return HashBytes(v.data(), v.size()); }
  size_t operator()(const std::string& v) const { return HashBytes(v.data(), v.size()); }
};

struct ValueEqual {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return a == b;
  }
};

}  // namespace sluice
