#pragma once
// OperatorChain: the operators one task runs back to back (a Calc after a source, a Calc after
// an aggregate, ...) ending in the task's output. Rows emitted by operator i go straight into
// operator i+1 on the same thread — no queue, no copy.
//
// Lifecycle: Open() once; Process() per batch, AdvanceWatermark() whenever the task watermark
// advances, SetIdle() when the task's idleness changes, in stream order; Finish() once at end of
// input (it also emits End downstream); Abort() instead of Finish() when the task stops early.
// Used from the owning task's thread only. Watermark handling follows the Operator contract:
// every operator's OnWatermark() runs (passing fired rows down the chain) before the watermark is
// forwarded to the output.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/operator.h"
#include "runtime/task_output.h"
#include "runtime/task_snapshot.h"

namespace sluice {

struct ChainedOperator {
  std::unique_ptr<Operator> op;
  std::string id;  // plan node id, for errors and metrics
  /// Run on the task thread right after the operator's Open(), before any restore or row: how
  /// the job attaches a state backend (GroupAggregate's RocksDB spill tier).
  std::function<Status(Operator&)> after_open;
};

/// What every operator of a chain is told about its instance.
struct ChainContext {
  int instance = 0;
  int parallelism = 1;
  const SessionConfig* session = nullptr;
  LateRowHandler* late_rows = nullptr;
};

class OperatorChain {
 public:
  OperatorChain(std::vector<ChainedOperator> operators, std::unique_ptr<TaskOutput> output,
                ChainContext context);
  ~OperatorChain();
  OperatorChain(const OperatorChain&) = delete;
  OperatorChain& operator=(const OperatorChain&) = delete;

  Status Open();
  Status Process(Batch batch);
  /// Ignored unless `watermark` is above the chain's current watermark.
  Status AdvanceWatermark(int64_t watermark);
  Status SetIdle(bool idle);
  Status Finish();
  Status OnTimer(SteadyTime now);
  void Abort();

  // Checkpoints (docs/design/checkpoints.md §1.2–§1.3).
  /// At a barrier: every stateful operator's state into `snapshot`, then the barrier to the
  /// output (a sink pre-commits there).
  Status SnapshotAndForward(const Barrier& barrier, TaskSnapshot* snapshot);
  /// After Finish(): the operators' final state and the output's (a sink's last epoch).
  Status SnapshotFinal(TaskSnapshot* snapshot);
  /// After Open(), before any row: the operators' saved state and the chain's watermark.
  Status Restore(const TaskRestore& restore);

  int64_t watermark() const { return watermark_; }
  size_t size() const { return operators_.size(); }
  const OperatorMetrics& metrics(size_t i) const { return *metrics_[i]; }

 private:
  class Link;
  Status Push(size_t index, Batch batch);
  Status SnapshotOperators(CheckpointId id, TaskSnapshot* snapshot);
  Status InOperator(size_t index, const Status& status) const;

  std::vector<ChainedOperator> operators_;
  std::unique_ptr<TaskOutput> output_;
  std::vector<std::unique_ptr<OperatorMetrics>> metrics_;
  std::vector<std::unique_ptr<OperatorContext>> contexts_;
  std::vector<std::unique_ptr<Link>> links_;  // links_[i] collects operator i's output
  int64_t watermark_ = kMinWatermark;
  bool done_ = false;
};

}  // namespace sluice
