#include "runtime/channel.h"

namespace sluice {

Channel::Channel(size_t capacity, int num_producers)
    : capacity_(capacity == 0 ? 1 : capacity), num_producers_(num_producers) {}

Status Channel::Push(Message message) {
  std::unique_lock<std::mutex> lock(mutex_);
  not_full_.wait(lock, [&] { return cancelled_ || queue_.size() < capacity_; });
  if (cancelled_) return Status::Cancelled("channel cancelled");
  queue_.push_back(std::move(message));
  lock.unlock();
  not_empty_.notify_one();
  return Status::OK();
}

PopResult Channel::Pop(Message* out, std::chrono::microseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!not_empty_.wait_for(lock, timeout, [&] { return cancelled_ || !queue_.empty(); })) {
    return PopResult::kTimeout;
  }
  if (cancelled_) return PopResult::kCancelled;
  *out = std::move(queue_.front());
  queue_.pop_front();
  lock.unlock();
  not_full_.notify_one();
  return PopResult::kMessage;
}

void Channel::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cancelled_ = true;
  }
  not_empty_.notify_all();
  not_full_.notify_all();
}

size_t Channel::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

}  // namespace sluice
