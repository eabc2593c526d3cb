#pragma once
// ExchangeOutput: a task's connection to the channels of the next stage's instances.
//
//   forward    one channel (instance i feeds instance i; also a global exchange into a single
//              instance)
//   hash       each row goes to the instance its key hashes to, so every row of a key meets the
//              same instance of a keyed operator; rows are gathered per target, one push each
//   rebalance  whole batches round-robin over the instances
// Watermarks, status changes and End go to every channel (broadcast), tagged with this
// producer's index so each consumer tracks each producer separately.
//
// Called only from the producing task's thread; the channels are shared with other producers.

#include <memory>
#include <vector>

#include "runtime/channel.h"
#include "runtime/task_output.h"

namespace sluice {

class ExchangeOutput : public TaskOutput {
 public:
  /// `producer_indices[i]` is this producer's index in `channels[i]`.
  static std::unique_ptr<ExchangeOutput> Forward(Channel* channel, int producer_index);
  static std::unique_ptr<ExchangeOutput> Hash(std::vector<Channel*> channels,
                                              std::vector<int> producer_indices,
                                              std::vector<int> key_columns);
  static std::unique_ptr<ExchangeOutput> Rebalance(std::vector<Channel*> channels,
                                                   std::vector<int> producer_indices);

  Status EmitWatermark(int64_t watermark) override;
  Status EmitStatus(bool idle) override;
  Status EmitEnd() override;
  Status EmitBarrier(const Barrier& barrier, TaskSnapshot* snapshot) override;

 protected:
  ExchangeOutput(std::vector<Channel*> channels, std::vector<int> producer_indices);
  Status Send(size_t target, Batch batch);

  std::vector<Channel*> channels_;
  std::vector<int> producer_indices_;
};

/// Instance a row with key hash `hash` goes to among `instances`. Uses the high bits of the
/// hash, because keyed operators index their hash tables with the low bits: taking the modulo of
/// the low bits would leave most slots of each instance's table unused.
inline size_t HashTarget(uint64_t hash, size_t instances) {
  return static_cast<size_t>(((hash >> 32) * instances) >> 32);
}

}  // namespace sluice
