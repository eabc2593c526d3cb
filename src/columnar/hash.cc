#include "columnar/hash.h"

#include <cstring>

namespace sluice {

uint64_t HashBytes(const void* data, size_t size) {
  // FNV-1a over 8-byte words, then mixed: fast enough for short keys and well distributed.
  const auto* p = static_cast<const uint8_t*>(data);
  uint64_t h = 0xcbf29ce484222325ULL ^ size;
  while (size >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0x100000001b3ULL;
    h ^= h >> 29;
    p += 8;
    size -= 8;
  }
  uint64_t tail = 0;
  if (size != 0) std::memcpy(&tail, p, size);  // p may be null for an empty string
  h = (h ^ tail) * 0x100000001b3ULL;
  return MixHash(h);
}

namespace {
constexpr uint64_t kNullHash = 0x5bd1e9955bd1e995ULL;

template <typename T>
void HashFixed(const Column& col, size_t n, bool first, uint64_t* hashes) {
  const T* v = col.data<T>();
  const uint8_t* valid = col.validity();
  for (size_t i = 0; i < n; ++i) {
    uint64_t bits = 0;
    std::memcpy(&bits, &v[i], sizeof(T) < 8 ? sizeof(T) : 8);
    uint64_t h;
    if constexpr (sizeof(T) == 16) {
      uint64_t hi;
      std::memcpy(&hi, reinterpret_cast<const uint8_t*>(&v[i]) + 8, 8);
      h = CombineHash(MixHash(bits), hi);
    } else {
      h = MixHash(bits);
    }
    if (valid && !valid[i]) h = kNullHash;
    hashes[i] = first ? h : CombineHash(hashes[i], h);
  }
}
}  // namespace

void HashRows(const Batch& batch, const std::vector<int>& key_columns, uint64_t* hashes) {
  size_t n = batch.num_rows();
  if (key_columns.empty()) {
    for (size_t i = 0; i < n; ++i) hashes[i] = 0;
    return;
  }
  bool first = true;
  for (int k : key_columns) {
    const Column& col = *batch.column(k);
    switch (col.type().id) {
      case TypeId::kNull:
      case TypeId::kBoolean:
        HashFixed<uint8_t>(col, n, first, hashes);
        break;
      case TypeId::kInt:
      case TypeId::kDate:
        HashFixed<int32_t>(col, n, first, hashes);
        break;
      case TypeId::kDouble: {
        // -0.0 and 0.0 are equal keys.
        const double* v = col.data<double>();
        const uint8_t* valid = col.validity();
        for (size_t i = 0; i < n; ++i) {
          double d = v[i] == 0 ? 0.0 : v[i];
          uint64_t bits;
          std::memcpy(&bits, &d, 8);
          uint64_t h = (valid && !valid[i]) ? kNullHash : MixHash(bits);
          hashes[i] = first ? h : CombineHash(hashes[i], h);
        }
        break;
      }
      case TypeId::kDecimal:
        HashFixed<int128_t>(col, n, first, hashes);
        break;
      case TypeId::kVarchar: {
        const std::string_view* v = col.data<std::string_view>();
        const uint8_t* valid = col.validity();
        for (size_t i = 0; i < n; ++i) {
          uint64_t h = (valid && !valid[i]) ? kNullHash : HashBytes(v[i].data(), v[i].size());
          hashes[i] = first ? h : CombineHash(hashes[i], h);
        }
        break;
      }
      default:
        HashFixed<int64_t>(col, n, first, hashes);
    }
    first = false;
  }
}

}  // namespace sluice
