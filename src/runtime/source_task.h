#pragma once
// SourceTask: one parallel instance of a source stage. It owns some of the table's splits
// (assigned round-robin by the job), polls their readers in turn, builds full table rows
// (computed and metadata columns), cuts each batch at the per-row watermarks (WatermarkGenerator),
// and drives its OperatorChain (the chained Calc, maybe a sink, and the output).
//
// Watermarks are kept per *stream*: a split's reader may read several independently ordered
// streams (a Kafka consumer's partitions, SplitReader::LastPollStream()); each stream has its own
// generator and idle clock, the split's watermark is the min over its streams (a WatermarkValve),
// and the task watermark the min over its splits (another valve). Streams that stayed silent for
// longer than the idle timeout (wall clock) are left out; when all are idle the task tells
// downstream it is idle, and active again before its next rows. A split or stream that ends no
// longer counts; a split whose streams were all taken away (rebalance) is idle. When every split
// has ended — or a drain was requested — the task advances to kMaxWatermark (firing every window
// downstream, as Flink does at the end of a bounded source), finishes its chain and emits End.
// Unbounded splits run until the job is drained or stopped.
//
// Checkpoints: TriggerBarrier() (any thread) asks for a barrier; the task takes it between two
// polls — every reader's position after the rows handed over, every stream's watermark, the
// chain's operators — sends the barrier downstream behind those rows and acknowledges. A stop
// barrier (stop with savepoint) is the last thing the task emits: it reads nothing more and waits
// for the job to stop it. A restored task resumes the readers at their saved positions and the
// streams at their saved watermarks.
//
// Runs on its own thread; each SplitReader is used only from it (see source.h).

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/operator_chain.h"
#include "runtime/source.h"
#include "runtime/table_row_builder.h"
#include "runtime/task.h"
#include "runtime/task_snapshot.h"
#include "runtime/watermark_generator.h"
#include "runtime/watermark_valve.h"

namespace sluice {

struct SourceSplitReader {
  SourceSplit split;
  std::unique_ptr<SplitReader> reader;
};

struct SourceTaskOptions {
  /// Rows per Poll() ('sluice.batch-size').
  size_t batch_size = 4096;
  /// 'table.exec.source.idle-timeout'; 0 = splits never become idle.
  int64_t idle_timeout_micros = 0;
  EvalContext eval_context;
  /// The job's "rows read" counter for this table (may be null).
  std::atomic<uint64_t>* rows_read = nullptr;
  /// 'sluice.source.max-rows-per-second': at most this many rows per second from this task
  /// (0: no limit) — to replay a backlog gently, or to slow a test down.
  double max_rows_per_second = 0;
  /// Set when the job takes checkpoints.
  TaskCheckpointing checkpointing;
  /// Set when the job resumes from a checkpoint.
  std::shared_ptr<const TaskRestore> restore;
};

class SourceTask : public Task {
 public:
  static Result<std::unique_ptr<SourceTask>> Create(std::string name,
                                                    std::shared_ptr<const TableDef> table,
                                                    std::vector<SourceSplitReader> splits,
                                                    std::unique_ptr<OperatorChain> chain,
                                                    SourceTaskOptions options);
  ~SourceTask() override;

  std::string Name() const override { return name_; }
  Status Run(RunControl& control) override;

  /// Thread-safe: the task emits `barrier` at its next chance (a later trigger replaces one not
  /// yet taken).
  void TriggerBarrier(const Barrier& barrier);

 private:
  using Clock = std::chrono::steady_clock;
  struct StreamState {
    std::unique_ptr<WatermarkGenerator> watermarks;
    Clock::time_point last_active;
    int input = 0;  // in the split's stream valve
  };
  struct SplitState {
    SourceSplitReader input;
    std::unique_ptr<WatermarkValve> streams_valve;
    std::unordered_map<int64_t, StreamState> streams;
    Clock::time_point last_active;
    bool open = false;
    /// Checkpointing: the reader's positions when its split ended (the reader is closed then).
    std::vector<StreamPosition> final_positions;
  };
  SourceTask() = default;

  Status Loop(RunControl& control);
  /// Polls split `index` once; sets *progressed when it produced rows or a watermark.
  Status PollSplit(size_t index, bool* progressed);
  Status EmitRows(size_t index, StreamState& stream, Batch physical);
  /// The stream `id` of split `index`, created on first sight.
  Result<StreamState*> Stream(size_t index, int64_t id);
  /// Forwards a change of split `index`'s stream valve to the task valve, then downstream.
  Status ApplySplit(size_t index, const WatermarkValve::Update& update);
  Status Apply(const WatermarkValve::Update& update);
  Status CheckIdle(Clock::time_point now);
  Status InSplit(size_t index, const Status& status) const;
  void CloseReaders();
  /// The stable name stream `id` of split `index` is saved under.
  std::string StreamName(size_t index, int64_t id) const;
  /// Takes a barrier if one was triggered; sets *stopped for a stop barrier.
  Status MaybeTakeBarrier(bool* stopped);
  Status Snapshot(TaskSnapshot* snapshot);

  std::string name_;
  std::shared_ptr<const TableDef> table_;
  std::vector<SplitState> splits_;
  std::unique_ptr<OperatorChain> chain_;
  SourceTaskOptions options_;
  std::unique_ptr<TableRowBuilder> rows_;
  std::unique_ptr<WatermarkValve> valve_;
  std::vector<WatermarkGenerator::Cut> cuts_;

  /// Rate limit: rows emitted since the limit's clock started.
  Clock::time_point rate_start_;
  uint64_t rate_rows_ = 0;

  std::mutex barrier_mutex_;
  std::optional<Barrier> pending_barrier_;
  std::atomic<bool> barrier_requested_{false};
  std::unordered_map<std::string, int64_t> restored_watermarks_;  // by stream name
};

}  // namespace sluice
