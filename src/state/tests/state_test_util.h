#pragma once
// Helpers of the state tests: a temporary directory removed afterwards, deterministic values.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace sluice::testing_state {

class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "sluice-state-XXXXXX";
    path_ = mkdtemp(pattern.data()) != nullptr ? pattern : "";
    EXPECT_FALSE(path_.empty());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// "k" + 10 digits: keys sort as their numbers.
inline std::string Key(uint64_t i) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "k%010llu", static_cast<unsigned long long>(i));
  return buffer;
}

/// `bytes` pseudo-random (incompressible) bytes determined by `seed`.
inline std::string Value(uint64_t seed, size_t bytes) {
  std::string out(bytes, '\0');
  uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
  for (size_t i = 0; i < bytes; i += 8) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    for (size_t b = 0; b < 8 && i + b < bytes; ++b) out[i + b] = static_cast<char>(x >> (8 * b));
  }
  return out;
}

/// Resident set size of this process (from /proc/self/statm).
inline uint64_t ResidentBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long long size = 0;
  unsigned long long resident = 0;
  const int read = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return read == 2 ? resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace sluice::testing_state
