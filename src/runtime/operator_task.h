#pragma once
// OperatorTask: a task fed by a channel — the instance of a stage that starts after an exchange
// (keyed operators, a sink with fewer writers, the consumer of a union or of a shared node).
//
// It pops messages from its one input channel in order, tracks every producer's watermark and
// idleness (WatermarkValve), and drives its OperatorChain: batches go to Process(), the combined
// watermark to AdvanceWatermark() whenever it advances, status changes to SetIdle(). When every
// producer has ended it advances to the final watermark, finishes the chain (which emits End
// downstream) and returns. Runs on its own thread; see task.h.
//
// Checkpoints: a barrier from one producer blocks that producer's lane until the same barrier
// arrived from every producer still running (alignment; a producer that ended counts as
// aligned). Then the task saves its valve and chain, forwards the barrier, acknowledges, and
// unblocks the lanes. When its input ends it sends its final snapshot.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/channel.h"
#include "runtime/operator_chain.h"
#include "runtime/task.h"
#include "runtime/task_snapshot.h"
#include "runtime/watermark_valve.h"

namespace sluice {

class OperatorTask : public Task {
 public:
  OperatorTask(std::string name, Channel* input, std::unique_ptr<OperatorChain> chain,
               TaskCheckpointing checkpointing = {},
               std::shared_ptr<const TaskRestore> restore = nullptr);

  std::string Name() const override { return name_; }
  Status Run(RunControl& control) override;

 private:
  Status Loop(RunControl& control);
  Status Apply(const WatermarkValve::Update& update);
  Status Handle(Message message);
  Status OnBarrier(int producer, const Barrier& barrier);
  /// Completes the alignment in progress once every live producer delivered its barrier.
  Status MaybeCompleteAlignment();

  std::string name_;
  Channel* input_;
  std::unique_ptr<OperatorChain> chain_;
  WatermarkValve valve_;
  TaskCheckpointing checkpointing_;
  std::shared_ptr<const TaskRestore> restore_;
  std::optional<Barrier> aligning_;
  std::vector<uint8_t> barrier_seen_;  // per producer, for aligning_
};

}  // namespace sluice
