#include "runtime/run_control.h"

namespace sluice {

void RunControl::RequestDrain() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    drain_.store(true, std::memory_order_release);
  }
  wake_.notify_all();
}

void RunControl::RequestStop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true, std::memory_order_release);
  }
  wake_.notify_all();
}

void RunControl::SleepFor(std::chrono::microseconds duration) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, duration, [&] { return drain_requested() || stop_requested(); });
}

}  // namespace sluice
