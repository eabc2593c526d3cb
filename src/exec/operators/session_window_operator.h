#pragma once
// SessionWindowOperator: SESSION window aggregation, EXPLAIN name "SessionWindow".
//
// Per partition key (the group keys) the operator keeps its open sessions, sorted by start. A row
// at time t opens the window [t, t + gap); it merges with every session it intersects (Flink's
// TimeWindow.intersects: start <= other end and end >= other start, so a row exactly `gap` after
// the last one still joins), so an out-of-order row can bridge two sessions into one. Session
// state is one accumulator slot per session in flat per-aggregate arrays; merging sessions merges
// their slots.
//
// A session [start, last + gap) fires when the watermark reaches its end - 1 ms; sessions firing
// at one watermark are emitted ordered by end, then by partition key. A row that would open a new
// session that is already expired (end - 1 ms + allowed lateness <= watermark), or has a NULL
// event time, is late: counted and handed to the LateRowHandler.
// With allowed lateness > 0 a fired session is kept until it expires; late rows that change it
// (extend it, merge it with another, or just update its aggregates) make it fire again at the next
// watermark that reaches its (new) end: -U[previous] +U[new] (-D for each further previous session
// it absorbed; +I if none of its parts had fired; nothing if the result is unchanged).

#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "exec/operators/aggregate_layout.h"
#include "exec/operators/output_buffer.h"
#include "exec/operators/window_clock.h"
#include "exec/plan/plan_node.h"
#include "runtime/operator.h"

namespace sluice {

class SessionWindowOperator final : public Operator {
 public:
  static Result<std::unique_ptr<Operator>> Create(const WindowAggregateNode& node);

  Status Open(OperatorContext& context) override;
  Status Process(Batch batch, Collector& out) override;
  Status OnWatermark(int64_t watermark, Collector& out) override;
  /// Fires every session still open (as the final watermark would).
  Status Finish(Collector& out) override;
  std::string Name() const override { return "SessionWindow"; }
  /// Section "window": the watermark, the key table, every session (bounds, links, flags, the
  /// results it emitted), free lists, and the session and snapshot accumulators.
  Status SnapshotState(CheckpointId id, StateSections* out) override;
  Status RestoreState(const OperatorRestore& restore) override;

  /// Sessions currently held (for tests: state is freed once sessions expire).
  size_t session_count() const { return sessions_.size() - free_sessions_.size(); }

 private:
  static constexpr uint32_t kNone = GroupKeyTable::kNoGroup;
  enum class Index : uint8_t { kNone, kDue, kExpiry };
  /// A result emitted earlier, kept (lateness > 0) so a re-fire can retract it.
  struct Emitted {
    uint32_t snapshot;  // slot in snapshots_
    int64_t start;
    int64_t end;
  };
  struct Session {
    int64_t start = 0;  // window time
    int64_t end = 0;    // last row + gap
    int64_t indexed_end = 0;
    uint32_t key = 0;
    uint32_t next = kNone;  // next session of the key, by start
    bool live = false;
    bool clean = false;  // emitted and unchanged since
    Index index = Index::kNone;
    std::vector<Emitted> emitted;
  };
  using IndexKey = std::tuple<int64_t, uint32_t, uint32_t>;  // (end, key, session)

  SessionWindowOperator(const WindowAggregateNode& node, AggregateLayout layout);

  // Checkpoints (session_window_checkpoint.cc).
  struct SavedState;  // one instance's decoded checkpoint
  std::string StateSchema() const;
  Status ReadPart(const StateSectionsView* part, SavedState* saved) const;
  /// Moves a decoded checkpoint in as this instance's state (same parallelism).
  void TakeState(SavedState& saved);
  /// Adds the sessions of the keys in `saved` that route to this instance (rescaling).
  void AddRoutedSessions(const SavedState& saved);
  /// Rebuilds due_ and expiry_ from the sessions' index fields.
  void RebuildIndexes();

  OperatorMetrics* metrics() const { return context_ ? context_->metrics : nullptr; }
  bool Expired(int64_t end) const {
    return SaturatingAdd(clock_.TriggerTime(end), allowed_lateness_) <= watermark_;
  }
  /// The session of key `key` that row window [start, end) belongs to (merging sessions as
  /// needed), or kNone when the row is late.
  uint32_t Assign(uint32_t key, int64_t start, int64_t end);
  uint32_t NewSession(uint32_t key, int64_t start, int64_t end);
  /// Folds session `from` into `into` (same key); `from` is released after the batch.
  void MergeSession(uint32_t from, uint32_t into);
  void Unindex(uint32_t session);
  void Unlink(uint32_t session);
  /// Drops a session (and its key when it was the key's last), freeing its accumulators.
  void FreeSession(uint32_t session);
  /// Frees the snapshot slots of the results `session` emitted earlier.
  void ReleaseEmitted(Session& session);
  /// Once no session is left, frees the arrays sized to the peak number of sessions and keys.
  void ReleaseStorageIfEmpty();
  uint32_t Snapshot(uint32_t session);
  Status Emit(const std::vector<uint32_t>& sessions, Collector& out);

  // From the plan node.
  std::string id_;
  std::string window_shape_;  // WindowSpec::ToString(), for the state schema
  int time_column_;
  bool time_is_ltz_;
  int64_t gap_;
  int64_t allowed_lateness_;
  Schema input_schema_;
  Schema output_schema_;
  AggregateLayout layout_;

  // Per instance.
  WindowClock clock_;
  int64_t watermark_ = kMinWatermark;
  GroupKeyTable keys_;
  std::vector<uint32_t> key_head_;  // per key: first session by start
  std::vector<Session> sessions_;
  std::vector<uint32_t> free_sessions_;
  std::vector<std::unique_ptr<AggregateState>> states_;     // indexed by session
  std::vector<std::unique_ptr<AggregateState>> snapshots_;  // indexed by snapshot slot
  size_t snapshot_slots_ = 0;
  std::vector<uint32_t> free_snapshots_;
  std::set<IndexKey> due_;     // sessions to emit, by end
  std::set<IndexKey> expiry_;  // emitted sessions kept for lateness, by end
  OutputBuffer output_;

  // Scratch, reused across batches.
  EncodedKeys encoded_;
  std::vector<const Column*> arguments_;
  std::vector<uint32_t> valid_rows_;
  std::vector<uint32_t> row_keys_;
  std::vector<uint32_t> created_keys_;
  std::vector<uint32_t> accepted_;
  std::vector<uint32_t> row_sessions_;
  std::vector<uint32_t> late_;
  std::vector<uint32_t> touched_;
  std::vector<uint32_t> merged_into_;  // per session: where it was merged during this batch
  std::vector<uint32_t> released_;
};

}  // namespace sluice
