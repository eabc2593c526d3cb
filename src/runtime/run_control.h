#pragma once
// RunControl: the stop signals every task of a job watches.
//
//   drain  sources stop reading and end as if bounded (final watermark fires every window,
//          sinks flush); the rest of the job finishes normally. Used for Ctrl-C.
//   stop   everything stops now: tasks return kCancelled at their next check, channels are
//          cancelled by the TaskGroup so no task stays blocked.
//
// Thread-safe: set from any thread, read by every task. Not async-signal-safe (it locks): a
// signal handler should hand over to a normal thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace sluice {

class RunControl {
 public:
  void RequestDrain();
  void RequestStop();
  bool drain_requested() const { return drain_.load(std::memory_order_acquire); }
  bool stop_requested() const { return stop_.load(std::memory_order_acquire); }

  /// Sleeps up to `duration`; returns early when drain or stop is requested.
  void SleepFor(std::chrono::microseconds duration);

 private:
  std::atomic<bool> drain_{false};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
};

}  // namespace sluice
