#pragma once
// Sink and SinkWriter: how the runtime hands rows to connectors.
//
// One SinkWriter per parallel sink task, called only from that task's thread. Write() receives
// rows with the sink table's physical schema and, for updating results, their RowKinds. A writer
// may buffer; Flush() makes everything written so far durable and visible (it is called
// periodically, at end of input, and before Close()). Several writers may share a resource (one
// DuckDB file): the Sink owns what is shared, and must outlive its writers.

#include <climits>
#include <memory>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/status.h"
#include "runtime/checkpoint_types.h"

namespace sluice {

class SinkWriter {
 public:
  virtual ~SinkWriter() = default;
  virtual Status Open() { return Status::OK(); }
  virtual Status Write(const Batch& batch) = 0;
  virtual Status Flush() = 0;
  virtual Status Close() { return Status::OK(); }

  /// At checkpoint barrier `id` (task thread), or at the end of input with the id of the epoch
  /// that follows the last barrier: make everything written since the previous barrier durable
  /// and, for an exactly-once sink, staged but not yet visible, and describe it (the
  /// committable's data; empty = nothing to commit). At-least-once default: Flush().
  virtual Result<std::string> PreCommit(CheckpointId id) {
    SLUICE_RETURN_IF_ERROR(Flush());
    return std::string();
  }
};

/// What a sink learns when the job takes checkpoints (Sink::EnableCheckpointing).
struct SinkCheckpointing {
  std::string pipeline;  // 'pipeline.name'
  /// Stable id of this sink within the pipeline (the same across runs of the same SQL).
  std::string sink_uid;
  /// <state.checkpoints.dir>/<pipeline>: a sink may keep files under "<state_dir>/sinks/<uid>/"
  /// (the Kafka sink's epoch logs).
  std::string state_dir;
  /// Unique per process run: names staged files so that runs never collide.
  std::string run_id;
};

/// Makes pre-committed output visible once its checkpoint is complete (the second phase of the
/// two-phase commit, docs/design/checkpoints.md §3.1). Called only from the job's committer
/// thread, in checkpoint order. Every call must be idempotent: a crash may repeat it.
class SinkCommitter {
 public:
  virtual ~SinkCommitter() = default;
  /// Before any writer starts. `restored` is the checkpoint the job resumes from (0: none) and
  /// `pending` its committables: commit those not committed yet, then discard every staged
  /// output of later epochs (they will be produced again).
  virtual Status Recover(CheckpointId restored, const std::vector<Committable>& pending) = 0;
  /// Checkpoint `id` is complete: make `committables` visible (each carries the epoch its
  /// writer staged it for, at most `id`).
  virtual Status Commit(CheckpointId id, const std::vector<Committable>& committables) = 0;
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual Result<std::unique_ptr<SinkWriter>> CreateWriter(int instance, int parallelism) = 0;
  /// Writers this sink supports at once (print: many; a single file: 1).
  virtual int MaxParallelism() const { return INT_MAX; }

  // Checkpoints.
  /// Called once before CreateWriter() when the job takes checkpoints. Sinks that stay
  /// at-least-once ignore it.
  virtual Status EnableCheckpointing(const SinkCheckpointing& checkpointing) {
    return Status::OK();
  }
  /// The committer of an exactly-once sink; null for an at-least-once sink.
  virtual Result<std::unique_ptr<SinkCommitter>> CreateCommitter() {
    return std::unique_ptr<SinkCommitter>();
  }
};

}  // namespace sluice
