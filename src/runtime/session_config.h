#pragma once
// SessionConfig: the job's settings — SET statements and command-line overrides — with typed
// getters for the keys the engine reads. Unknown keys are kept (connectors may read them).

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/status.h"
#include "types/time_zone.h"

namespace sluice {

class SessionConfig {
 public:
  void Set(const std::string& key, const std::string& value) { values_[key] = value; }
  std::optional<std::string> Get(const std::string& key) const;
  const std::map<std::string, std::string>& values() const { return values_; }

  /// 'parallelism.default' (Default: number of cores).
  int Parallelism() const;
  /// 'table.local-time-zone' (Default: UTC). Validated by Validate().
  const TimeZone& LocalTimeZone() const { return time_zone_; }
  /// 'table.exec.emit.allow-lateness' (Default: 0). Durations like '5 s', '1 min', '500ms'.
  int64_t AllowedLatenessMicros() const;
  /// 'table.exec.source.idle-timeout' (Default: 0 = never idle).
  int64_t SourceIdleTimeoutMicros() const;
  /// 'sluice.batch-size' rows per batch (Default: 4096).
  int BatchSize() const;

  /// Parses the keys above; a bad value is a user error naming the key.
  Status Validate();

 private:
  std::map<std::string, std::string> values_;
  TimeZone time_zone_ = TimeZone::Utc();
};

/// Parses a Flink duration: "5 s", "5s", "5 sec", "1 min", "2 h", "100 ms", "1 d", plain number =
/// milliseconds. Returns microseconds.
Result<int64_t> ParseDuration(const std::string& text);

}  // namespace sluice
