#pragma once
// GroupSpill: the spill tier of GroupAggregate when 'state.backend' = 'rocksdb'
// (docs/design/checkpoints.md §4.2). The heap table keeps at most `max_resident_groups` groups;
// colder ones (CLOCK: a group touched since the hand last passed is skipped once) are serialized
// one per key into a RocksDbStateStore and erased. A batch's keys that are not resident are
// fetched with one MultiGet and merged back into the table before the batch is aggregated.
//
// Each resident group is "in store" (the store holds a copy) and/or "dirty" (changed since):
// eviction writes only dirty or never-stored groups; a group dropped for good (count 0, TTL)
// deletes its stored copy. A checkpoint writes back the dirty groups and checkpoints the store,
// so the operator's state section holds a StateHandle instead of the whole table.
//
// A group's value: record count (i64), last write second (u32), then a one-group
// AggregateTable::WriteState — the heap checkpoint format, reused until the accumulator states
// get a per-group encoding. Keys: the group key as GroupKeyTable compares it (kFixed: a NULL
// flag byte and the 64 bits; kBytes: the encoded bytes).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "exec/operators/aggregate_layout.h"
#include "exec/operators/aggregate_table.h"
#include "state/rocksdb_state_store.h"

namespace sluice {

/// The operator's state section when spilling: header + StateHandle.
inline constexpr std::string_view kGroupSpillSection = "group_aggregate_rocksdb";

struct GroupSpillOptions {
  /// The job's RocksDB environment (cache = memory budget, TTL).
  std::shared_ptr<RocksDbEnvironment> env;
  /// This instance's live RocksDB directory (RocksDbInstanceDirectory).
  std::string local_dir;
  /// Groups kept in the heap table; eviction brings it down to 7/8 of this.
  size_t max_resident_groups = size_t{1} << 20;
  /// Where checkpoint `id` puts this instance's files: {checkpoint dir, shared dir}.
  std::function<std::pair<std::string, std::string>(CheckpointId)> directories;
};

/// What a group holds besides its accumulators (the operator's per-group arrays).
struct GroupExtras {
  int64_t record_count = 0;
  uint32_t last_write = 0;
};

class GroupSpill {
 public:
  static Result<std::unique_ptr<GroupSpill>> Open(GroupSpillOptions options,
                                                  const AggregateLayout& layout);

  /// `groups` of `table` changed in this batch: they are dirty and hot.
  void Touch(const AggregateTable& table, const std::vector<uint32_t>& groups);
  /// `group` is about to be erased for good: its stored copy is deleted (before the next read).
  void Forget(const AggregateTable& table, uint32_t group);

  /// Evicts cold groups while the table holds more than max_resident_groups.
  Status Evict(AggregateTable* table, const std::function<GroupExtras(uint32_t)>& extras);
  /// Brings back the stored groups of rows [0, rows) of `keys` that are not in `table`;
  /// `loaded(group, extras)` is called for each.
  Status Load(const EncodedKeys& keys, size_t rows, AggregateTable* table,
              const std::function<void(uint32_t, const GroupExtras&)>& loaded);

  /// Writes back every dirty group and checkpoints the store.
  Result<StateHandle> Checkpoint(CheckpointId id, const AggregateTable& table,
                                 const std::function<GroupExtras(uint32_t)>& extras);
  /// Replaces the stored groups with a checkpoint's (the table must be empty).
  Status Restore(const StateHandle& handle);

  size_t max_resident_groups() const { return options_.max_resident_groups; }
  /// Groups moved out of and back into the heap table so far (metrics, tests).
  uint64_t evicted_groups() const { return evicted_; }
  uint64_t loaded_groups() const { return loaded_; }
  RocksDbStateStore& store() { return *store_; }

 private:
  enum Flag : uint8_t { kDirty = 1, kInStore = 2, kReferenced = 4, kVictim = 8 };

  GroupSpill(GroupSpillOptions options, const AggregateLayout& layout)
      : options_(std::move(options)), layout_(layout) {}
  uint8_t& FlagsOf(const AggregateTable& table, uint32_t group);
  std::string KeyOf(const GroupKeyTable& keys, uint32_t group) const;
  std::string KeyOfRow(const EncodedKeys& keys, size_t row) const;
  std::string EncodeGroup(const AggregateTable& table, uint32_t group,
                          const GroupExtras& extras) const;
  /// Writes `groups` (those dirty or not stored yet) after the pending deletes.
  Status WriteBack(const AggregateTable& table, const std::vector<uint32_t>& groups,
                   const std::function<GroupExtras(uint32_t)>& extras);
  Status FlushDeletes();

  GroupSpillOptions options_;
  const AggregateLayout& layout_;
  std::unique_ptr<RocksDbStateStore> store_;
  std::vector<uint8_t> flags_;  // per group id
  std::vector<std::string> pending_deletes_;
  size_t hand_ = 0;
  uint64_t evicted_ = 0;
  uint64_t loaded_ = 0;
};

}  // namespace sluice
