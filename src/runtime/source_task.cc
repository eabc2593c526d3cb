#include "runtime/source_task.h"

#include <algorithm>

namespace sluice {

namespace {
// Back-off while no split has anything: short enough for low latency, long enough not to spin.
constexpr std::chrono::microseconds kMinBackoff{200};
constexpr std::chrono::microseconds kMaxBackoff{20'000};
}  // namespace

SourceTask::~SourceTask() {
  CloseReaders();
}

Result<std::unique_ptr<SourceTask>> SourceTask::Create(std::string name,
                                                       std::shared_ptr<const TableDef> table,
                                                       std::vector<SourceSplitReader> splits,
                                                       std::unique_ptr<OperatorChain> chain,
                                                       SourceTaskOptions options) {
  std::unique_ptr<SourceTask> task(new SourceTask());
  task->name_ = std::move(name);
  SLUICE_ASSIGN_OR_RETURN(task->rows_, TableRowBuilder::Create(*table, options.eval_context));
  for (auto& input : splits) {
    SplitState state;
    state.input = std::move(input);
    state.streams_valve = std::make_unique<WatermarkValve>(0);
    task->splits_.push_back(std::move(state));
  }
  task->valve_ = std::make_unique<WatermarkValve>(static_cast<int>(task->splits_.size()));
  task->table_ = std::move(table);
  task->chain_ = std::move(chain);
  if (options.batch_size == 0) options.batch_size = 1;
  task->options_ = std::move(options);
  if (task->options_.restore) {
    for (const StreamWatermark& w : task->options_.restore->stream_watermarks) {
      task->restored_watermarks_[w.stream] = w.watermark;
    }
  }
  return task;
}

void SourceTask::TriggerBarrier(const Barrier& barrier) {
  std::lock_guard<std::mutex> lock(barrier_mutex_);
  pending_barrier_ = barrier;
  barrier_requested_.store(true, std::memory_order_release);
}

std::string SourceTask::StreamName(size_t index, int64_t id) const {
  const SourceSplitReader& in = splits_[index].input;
  std::string name = in.reader->StreamName(id);
  if (!name.empty()) return name;
  return id == 0 ? in.split.id : in.split.id + "#" + std::to_string(id);
}

Status SourceTask::Snapshot(TaskSnapshot* snapshot) {
  for (size_t i = 0; i < splits_.size(); ++i) {
    SplitState& split = splits_[i];
    if (split.open) {
      SLUICE_RETURN_IF_ERROR(
          InSplit(i, split.input.reader->SnapshotPositions(&snapshot->positions)));
    } else {
      snapshot->positions.insert(snapshot->positions.end(), split.final_positions.begin(),
                                 split.final_positions.end());
    }
    for (const auto& [id, stream] : split.streams) {
      snapshot->watermarks.push_back({StreamName(i, id), stream.watermarks->current()});
    }
  }
  snapshot->task_state = EncodeTaskState(chain_->watermark(), {});
  return Status::OK();
}

Status SourceTask::MaybeTakeBarrier(bool* stopped) {
  if (!barrier_requested_.load(std::memory_order_acquire)) return Status::OK();
  Barrier barrier;
  {
    std::lock_guard<std::mutex> lock(barrier_mutex_);
    if (!pending_barrier_) return Status::OK();
    barrier = *pending_barrier_;
    pending_barrier_.reset();
    barrier_requested_.store(false, std::memory_order_release);
  }
  TaskSnapshot snapshot;
  snapshot.id = barrier.id;
  Status status = Snapshot(&snapshot);
  if (status.ok()) status = chain_->SnapshotAndForward(barrier, &snapshot);
  if (!status.ok()) {
    return status.WithContext("checkpoint " + std::to_string(barrier.id) + " of " + name_);
  }
  options_.checkpointing.listener->Acknowledge(options_.checkpointing.task_index,
                                               std::move(snapshot));
  *stopped = barrier.stop;
  return Status::OK();
}

Status SourceTask::InSplit(size_t index, const Status& status) const {
  if (status.ok()) return status;
  const SourceSplitReader& in = splits_[index].input;
  std::string where = "source '" + table_->name + "' split '" + in.split.id + "'";
  std::string position = in.reader->Position();
  if (!position.empty()) where += " at " + position;
  return status.WithContext(where);
}

Status SourceTask::Run(RunControl& control) {
  Status status = Loop(control);
  if (!status.ok()) chain_->Abort();
  CloseReaders();
  return status;
}

void SourceTask::CloseReaders() {
  for (SplitState& split : splits_) {
    if (!split.open) continue;
    split.open = false;
    split.input.reader->Close().IgnoreError();  // the task is already ending
  }
}

Status SourceTask::Apply(const WatermarkValve::Update& update) {
  if (update.became_active) SLUICE_RETURN_IF_ERROR(chain_->SetIdle(false));
  if (update.watermark) SLUICE_RETURN_IF_ERROR(chain_->AdvanceWatermark(*update.watermark));
  if (update.became_idle) SLUICE_RETURN_IF_ERROR(chain_->SetIdle(true));
  return Status::OK();
}

Result<SourceTask::StreamState*> SourceTask::Stream(size_t index, int64_t id) {
  SplitState& split = splits_[index];
  auto it = split.streams.find(id);
  if (it != split.streams.end()) return &it->second;
  StreamState stream;
  SLUICE_ASSIGN_OR_RETURN(stream.watermarks,
                          WatermarkGenerator::Create(*table_, options_.eval_context));
  if (!restored_watermarks_.empty()) {
    auto saved = restored_watermarks_.find(StreamName(index, id));
    if (saved != restored_watermarks_.end()) stream.watermarks->AdvanceTo(saved->second);
  }
  stream.last_active = Clock::now();
  WatermarkValve::Update update;
  stream.input = split.streams_valve->AddInput(&update);
  StreamState* added = &split.streams.emplace(id, std::move(stream)).first->second;
  SLUICE_RETURN_IF_ERROR(ApplySplit(index, update));
  return added;
}

Status SourceTask::ApplySplit(size_t index, const WatermarkValve::Update& update) {
  const int input = static_cast<int>(index);
  if (update.became_active) SLUICE_RETURN_IF_ERROR(Apply(valve_->SetIdle(input, false)));
  if (update.watermark)
    SLUICE_RETURN_IF_ERROR(Apply(valve_->OnWatermark(input, *update.watermark)));
  if (update.became_idle) SLUICE_RETURN_IF_ERROR(Apply(valve_->SetIdle(input, true)));
  return Status::OK();
}

Status SourceTask::EmitRows(size_t index, StreamState& stream, Batch physical) {
  SplitState& split = splits_[index];
  if (options_.rows_read) {
    options_.rows_read->fetch_add(physical.num_rows(), std::memory_order_relaxed);
  }
  if (options_.max_rows_per_second > 0) {
    if (rate_rows_ == 0) rate_start_ = Clock::now();
    rate_rows_ += physical.num_rows();
  }
  // The stream and split have rows again: they are active before the rows are sent.
  SLUICE_RETURN_IF_ERROR(ApplySplit(index, split.streams_valve->OnData(stream.input)));
  SLUICE_RETURN_IF_ERROR(Apply(valve_->OnData(static_cast<int>(index))));
  auto full = rows_->Build(std::move(physical));
  if (!full.ok()) return InSplit(index, full.status());
  Batch rows = std::move(full).value();
  SLUICE_RETURN_IF_ERROR(InSplit(index, stream.watermarks->Plan(rows, &cuts_)));
  if (cuts_.size() == 1) {
    SLUICE_RETURN_IF_ERROR(chain_->Process(std::move(rows)));
    return ApplySplit(index, split.streams_valve->OnWatermark(stream.input, cuts_[0].watermark));
  }
  size_t begin = 0;
  for (const WatermarkGenerator::Cut& cut : cuts_) {
    if (cut.end > begin)
      SLUICE_RETURN_IF_ERROR(chain_->Process(rows.Slice(begin, cut.end - begin)));
    begin = cut.end;
    SLUICE_RETURN_IF_ERROR(
        ApplySplit(index, split.streams_valve->OnWatermark(stream.input, cut.watermark)));
  }
  return Status::OK();
}

Status SourceTask::PollSplit(size_t index, bool* progressed) {
  SplitState& split = splits_[index];
  SplitReader& reader = *split.input.reader;
  bool end = false;
  auto polled = reader.Poll(options_.batch_size, &end);
  if (!polled.ok()) return InSplit(index, polled.status());
  Batch batch = std::move(polled).value();
  const auto now = Clock::now();
  int64_t added = 0;
  while (reader.TakeAddedStream(&added)) {
    SLUICE_RETURN_IF_ERROR(Stream(index, added).status());
  }
  StreamState* stream = nullptr;
  if (batch.num_rows() > 0) {
    *progressed = true;
    split.last_active = now;
    SLUICE_ASSIGN_OR_RETURN(stream, Stream(index, reader.LastPollStream()));
    stream->last_active = now;
    SLUICE_RETURN_IF_ERROR(EmitRows(index, *stream, std::move(batch)));
  }
  int64_t explicit_watermark = 0;
  while (reader.TakeWatermark(&explicit_watermark)) {
    *progressed = true;
    split.last_active = now;
    if (!stream) {
      SLUICE_ASSIGN_OR_RETURN(stream, Stream(index, reader.LastPollStream()));
    }
    stream->last_active = now;
    stream->watermarks->AdvanceTo(explicit_watermark);
    SLUICE_RETURN_IF_ERROR(ApplySplit(
        index, split.streams_valve->OnWatermark(stream->input, stream->watermarks->current())));
  }
  int64_t ended = 0;
  while (reader.TakeEndedStream(&ended)) {
    auto it = split.streams.find(ended);
    if (it == split.streams.end()) continue;
    const int input = it->second.input;
    split.streams.erase(it);
    SLUICE_RETURN_IF_ERROR(ApplySplit(index, split.streams_valve->OnEnd(input)));
    // Nothing left to read on this split for now (its partitions went elsewhere): it must not
    // hold the task's watermark back.
    if (split.streams_valve->num_live() == 0 && !end) {
      SLUICE_RETURN_IF_ERROR(Apply(valve_->SetIdle(static_cast<int>(index), true)));
    }
  }
  if (end) {
    if (options_.checkpointing.listener) {
      SLUICE_RETURN_IF_ERROR(InSplit(index, reader.SnapshotPositions(&split.final_positions)));
    }
    split.open = false;
    SLUICE_RETURN_IF_ERROR(InSplit(index, reader.Close()));
    SLUICE_RETURN_IF_ERROR(Apply(valve_->OnEnd(static_cast<int>(index))));
  }
  return Status::OK();
}

Status SourceTask::CheckIdle(Clock::time_point now) {
  if (options_.idle_timeout_micros <= 0) return Status::OK();
  const auto timeout = std::chrono::microseconds(options_.idle_timeout_micros);
  for (size_t i = 0; i < splits_.size(); ++i) {
    const int input = static_cast<int>(i);
    if (valve_->IsEnded(input)) continue;
    SplitState& split = splits_[i];
    for (auto& [id, stream] : split.streams) {
      if (split.streams_valve->IsIdle(stream.input)) continue;
      if (now - stream.last_active > timeout) {
        SLUICE_RETURN_IF_ERROR(ApplySplit(i, split.streams_valve->SetIdle(stream.input, true)));
      }
    }
    // A split that never had a stream (a reader without partitions) idles by the same clock.
    if (split.streams_valve->num_live() == 0 && !valve_->IsIdle(input) &&
        now - split.last_active > timeout) {
      SLUICE_RETURN_IF_ERROR(Apply(valve_->SetIdle(input, true)));
    }
  }
  return Status::OK();
}

Status SourceTask::Loop(RunControl& control) {
  SLUICE_RETURN_IF_ERROR(chain_->Open());
  if (options_.restore) {
    SLUICE_RETURN_IF_ERROR(chain_->Restore(*options_.restore));
    MarkRestored(*options_.restore);
  }
  const auto start = Clock::now();
  for (size_t i = 0; i < splits_.size(); ++i) {
    if (options_.restore) {
      SLUICE_RETURN_IF_ERROR(
          InSplit(i, splits_[i].input.reader->RestorePositions(options_.restore->positions)));
    }
    SLUICE_RETURN_IF_ERROR(InSplit(i, splits_[i].input.reader->Open()));
    splits_[i].open = true;
    splits_[i].last_active = start;
  }
  auto backoff = kMinBackoff;
  while (!valve_->AllEnded()) {
    if (control.stop_requested()) return Status::Cancelled(name_ + " cancelled");
    if (control.drain_requested()) break;
    if (options_.checkpointing.listener) {
      bool stopped = false;
      SLUICE_RETURN_IF_ERROR(MaybeTakeBarrier(&stopped));
      if (stopped) {
        // Stop with savepoint: nothing may follow the barrier; the job stops every task once
        // the savepoint is complete.
        while (!control.stop_requested()) control.SleepFor(kMaxBackoff);
        return Status::Cancelled(name_ + " stopped after a savepoint");
      }
    }
    bool progressed = false;
    for (size_t i = 0; i < splits_.size(); ++i) {
      if (!valve_->IsEnded(static_cast<int>(i))) SLUICE_RETURN_IF_ERROR(PollSplit(i, &progressed));
    }
    const auto now = Clock::now();
    SLUICE_RETURN_IF_ERROR(CheckIdle(now));
    SLUICE_RETURN_IF_ERROR(chain_->OnTimer(now));
    if (options_.max_rows_per_second > 0 && rate_rows_ > 0) {
      // Sleep until the rows emitted so far are within the rate (checked per poll round).
      const auto due = rate_start_ + std::chrono::microseconds(static_cast<int64_t>(
                                         rate_rows_ * 1e6 / options_.max_rows_per_second));
      if (due > now)
        control.SleepFor(std::chrono::duration_cast<std::chrono::microseconds>(
            std::min<Clock::duration>(due - now, std::chrono::milliseconds(100))));
    }
    if (progressed) {
      backoff = kMinBackoff;
    } else if (!valve_->AllEnded()) {
      control.SleepFor(backoff);
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
  }
  if (control.stop_requested()) return Status::Cancelled(name_ + " cancelled");
  if (options_.checkpointing.listener) {
    // A drain ends splits early: their final snapshot is where they stopped.
    for (size_t i = 0; i < splits_.size(); ++i) {
      if (!splits_[i].open) continue;
      SLUICE_RETURN_IF_ERROR(
          InSplit(i, splits_[i].input.reader->SnapshotPositions(&splits_[i].final_positions)));
    }
  }
  CloseReaders();
  // End of input (or a drain): nothing more will come, so every window may fire.
  SLUICE_RETURN_IF_ERROR(chain_->AdvanceWatermark(kMaxWatermark));
  SLUICE_RETURN_IF_ERROR(chain_->Finish());
  if (!options_.checkpointing.listener) return Status::OK();
  TaskSnapshot final_snapshot;
  final_snapshot.finished = true;
  SLUICE_RETURN_IF_ERROR(Snapshot(&final_snapshot));
  SLUICE_RETURN_IF_ERROR(chain_->SnapshotFinal(&final_snapshot));
  options_.checkpointing.listener->TaskFinished(options_.checkpointing.task_index,
                                                std::move(final_snapshot));
  return Status::OK();
}

}  // namespace sluice
