#pragma once
// WatermarkValve: combines the watermarks and idleness of several inputs (the producers of a
// channel, or the splits of a source task) into one output watermark and status, as Flink's
// StatusWatermarkValve does.
//
//   * Output watermark = min over inputs that are active, aligned and not ended; it only ever
//     advances (a change is reported only when it does).
//   * An idle input is left out of the minimum. When the last active input goes idle, the output
//     advances to the max watermark of all inputs (nothing can arrive that it would hold back)
//     and the output becomes idle.
//   * An input that becomes active again rejoins the minimum only once its watermark catches up
//     with the output ("aligned"), so a reactivated input never drags the output back nor stalls
//     it; its rows may be late, exactly as in Flink.
//   * Ended inputs no longer count; AllEnded() tells when the last one ended.
//
// Not thread-safe: owned by one task.

#include <cstdint>
#include <optional>
#include <vector>

namespace sluice {

class WatermarkValve {
 public:
  /// What the owner must forward downstream, in this order: became_active (before any data),
  /// watermark, became_idle.
  struct Update {
    bool became_active = false;
    std::optional<int64_t> watermark;
    bool became_idle = false;
  };

  explicit WatermarkValve(int num_inputs);

  /// Adds an input (a partition newly assigned to a reader) and returns its index. It starts at
  /// kMinWatermark and counts in the minimum at once, so the output holds still until the new
  /// input catches up instead of racing ahead and making its rows late.
  int AddInput(Update* update);

  Update OnWatermark(int input, int64_t watermark);
  /// Data arrived from `input`: an idle input becomes active again.
  Update OnData(int input);
  Update SetIdle(int input, bool idle);
  Update OnEnd(int input);
  /// Restore from a checkpoint (before any message): `input`'s watermark as it was saved. The
  /// output follows silently — the chain's own watermark is restored separately.
  void RestoreInput(int input, int64_t watermark);

  bool AllEnded() const { return num_ended_ == static_cast<int>(inputs_.size()); }
  int num_live() const { return static_cast<int>(inputs_.size()) - num_ended_; }
  bool IsIdle(int input) const { return inputs_[input].idle; }
  bool IsEnded(int input) const { return inputs_[input].ended; }
  int64_t InputWatermark(int input) const { return inputs_[input].watermark; }
  int64_t output_watermark() const { return output_; }
  bool output_idle() const { return output_idle_; }
  int num_inputs() const { return static_cast<int>(inputs_.size()); }

 private:
  struct Input {
    int64_t watermark;
    bool idle = false;
    bool ended = false;
    bool aligned = true;
  };
  Update Recompute(bool became_active);

  std::vector<Input> inputs_;
  int64_t output_;
  bool output_idle_ = false;
  int num_ended_ = 0;
};

}  // namespace sluice
