#pragma once
// Channel: the bounded queue in front of one task instance. Several producers (upstream task
// instances, each tagged by its producer index in the Message) push; the owning task pops.
//
// Threading: Push() may be called from any number of threads, Pop() from the consumer only.
// A full channel blocks Push() — that is the backpressure that slows sources down to the pace of
// the slowest consumer. Cancel() (any thread) wakes every waiter for good: pushes and pops then
// fail with kCancelled, so a cancelled job never hangs on a channel.
//
// A mutex and condition variables over whole messages are enough: a message is a batch of
// thousands of rows, so the lock costs nanoseconds per row at most.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

#include "common/status.h"
#include "runtime/message.h"

namespace sluice {

/// Messages a channel holds before producers block. Default: 8 (about 32k rows at 4096 per batch).
constexpr size_t kDefaultChannelCapacity = 8;

enum class PopResult : uint8_t { kMessage, kTimeout, kCancelled };

class Channel {
 public:
  Channel(size_t capacity, int num_producers);
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  /// Appends `message`, waiting while the channel is full. Cancelled once Cancel() was called.
  Status Push(Message message);
  /// Takes the oldest message, waiting up to `timeout` for one.
  PopResult Pop(Message* out, std::chrono::microseconds timeout);
  /// Wakes all waiters; every later Push/Pop fails.
  void Cancel();

  int num_producers() const { return num_producers_; }
  size_t capacity() const { return capacity_; }
  /// Messages queued now (for tests and metrics; racy by nature).
  size_t size() const;

 private:
  const size_t capacity_;
  const int num_producers_;
  mutable std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<Message> queue_;
  bool cancelled_ = false;
};

}  // namespace sluice
