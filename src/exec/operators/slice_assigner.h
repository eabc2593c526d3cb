#pragma once
// SliceAssigner: cuts the window time line into slices and relates slices to windows, as Flink's
// slicing window aggregation does. Each row updates exactly one slice; a window is the union of
// consecutive slices and is computed by merging them when it fires.
//   TUMBLE(size)           a slice is a window: [k*size + offset, (k+1)*size + offset)
//   HOP(slide, size)       slices are gcd(size, slide) wide; windows start at k*slide + offset
//   CUMULATE(step, max)    slices are a step wide; windows [s, s + i*step) for i = 1..max/step,
//                          with s = k*max + offset
// All times are window time (see WindowClock); slices and windows are named by their end.

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "exec/plan/plan_node.h"
#include "types/time_format.h"

namespace sluice {

class SliceAssigner {
 public:
  static Result<SliceAssigner> Make(const WindowSpec& spec);

  int64_t slice_width() const { return width_; }
  /// End of the slice holding `time`.
  int64_t SliceEnd(int64_t time) const {
    return FloorDiv(time - offset_, width_) * width_ + offset_ + width_;
  }
  /// Ends of the windows holding the slice that ends at `slice_end`, ascending.
  void WindowEndsOfSlice(int64_t slice_end, std::vector<int64_t>* ends) const;
  int64_t FirstWindowEnd(int64_t slice_end) const;
  int64_t LastWindowEnd(int64_t slice_end) const;
  int64_t WindowStart(int64_t window_end) const;
  /// Ends of the slices making up the window that ends at `window_end`, ascending.
  void SliceEndsOfWindow(int64_t window_end, std::vector<int64_t>* ends) const;

 private:
  WindowKind kind_ = WindowKind::kTumble;
  int64_t width_ = 0;  // slice width
  int64_t size_ = 0;   // window size (CUMULATE: max size)
  int64_t slide_ = 0;  // HOP slide
  int64_t offset_ = 0;
};

}  // namespace sluice
