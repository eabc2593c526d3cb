#pragma once
// MIN and MAX over a changelog input: per group an ordered value -> count multiset (as Flink's
// MinWithRetractAggFunction), so retracting the current extreme falls back to the next one.

#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "exec/operators/aggregate_state.h"
#include "exec/operators/state_format.h"
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

  size_t groups() const override { return counts_.size(); }
  size_t StateBytes() const override {
    size_t bytes = 32 + counts_.size() * 8;
    for (const Counts& counts : counts_) bytes += counts.size() * (sizeof(T) + 8);
    return bytes;  // strings: their lengths are left out, the buffer may grow once
  }
  /// Per group the number of distinct values, then all values (ascending within a group) and
  /// their counts as flat arrays.
  void WriteState(StateEncoder& out) const override {
    out.U32(kTag);
    std::vector<uint64_t> sizes(counts_.size());
    size_t total = 0;
    for (size_t g = 0; g < counts_.size(); ++g) total += sizes[g] = counts_[g].size();
    std::vector<const Stored*> values;
    std::vector<int64_t> ns;
    values.reserve(total);
    ns.reserve(total);
    for (const Counts& counts : counts_) {
      for (const auto& [value, n] : counts) {
        values.push_back(&value);
        ns.push_back(n);
      }
    }
    out.Pod(sizes);
    if constexpr (std::is_same_v<T, std::string_view>) {
      std::vector<std::string_view> views(values.size());
      for (size_t i = 0; i < values.size(); ++i) views[i] = *values[i];
      WriteStrings(out, views);
    } else {
      std::vector<Stored> flat(values.size());
      for (size_t i = 0; i < values.size(); ++i) flat[i] = *values[i];
      out.Pod(flat);
    }
    out.Pod(ns);
  }
  Status ReadState(StateDecoder& in) override {
    SLUICE_RETURN_IF_ERROR(ReadStateTag(in, kTag));
    std::vector<uint64_t> sizes;
    std::vector<int64_t> ns;
    SLUICE_RETURN_IF_ERROR(in.Pod(&sizes));
    std::vector<uint32_t> lengths;
    std::string_view blob;
    std::vector<Stored> flat;
    if constexpr (std::is_same_v<T, std::string_view>) {
      SLUICE_RETURN_IF_ERROR(ReadStrings(in, &lengths, &blob));
    } else {
      SLUICE_RETURN_IF_ERROR(in.Pod(&flat));
    }
    SLUICE_RETURN_IF_ERROR(in.Pod(&ns));
    const size_t total = ns.size();
    if ((std::is_same_v<T, std::string_view> ? lengths.size() : flat.size()) != total) {
      return InconsistentState(in, "MIN/MAX retract values and counts differ in number");
    }
    size_t sum = 0;
    for (uint64_t size : sizes) {
      if (size > total - sum) return InconsistentState(in, "MIN/MAX retract group sizes");
      sum += size;
    }
    if (sum != total) return InconsistentState(in, "MIN/MAX retract group sizes");
    std::vector<Counts> counts(sizes.size());
    size_t next = 0;
    size_t offset = 0;
    for (size_t g = 0; g < sizes.size(); ++g) {
      Counts& group = counts[g];
      for (uint64_t k = 0; k < sizes[g]; ++k, ++next) {
        // Written in ascending order: each value goes at the end.
        if constexpr (std::is_same_v<T, std::string_view>) {
          group.emplace_hint(group.end(), std::string(blob.substr(offset, lengths[next])),
                             ns[next]);
          offset += lengths[next];
        } else {
          group.emplace_hint(group.end(), flat[next], ns[next]);
        }
      }
    }
    counts_ = std::move(counts);
    return Status::OK();
  }

 private:
  static constexpr uint32_t kTag =
      StateTag(StateFamily::kMinMaxRetract, ValueTypeTag<T>(), kMax ? 1 : 0);

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
