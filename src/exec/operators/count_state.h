#pragma once
// COUNT(*) and COUNT(x): one int64 per group; COUNT(x) skips NULL arguments.

#include <vector>

#include "exec/operators/aggregate_state.h"
#include "exec/operators/state_format.h"

namespace sluice {

template <bool kCountStar>
class CountState final : public AggregateState {
 public:
  CountState() : AggregateState(LogicalType::Bigint()) {}

  std::unique_ptr<AggregateState> CloneEmpty() const override {
    return std::make_unique<CountState>();
  }
  void Resize(size_t groups) override { counts_.resize(groups, 0); }
  void Clear(const uint32_t* groups, size_t count) override {
    for (size_t i = 0; i < count; ++i) counts_[groups[i]] = 0;
  }

  void Update(const Column* argument, const uint32_t* rows, const uint32_t* groups,
              const uint8_t* retract, size_t count) override {
    const uint8_t* valid = kCountStar ? nullptr : argument->validity();
    int64_t* counts = counts_.data();
    if (!valid && !retract) {
      for (size_t i = 0; i < count; ++i) ++counts[groups[i]];
      return;
    }
    for (size_t i = 0; i < count; ++i) {
      if (valid && !valid[rows[i]]) continue;
      counts[groups[i]] += (retract && retract[i]) ? -1 : 1;
    }
  }

  void UpdateGroup(const Column* argument, const uint32_t* rows, uint32_t group,
                   size_t count) override {
    const uint8_t* valid = kCountStar ? nullptr : argument->validity();
    if (!valid) {
      counts_[group] += static_cast<int64_t>(count);
      return;
    }
    int64_t n = 0;
    for (size_t i = 0; i < count; ++i) n += valid[rows[i]];
    counts_[group] += n;
  }

  void Merge(const AggregateState& source, const uint32_t* source_groups, const uint32_t* groups,
             size_t count) override {
    const auto& other = static_cast<const CountState&>(source);
    for (size_t i = 0; i < count; ++i) counts_[groups[i]] += other.counts_[source_groups[i]];
  }

  ColumnPtr Finalize(const uint32_t* groups, size_t count) override {
    auto out = std::make_shared<Column>(result_type());
    out->Resize(count);
    int64_t* values = out->data<int64_t>();
    for (size_t i = 0; i < count; ++i) values[i] = counts_[groups[i]];
    return out;
  }

  size_t groups() const override { return counts_.size(); }
  size_t StateBytes() const override { return 16 + counts_.size() * sizeof(int64_t); }
  void WriteState(StateEncoder& out) const override {
    out.U32(kTag);
    out.Pod(counts_);
  }
  Status ReadState(StateDecoder& in) override {
    SLUICE_RETURN_IF_ERROR(ReadStateTag(in, kTag));
    return in.Pod(&counts_);
  }

 private:
  static constexpr uint32_t kTag = StateTag(StateFamily::kCount, 0, kCountStar ? 1 : 0);

  std::vector<int64_t> counts_;
};

}  // namespace sluice
