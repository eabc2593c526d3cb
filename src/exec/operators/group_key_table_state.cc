// GroupKeyTable checkpoints: the arrays are written as they are, and read back after checking
// every invariant a later lookup or erase relies on.

#include <bit>

#include "exec/operators/group_key_codec.h"
#include "exec/operators/group_key_table.h"
#include "exec/operators/state_format.h"

namespace sluice {

void GroupKeyTable::WriteState(StateEncoder& out) const {
  out.U8(static_cast<uint8_t>(layout_));
  out.Pod(buckets_);
  out.Pod(live_);
  out.Pod(hashes_);
  out.Pod(fixed_);
  if (layout_ == KeyLayout::kBytes) WriteStrings(out, bytes_);  // erased keys are empty
  out.Pod(free_groups_);
  out.U32(null_group_);
  out.U32(only_group_);
}

size_t GroupKeyTable::StateBytes() const {
  const size_t groups = live_.size();
  size_t bytes = 64 + buckets_.size() * sizeof(Bucket) + groups * (1 + 8) + fixed_.size() * 8 +
                 free_groups_.size() * 4;
  if (layout_ == KeyLayout::kBytes) bytes += groups * 4 + (arena_->bytes() - dead_arena_bytes_);
  return bytes;
}

Status GroupKeyTable::ReadState(StateDecoder& in, const GroupKeyCodec& codec) {
  uint8_t layout = 0;
  SLUICE_RETURN_IF_ERROR(in.U8(&layout));
  if (layout != static_cast<uint8_t>(layout_) || codec.layout() != layout_) {
    return Status::DecodeError(in.what() + ": group keys were stored in layout " +
                               std::to_string(layout) + ", the operator uses " +
                               std::to_string(static_cast<int>(layout_)));
  }
  std::vector<Bucket> buckets;
  std::vector<uint8_t> live;
  std::vector<uint64_t> hashes;
  std::vector<uint64_t> fixed;
  std::vector<uint32_t> lengths;
  std::string_view blob;
  std::vector<uint32_t> free_groups;
  uint32_t null_group = kNoGroup;
  uint32_t only_group = kNoGroup;
  SLUICE_RETURN_IF_ERROR(in.Pod(&buckets));
  SLUICE_RETURN_IF_ERROR(in.Pod(&live));
  SLUICE_RETURN_IF_ERROR(in.Pod(&hashes));
  SLUICE_RETURN_IF_ERROR(in.Pod(&fixed));
  if (layout_ == KeyLayout::kBytes) SLUICE_RETURN_IF_ERROR(ReadStrings(in, &lengths, &blob));
  SLUICE_RETURN_IF_ERROR(in.Pod(&free_groups));
  SLUICE_RETURN_IF_ERROR(in.U32(&null_group));
  SLUICE_RETURN_IF_ERROR(in.U32(&only_group));

  // Per-group arrays agree in size; flags are 0/1; the singleton groups are live.
  const size_t groups = live.size();
  if (groups >= kTombstone || hashes.size() != groups ||
      fixed.size() != (layout_ == KeyLayout::kFixed ? groups : 0) ||
      lengths.size() != (layout_ == KeyLayout::kBytes ? groups : 0)) {
    return InconsistentState(in, "group key arrays differ in size");
  }
  size_t live_count = 0;
  for (size_t g = 0; g < groups; ++g) {
    if (live[g] > 1) return InconsistentState(in, "group liveness flag");
    live_count += live[g];
    if (!live[g] && !lengths.empty() && lengths[g] != 0) {
      return InconsistentState(in, "erased group holds key bytes");
    }
  }
  auto live_or_none = [&](uint32_t g) { return g == kNoGroup || (g < groups && live[g]); };
  if (!live_or_none(null_group) || !live_or_none(only_group) ||
      (null_group != kNoGroup && layout_ != KeyLayout::kFixed) ||
      (only_group != kNoGroup && layout_ != KeyLayout::kNone) ||
      (layout_ == KeyLayout::kNone && live_count != (only_group == kNoGroup ? 0u : 1u))) {
    return InconsistentState(in, "singleton group");
  }
  std::vector<uint8_t> seen(groups, 0);
  for (uint32_t g : free_groups) {
    if (g >= groups || live[g] || seen[g]) return InconsistentState(in, "free group list");
    seen[g] = 1;
  }

  // Buckets: a power of two at most half full (probes end at an empty bucket), each live group
  // other than the singletons in exactly one bucket, tagged with its hash.
  size_t used = 0;
  size_t tombstones = 0;
  if (layout_ == KeyLayout::kNone) {
    if (!buckets.empty()) return InconsistentState(in, "buckets of a table without keys");
  } else {
    if (buckets.size() < 2 || !std::has_single_bit(buckets.size())) {
      return InconsistentState(in, "bucket count");
    }
    seen.assign(groups, 0);
    for (const Bucket& b : buckets) {
      if (b.group == kEmpty) continue;
      if (b.group == kTombstone) {
        ++tombstones;
        continue;
      }
      const uint32_t g = b.group;
      if (g >= groups || !live[g] || seen[g] || g == null_group ||
          b.tag != static_cast<uint32_t>(hashes[g] >> 32)) {
        return InconsistentState(in, "bucket");
      }
      seen[g] = 1;
      ++used;
    }
    const size_t singletons = null_group == kNoGroup ? 0 : 1;
    if (used + singletons != live_count || (used + tombstones) * 2 > buckets.size()) {
      return InconsistentState(in, "bucket occupancy");
    }
  }

  if (layout_ == KeyLayout::kBytes) {
    size_t offset = 0;
    for (size_t g = 0; g < groups; ++g) {
      if (live[g] && !codec.IsWellFormed(blob.substr(offset, lengths[g]))) {
        return InconsistentState(in, "stored group key");
      }
      offset += lengths[g];
    }
  }

  // Everything checks out: take it over. Key bytes go into one fresh arena block.
  buckets_ = std::move(buckets);
  shift_ = buckets_.empty() ? 64 : 64 - std::countr_zero(buckets_.size());
  used_buckets_ = used;
  tombstones_ = tombstones;
  live_ = std::move(live);
  hashes_ = std::move(hashes);
  fixed_ = std::move(fixed);
  free_groups_ = std::move(free_groups);
  live_count_ = live_count;
  null_group_ = null_group;
  only_group_ = only_group;
  bytes_.clear();
  dead_arena_bytes_ = 0;
  if (layout_ == KeyLayout::kBytes) {
    arena_ = std::make_unique<StringHeap>();
    const std::string_view stored = arena_->Add(blob);
    bytes_.resize(groups);
    size_t offset = 0;
    for (size_t g = 0; g < groups; ++g) {
      bytes_[g] = stored.substr(offset, lengths[g]);
      offset += lengths[g];
    }
  }
  return Status::OK();
}

}  // namespace sluice
