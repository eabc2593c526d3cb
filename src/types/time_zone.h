#pragma once
// TimeZone: converts instants (TIMESTAMP_LTZ, epoch micros) to wall-clock time and back, for
// 'table.local-time-zone'. Accepts "UTC", fixed offsets ("+08:00", "GMT+08:00", "UTC-3") and IANA
// names ("Asia/Shanghai") read from the system's zoneinfo files.

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace sluice {

class TimeZone {
 public:
  static TimeZone Utc();
  static Result<TimeZone> Parse(const std::string& name);

  const std::string& name() const { return name_; }
  /// Offset (micros) to add to an instant to get wall-clock time at that instant.
  int64_t OffsetAtUtc(int64_t utc_micros) const;
  /// Wall-clock micros of an instant.
  int64_t ToLocal(int64_t utc_micros) const { return utc_micros + OffsetAtUtc(utc_micros); }
  /// Instant of a wall-clock time (the earlier one when a DST overlap makes it ambiguous).
  int64_t ToUtc(int64_t local_micros) const;

 private:
  struct Transition {
    int64_t at_utc_micros;
    int64_t offset_micros;
  };
  std::string name_ = "UTC";
  int64_t fixed_offset_micros_ = 0;
  std::shared_ptr<const std::vector<Transition>> transitions_;  // null for fixed offsets
};

}  // namespace sluice
