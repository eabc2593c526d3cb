#pragma once
// SUM and AVG: a running sum and a count of non-NULL inputs per group (the count makes the result
// NULL for all-NULL groups and lets rows be retracted).
//
// In is the argument's physical type, Acc the sum's. Integer sums wrap around like Java's int and
// long, as Flink's SUM(INT)/SUM(BIGINT) and the BIGINT sum behind AVG(INT)/AVG(BIGINT) do.

#include <type_traits>
#include <vector>

#include "exec/operators/aggregate_state.h"
#include "exec/operators/state_format.h"

namespace sluice {

namespace sum_arithmetic {

inline int32_t Add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int64_t Add(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
inline int128_t Add(int128_t a, int128_t b) {
  return static_cast<int128_t>(static_cast<unsigned __int128>(a) +
                               static_cast<unsigned __int128>(b));
}
inline double Add(double a, double b) {
  return a + b;
}
inline int32_t Negate(int32_t a) {
  return static_cast<int32_t>(0u - static_cast<uint32_t>(a));
}
inline int64_t Negate(int64_t a) {
  return static_cast<int64_t>(0 - static_cast<uint64_t>(a));
}
inline int128_t Negate(int128_t a) {
  return static_cast<int128_t>(0 - static_cast<unsigned __int128>(a));
}
inline double Negate(double a) {
  return -a;
}

inline int128_t Pow10(int n) {
  int128_t v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}
/// DECIMAL(38, s) holds |v| < 10^38.
inline bool FitsDecimal38(int128_t v) {
  static const int128_t kLimit = Pow10(38);
  return v < kLimit && v > -kLimit;
}
/// num / den rounded half up (away from zero on a tie); den != 0.
inline int128_t DivideHalfUp(int128_t num, int128_t den) {
  if (den < 0) {
    num = Negate(num);  // wraps for the smallest int128 instead of overflowing
    den = -den;
  }
  int128_t q = num / den;
  int128_t r = num % den;
  if (r < 0) r = -r;
  if (2 * r >= den) q += num < 0 ? -1 : 1;
  return q;
}
/// sum (some scale) / count at `extra_scale` more fractional digits, half up; false when the
/// result needs more than 38 digits. extra_scale is in [-18, 18] (checked at creation).
inline bool ScaledAverage(int128_t sum, int64_t count, int extra_scale, int128_t* out) {
  if (count == -1) {  // a malformed changelog: sum / -1 overflows for the smallest sum
    sum = Negate(sum);
    count = 1;
  }
  if (extra_scale < 0) {
    *out = DivideHalfUp(sum, static_cast<int128_t>(count) * Pow10(-extra_scale));
    return FitsDecimal38(*out);
  }
  // Split so that nothing overflows: sum = q * count + r, |r| < |count| < 2^63.
  const int128_t scale = Pow10(extra_scale);
  const int128_t q = sum / count;
  const int128_t r = sum % count;
  // |q| in unsigned arithmetic: -q overflows for the smallest int128 (a wrapped-around sum).
  const unsigned __int128 magnitude =
      q < 0 ? 0 - static_cast<unsigned __int128>(q) : static_cast<unsigned __int128>(q);
  if (static_cast<unsigned __int128>(Pow10(38) / scale) <= magnitude) return false;
  *out = q * scale + DivideHalfUp(r * scale, count);
  return FitsDecimal38(*out);
}

}  // namespace sum_arithmetic

template <typename In, typename Acc, bool kAvg>
class SumAvgState final : public AggregateState {
 public:
  /// extra_scale: result scale - argument scale (DECIMAL AVG only).
  SumAvgState(LogicalType result_type, int extra_scale)
      : AggregateState(result_type), extra_scale_(extra_scale) {}

  std::unique_ptr<AggregateState> CloneEmpty() const override {
    return std::make_unique<SumAvgState>(result_type(), extra_scale_);
  }
  void Resize(size_t groups) override {
    sums_.resize(groups, Acc{});
    counts_.resize(groups, 0);
  }
  void Clear(const uint32_t* groups, size_t count) override {
    for (size_t i = 0; i < count; ++i) {
      sums_[groups[i]] = Acc{};
      counts_[groups[i]] = 0;
    }
  }

  void Update(const Column* argument, const uint32_t* rows, const uint32_t* groups,
              const uint8_t* retract, size_t count) override {
    const In* values = argument->data<In>();
    const uint8_t* valid = argument->validity();
    Acc* sums = sums_.data();
    int64_t* counts = counts_.data();
    if (!valid && !retract) {
      for (size_t i = 0; i < count; ++i) {
        const uint32_t g = groups[i];
        sums[g] = sum_arithmetic::Add(sums[g], static_cast<Acc>(values[rows[i]]));
        ++counts[g];
      }
      return;
    }
    for (size_t i = 0; i < count; ++i) {
      const uint32_t row = rows[i];
      if (valid && !valid[row]) continue;
      const uint32_t g = groups[i];
      const Acc value = static_cast<Acc>(values[row]);
      if (retract && retract[i]) {
        sums[g] = sum_arithmetic::Add(sums[g], sum_arithmetic::Negate(value));
        --counts[g];
      } else {
        sums[g] = sum_arithmetic::Add(sums[g], value);
        ++counts[g];
      }
    }
  }

  void UpdateGroup(const Column* argument, const uint32_t* rows, uint32_t group,
                   size_t count) override {
    const In* values = argument->data<In>();
    const uint8_t* valid = argument->validity();
    Acc sum{};
    int64_t n = 0;
    for (size_t i = 0; i < count; ++i) {
      const uint32_t row = rows[i];
      if (valid && !valid[row]) continue;
      sum = sum_arithmetic::Add(sum, static_cast<Acc>(values[row]));
      ++n;
    }
    sums_[group] = sum_arithmetic::Add(sums_[group], sum);
    counts_[group] += n;
  }

  void Merge(const AggregateState& source, const uint32_t* source_groups, const uint32_t* groups,
             size_t count) override {
    const auto& other = static_cast<const SumAvgState&>(source);
    for (size_t i = 0; i < count; ++i) {
      const uint32_t g = groups[i];
      const uint32_t s = source_groups[i];
      sums_[g] = sum_arithmetic::Add(sums_[g], other.sums_[s]);
      counts_[g] += other.counts_[s];
    }
  }

  ColumnPtr Finalize(const uint32_t* groups, size_t count) override {
    // SUM/AVG(INT) -> INT, BIGINT -> BIGINT, DOUBLE -> DOUBLE, DECIMAL -> DECIMAL(38, _).
    using Out = In;
    auto out = std::make_shared<Column>(result_type());
    out->Resize(count);
    Out* values = out->data<Out>();
    for (size_t i = 0; i < count; ++i) {
      const uint32_t g = groups[i];
      const int64_t n = counts_[g];
      if (n == 0) {
        out->SetNull(i, true);
        continue;
      }
      const Acc sum = sums_[g];
      if constexpr (std::is_same_v<Acc, int128_t>) {
        int128_t result = sum;
        if (kAvg ? !sum_arithmetic::ScaledAverage(sum, n, extra_scale_, &result)
                 : !sum_arithmetic::FitsDecimal38(sum)) {
          out->SetNull(i, true);
          continue;
        }
        values[i] = result;
      } else if constexpr (kAvg && std::is_same_v<Acc, int64_t>) {
        // Java long division: truncates towards zero; n is never 0 here.
        values[i] = static_cast<Out>(n == -1 ? sum_arithmetic::Negate(sum) : sum / n);
      } else if constexpr (kAvg) {
        values[i] = static_cast<Out>(sum / static_cast<Acc>(n));
      } else {
        values[i] = static_cast<Out>(sum);
      }
    }
    return out;
  }

  size_t groups() const override { return counts_.size(); }
  size_t StateBytes() const override { return 32 + counts_.size() * (sizeof(Acc) + 8); }
  void WriteState(StateEncoder& out) const override {
    out.U32(kTag);
    out.Pod(sums_);
    out.Pod(counts_);
  }
  Status ReadState(StateDecoder& in) override {
    SLUICE_RETURN_IF_ERROR(ReadStateTag(in, kTag));
    SLUICE_RETURN_IF_ERROR(in.Pod(&sums_));
    SLUICE_RETURN_IF_ERROR(in.Pod(&counts_));
    if (sums_.size() != counts_.size()) return InconsistentState(in, "SUM/AVG array sizes");
    return Status::OK();
  }

 private:
  static constexpr uint32_t kTag =
      StateTag(StateFamily::kSumAvg, ValueTypeTag<In>(), ValueTypeTag<Acc>() << 1 | (kAvg ? 1 : 0));

  int extra_scale_;
  std::vector<Acc> sums_;
  std::vector<int64_t> counts_;
};

}  // namespace sluice
