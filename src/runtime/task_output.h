#pragma once
// TaskOutput: where the last operator of a task's chain sends its rows, plus the control signals
// the runtime forwards after them (watermarks, idleness, end of stream). Implementations route to
// the channels of the next stage (exchange_output.h), to several edges at once (fan_out_output.h)
// or into a sink writer (sink_output.h).
//
// Called only from the owning task's thread, in stream order.

#include <chrono>
#include <cstdint>

#include "runtime/operator.h"
#include "runtime/task_snapshot.h"

namespace sluice {

using SteadyTime = std::chrono::steady_clock::time_point;

class TaskOutput : public Collector {
 public:
  /// Called once on the task thread before anything else (a sink opens its writer here).
  virtual Status Open() { return Status::OK(); }
  /// The task's watermark advanced (monotonic): sent to every downstream instance.
  virtual Status EmitWatermark(int64_t watermark) = 0;
  /// The task became idle (true) or active again (false): sent to every downstream instance.
  virtual Status EmitStatus(bool idle) = 0;
  /// The task's input ended and its chain finished: nothing follows.
  virtual Status EmitEnd() = 0;
  /// Checkpoint barrier, after every row and watermark before it: sent to every downstream
  /// instance; a sink pre-commits its epoch into `snapshot->committable`.
  virtual Status EmitBarrier(const Barrier& barrier, TaskSnapshot* snapshot) = 0;
  /// After EmitEnd(), for the task's final snapshot: a sink adds the committable of the epoch it
  /// pre-committed at the end of input.
  virtual void AddFinalState(TaskSnapshot* snapshot) {}
  /// Called between messages and while waiting, for wall-clock work (periodic sink flushes).
  virtual Status OnTimer(SteadyTime now) { return Status::OK(); }
  /// The task stops early (cancellation or error): release resources, deliver nothing more.
  virtual void Abort() {}
};

}  // namespace sluice
