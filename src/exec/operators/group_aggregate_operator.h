#pragma once
// GroupAggregateOperator: non-windowed GROUP BY producing an updating changelog, EXPLAIN name
// "GroupAggregate" (Flink's GroupAggFunction, in its mini-batch form).
//
// A whole input batch is accumulated first; then every key it touched emits, in the order the
// batch first touched it:
//   first rows of a key           +I[keys..., aggregates...]
//   a changed result              -U[previous] +U[new]
//   an unchanged result           nothing (as Flink, which compares the aggregate values)
//   no rows left (count drops 0)  -D[previous], and the key's state is dropped
// The input may be a changelog: +I/+U accumulate, -U/-D retract. A retraction for a key with no
// state is ignored (Flink: "the first row is a retraction"). MIN/MAX keep a value -> count map per
// key when the input is updating, so retracting the extreme falls back to the next value.
// Without group keys the one global group follows the same rules.
//
// State TTL ('table.exec.state.ttl', Flink's processing-time TTL, off by default): a group not
// written for the TTL is dropped silently, as Flink does (OnCreateAndWrite, NeverReturnExpired):
// its next row starts it over with +I, a retraction for it is ignored. Last writes are kept in
// whole seconds; expired groups are found when their key comes back and by a sweep over a slice
// of group ids per batch.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "exec/operators/aggregate_layout.h"
#include "exec/operators/aggregate_table.h"
#include "exec/operators/group_spill.h"
#include "exec/plan/plan_node.h"
#include "runtime/operator.h"

namespace sluice {

class GroupAggregateOperator final : public Operator {
 public:
  static Result<std::unique_ptr<Operator>> Create(const GroupAggregateNode& node);

  /// Reads 'table.exec.state.ttl' from the session.
  Status Open(OperatorContext& context) override;
  Status Process(Batch batch, Collector& out) override;
  Status OnWatermark(int64_t watermark, Collector& out) override;
  std::string Name() const override { return "GroupAggregate"; }
  /// Section "group_aggregate": the key table with every accumulator, and the record counts.
  Status SnapshotState(CheckpointId id, StateSections* out) override;
  Status RestoreState(const OperatorRestore& restore) override;

  /// Keys currently holding state (resident ones when spilling).
  size_t group_count() const { return table_.size(); }
  /// 'state.backend' = 'rocksdb': keeps at most options.max_resident_groups groups in memory and
  /// the rest in a RocksDB store (group_spill.h); checkpoints then hold a store handle. Call after
  /// Open(), before the first row or RestoreState().
  Status EnableSpill(GroupSpillOptions options);
  /// The spill tier, null when not spilling.
  const GroupSpill* spill() const { return spill_.get(); }
  /// Replaces the processing-time clock (seconds) the state TTL reads.
  void SetClockForTesting(std::function<int64_t()> now_seconds) {
    now_seconds_ = std::move(now_seconds);
  }

 private:
  GroupAggregateOperator(AggregateLayout layout, bool retractable);

  /// Decodes one instance's section into `table` (empty, same layout) and `record_counts`.
  Status ReadPart(const StateSectionsView* part, AggregateTable* table,
                  std::vector<int64_t>* record_counts, std::vector<uint32_t>* last_writes) const;
  /// Sizes the per-group arrays for the table's group ids.
  void SizeGroupArrays();
  /// TTL: drops the expired groups among those of `keys` and a slice of all groups.
  void DropExpiredGroups(uint32_t now, size_t rows);
  /// Drops a group for good (its stored copy too when spilling).
  void EraseGroup(uint32_t group) {
    if (spill_) spill_->Forget(table_, group);
    table_.Erase(group);
  }
  // Spill tier (group_aggregate_spill.cc).
  /// Evicts cold groups, then loads the batch's stored groups back into the table.
  Status EvictAndLoad(size_t rows);
  GroupExtras ExtrasOf(uint32_t group) const;
  Status SnapshotSpilled(CheckpointId id, StateSections* out);
  Status RestoreSpilled(const OperatorRestore& restore);

  AggregateLayout layout_;
  bool retractable_;
  AggregateTable table_;
  std::vector<int64_t> record_counts_;  // per group: rows accumulated minus rows retracted
  // State TTL: 0 = off.
  int64_t ttl_seconds_ = 0;
  std::function<int64_t()> now_seconds_;
  std::vector<uint32_t> last_writes_;  // per group: processing-time second of the last write
  uint32_t sweep_cursor_ = 0;
  std::unique_ptr<GroupSpill> spill_;  // null: heap only

  // Scratch, reused across batches.
  EncodedKeys keys_;
  std::vector<const Column*> arguments_;
  std::vector<uint8_t> may_insert_;
  std::vector<uint8_t> retract_;
  std::vector<uint8_t> lookup_only_;  // TTL: find groups without inserting
  std::vector<uint32_t> groups_;
  std::vector<uint32_t> created_;
  std::vector<uint32_t> rows_;
  std::vector<uint32_t> row_groups_;
  std::vector<uint8_t> row_retract_;
  std::vector<uint32_t> touched_;
  std::vector<uint8_t> is_touched_;  // per group
  std::vector<uint8_t> is_new_;      // per group: created by the current batch
};

}  // namespace sluice
