#pragma once
// WindowClock: the time line windows are cut on, and how window bounds map back to watermarks
// and output columns.
//
// TIMESTAMP event times are wall-clock values and windows are cut on them directly. For
// TIMESTAMP_LTZ event times (instants) windows are cut on the wall clock of the session time zone,
// as Flink does, so a 1-day TUMBLE in Asia/Shanghai runs from local midnight to local midnight.
// A window [start, end) is complete once the watermark reaches the instant of its last millisecond,
// end - 1 ms (Flink's window max timestamp; event times are TIMESTAMP(3)). When a DST fall-back
// makes that wall-clock time occur twice, the later instant counts, as Flink's timers do.

#include <cstdint>

#include <vector>

#include "columnar/batch.h"
#include "types/time_format.h"
#include "types/time_zone.h"

namespace sluice {

/// Saturating a + b for b >= 0 (watermarks reach INT64_MAX at the end of bounded input).
inline int64_t SaturatingAdd(int64_t a, int64_t b) {
  return a > INT64_MAX - b ? INT64_MAX : a + b;
}

class WindowClock {
 public:
  WindowClock() = default;  // TIMESTAMP event time
  WindowClock(bool time_is_ltz, TimeZone zone) : ltz_(time_is_ltz), zone_(std::move(zone)) {}

  bool is_ltz() const { return ltz_; }
  const TimeZone& zone() const { return zone_; }

  /// Event time -> window time line.
  int64_t ToWindowTime(int64_t event_time) const {
    return ltz_ ? zone_.ToLocal(event_time) : event_time;
  }
  /// The watermark at which the window ending at `window_end` (window time) fires.
  int64_t TriggerTime(int64_t window_end) const;
  /// A window bound as stored in a column of `type`: TIMESTAMP holds the wall clock,
  /// TIMESTAMP_LTZ the instant.
  int64_t BoundValue(int64_t window_time, const LogicalType& type) const;
  /// window_time: the window's max timestamp (end - 1 ms) as stored in a column of `type`.
  int64_t RowtimeValue(int64_t window_end, const LogicalType& type) const;
  /// Appends window_start, window_end and window_time for windows [starts[i], ends[i]) (window
  /// time), typed as the last three fields of `output_schema`.
  void AppendWindowColumns(const Schema& output_schema, const int64_t* starts, const int64_t* ends,
                           size_t rows, std::vector<ColumnPtr>* columns) const;

 private:
  /// The latest instant whose wall clock is `local`.
  int64_t LatestInstant(int64_t local) const;

  bool ltz_ = false;
  TimeZone zone_ = TimeZone::Utc();
};

}  // namespace sluice
