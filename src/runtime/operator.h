#pragma once
// Operator: a step of a task's chain (filter/project, window aggregate, group aggregate, ...).
//
// Lifecycle: created from a const plan node by the physical planner, one instance per parallel
// slot; Open() once; then Process() for every batch and OnWatermark() whenever the task's input
// watermark advances, in stream order; Finish() once after the final watermark of a bounded
// input; destroyed. All calls come from the task's own thread: an operator needs no locking.
// The runtime forwards each watermark downstream after OnWatermark() returns, so rows emitted by
// OnWatermark() (fired windows) always precede the watermark that fired them.

#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/status.h"
#include "runtime/checkpoint_types.h"
#include "runtime/session_config.h"

namespace sluice {

/// Watermarks and event times are microseconds (as TIMESTAMP columns).
constexpr int64_t kMinWatermark = std::numeric_limits<int64_t>::min();
/// A bounded source's last watermark: fires every open window.
constexpr int64_t kMaxWatermark = std::numeric_limits<int64_t>::max();

/// Where an operator sends its output rows.
class Collector {
 public:
  virtual ~Collector() = default;
  virtual Status Collect(Batch batch) = 0;
};

/// Per-operator-instance counters, written by the task thread, read by the status line/metrics.
struct OperatorMetrics {
  std::atomic<uint64_t> rows_in{0};
  std::atomic<uint64_t> rows_out{0};
  std::atomic<uint64_t> late_rows{0};
  std::atomic<int64_t> watermark{kMinWatermark};
};

/// Receives rows that arrived behind the watermark (beyond the allowed lateness). The runtime
/// counts them and writes them to the pipeline's late-row destination when one is declared.
class LateRowHandler {
 public:
  virtual ~LateRowHandler() = default;
  /// `rows` has the operator's input layout; `watermark` is the operator's watermark then.
  virtual Status OnLateRows(const std::string& operator_id, const Schema& schema, const Batch& rows,
                            int64_t watermark) = 0;
};

/// What an operator instance restores from a checkpoint (docs/design/checkpoints.md §4.1).
struct OperatorRestore {
  /// Sections the old instances wrote. Same parallelism as before: only this instance's old
  /// state. Parallelism changed: every old instance's, and the operator keeps the keys that now
  /// route here (HashTarget(hash, parallelism) == instance), as no key groups exist.
  std::vector<const StateSectionsView*> parts;
  int old_parallelism = 1;
};

struct OperatorContext {
  int instance = 0;     // this instance's index in [0, parallelism)
  int parallelism = 1;  // instances of this operator
  const SessionConfig* session = nullptr;
  OperatorMetrics* metrics = nullptr;
  LateRowHandler* late_rows = nullptr;
};

class Operator {
 public:
  virtual ~Operator() = default;
  virtual Status Open(OperatorContext& context) {
    context_ = &context;
    return Status::OK();
  }
  virtual Status Process(Batch batch, Collector& out) = 0;
  /// The input watermark advanced to `watermark` (monotonic). Emit what it completes.
  virtual Status OnWatermark(int64_t watermark, Collector& out) { return Status::OK(); }
  /// The input ended (after the final watermark). Emit anything still held.
  virtual Status Finish(Collector& out) { return Status::OK(); }
  /// Short kind for EXPLAIN and metrics: "Calc", "TumbleWindow", "GroupAggregate".
  virtual std::string Name() const = 0;

  // Checkpoints. The task calls these on its own thread, so no locking is needed.
  /// False for operators that keep nothing between batches (Calc): they take part in no
  /// snapshot.
  virtual bool HasState() const { return true; }
  /// At checkpoint barrier `id`, after every row and watermark before the barrier was processed
  /// and its output emitted: copy the state into `out` (sections the operator names itself) and
  /// go on. The copy must not share memory with the live state: the sections are written to disk
  /// on another thread while the operator keeps running.
  virtual Status SnapshotState(CheckpointId id, StateSections* out) {
    return Status::Unsupported(Name() + " state cannot be checkpointed yet");
  }
  /// After Open(), before the first row: continue from the state a previous run snapshotted
  /// (its watermark included, so windows that fired do not fire again).
  virtual Status RestoreState(const OperatorRestore& restore) {
    return Status::Unsupported(Name() + " state cannot be restored yet");
  }

 protected:
  OperatorContext* context_ = nullptr;
};

}  // namespace sluice
