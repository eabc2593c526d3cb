#pragma once
// Checkpoint positions of generator sources (datagen, orders). A generator split's rows depend
// on how many splits there are (datagen: its share and random streams; orders: its stride), so
// a checkpoint can only be resumed at the parallelism it was taken with. Split ids, which are
// the stream names, say it: "<connector>:<split>/<splits>".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "runtime/checkpoint_types.h"

namespace sluice {

/// An error naming both parallelisms when any saved "<connector>:" stream has a split count
/// other than `splits`.
Status CheckSavedParallelism(std::string_view connector,
                             const std::vector<StreamPosition>& positions, int splits);

/// The saved position of `stream`, or null (the split starts afresh).
const StreamPosition* FindStreamPosition(const std::vector<StreamPosition>& positions,
                                         std::string_view stream);

/// 64-bit generator state as 16 hex digits: JSON numbers above 2^53 lose precision in many
/// readers of the manifest.
std::string HexState(uint64_t value);
bool ParseHexState(std::string_view text, uint64_t* value);

}  // namespace sluice
