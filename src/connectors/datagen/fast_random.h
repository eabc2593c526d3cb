#pragma once
// FastRandom: SplitMix64, a tiny, fast, statistically solid PRNG for generated test data. One
// 64-bit state, so seeding from (seed, split, field) is free and streams are reproducible.

#include <cstdint>

namespace sluice {

class FastRandom {
 public:
  explicit FastRandom(uint64_t seed) : state_(seed) {}

  /// The whole state: FastRandom(state()) continues the same stream (checkpoints).
  uint64_t state() const { return state_; }

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n); n > 0. Multiply-shift instead of modulo: no division, negligible bias.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  /// Uniform in [0, 1).
  double NextDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

/// Derives independent stream seeds: SeedFor(seed, split, field) differ in every argument.
inline uint64_t SeedFor(uint64_t seed, uint64_t a, uint64_t b = 0) {
  FastRandom r(seed ^ (a * 0xd1b54a32d192ed03ULL) ^ (b * 0xabc98388fb8fac03ULL));
  r.Next();
  return r.Next();
}

}  // namespace sluice
