#include "runtime/channel.h"

#include <string>

namespace sluice {

Channel::Channel(size_t capacity, int num_producers)
    : capacity_(capacity == 0 ? 1 : capacity),
      num_producers_(num_producers),
      lanes_(num_producers > 0 ? num_producers : 0) {}

Status Channel::Push(Message message) {
  if (message.producer < 0 || message.producer >= num_producers_) {
    return Status::Internal("channel: message from unknown producer " +
                            std::to_string(message.producer));
  }
  std::unique_lock<std::mutex> lock(mutex_);
  Lane& lane = lanes_[message.producer];
  not_full_.wait(lock, [&] { return cancelled_ || lane.queue.size() < capacity_; });
  if (cancelled_) return Status::Cancelled("channel cancelled");
  const bool wake = !lane.blocked;
  lane.queue.emplace_back(next_sequence_++, std::move(message));
  ++queued_;
  lock.unlock();
  if (wake) not_empty_.notify_one();
  return Status::OK();
}

int Channel::OldestUnblocked() const {
  int best = -1;
  uint64_t best_sequence = 0;
  for (size_t i = 0; i < lanes_.size(); ++i) {
    const Lane& lane = lanes_[i];
    if (lane.blocked || lane.queue.empty()) continue;
    if (best < 0 || lane.queue.front().first < best_sequence) {
      best = static_cast<int>(i);
      best_sequence = lane.queue.front().first;
    }
  }
  return best;
}

PopResult Channel::Pop(Message* out, std::chrono::microseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  int lane = -1;
  if (!not_empty_.wait_for(lock, timeout, [&] {
        if (cancelled_) return true;
        lane = OldestUnblocked();
        return lane >= 0;
      })) {
    return PopResult::kTimeout;
  }
  if (cancelled_) return PopResult::kCancelled;
  *out = std::move(lanes_[lane].queue.front().second);
  lanes_[lane].queue.pop_front();
  --queued_;
  lock.unlock();
  // Producers wait per lane, on one condition variable: wake them all (there are few).
  not_full_.notify_all();
  return PopResult::kMessage;
}

void Channel::Block(int producer) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (producer >= 0 && producer < num_producers_) lanes_[producer].blocked = true;
}

void Channel::UnblockAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (Lane& lane : lanes_) lane.blocked = false;
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
  return queued_;
}

}  // namespace sluice
