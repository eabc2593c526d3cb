#include "runtime/operator_task.h"

namespace sluice {

namespace {
// How long a task waits for a message before running its timers (sink flushes) again.
constexpr std::chrono::microseconds kPollInterval{50'000};
}  // namespace

OperatorTask::OperatorTask(std::string name, Channel* input, std::unique_ptr<OperatorChain> chain,
                           TaskCheckpointing checkpointing,
                           std::shared_ptr<const TaskRestore> restore)
    : name_(std::move(name)),
      input_(input),
      chain_(std::move(chain)),
      valve_(input->num_producers()),
      checkpointing_(checkpointing),
      restore_(std::move(restore)) {}

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
      SLUICE_RETURN_IF_ERROR(Apply(valve_.OnEnd(producer)));
      return MaybeCompleteAlignment();
    case MessageKind::kBarrier:
      return OnBarrier(producer, message.barrier);
  }
  return Status::OK();
}

Status OperatorTask::OnBarrier(int producer, const Barrier& barrier) {
  if (!checkpointing_.listener) {
    return Status::Internal(name_ + ": checkpoint barrier in a job without checkpoints");
  }
  if (!aligning_) {
    aligning_ = barrier;
    barrier_seen_.assign(valve_.num_inputs(), 0);
  } else if (aligning_->id != barrier.id) {
    // Producers emit every barrier in order and a lane is blocked after its barrier, so a
    // different id during an alignment means a broken producer.
    return Status::Internal(name_ + ": barrier " + std::to_string(barrier.id) +
                            " arrived while aligning barrier " + std::to_string(aligning_->id));
  }
  barrier_seen_[producer] = 1;
  input_->Block(producer);
  return MaybeCompleteAlignment();
}

Status OperatorTask::MaybeCompleteAlignment() {
  if (!aligning_) return Status::OK();
  for (int p = 0; p < valve_.num_inputs(); ++p) {
    if (!barrier_seen_[p] && !valve_.IsEnded(p)) return Status::OK();
  }
  const Barrier barrier = *aligning_;
  aligning_.reset();
  TaskSnapshot snapshot;
  snapshot.id = barrier.id;
  std::vector<int64_t> inputs(valve_.num_inputs());
  for (int p = 0; p < valve_.num_inputs(); ++p) inputs[p] = valve_.InputWatermark(p);
  snapshot.task_state = EncodeTaskState(chain_->watermark(), inputs);
  Status status = chain_->SnapshotAndForward(barrier, &snapshot);
  if (!status.ok()) {
    return status.WithContext("checkpoint " + std::to_string(barrier.id) + " of " + name_);
  }
  checkpointing_.listener->Acknowledge(checkpointing_.task_index, std::move(snapshot));
  input_->UnblockAll();
  return Status::OK();
}

Status OperatorTask::Loop(RunControl& control) {
  SLUICE_RETURN_IF_ERROR(chain_->Open());
  if (restore_) {
    SLUICE_RETURN_IF_ERROR(chain_->Restore(*restore_));
    if (static_cast<int>(restore_->input_watermarks.size()) == valve_.num_inputs()) {
      for (int p = 0; p < valve_.num_inputs(); ++p) {
        valve_.RestoreInput(p, restore_->input_watermarks[p]);
      }
    }
    MarkRestored(*restore_);
  }
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
  SLUICE_RETURN_IF_ERROR(chain_->Finish());
  if (!checkpointing_.listener) return Status::OK();
  TaskSnapshot final_snapshot;
  final_snapshot.finished = true;
  final_snapshot.task_state = EncodeTaskState(chain_->watermark(), {});
  SLUICE_RETURN_IF_ERROR(chain_->SnapshotFinal(&final_snapshot));
  checkpointing_.listener->TaskFinished(checkpointing_.task_index, std::move(final_snapshot));
  return Status::OK();
}

}  // namespace sluice
