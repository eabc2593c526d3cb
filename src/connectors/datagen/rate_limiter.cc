#include "connectors/datagen/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "formats/option_reader.h"

namespace sluice {

size_t RateLimiter::Acquire(size_t wanted, std::chrono::milliseconds max_wait) {
  if (unlimited() || wanted == 0) return wanted;
  using Seconds = std::chrono::duration<double>;
  auto now = std::chrono::steady_clock::now();
  if (!started_) {
    started_ = true;
    start_ = now;
  }
  auto due = [&] { return rate_ * Seconds(now - start_).count() - emitted_; };
  double available = due();
  if (available > rate_) {  // more than a second behind: forget the backlog
    emitted_ += available - rate_;
    available = rate_;
  }
  if (available < 1) {
    auto wait =
        std::chrono::duration_cast<std::chrono::microseconds>(Seconds((1 - available) / rate_));
    std::this_thread::sleep_for(std::min<std::chrono::microseconds>(wait, max_wait));
    now = std::chrono::steady_clock::now();
    available = due();
  }
  if (available < 1) return 0;
  size_t n = std::min<size_t>(wanted, static_cast<size_t>(std::floor(available)));
  emitted_ += static_cast<double>(n);
  return n;
}

Result<double> ParseRowsPerSecond(const Options& options, double fallback) {
  OptionReader reader(options);
  if (reader.String("rows-per-second", "") == "unlimited") return 0.0;
  SLUICE_ASSIGN_OR_RETURN(int64_t rate,
                          reader.Int("rows-per-second", static_cast<int64_t>(fallback)));
  if (rate == -1) return 0.0;
  if (rate <= 0) {
    return Status::InvalidOption(
        "option 'rows-per-second' expects a positive whole number, or 'unlimited' (or -1) for "
        "as fast as possible, got '" +
        reader.String("rows-per-second", "") + "'");
  }
  return static_cast<double>(rate);
}

}  // namespace sluice
