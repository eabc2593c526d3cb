#pragma once
// OperatorTask: a task fed by a channel — the instance of a stage that starts after an exchange
// (keyed operators, a sink with fewer writers, the consumer of a union or of a shared node).
//
// It pops messages from its one input channel in order, tracks every producer's watermark and
// idleness (WatermarkValve), and drives its OperatorChain: batches go to Process(), the combined
// watermark to AdvanceWatermark() whenever it advances, status changes to SetIdle(). When every
// producer has ended it advances to the final watermark, finishes the chain (which emits End
// downstream) and returns. Runs on its own thread; see task.h.

#include <memory>
#include <string>

#include "runtime/channel.h"
#include "runtime/operator_chain.h"
#include "runtime/task.h"
#include "runtime/watermark_valve.h"

namespace sluice {

class OperatorTask : public Task {
 public:
  OperatorTask(std::string name, Channel* input, std::unique_ptr<OperatorChain> chain);

  std::string Name() const override { return name_; }
  Status Run(RunControl& control) override;

 private:
  Status Loop(RunControl& control);
  Status Apply(const WatermarkValve::Update& update);
  Status Handle(Message message);

  std::string name_;
  Channel* input_;
  std::unique_ptr<OperatorChain> chain_;
  WatermarkValve valve_;
};

}  // namespace sluice
