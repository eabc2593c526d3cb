#include "exec/operators/key_routing.h"

#include <algorithm>
#include <numeric>

#include "columnar/hash.h"
#include "runtime/exchange_output.h"

namespace sluice {

namespace {
// Keys are decoded and hashed this many at a time, bounding the temporary columns.
constexpr size_t kChunk = 64 * 1024;
}  // namespace

std::vector<uint32_t> GroupsRoutedTo(const GroupKeyCodec& codec, const GroupKeyTable& table,
                                     int instance, int parallelism) {
  std::vector<uint32_t> live;
  live.reserve(table.size());
  for (uint32_t g = 0; g < table.group_limit(); ++g) {
    if (table.IsLive(g)) live.push_back(g);
  }
  if (codec.key_columns().empty()) {
    if (instance != 0) live.clear();
    return live;
  }
  std::vector<int> key_columns(codec.key_columns().size());
  std::iota(key_columns.begin(), key_columns.end(), 0);
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> kept;
  for (size_t begin = 0; begin < live.size(); begin += kChunk) {
    const size_t count = std::min(kChunk, live.size() - begin);
    const Batch keys(codec.Decode(table, &live[begin], count), count);
    hashes.resize(count);
    HashRows(keys, key_columns, hashes.data());
    for (size_t i = 0; i < count; ++i) {
      if (HashTarget(hashes[i], static_cast<size_t>(parallelism)) ==
          static_cast<size_t>(instance)) {
        kept.push_back(live[begin + i]);
      }
    }
  }
  return kept;
}

}  // namespace sluice
