#include "runtime/watermark_valve.h"

#include <algorithm>

#include "runtime/operator.h"

namespace sluice {

WatermarkValve::WatermarkValve(int num_inputs)
    : inputs_(static_cast<size_t>(num_inputs), Input{kMinWatermark}), output_(kMinWatermark) {}

int WatermarkValve::AddInput(Update* update) {
  inputs_.push_back(Input{kMinWatermark});
  *update = Recompute(/*became_active=*/output_idle_);
  return static_cast<int>(inputs_.size()) - 1;
}

WatermarkValve::Update WatermarkValve::OnWatermark(int input, int64_t watermark) {
  Input& in = inputs_[input];
  if (in.ended) return {};
  bool became_active = false;
  if (in.idle) {
    // A watermark is progress: the input is active again.
    in.idle = false;
    in.aligned = false;
    became_active = output_idle_;
  }
  if (watermark > in.watermark) in.watermark = watermark;
  return Recompute(became_active);
}

WatermarkValve::Update WatermarkValve::OnData(int input) {
  Input& in = inputs_[input];
  if (in.ended || !in.idle) return {};
  return SetIdle(input, false);
}

WatermarkValve::Update WatermarkValve::SetIdle(int input, bool idle) {
  Input& in = inputs_[input];
  if (in.ended || in.idle == idle) return {};
  in.idle = idle;
  bool became_active = false;
  if (!idle) {
    in.aligned = false;  // Recompute aligns it when it has caught up
    became_active = output_idle_;
  }
  return Recompute(became_active);
}

WatermarkValve::Update WatermarkValve::OnEnd(int input) {
  Input& in = inputs_[input];
  if (in.ended) return {};
  in.ended = true;
  ++num_ended_;
  return Recompute(false);
}

WatermarkValve::Update WatermarkValve::Recompute(bool became_active) {
  Update update;
  if (became_active) {
    output_idle_ = false;
    update.became_active = true;
  }
  if (AllEnded()) return update;

  bool any_active = false;
  bool any_aligned = false;
  int64_t min_aligned = kMaxWatermark;
  int64_t max_all = kMinWatermark;
  for (Input& in : inputs_) {
    if (in.ended) continue;
    max_all = std::max(max_all, in.watermark);
    if (in.idle) continue;
    any_active = true;
    if (!in.aligned && in.watermark >= output_) in.aligned = true;
    if (in.aligned) {
      any_aligned = true;
      min_aligned = std::min(min_aligned, in.watermark);
    }
  }

  if (!any_active) {
    if (max_all > output_) {
      output_ = max_all;
      update.watermark = output_;
    }
    if (!output_idle_) {
      output_idle_ = true;
      update.became_idle = true;
    }
    return update;
  }
  if (any_aligned && min_aligned > output_) {
    output_ = min_aligned;
    update.watermark = output_;
  }
  return update;
}

void WatermarkValve::RestoreInput(int input, int64_t watermark) {
  inputs_[input].watermark = watermark;
  Recompute(false);  // the update is not forwarded: the chain restores its own watermark
}

}  // namespace sluice
