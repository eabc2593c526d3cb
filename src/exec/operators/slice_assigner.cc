#include "exec/operators/slice_assigner.h"

#include <numeric>

namespace sluice {

Result<SliceAssigner> SliceAssigner::Make(const WindowSpec& spec) {
  SliceAssigner a;
  a.kind_ = spec.kind;
  a.offset_ = spec.offset_micros;
  switch (spec.kind) {
    case WindowKind::kTumble:
      if (spec.size_micros <= 0) return Status::InvalidArgument("TUMBLE size must be positive");
      a.size_ = a.width_ = spec.size_micros;
      break;
    case WindowKind::kHop:
      if (spec.size_micros <= 0 || spec.slide_micros <= 0) {
        return Status::InvalidArgument("HOP size and slide must be positive");
      }
      a.size_ = spec.size_micros;
      a.slide_ = spec.slide_micros;
      a.width_ = std::gcd(a.size_, a.slide_);
      break;
    case WindowKind::kCumulate:
      if (spec.size_micros <= 0 || spec.step_micros <= 0 ||
          spec.size_micros % spec.step_micros != 0) {
        return Status::InvalidArgument("CUMULATE max size must be a positive multiple of the step");
      }
      a.size_ = spec.size_micros;
      a.width_ = spec.step_micros;
      break;
    case WindowKind::kSession:
      return Status::Internal("SESSION windows are not sliced");
  }
  return a;
}

int64_t SliceAssigner::FirstWindowEnd(int64_t slice_end) const {
  switch (kind_) {
    case WindowKind::kHop: {
      // Window ends lie on offset + size + k*slide; the first one at or after the slice end.
      const int64_t anchor = offset_ + size_;
      return anchor - FloorDiv(anchor - slice_end, slide_) * slide_;
    }
    default:
      return slice_end;
  }
}

int64_t SliceAssigner::LastWindowEnd(int64_t slice_end) const {
  const int64_t slice_start = slice_end - width_;
  switch (kind_) {
    case WindowKind::kHop:
      return FloorDiv(slice_start - offset_, slide_) * slide_ + offset_ + size_;
    case WindowKind::kCumulate:
      return FloorDiv(slice_start - offset_, size_) * size_ + offset_ + size_;
    default:
      return slice_end;
  }
}

void SliceAssigner::WindowEndsOfSlice(int64_t slice_end, std::vector<int64_t>* ends) const {
  ends->clear();
  const int64_t step = kind_ == WindowKind::kHop ? slide_ : width_;
  const int64_t last = LastWindowEnd(slice_end);
  for (int64_t end = FirstWindowEnd(slice_end); end <= last; end += step) ends->push_back(end);
}

int64_t SliceAssigner::WindowStart(int64_t window_end) const {
  if (kind_ == WindowKind::kCumulate) {
    return FloorDiv(window_end - width_ - offset_, size_) * size_ + offset_;
  }
  return window_end - size_;
}

void SliceAssigner::SliceEndsOfWindow(int64_t window_end, std::vector<int64_t>* ends) const {
  ends->clear();
  for (int64_t end = WindowStart(window_end) + width_; end <= window_end; end += width_) {
    ends->push_back(end);
  }
}

}  // namespace sluice
