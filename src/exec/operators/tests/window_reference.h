#pragma once
// A naive window aggregation to check the operators against: every row is added to each of its
// windows individually (no slicing, no hash tables), for COUNT(*), SUM, MIN, MAX and
// COUNT(DISTINCT) of an INT value grouped by a STRING key.

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "types/time_format.h"

namespace sluice::testing {

struct ReferenceRow {
  std::string key;  // as printed in the output row ("" without group keys)
  int32_t value;
  int64_t ts;
};

class WindowReference {
 public:
  using Window = std::pair<int64_t, int64_t>;  // [start, end)
  explicit WindowReference(std::function<std::vector<Window>(int64_t)> windows_of)
      : windows_of_(std::move(windows_of)) {}

  /// Adds rows arriving now; a row joins each of its windows that has not fired. Returns the
  /// number of late rows (no such window).
  size_t Add(const std::vector<ReferenceRow>& rows) {
    size_t late = 0;
    for (const ReferenceRow& row : rows) {
      bool used = false;
      for (const Window& w : windows_of_(row.ts)) {
        if (w.second - kMicrosPerMilli <= watermark_) continue;
        Accumulator& acc = windows_[{w.second, w.first}][row.key];
        ++acc.count;
        acc.sum += row.value;
        acc.min = std::min(acc.min, row.value);
        acc.max = std::max(acc.max, row.value);
        acc.distinct.insert(row.value);
        used = true;
      }
      late += !used;
    }
    return late;
  }

  /// Advances the watermark; returns the fired rows, sorted.
  std::vector<std::string> Advance(int64_t watermark) {
    watermark_ = watermark;
    std::vector<std::string> out;
    while (!windows_.empty() && windows_.begin()->first.first - kMicrosPerMilli <= watermark) {
      const auto& [end, start] = windows_.begin()->first;
      for (const auto& [key, acc] : windows_.begin()->second) {
        out.push_back("+I[" + (key.empty() ? "" : key + ", ") + std::to_string(acc.count) + ", " +
                      std::to_string(acc.sum) + ", " + std::to_string(acc.min) + ", " +
                      std::to_string(acc.max) + ", " + std::to_string(acc.distinct.size()) + ", " +
                      FormatTimestampIso(start) + ", " + FormatTimestampIso(end) + ", " +
                      FormatTimestampIso(end - kMicrosPerMilli) + "]");
      }
      windows_.erase(windows_.begin());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  struct Accumulator {
    int64_t count = 0;
    int64_t sum = 0;
    int32_t min = INT32_MAX;
    int32_t max = INT32_MIN;
    std::set<int32_t> distinct;
  };
  std::function<std::vector<Window>(int64_t)> windows_of_;
  int64_t watermark_ = INT64_MIN;
  std::map<std::pair<int64_t, int64_t>, std::map<std::string, Accumulator>> windows_;  // by end
};

/// Windows of a row, computed per row from the definitions (not from SliceAssigner).
inline std::vector<WindowReference::Window> TumbleWindowsOf(int64_t ts, int64_t size) {
  const int64_t start = FloorDiv(ts, size) * size;
  return {{start, start + size}};
}
inline std::vector<WindowReference::Window> HopWindowsOf(int64_t ts, int64_t slide, int64_t size) {
  std::vector<WindowReference::Window> out;
  for (int64_t start = FloorDiv(ts, slide) * slide; start > ts - size; start -= slide) {
    out.push_back({start, start + size});
  }
  return out;
}
inline std::vector<WindowReference::Window> CumulateWindowsOf(int64_t ts, int64_t step,
                                                              int64_t max_size) {
  std::vector<WindowReference::Window> out;
  const int64_t start = FloorDiv(ts, max_size) * max_size;
  for (int64_t end = start + step; end <= start + max_size; end += step) {
    if (end > ts) out.push_back({start, end});
  }
  return out;
}

}  // namespace sluice::testing
