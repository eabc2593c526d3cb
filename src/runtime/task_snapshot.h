#pragma once
// TaskSnapshot: what one task instance contributes to a checkpoint, and CheckpointListener: how
// it hands that over to the job's checkpoint coordinator (docs/design/checkpoints.md §1.2–§1.4).
//
// A task builds its snapshot on its own thread at the barrier (copies only) and acknowledges; the
// coordinator writes the sections to disk on its own thread, so the task is not held up by I/O.

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/checkpoint_types.h"
#include "runtime/operator.h"

namespace sluice {

/// The state of one chained operator instance, under its plan node id (the job maps it to the
/// operator's stable uid).
struct OperatorStateSnapshot {
  std::string node_id;
  StateSections sections;
};

/// A stream's watermark generator (source tasks), saved under the stream's stable name.
struct StreamWatermark {
  std::string stream;
  int64_t watermark = 0;
};

struct TaskSnapshot {
  CheckpointId id = 0;
  /// Runtime state of the task itself: the chain's watermark, the input valve's per-producer
  /// watermarks (encoded by the task; see TaskState in operator_chain.h).
  std::string task_state;
  std::vector<OperatorStateSnapshot> operators;
  /// Source tasks: every stream position of the task's readers, and their watermarks.
  std::vector<StreamPosition> positions;
  std::vector<StreamWatermark> watermarks;
  /// Sink tasks: the writer's pre-committed epoch (empty data: nothing to commit).
  std::optional<Committable> committable;
  /// Taken after the task's input ended and its chain finished: it stands for the task in every
  /// later checkpoint.
  bool finished = false;
};

/// Implemented by the coordinator; called from task threads.
class CheckpointListener {
 public:
  virtual ~CheckpointListener() = default;
  /// Task `task` took its part of checkpoint `snapshot.id`.
  virtual void Acknowledge(int task, TaskSnapshot snapshot) = 0;
  /// Task `task` cannot take part in checkpoint `id`: it is abandoned.
  virtual void Decline(int task, CheckpointId id, const Status& why) = 0;
  /// Task `task` ended normally; `final_snapshot` (finished = true) stands for it from now on.
  virtual void TaskFinished(int task, TaskSnapshot final_snapshot) = 0;
};

/// What a task needs to take part in checkpoints (listener null: the job takes none).
struct TaskCheckpointing {
  CheckpointListener* listener = nullptr;
  int task_index = 0;
};

/// What a task resumes from: built by the job from a completed checkpoint.
struct TaskRestore {
  CheckpointId checkpoint = 0;
  /// The chain's watermark when it was saved (min over the old instances after a rescale).
  std::optional<int64_t> chain_watermark;
  /// Operator tasks: each producer's watermark, when the producers are the same as before.
  std::vector<int64_t> input_watermarks;
  /// Source tasks: every saved stream of the table (readers pick theirs) and their watermarks.
  std::vector<StreamPosition> positions;
  std::vector<StreamWatermark> stream_watermarks;
  /// Chained operators' state by plan node id; an operator without an entry starts empty.
  std::map<std::string, OperatorRestore> operators;
  /// Keeps the sections the OperatorRestore parts point into alive.
  std::vector<std::shared_ptr<const StateSectionsView>> views;
  /// The job's clock of restores (steady-clock micros): each task raises it to the moment its
  /// operators finished restoring (MarkRestored), for the run summary.
  std::atomic<int64_t>* restored_at_micros = nullptr;
};

/// Called by a task once its chain is restored.
void MarkRestored(const TaskRestore& restore);

/// The task-level state both kinds of task save (TaskSnapshot::task_state).
std::string EncodeTaskState(int64_t chain_watermark, const std::vector<int64_t>& input_watermarks);
Status DecodeTaskState(std::string_view data, int64_t* chain_watermark,
                       std::vector<int64_t>* input_watermarks);

}  // namespace sluice
