#pragma once
// CheckpointCoordinator: triggers checkpoints, collects every task's part, completes them
// atomically and commits the sinks' pre-committed output (docs/design/checkpoints.md §1.4).
//
// One per job, with its own thread. Every `interval` (at most one checkpoint in flight, at least
// `min_pause` between the end of one and the start of the next) it asks each running source
// task for barrier N. Each task acknowledges with its snapshot (or has finished: its final
// snapshot stands for it). When every task is accounted for, the coordinator writes the state
// file and then MANIFEST.json — the commit point — tells the sources (Kafka commits the group
// offsets), hands the committables to the sink committers, and keeps the newest `retained`
// checkpoints. A checkpoint that takes longer than `timeout` is abandoned; its committables are
// carried into the next one, never lost. A commit that fails fails the job (on_failure).
//
// Thread-safety: the CheckpointListener calls come from task threads; Start/Stop/CompleteFinal/
// RequestSavepoint from the job's thread.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "checkpoint/checkpoint_data.h"
#include "checkpoint/checkpoint_storage.h"
#include "runtime/sink.h"
#include "runtime/source.h"
#include "runtime/task_snapshot.h"

namespace sluice {

class SourceTask;

/// The job as the coordinator sees it: what each task index is and what its parts are saved as.
struct CheckpointJobLayout {
  struct Task {
    std::string name;
    std::string key;  // the stage's stable key (task state is saved under it)
    int instance = 0;
    int parallelism = 1;
    SourceTask* source_task = nullptr;  // source tasks: where barriers are triggered
    int source = -1;                    // index into `sources`, source tasks only
    int sink = -1;                      // index into `sinks`, when the task ends in a sink
  };
  struct Operator {
    std::string uid;
    std::string kind;
    std::string signature;
    int parallelism = 1;
  };
  struct SourceTable {
    std::string uid;
    std::string table;
    Source* source = nullptr;
  };
  struct SinkTable {
    std::string uid;
    std::string table;
    SinkCommitter* committer = nullptr;  // null: at-least-once
  };
  std::vector<Task> tasks;
  std::map<std::string, Operator> operators;  // by plan node id
  std::vector<SourceTable> sources;
  std::vector<SinkTable> sinks;
};

struct CheckpointConfig {
  std::string pipeline;
  int64_t interval_micros = 0;
  int64_t timeout_micros = 10LL * 60 * 1'000'000;  // Flink's default: 10 min
  int64_t min_pause_micros = 0;
  int retained = 1;
};

struct CheckpointStats {
  int64_t completed = 0;
  int64_t abandoned = 0;
  CheckpointId last_id = 0;
  int64_t last_duration_micros = 0;
  uint64_t last_state_bytes = 0;
};

class CheckpointCoordinator final : public CheckpointListener {
 public:
  /// `last_id`: the highest id this pipeline ever used (new ids are above it).
  CheckpointCoordinator(CheckpointStorage* storage, CheckpointConfig config,
                        CheckpointJobLayout layout, CheckpointId last_id,
                        std::function<void(const Status&)> on_failure);
  ~CheckpointCoordinator() override;

  /// Before Start(): the job's tasks (built after the coordinator, as they point to it).
  void SetLayout(CheckpointJobLayout layout);
  void Start();
  /// Stops the thread; a checkpoint in flight is left unfinished (never restored).
  void Stop();
  /// Once every task finished normally: completes a last checkpoint from the final snapshots
  /// and commits it. The job's output is final only when this returned OK.
  Status CompleteFinal();
  /// Takes a savepoint as the next checkpoint; with `stop`, sources emit nothing after it and
  /// `on_stopped` runs once it is complete and committed.
  void RequestSavepoint(bool stop, std::function<void(const Status&, const std::string&)> done);

  void Acknowledge(int task, TaskSnapshot snapshot) override;
  void Decline(int task, CheckpointId id, const Status& why) override;
  void TaskFinished(int task, TaskSnapshot final_snapshot) override;

  CheckpointStats stats() const;

 private:
  struct Pending {
    CheckpointId id = 0;
    SnapshotKind kind = SnapshotKind::kCheckpoint;
    bool stop = false;
    int64_t started_micros = 0;
    int64_t started_wall_micros = 0;  // for garbage collection of shared files
    std::map<int, TaskSnapshot> acks;
    std::optional<Status> declined;
  };
  void Loop();
  /// Mutex held: triggers the next checkpoint when due.
  void MaybeTrigger(int64_t now);
  /// Mutex held: every task acknowledged `pending_` or finished.
  bool AllAccounted() const;
  /// Writes, completes and commits `pending` (mutex not held).
  Status Complete(Pending pending,
                  const std::map<int, std::shared_ptr<const TaskSnapshot>>& finished,
                  std::vector<std::vector<Committable>> carried);
  /// Mutex held: the carried committables, handed to the checkpoint being completed.
  std::vector<std::vector<Committable>> TakeCarried();
  CheckpointData Assemble(const Pending& pending,
                          const std::map<int, std::shared_ptr<const TaskSnapshot>>& finished,
                          std::vector<std::vector<Committable>> carried,
                          std::vector<std::vector<Committable>>* to_commit);
  void Fail(const Status& status);

  CheckpointStorage* storage_;
  const CheckpointConfig config_;
  CheckpointJobLayout layout_;
  std::function<void(const Status&)> on_failure_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
  bool running_ = false;
  bool stopping_ = false;
  bool failed_ = false;
  CheckpointId last_id_;
  int64_t next_trigger_micros_ = 0;
  std::optional<Pending> pending_;
  /// Final snapshots of finished tasks, shared (not copied) with each checkpoint that uses them.
  std::map<int, std::shared_ptr<const TaskSnapshot>> finished_;
  /// Per sink: committables of abandoned checkpoints, committed with the next complete one.
  std::vector<std::vector<Committable>> carried_;
  /// Per sink and writer: the highest epoch committed so far.
  std::vector<std::map<int, CheckpointId>> committed_;
  struct SavepointRequest {
    bool stop = false;
    std::function<void(const Status&, const std::string&)> done;
  };
  std::optional<SavepointRequest> savepoint_request_;
  std::optional<SavepointRequest> savepoint_in_flight_;
  CheckpointStats stats_;
};

}  // namespace sluice
