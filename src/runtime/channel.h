#pragma once
// Channel: the bounded queue in front of one task instance. Several producers (upstream task
// instances, each tagged by its producer index in the Message) push; the owning task pops.
//
// Each producer has its own FIFO lane with its own capacity; Pop() takes the oldest message
// (arrival order) among the lanes that are not blocked. Checkpoint alignment blocks the lane of a
// producer whose barrier arrived until every producer's barrier did (docs/design/checkpoints.md
// §1.1). The capacity is per lane because with one shared capacity the blocked lanes could fill
// the channel so that producers whose barrier is still missing could never push it: a deadlock.
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
#include <utility>
#include <vector>

#include "common/status.h"
#include "runtime/message.h"

namespace sluice {

/// Messages a lane holds before its producer blocks. Default: 8 (about 32k rows at 4096 per batch).
constexpr size_t kDefaultChannelCapacity = 8;

enum class PopResult : uint8_t { kMessage, kTimeout, kCancelled };

class Channel {
 public:
  /// `capacity` messages per producer lane.
  Channel(size_t capacity, int num_producers);
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  /// Appends `message` to its producer's lane, waiting while that lane is full. Cancelled once
  /// Cancel() was called.
  Status Push(Message message);
  /// Takes the oldest message of an unblocked lane, waiting up to `timeout` for one.
  PopResult Pop(Message* out, std::chrono::microseconds timeout);
  /// Consumer thread only: Pop() skips `producer`'s lane until UnblockAll() (its producer may go
  /// on pushing until the lane is full).
  void Block(int producer);
  void UnblockAll();
  /// Wakes all waiters; every later Push/Pop fails.
  void Cancel();

  int num_producers() const { return num_producers_; }
  size_t capacity() const { return capacity_; }
  /// Messages queued now (for tests and metrics; racy by nature).
  size_t size() const;

 private:
  struct Lane {
    std::deque<std::pair<uint64_t, Message>> queue;  // (arrival sequence, message)
    bool blocked = false;
  };
  /// Index of the lane holding the oldest poppable message, or -1. Mutex held.
  int OldestUnblocked() const;

  const size_t capacity_;
  const int num_producers_;
  mutable std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::vector<Lane> lanes_;
  uint64_t next_sequence_ = 0;
  size_t queued_ = 0;
  bool cancelled_ = false;
};

}  // namespace sluice
