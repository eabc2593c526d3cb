#include "runtime/sink_output.h"

namespace sluice {

SinkOutput::SinkOutput(std::string table, std::unique_ptr<SinkWriter> writer,
                       std::chrono::microseconds flush_interval,
                       std::atomic<uint64_t>* rows_written, std::atomic<int64_t>* watermark)
    : table_(std::move(table)),
      writer_(std::move(writer)),
      flush_interval_(flush_interval),
      rows_written_(rows_written),
      watermark_(watermark),
      last_flush_(std::chrono::steady_clock::now()) {}

SinkOutput::~SinkOutput() {
  Abort();
}

Status SinkOutput::WithTable(const Status& status) const {
  return status.ok() ? status : status.WithContext("sink '" + table_ + "'");
}

Status SinkOutput::Open() {
  SLUICE_RETURN_IF_ERROR(WithTable(writer_->Open()));
  open_ = true;
  last_flush_ = std::chrono::steady_clock::now();
  return Status::OK();
}

Status SinkOutput::Collect(Batch batch) {
  if (batch.num_rows() == 0) return Status::OK();
  SLUICE_RETURN_IF_ERROR(WithTable(writer_->Write(batch)));
  dirty_ = true;
  if (rows_written_) rows_written_->fetch_add(batch.num_rows(), std::memory_order_relaxed);
  return Status::OK();
}

Status SinkOutput::EmitWatermark(int64_t watermark) {
  if (watermark_) watermark_->store(watermark, std::memory_order_relaxed);
  return Status::OK();
}

Status SinkOutput::Flush(SteadyTime now) {
  last_flush_ = now;
  dirty_ = false;
  return WithTable(writer_->Flush());
}

Status SinkOutput::OnTimer(SteadyTime now) {
  if (!dirty_ || now - last_flush_ < flush_interval_) return Status::OK();
  return Flush(now);
}

Status SinkOutput::EmitEnd() {
  if (checkpointing_) {
    // The rows since the last barrier form one more epoch, committed by the checkpoint that
    // includes this task's final snapshot.
    const CheckpointId epoch = last_barrier_ + 1;
    auto data = writer_->PreCommit(epoch);
    if (!data.ok()) return WithTable(data.status());
    final_committable_ = Committable{writer_index_, epoch, std::move(data).value()};
    dirty_ = false;
  } else {
    SLUICE_RETURN_IF_ERROR(Flush(std::chrono::steady_clock::now()));
  }
  open_ = false;
  return WithTable(writer_->Close());
}

Status SinkOutput::EmitBarrier(const Barrier& barrier, TaskSnapshot* snapshot) {
  auto data = writer_->PreCommit(barrier.id);
  if (!data.ok()) return WithTable(data.status());
  last_barrier_ = barrier.id;
  last_flush_ = std::chrono::steady_clock::now();
  dirty_ = false;
  snapshot->committable = Committable{writer_index_, barrier.id, std::move(data).value()};
  return Status::OK();
}

void SinkOutput::AddFinalState(TaskSnapshot* snapshot) {
  if (final_committable_) snapshot->committable = *final_committable_;
}

void SinkOutput::Abort() {
  if (!open_) return;
  open_ = false;
  writer_->Close().IgnoreError();
}

}  // namespace sluice
