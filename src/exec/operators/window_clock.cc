#include "exec/operators/window_clock.h"

#include <algorithm>

namespace sluice {

int64_t WindowClock::LatestInstant(int64_t local) const {
  int64_t best = zone_.ToUtc(local);  // the earlier instant on a DST overlap
  // Offsets a day either side bracket any transition; keep the later candidate that maps back.
  for (int64_t probe : {local - kMicrosPerDay, local + kMicrosPerDay}) {
    const int64_t candidate = local - zone_.OffsetAtUtc(probe);
    if (zone_.ToLocal(candidate) == local) best = std::max(best, candidate);
  }
  return best;
}

int64_t WindowClock::TriggerTime(int64_t window_end) const {
  const int64_t max_timestamp = window_end - kMicrosPerMilli;
  return ltz_ ? LatestInstant(max_timestamp) : max_timestamp;
}

int64_t WindowClock::BoundValue(int64_t window_time, const LogicalType& type) const {
  return (ltz_ && type.id == TypeId::kTimestampLtz) ? zone_.ToUtc(window_time) : window_time;
}

int64_t WindowClock::RowtimeValue(int64_t window_end, const LogicalType& type) const {
  return (ltz_ && type.id == TypeId::kTimestampLtz) ? TriggerTime(window_end)
                                                    : window_end - kMicrosPerMilli;
}

void WindowClock::AppendWindowColumns(const Schema& output_schema, const int64_t* starts,
                                      const int64_t* ends, size_t rows,
                                      std::vector<ColumnPtr>* columns) const {
  const size_t first = output_schema.size() - 3;
  for (size_t c = 0; c < 3; ++c) {
    const LogicalType& type = output_schema[first + c].type;
    auto column = std::make_shared<Column>(type);
    column->Resize(rows);
    int64_t* values = column->data<int64_t>();
    for (size_t i = 0; i < rows; ++i) {
      values[i] = c == 0   ? BoundValue(starts[i], type)
                  : c == 1 ? BoundValue(ends[i], type)
                           : RowtimeValue(ends[i], type);
    }
    columns->push_back(std::move(column));
  }
}

}  // namespace sluice
