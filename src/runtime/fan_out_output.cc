#include "runtime/fan_out_output.h"

namespace sluice {

FanOutOutput::FanOutOutput(std::vector<std::unique_ptr<TaskOutput>> outputs)
    : outputs_(std::move(outputs)) {}

Status FanOutOutput::Open() {
  for (auto& out : outputs_) SLUICE_RETURN_IF_ERROR(out->Open());
  return Status::OK();
}

Status FanOutOutput::Collect(Batch batch) {
  if (batch.num_rows() == 0 || outputs_.empty()) return Status::OK();
  for (size_t i = 0; i + 1 < outputs_.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(outputs_[i]->Collect(batch));
  }
  return outputs_.back()->Collect(std::move(batch));
}

Status FanOutOutput::EmitWatermark(int64_t watermark) {
  for (auto& out : outputs_) SLUICE_RETURN_IF_ERROR(out->EmitWatermark(watermark));
  return Status::OK();
}

Status FanOutOutput::EmitStatus(bool idle) {
  for (auto& out : outputs_) SLUICE_RETURN_IF_ERROR(out->EmitStatus(idle));
  return Status::OK();
}

Status FanOutOutput::EmitEnd() {
  for (auto& out : outputs_) SLUICE_RETURN_IF_ERROR(out->EmitEnd());
  return Status::OK();
}

Status FanOutOutput::EmitBarrier(const Barrier& barrier, TaskSnapshot* snapshot) {
  for (auto& out : outputs_) SLUICE_RETURN_IF_ERROR(out->EmitBarrier(barrier, snapshot));
  return Status::OK();
}

void FanOutOutput::AddFinalState(TaskSnapshot* snapshot) {
  for (auto& out : outputs_) out->AddFinalState(snapshot);
}

Status FanOutOutput::OnTimer(SteadyTime now) {
  for (auto& out : outputs_) SLUICE_RETURN_IF_ERROR(out->OnTimer(now));
  return Status::OK();
}

void FanOutOutput::Abort() {
  for (auto& out : outputs_) out->Abort();
}

}  // namespace sluice
