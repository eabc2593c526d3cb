#pragma once
// RateLimiter: paces a generator split to a number of rows per second without ever blocking a
// Poll() for long. Rows not emitted on time (a slow consumer) are caught up for at most one
// second's worth, so a stall does not turn into a burst.

#include <chrono>
#include <cstddef>

#include "common/status.h"
#include "exec/plan/table_def.h"

namespace sluice {

class RateLimiter {
 public:
  /// rows_per_second <= 0: unlimited.
  explicit RateLimiter(double rows_per_second) : rate_(rows_per_second) {}

  bool unlimited() const { return rate_ <= 0; }
  /// How many of `wanted` rows may be emitted now. When none is due yet it sleeps until one is,
  /// but at most `max_wait`, and may then return 0.
  size_t Acquire(size_t wanted, std::chrono::milliseconds max_wait = std::chrono::milliseconds(50));

 private:
  double rate_;
  bool started_ = false;
  std::chrono::steady_clock::time_point start_;
  double emitted_ = 0;
};

/// 'rows-per-second': a positive whole number, or 'unlimited' / -1 (a sluice extension) for as
/// fast as possible, which is returned as 0.
Result<double> ParseRowsPerSecond(const Options& options, double fallback);

}  // namespace sluice
