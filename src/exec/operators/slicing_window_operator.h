#pragma once
// SlicingWindowOperator: TUMBLE, HOP and CUMULATE window aggregation (Flink's window TVF
// aggregation), EXPLAIN names "TumbleWindow", "HopWindow", "CumulateWindow".
//
// State is one AggregateTable per slice (see SliceAssigner), in a map ordered by slice end, so a
// row updates exactly one slice and firing a window reads only its own slices: a TUMBLE window is
// its slice; HOP and CUMULATE windows merge their slices into a fresh table when they fire.
//
// Firing: a window [start, end) fires when the watermark reaches end - 1 ms (WindowClock); its
// rows (+I[keys..., aggregates..., window_start, window_end, window_time]) are emitted from
// OnWatermark, ordered by window end, then by first arrival of the key in the window. Windows
// without rows emit nothing.
//
// Lateness: a window expires once the watermark reaches end - 1 ms + allowed lateness. A row is
// late when every window of its slice has expired (for TUMBLE: its window), or its event time is
// NULL. Late rows are counted and handed to the LateRowHandler, never dropped silently. A row
// whose slice still has a live window updates the slice even if some of its windows already
// fired (as Flink's slicing operator); expired windows are not emitted again.
// With allowed lateness > 0 a fired window keeps its last result until it expires; rows that
// update it make it fire again at the next watermark advance, emitting -U[previous] +U[new] for
// changed keys and +I for new keys (keys whose result did not change emit nothing). The output
// is then an updating changelog.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "exec/operators/aggregate_layout.h"
#include "exec/operators/aggregate_table.h"
#include "exec/operators/output_buffer.h"
#include "exec/operators/slice_assigner.h"
#include "exec/operators/window_clock.h"
#include "exec/plan/plan_node.h"
#include "runtime/operator.h"

namespace sluice {

class SlicingWindowOperator final : public Operator {
 public:
  static Result<std::unique_ptr<Operator>> Create(const WindowAggregateNode& node);

  Status Open(OperatorContext& context) override;
  Status Process(Batch batch, Collector& out) override;
  Status OnWatermark(int64_t watermark, Collector& out) override;
  /// Fires every window still open (as the final watermark would).
  Status Finish(Collector& out) override;
  std::string Name() const override;
  /// Section "window": the watermark, every slice's table, pending windows, fired windows' last
  /// results and the windows to fire again.
  Status SnapshotState(CheckpointId id, StateSections* out) override;
  Status RestoreState(const OperatorRestore& restore) override;

  /// Slices currently held (for tests: state is freed once windows expire).
  size_t slice_count() const { return slices_.size(); }

 private:
  SlicingWindowOperator(const WindowAggregateNode& node, AggregateLayout layout,
                        SliceAssigner assigner);

  /// One instance's decoded checkpoint.
  struct SavedState;
  using Tables = std::map<int64_t, std::unique_ptr<AggregateTable>>;

  std::string StateSchema() const;
  void WriteTables(const Tables& tables, StateEncoder& out) const;
  Status ReadTables(StateDecoder& in, Tables* tables) const;
  Status ReadPart(const StateSectionsView* part, SavedState* saved) const;
  /// Adds the groups of `from` that route to this instance to `into` (rescaling).
  void MergeRoutedTables(const Tables& from, Tables* into) const;

  OperatorMetrics* metrics() const { return context_ ? context_->metrics : nullptr; }
  bool Expired(int64_t window_end) const {
    return SaturatingAdd(clock_.TriggerTime(window_end), allowed_lateness_) <= watermark_;
  }
  /// The slice ending at `slice_end`, created (and its windows registered) when missing.
  AggregateTable& SliceFor(int64_t slice_end);
  /// Marks the fired, unexpired windows of an updated slice for firing again.
  void MarkRefires(int64_t slice_end);
  Status FireWindow(int64_t window_end, bool refire, Collector& out);
  /// +I rows for `groups` of `table`.
  Batch ResultRows(AggregateTable& table, const std::vector<uint32_t>& groups, int64_t window_end);
  /// -U/+U/+I rows turning `previous` into `current` (whose rows for `groups` are `after`).
  Status EmitUpdates(AggregateTable& previous, const AggregateTable& current,
                     const std::vector<uint32_t>& groups, const Batch& after, Collector& out);

  // From the plan node.
  std::string id_;
  WindowKind kind_;
  std::string window_shape_;  // WindowSpec::ToString(), for the state schema
  int time_column_;
  bool time_is_ltz_;
  int64_t allowed_lateness_;
  Schema input_schema_;
  Schema output_schema_;
  AggregateLayout layout_;
  SliceAssigner assigner_;

  // Per instance.
  WindowClock clock_;
  int64_t watermark_ = kMinWatermark;
  std::map<int64_t, std::unique_ptr<AggregateTable>> slices_;  // by slice end
  std::set<int64_t> pending_;  // ends of windows holding rows that have not fired
  std::map<int64_t, std::unique_ptr<AggregateTable>> fired_;  // last results, lateness > 0 only
  std::set<int64_t> refire_;                                  // fired windows updated since
  OutputBuffer output_;

  // Scratch, reused across batches.
  EncodedKeys keys_;
  std::vector<const Column*> arguments_;
  std::vector<int64_t> slice_ends_;
  std::vector<uint32_t> accepted_;
  std::vector<uint32_t> late_;
  std::vector<uint32_t> groups_;
  std::vector<int64_t> ends_;
};

}  // namespace sluice
