#pragma once
// MIN and MAX over an append-only input: the best value so far per group. T is the argument's
// physical type; VARCHAR values (T = std::string_view) are kept as owned std::strings, which are
// reassigned only when the extreme changes.

#include <string>
#include <type_traits>
#include <vector>

#include "exec/operators/aggregate_state.h"
#include "exec/operators/state_format.h"
#include "exec/operators/value_order.h"

namespace sluice {

template <typename T, bool kMax>
class MinMaxState final : public AggregateState {
 public:
  using Stored = std::conditional_t<std::is_same_v<T, std::string_view>, std::string, T>;

  explicit MinMaxState(LogicalType result_type) : AggregateState(result_type) {}

  std::unique_ptr<AggregateState> CloneEmpty() const override {
    return std::make_unique<MinMaxState>(result_type());
  }
  void Resize(size_t groups) override {
    values_.resize(groups);
    has_value_.resize(groups, 0);
  }
  void Clear(const uint32_t* groups, size_t count) override {
    for (size_t i = 0; i < count; ++i) {
      if constexpr (std::is_same_v<T, std::string_view>) {
        std::string().swap(values_[groups[i]]);  // frees the memory, not just the length
      } else {
        values_[groups[i]] = Stored{};
      }
      has_value_[groups[i]] = 0;
    }
  }

  /// Retraction is not supported here (CreateAggregateState picks MinMaxRetractState for it).
  void Update(const Column* argument, const uint32_t* rows, const uint32_t* groups,
              const uint8_t* /*retract*/, size_t count) override {
    const T* values = argument->data<T>();
    const uint8_t* valid = argument->validity();
    for (size_t i = 0; i < count; ++i) {
      const uint32_t row = rows[i];
      if (valid && !valid[row]) continue;
      Offer(groups[i], values[row]);
    }
  }

  void UpdateGroup(const Column* argument, const uint32_t* rows, uint32_t group,
                   size_t count) override {
    const T* values = argument->data<T>();
    const uint8_t* valid = argument->validity();
    const T* best = nullptr;
    ValueLess less;
    for (size_t i = 0; i < count; ++i) {
      const uint32_t row = rows[i];
      if (valid && !valid[row]) continue;
      if (!best || (kMax ? less(*best, values[row]) : less(values[row], *best))) {
        best = &values[row];
      }
    }
    if (best) Offer(group, *best);
  }

  void Merge(const AggregateState& source, const uint32_t* source_groups, const uint32_t* groups,
             size_t count) override {
    const auto& other = static_cast<const MinMaxState&>(source);
    for (size_t i = 0; i < count; ++i) {
      const uint32_t s = source_groups[i];
      if (other.has_value_[s]) Offer(groups[i], T(other.values_[s]));
    }
  }

  ColumnPtr Finalize(const uint32_t* groups, size_t count) override {
    auto out = std::make_shared<Column>(result_type());
    out->Resize(count);
    for (size_t i = 0; i < count; ++i) {
      const uint32_t g = groups[i];
      if (!has_value_[g]) {
        out->SetNull(i, true);
      } else if constexpr (std::is_same_v<T, std::string_view>) {
        out->SetString(i, values_[g]);
      } else {
        out->data<T>()[i] = values_[g];
      }
    }
    return out;
  }

  size_t groups() const override { return has_value_.size(); }
  size_t StateBytes() const override {
    size_t bytes = 32 + has_value_.size() * (1 + sizeof(T));
    if constexpr (std::is_same_v<T, std::string_view>) {
      for (const std::string& value : values_) bytes += value.size();
    }
    return bytes;
  }
  void WriteState(StateEncoder& out) const override {
    out.U32(kTag);
    out.Pod(has_value_);
    if constexpr (std::is_same_v<T, std::string_view>) {
      WriteStrings(out, values_);
    } else {
      out.Pod(values_);
    }
  }
  Status ReadState(StateDecoder& in) override {
    SLUICE_RETURN_IF_ERROR(ReadStateTag(in, kTag));
    SLUICE_RETURN_IF_ERROR(in.Pod(&has_value_));
    if constexpr (std::is_same_v<T, std::string_view>) {
      std::vector<uint32_t> lengths;
      std::string_view blob;
      SLUICE_RETURN_IF_ERROR(ReadStrings(in, &lengths, &blob));
      values_.assign(lengths.size(), std::string());
      size_t offset = 0;
      for (size_t g = 0; g < lengths.size(); ++g) {
        values_[g].assign(blob.substr(offset, lengths[g]));
        offset += lengths[g];
      }
    } else {
      SLUICE_RETURN_IF_ERROR(in.Pod(&values_));
    }
    if (values_.size() != has_value_.size()) return InconsistentState(in, "MIN/MAX array sizes");
    return Status::OK();
  }

 private:
  static constexpr uint32_t kTag = StateTag(StateFamily::kMinMax, ValueTypeTag<T>(), kMax ? 1 : 0);

  void Offer(uint32_t group, const T& value) {
    ValueLess less;
    if (has_value_[group]) {
      const T current(values_[group]);
      if (!(kMax ? less(current, value) : less(value, current))) return;
    }
    values_[group] = Stored(value);
    has_value_[group] = 1;
  }

  std::vector<Stored> values_;
  std::vector<uint8_t> has_value_;
};

}  // namespace sluice
