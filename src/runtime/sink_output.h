#pragma once
// SinkOutput: the end of a chain that writes into a connector's SinkWriter.
//
// Open() happens on the task thread before the first row; every batch is written as it comes;
// Flush() runs every `flush_interval` of wall-clock time (checked between messages, so a quiet
// stream still gets flushed) and at end of input, followed by Close(). On Abort() (cancel or
// error) the writer is closed without a final flush. Called only from the owning task's thread.
//
// When the job checkpoints, every barrier pre-commits the writer's epoch (SinkWriter::PreCommit)
// into the task's snapshot, and the end of input pre-commits a last epoch — numbered one above
// the last barrier seen — that the task's final snapshot carries.

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "runtime/sink.h"
#include "runtime/task_output.h"

namespace sluice {

/// 'sluice.sink.flush-interval' (Default: 1 s).
constexpr std::chrono::microseconds kDefaultSinkFlushInterval{1'000'000};

class SinkOutput : public TaskOutput {
 public:
  /// `rows_written` and `watermark` are the job's metrics slots (may be null).
  SinkOutput(std::string table, std::unique_ptr<SinkWriter> writer,
             std::chrono::microseconds flush_interval, std::atomic<uint64_t>* rows_written,
             std::atomic<int64_t>* watermark);
  ~SinkOutput() override;

  Status Open() override;
  Status Collect(Batch batch) override;
  Status EmitWatermark(int64_t watermark) override;
  Status EmitStatus(bool idle) override { return Status::OK(); }
  Status EmitEnd() override;
  Status EmitBarrier(const Barrier& barrier, TaskSnapshot* snapshot) override;
  void AddFinalState(TaskSnapshot* snapshot) override;
  Status OnTimer(SteadyTime now) override;

  /// The job checkpoints; this output feeds writer `writer` of its sink. `restored` is the
  /// checkpoint the job resumed from (0: none): the first epoch is numbered above it.
  void EnableCheckpointing(int writer, CheckpointId restored) {
    checkpointing_ = true;
    writer_index_ = writer;
    last_barrier_ = restored;
  }
  void Abort() override;

 private:
  Status Flush(SteadyTime now);
  Status WithTable(const Status& status) const;

  std::string table_;
  std::unique_ptr<SinkWriter> writer_;
  std::chrono::microseconds flush_interval_;
  std::atomic<uint64_t>* rows_written_;
  std::atomic<int64_t>* watermark_;
  SteadyTime last_flush_;
  bool open_ = false;
  bool dirty_ = false;  // rows written since the last flush
  bool checkpointing_ = false;
  int writer_index_ = 0;
  CheckpointId last_barrier_ = 0;
  std::optional<Committable> final_committable_;
};

}  // namespace sluice
