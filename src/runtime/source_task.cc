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
    SLUICE_ASSIGN_OR_RETURN(state.watermarks,
                            WatermarkGenerator::Create(*table, options.eval_context));
    task->splits_.push_back(std::move(state));
  }
  task->valve_ = std::make_unique<WatermarkValve>(static_cast<int>(task->splits_.size()));
  task->table_ = std::move(table);
  task->chain_ = std::move(chain);
  if (options.batch_size == 0) options.batch_size = 1;
  task->options_ = std::move(options);
  return task;
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

Status SourceTask::EmitRows(size_t index, Batch physical) {
  SplitState& split = splits_[index];
  const int input = static_cast<int>(index);
  if (options_.rows_read) {
    options_.rows_read->fetch_add(physical.num_rows(), std::memory_order_relaxed);
  }
  // The split has rows again: it is active before they are sent.
  SLUICE_RETURN_IF_ERROR(Apply(valve_->OnData(input)));
  auto full = rows_->Build(std::move(physical));
  if (!full.ok()) return InSplit(index, full.status());
  Batch rows = std::move(full).value();
  SLUICE_RETURN_IF_ERROR(InSplit(index, split.watermarks->Plan(rows, &cuts_)));
  if (cuts_.size() == 1) {
    SLUICE_RETURN_IF_ERROR(chain_->Process(std::move(rows)));
    return Apply(valve_->OnWatermark(input, cuts_[0].watermark));
  }
  size_t begin = 0;
  for (const WatermarkGenerator::Cut& cut : cuts_) {
    if (cut.end > begin)
      SLUICE_RETURN_IF_ERROR(chain_->Process(rows.Slice(begin, cut.end - begin)));
    begin = cut.end;
    SLUICE_RETURN_IF_ERROR(Apply(valve_->OnWatermark(input, cut.watermark)));
  }
  return Status::OK();
}

Status SourceTask::PollSplit(size_t index, bool* progressed) {
  SplitState& split = splits_[index];
  const int input = static_cast<int>(index);
  bool end = false;
  auto polled = split.input.reader->Poll(options_.batch_size, &end);
  if (!polled.ok()) return InSplit(index, polled.status());
  Batch batch = std::move(polled).value();
  if (batch.num_rows() > 0) {
    *progressed = true;
    split.last_active = std::chrono::steady_clock::now();
    SLUICE_RETURN_IF_ERROR(EmitRows(index, std::move(batch)));
  }
  int64_t explicit_watermark = 0;
  while (split.input.reader->TakeWatermark(&explicit_watermark)) {
    *progressed = true;
    split.last_active = std::chrono::steady_clock::now();
    split.watermarks->AdvanceTo(explicit_watermark);
    SLUICE_RETURN_IF_ERROR(Apply(valve_->OnWatermark(input, split.watermarks->current())));
  }
  if (end) {
    split.open = false;
    SLUICE_RETURN_IF_ERROR(InSplit(index, split.input.reader->Close()));
    SLUICE_RETURN_IF_ERROR(Apply(valve_->OnEnd(input)));
  }
  return Status::OK();
}

Status SourceTask::CheckIdle(std::chrono::steady_clock::time_point now) {
  if (options_.idle_timeout_micros <= 0) return Status::OK();
  const auto timeout = std::chrono::microseconds(options_.idle_timeout_micros);
  for (size_t i = 0; i < splits_.size(); ++i) {
    const int input = static_cast<int>(i);
    if (valve_->IsEnded(input) || valve_->IsIdle(input)) continue;
    if (now - splits_[i].last_active > timeout) {
      SLUICE_RETURN_IF_ERROR(Apply(valve_->SetIdle(input, true)));
    }
  }
  return Status::OK();
}

Status SourceTask::Loop(RunControl& control) {
  SLUICE_RETURN_IF_ERROR(chain_->Open());
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < splits_.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(InSplit(i, splits_[i].input.reader->Open()));
    splits_[i].open = true;
    splits_[i].last_active = start;
  }
  auto backoff = kMinBackoff;
  while (!valve_->AllEnded()) {
    if (control.stop_requested()) return Status::Cancelled(name_ + " cancelled");
    if (control.drain_requested()) break;
    bool progressed = false;
    for (size_t i = 0; i < splits_.size(); ++i) {
      if (!valve_->IsEnded(static_cast<int>(i))) SLUICE_RETURN_IF_ERROR(PollSplit(i, &progressed));
    }
    const auto now = std::chrono::steady_clock::now();
    SLUICE_RETURN_IF_ERROR(CheckIdle(now));
    SLUICE_RETURN_IF_ERROR(chain_->OnTimer(now));
    if (progressed) {
      backoff = kMinBackoff;
    } else if (!valve_->AllEnded()) {
      control.SleepFor(backoff);
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
  }
  if (control.stop_requested()) return Status::Cancelled(name_ + " cancelled");
  CloseReaders();
  // End of input (or a drain): nothing more will come, so every window may fire.
  SLUICE_RETURN_IF_ERROR(chain_->AdvanceWatermark(kMaxWatermark));
  return chain_->Finish();
}

}  // namespace sluice
