#pragma once
// MIN and MAX over a changelog input: per group an ordered value -> count multiset (as Flink's
// MinWithRetractAggFunction), so retracting the current extreme falls back to the next one.

#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "exec/operators/aggregate_state.h"
#include "exec/operators/value_order.h"

namespace sluice {

template <typename T, bool kMax>
class MinMaxRetractState final : public AggregateState {
 public:
  using Stored = std::conditional_t<std::is_same_v<T, std::string_view>, std::string, T>;
  struct Less {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return ValueLess()(T(a), T(b));
    }
  };
  using Counts = std::map<Stored, int64_t, Less>;

  explicit MinMaxRetractState(LogicalType result_type) : AggregateState(result_type) {}

  std::unique_ptr<AggregateState> CloneEmpty() const override {
    return std::make_unique<MinMaxRetractState>(result_type());
  }
  void Resize(size_t groups) override { counts_.resize(groups); }
  void Clear(const uint32_t* groups, size_t count) override {
    for (size_t i = 0; i < count; ++i) Counts().swap(counts_[groups[i]]);
  }

  void Update(const Column* argument, const uint32_t* rows, const uint32_t* groups,
              const uint8_t* retract, size_t count) override {
    const T* values = argument->data<T>();
    const uint8_t* valid = argument->validity();
    for (size_t i = 0; i < count; ++i) {
      const uint32_t row = rows[i];
      if (valid && !valid[row]) continue;
      Add(counts_[groups[i]], values[row], (retract && retract[i]) ? -1 : 1);
    }
  }

  void Merge(const AggregateState& source, const uint32_t* source_groups, const uint32_t* groups,
             size_t count) override {
    const auto& other = static_cast<const MinMaxRetractState&>(source);
    for (size_t i = 0; i < count; ++i) {
      for (const auto& [value, n] : other.counts_[source_groups[i]]) {
        Add(counts_[groups[i]], T(value), n);
      }
    }
  }

  ColumnPtr Finalize(const uint32_t* groups, size_t count) override {
    auto out = std::make_shared<Column>(result_type());
    out->Resize(count);
    for (size_t i = 0; i < count; ++i) {
      const Stored* best = Extreme(counts_[groups[i]]);
      if (!best) {
        out->SetNull(i, true);
      } else if constexpr (std::is_same_v<T, std::string_view>) {
        out->SetString(i, *best);
      } else {
        out->data<T>()[i] = *best;
      }
    }
    return out;
  }

 private:
  static void Add(Counts& counts, const T& value, int64_t n) {
    auto it = counts.find(value);
    if (it == counts.end()) {
      counts.emplace(Stored(value), n);
    } else if ((it->second += n) == 0) {
      counts.erase(it);
    }
  }

  // Values retracted more often than added (a malformed changelog) hold negative counts and
  // are skipped.
  static const Stored* Extreme(const Counts& counts) {
    if constexpr (kMax) {
      for (auto it = counts.rbegin(); it != counts.rend(); ++it) {
        if (it->second > 0) return &it->first;
      }
    } else {
      for (auto it = counts.begin(); it != counts.end(); ++it) {
        if (it->second > 0) return &it->first;
      }
    }
    return nullptr;
  }

  std::vector<Counts> counts_;
};

}  // namespace sluice
