#pragma once
// FanOutOutput: sends everything a task emits to several outputs — the edges out of a node with
// several consumers (a source shared by the INSERTs of a statement set).
//
// Batches are copied by sharing their columns (columns are immutable once built), so fanning out
// costs no row copies. Called only from the owning task's thread.

#include <memory>
#include <vector>

#include "runtime/task_output.h"

namespace sluice {

class FanOutOutput : public TaskOutput {
 public:
  explicit FanOutOutput(std::vector<std::unique_ptr<TaskOutput>> outputs);

  Status Open() override;
  Status Collect(Batch batch) override;
  Status EmitWatermark(int64_t watermark) override;
  Status EmitStatus(bool idle) override;
  Status EmitEnd() override;
  Status EmitBarrier(const Barrier& barrier, TaskSnapshot* snapshot) override;
  void AddFinalState(TaskSnapshot* snapshot) override;
  Status OnTimer(SteadyTime now) override;
  void Abort() override;

 private:
  std::vector<std::unique_ptr<TaskOutput>> outputs_;
};

}  // namespace sluice
