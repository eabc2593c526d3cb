#include "exec/operators/group_key_table.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace sluice {

namespace {
constexpr size_t kInitialBuckets = 16;
// Erased key bytes are reclaimed once they exceed this and half of the arena.
constexpr size_t kMinDeadArenaBytes = 64 * 1024;
}  // namespace

GroupKeyTable::GroupKeyTable(KeyLayout layout) : layout_(layout) {
  if (layout_ != KeyLayout::kNone) Rehash(kInitialBuckets);
  if (layout_ == KeyLayout::kBytes) arena_ = std::make_unique<StringHeap>();
}

uint32_t GroupKeyTable::AllocateGroup(uint64_t hash) {
  uint32_t group;
  if (!free_groups_.empty()) {
    group = free_groups_.back();
    free_groups_.pop_back();
  } else {
    group = static_cast<uint32_t>(live_.size());
    live_.push_back(0);
    hashes_.push_back(0);
    if (layout_ == KeyLayout::kFixed) fixed_.push_back(0);
    if (layout_ == KeyLayout::kBytes) bytes_.emplace_back();
  }
  live_[group] = 1;
  hashes_[group] = hash;
  ++live_count_;
  return group;
}

uint32_t GroupKeyTable::SingletonGroup(uint32_t* slot, bool insert, bool* created) {
  if (*slot != kNoGroup || !insert) return *slot;
  *slot = AllocateGroup(0);
  if (layout_ == KeyLayout::kFixed) fixed_[*slot] = 0;
  *created = true;
  return *slot;
}

template <typename Equal>
size_t GroupKeyTable::Find(uint64_t hash, const Equal& equal, size_t* reusable) const {
  const uint32_t tag = static_cast<uint32_t>(hash >> 32);
  const size_t mask = buckets_.size() - 1;
  *reusable = buckets_.size();
  for (size_t pos = BucketOf(hash);; pos = (pos + 1) & mask) {
    const Bucket& b = buckets_[pos];
    if (b.group == kEmpty) return pos;
    if (b.group == kTombstone) {
      if (*reusable == buckets_.size()) *reusable = pos;
    } else if (b.tag == tag && equal(b.group)) {
      return pos;
    }
  }
}

template <typename Equal, typename Store>
uint32_t GroupKeyTable::Probe(uint64_t hash, const Equal& equal, bool insert, const Store& store,
                              bool* created) {
  size_t reusable;
  size_t pos = Find(hash, equal, &reusable);
  if (buckets_[pos].group != kEmpty) return buckets_[pos].group;
  if (!insert) return kNoGroup;
  uint32_t group = AllocateGroup(hash);
  store(group);
  if (reusable != buckets_.size()) {
    pos = reusable;
    --tombstones_;
  }
  buckets_[pos] = {group, static_cast<uint32_t>(hash >> 32)};
  ++used_buckets_;
  *created = true;
  if ((used_buckets_ + tombstones_) * 2 > buckets_.size()) {
    Rehash(used_buckets_ * 4 > buckets_.size() ? buckets_.size() * 2 : buckets_.size());
  }
  return group;
}

void GroupKeyTable::FindOrInsert(const EncodedKeys& keys, const uint32_t* rows, size_t count,
                                 const uint8_t* may_insert, uint32_t* groups,
                                 std::vector<uint32_t>* created) {
  switch (layout_) {
    case KeyLayout::kNone:
      if (!may_insert && count > 0) {
        bool was_created = false;
        const uint32_t group = SingletonGroup(&only_group_, true, &was_created);
        if (was_created) created->push_back(group);
        std::fill_n(groups, count, group);
        return;
      }
      for (size_t i = 0; i < count; ++i) {
        bool was_created = false;
        groups[i] = SingletonGroup(&only_group_, !may_insert || may_insert[i], &was_created);
        if (was_created) created->push_back(groups[i]);
      }
      return;
    case KeyLayout::kFixed:
      for (size_t i = 0; i < count; ++i) {
        const uint32_t row = rows ? rows[i] : static_cast<uint32_t>(i);
        const bool insert = !may_insert || may_insert[i];
        bool was_created = false;
        if (keys.fixed_null[row]) {
          groups[i] = SingletonGroup(&null_group_, insert, &was_created);
        } else {
          const uint64_t key = keys.fixed[row];
          groups[i] = Probe(
              keys.hashes[row], [&](uint32_t g) { return fixed_[g] == key; }, insert,
              [&](uint32_t g) { fixed_[g] = key; }, &was_created);
        }
        if (was_created) created->push_back(groups[i]);
      }
      return;
    case KeyLayout::kBytes:
      for (size_t i = 0; i < count; ++i) {
        const uint32_t row = rows ? rows[i] : static_cast<uint32_t>(i);
        const std::string_view key = keys.bytes[row];
        bool was_created = false;
        groups[i] = Probe(
            keys.hashes[row],
            [&](uint32_t g) {
              return bytes_[g].size() == key.size() &&
                     std::memcmp(bytes_[g].data(), key.data(), key.size()) == 0;
            },
            !may_insert || may_insert[i], [&](uint32_t g) { bytes_[g] = arena_->Add(key); },
            &was_created);
        if (was_created) created->push_back(groups[i]);
      }
      return;
  }
}

uint32_t GroupKeyTable::FindKeyOf(const GroupKeyTable& other, uint32_t group) const {
  size_t reusable;
  size_t pos;
  switch (layout_) {
    case KeyLayout::kNone:
      return only_group_;
    case KeyLayout::kFixed: {
      if (other.is_null_key(group)) return null_group_;
      const uint64_t key = other.fixed_[group];
      pos = Find(
          other.hashes_[group], [&](uint32_t g) { return fixed_[g] == key; }, &reusable);
      break;
    }
    case KeyLayout::kBytes: {
      const std::string_view key = other.bytes_[group];
      pos = Find(
          other.hashes_[group], [&](uint32_t g) { return bytes_[g] == key; }, &reusable);
      break;
    }
    default:
      return kNoGroup;
  }
  return buckets_[pos].group == kEmpty ? kNoGroup : buckets_[pos].group;
}

uint32_t GroupKeyTable::InsertKeyOf(const GroupKeyTable& other, uint32_t group, bool* created) {
  *created = false;
  switch (layout_) {
    case KeyLayout::kNone:
      return SingletonGroup(&only_group_, true, created);
    case KeyLayout::kFixed: {
      if (other.is_null_key(group)) return SingletonGroup(&null_group_, true, created);
      const uint64_t key = other.fixed_[group];
      return Probe(
          other.hashes_[group], [&](uint32_t g) { return fixed_[g] == key; }, true,
          [&](uint32_t g) { fixed_[g] = key; }, created);
    }
    case KeyLayout::kBytes: {
      const std::string_view key = other.bytes_[group];
      return Probe(
          other.hashes_[group], [&](uint32_t g) { return bytes_[g] == key; }, true,
          [&](uint32_t g) { bytes_[g] = arena_->Add(key); }, created);
    }
  }
  return kNoGroup;
}

void GroupKeyTable::Erase(uint32_t group) {
  if (!IsLive(group)) return;
  live_[group] = 0;
  --live_count_;
  free_groups_.push_back(group);
  if (group == only_group_) {
    only_group_ = kNoGroup;
    return;
  }
  if (group == null_group_) {
    null_group_ = kNoGroup;
    return;
  }
  const size_t mask = buckets_.size() - 1;
  for (size_t pos = BucketOf(hashes_[group]);; pos = (pos + 1) & mask) {
    if (buckets_[pos].group == group) {
      buckets_[pos].group = kTombstone;
      --used_buckets_;
      ++tombstones_;
      break;
    }
  }
  if (layout_ == KeyLayout::kBytes) {
    dead_arena_bytes_ += bytes_[group].size();
    bytes_[group] = {};
    if (dead_arena_bytes_ > kMinDeadArenaBytes && dead_arena_bytes_ * 2 > arena_->bytes()) {
      CompactArena();
    }
  }
}

void GroupKeyTable::Rehash(size_t bucket_count) {
  buckets_.assign(bucket_count, Bucket{kEmpty, 0});
  shift_ = 64 - std::countr_zero(bucket_count);
  used_buckets_ = 0;
  tombstones_ = 0;
  const size_t mask = bucket_count - 1;
  for (uint32_t g = 0; g < live_.size(); ++g) {
    if (!live_[g] || g == null_group_ || g == only_group_) continue;
    size_t pos = BucketOf(hashes_[g]);
    while (buckets_[pos].group != kEmpty) pos = (pos + 1) & mask;
    buckets_[pos] = {g, static_cast<uint32_t>(hashes_[g] >> 32)};
    ++used_buckets_;
  }
}

void GroupKeyTable::CompactArena() {
  auto fresh = std::make_unique<StringHeap>();
  for (uint32_t g = 0; g < live_.size(); ++g) {
    if (live_[g]) bytes_[g] = fresh->Add(bytes_[g]);
  }
  arena_ = std::move(fresh);
  dead_arena_bytes_ = 0;
}

}  // namespace sluice
