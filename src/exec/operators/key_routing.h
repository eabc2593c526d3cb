#pragma once
// Rescaling keyed state without key groups (docs/design/checkpoints.md §4.1): after a
// parallelism change every new instance reads every old instance's state and keeps the keys the
// hash exchange now sends to it. The routing hash is recomputed from the stored keys exactly as
// ExchangeOutput::Hash computes it (HashRows over the key columns, in key order), because the
// hash a GroupKeyTable stores is not always that one (a single fixed-width NULL key is stored
// with hash 0, the exchange hashes it as NULL).

#include <cstdint>
#include <vector>

#include "exec/operators/group_key_codec.h"
#include "exec/operators/group_key_table.h"

namespace sluice {

/// Live groups of `table` (in id order) whose keys the hash exchange routes to `instance` of
/// `parallelism` instances. Without keys every group goes to instance 0, as a global exchange
/// has a single consumer.
std::vector<uint32_t> GroupsRoutedTo(const GroupKeyCodec& codec, const GroupKeyTable& table,
                                     int instance, int parallelism);

}  // namespace sluice
