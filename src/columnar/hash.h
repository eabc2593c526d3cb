#pragma once
// Row hashing over key columns: the hash exchange and the aggregate hash tables use the same
// function, so a key always lands in the same place.

#include <cstdint>
#include <vector>

#include "columnar/batch.h"

namespace sluice {

/// hashes[i] = hash of the key columns of row i (NULL hashes as a fixed value).
void HashRows(const Batch& batch, const std::vector<int>& key_columns, uint64_t* hashes);

inline uint64_t MixHash(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}
inline uint64_t CombineHash(uint64_t seed, uint64_t h) {
  return MixHash(seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)));
}
uint64_t HashBytes(const void* data, size_t size);

}  // namespace sluice
