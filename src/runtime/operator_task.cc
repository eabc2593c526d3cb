#include "runtime/operator_task.h"

namespace sluice {

namespace {
// How long a task waits for a message before running its timers (sink flushes) again.
constexpr std::chrono::microseconds kPollInterval{50'000};
}  // namespace

OperatorTask::OperatorTask(std::string name, Channel* input, std::unique_ptr<OperatorChain> chain)
    : name_(std::move(name)),
      input_(input),
      chain_(std::move(chain)),
      valve_(input->num_producers()) {}

Status OperatorTask::Run(RunControl& control) {
  Status status = Loop(control);
  if (!status.ok()) chain_->Abort();
  return status;
}

Status OperatorTask::Apply(const WatermarkValve::Update& update) {
  if (update.became_active) SLUICE_RETURN_IF_ERROR(chain_->SetIdle(false));
  if (update.watermark) SLUICE_RETURN_IF_ERROR(chain_->AdvanceWatermark(*update.watermark));
  if (update.became_idle) SLUICE_RETURN_IF_ERROR(chain_->SetIdle(true));
  return Status::OK();
}

Status OperatorTask::Handle(Message message) {
  const int producer = message.producer;
  if (producer < 0 || producer >= valve_.num_inputs()) {
    return Status::Internal(name_ + ": message from unknown producer " + std::to_string(producer));
  }
  switch (message.kind) {
    case MessageKind::kBatch:
      SLUICE_RETURN_IF_ERROR(Apply(valve_.OnData(producer)));
      return chain_->Process(std::move(message.batch));
    case MessageKind::kWatermark:
      return Apply(valve_.OnWatermark(producer, message.watermark));
    case MessageKind::kIdle:
      return Apply(valve_.SetIdle(producer, true));
    case MessageKind::kActive:
      return Apply(valve_.SetIdle(producer, false));
    case MessageKind::kEnd:
      return Apply(valve_.OnEnd(producer));
    case MessageKind::kBarrier:
      return Status::Internal(name_ + ": checkpoint barriers are not handled yet");
  }
  return Status::OK();
}

Status OperatorTask::Loop(RunControl& control) {
  SLUICE_RETURN_IF_ERROR(chain_->Open());
  while (!valve_.AllEnded()) {
    if (control.stop_requested()) return Status::Cancelled(name_ + " cancelled");
    Message message;
    PopResult result = input_->Pop(&message, kPollInterval);
    if (result == PopResult::kCancelled) return Status::Cancelled(name_ + " cancelled");
    if (result == PopResult::kMessage) SLUICE_RETURN_IF_ERROR(Handle(std::move(message)));
    SLUICE_RETURN_IF_ERROR(chain_->OnTimer(std::chrono::steady_clock::now()));
  }
  // Every producer ended: nothing can be late any more, so fire everything still open.
  SLUICE_RETURN_IF_ERROR(chain_->AdvanceWatermark(kMaxWatermark));
  return chain_->Finish();
}

}  // namespace sluice
