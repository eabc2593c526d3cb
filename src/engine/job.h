#pragma once
// Job: one run of a pipeline — every INSERT of a file — on this machine.
//
// Lifecycle: Create() validates the settings, creates sources and sinks through their
// connectors, plans the stages and builds every task, channel, reader, writer and operator up
// front, so configuration errors surface before anything runs. Run() (once) starts one thread
// per task and blocks until all have ended: OK when every source ended (bounded input) or a drain
// finished, the first error otherwise (it cancels the rest of the job), kCancelled after
// Cancel(false).
//
// Threading: Cancel(), metrics(), StatusLine() and Summary() may be called from any thread while
// Run() blocks (the CLI's signal handling and status line). Cancel(true) drains — sources stop
// and end as if bounded, so windows fire and sinks flush (Ctrl-C); Cancel(false) stops at once.
// Not async-signal-safe: call Cancel() from a normal thread.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "checkpoint/checkpoint_coordinator.h"
#include "checkpoint/checkpoint_data.h"
#include "checkpoint/checkpoint_storage.h"
#include "connectors/connector.h"
#include "engine/checkpoint_settings.h"
#include "exec/physical_planner/physical_plan.h"
#include "exec/physical_planner/pipeline_connectors.h"
#include "exec/plan/operator_signature.h"
#include "runtime/job_metrics.h"
#include "runtime/late_row_recorder.h"
#include "runtime/operator_chain.h"
#include "runtime/session_config.h"
#include "runtime/task_group.h"
#include "state/rocksdb_environment.h"

namespace sluice {

struct JobOptions {
  /// > 0: overrides 'parallelism.default' (the CLI's --parallelism).
  int parallelism = 0;
  /// > 0: overrides 'sluice.batch-size'.
  int batch_size = 0;
  /// Connectors looked up by name before the registry (tests).
  std::vector<const ConnectorSpec*> extra_connectors;
  /// A checkpoint or savepoint directory to resume from (--from-checkpoint/--from-savepoint);
  /// empty: the pipeline's latest complete checkpoint, if checkpoints are on.
  std::string restore_from;
  /// Start even when saved state belongs to no operator of the current SQL (it is dropped).
  bool allow_non_restored_state = false;
};

class Job {
 public:
  /// Settings: `session`, plus the plan's SET values it does not already have, plus `options`.
  /// Engine keys read here:
  ///   'sluice.sink.flush-interval'  sink flush period (Default: 1 s)
  ///   'sluice.late-rows.path'       directory for late-rows.jsonl (Default: none — late rows
  ///                                 are counted and reported at exit)
  static Result<std::unique_ptr<Job>> Create(PipelinePlan plan, SessionConfig session,
                                             JobOptions options = {});
  ~Job();
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  Status Run();
  void Cancel(bool drain);

  const JobMetrics& metrics() const { return metrics_; }
  std::string StatusLine() const { return metrics_.StatusLine(); }
  /// The metrics' summary, plus where the late rows went.
  std::string Summary() const;

  /// Checkpoints (null when off) and what the job resumed from (empty when it started fresh).
  const CheckpointCoordinator* coordinator() const { return coordinator_.get(); }
  const std::string& restore_report() const { return restore_report_; }
  /// Stop with a savepoint (checkpoints on): `done` gets its directory once it is complete and
  /// committed, and the job then stops.
  void StopWithSavepoint(std::function<void(const Status&, const std::string&)> done);
  /// A savepoint without stopping.
  void TakeSavepoint(std::function<void(const Status&, const std::string&)> done);

  const PhysicalPlan& physical_plan() const { return physical_; }
  const SessionConfig& session() const { return session_; }
  size_t num_tasks() const { return group_.num_tasks(); }

 private:
  Job() = default;
  Status Build();
  /// Checkpoints on: storage, the checkpoint to resume from, sink recovery, the coordinator.
  Status SetUpCheckpoints();
  /// 'state.backend' = 'rocksdb': the shared RocksDB environment (memory budget, TTL).
  Status SetUpStateBackend();
  /// What attaches the RocksDB spill tier to a GroupAggregate instance (null otherwise).
  std::function<Status(Operator&)> SpillHook(const PlanNode& node, int instance);
  Status RecoverSinks();
  /// Saved operator state that no operator of this plan takes: an error unless allowed.
  Status CheckStateCompatibility();
  std::shared_ptr<const TaskRestore> RestoreFor(const Stage& stage, int instance);
  std::string StageKey(const Stage& stage) const;
  void AddTask(std::unique_ptr<Task> task, const Stage& stage, int instance,
               SourceTask* source_task);
  Result<std::unique_ptr<TaskOutput>> BuildOutput(const Stage& stage, int instance);
  Result<std::unique_ptr<OperatorChain>> BuildChain(const Stage& stage, int instance);

  // Declaration order matters: tasks (in group_) are destroyed first, then what they use.
  PipelinePlan plan_;
  SessionConfig session_;
  JobOptions options_;
  std::chrono::microseconds flush_interval_{0};
  JobMetrics metrics_;
  PipelineConnectors connectors_;
  std::unique_ptr<LateRowRecorder> late_rows_;
  PhysicalPlan physical_;
  /// channels_[stage][instance]: the input of each non-source task.
  std::vector<std::vector<Channel*>> channels_;
  /// producer_offset_[edge]: index of the edge's first producer in the target's channels.
  std::vector<int> producer_offset_;
  TaskGroup group_;
  bool ran_ = false;

  // Checkpoints (coordinator_ last: it stops before the tasks and committers go).
  CheckpointSettings checkpoints_;
  std::unique_ptr<CheckpointStorage> storage_;
  std::unique_ptr<LoadedCheckpoint> restored_;
  std::string restore_report_;
  int64_t restore_started_micros_ = 0;
  std::atomic<int64_t> restored_at_micros_{0};
  std::map<const PlanNode*, std::string> uids_;
  std::map<const PlanNode*, OperatorSignatureWithUid> signatures_;
  std::vector<std::unique_ptr<SinkCommitter>> committers_;
  std::map<std::string, SinkCommitter*> committers_by_uid_;
  CheckpointJobLayout layout_;
  std::mutex failure_mutex_;
  Status checkpoint_failure_;
  std::shared_ptr<RocksDbEnvironment> rocksdb_env_;
  std::string rocksdb_dir_;
  /// Unique per process run: names staged files and final-snapshot folders.
  std::string run_id_;
  size_t resident_groups_ = size_t{1} << 20;
  std::unique_ptr<CheckpointCoordinator> coordinator_;
};

}  // namespace sluice
