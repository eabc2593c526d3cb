#pragma once
// COUNT/SUM/AVG(DISTINCT x): per group the set of distinct non-NULL values with how often each
// was added (so retraction works, as Flink's MapView-backed DISTINCT). COUNT reads the number of
// values with a positive count; SUM/AVG run the plain aggregate over the distinct values when the
// result is needed. DOUBLE values are distinct by their bits after NaN canonicalization (Java's
// Double.equals).

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "exec/operators/aggregate_state.h"
#include "exec/operators/state_format.h"
#include "exec/operators/value_order.h"

namespace sluice {

template <typename T>
struct DistinctKey {
  using Type = T;
  static const T& Of(const T& v) { return v; }
  static T Value(const Type& key) { return key; }
};
template <>
struct DistinctKey<double> {
  using Type = uint64_t;
  static uint64_t Of(double v) {
    return std::bit_cast<uint64_t>(std::isnan(v) ? std::numeric_limits<double>::quiet_NaN() : v);
  }
  static double Value(uint64_t key) { return std::bit_cast<double>(key); }
};
template <>
struct DistinctKey<std::string_view> {
  using Type = std::string;
  static std::string_view Of(std::string_view v) { return v; }
  static std::string_view Value(const std::string& key) { return key; }
};

template <typename T>
class DistinctState final : public AggregateState {
 public:
  using Key = typename DistinctKey<T>::Type;
  using Values = std::unordered_map<Key, int64_t, ValueHash, ValueEqual>;

  /// `inner`: the plain aggregate run over the distinct values (null for COUNT).
  DistinctState(LogicalType result_type, LogicalType argument_type,
                std::unique_ptr<AggregateState> inner)
      : AggregateState(result_type), argument_type_(argument_type), inner_(std::move(inner)) {}

  std::unique_ptr<AggregateState> CloneEmpty() const override {
    return std::make_unique<DistinctState>(result_type(), argument_type_,
                                           inner_ ? inner_->CloneEmpty() : nullptr);
  }
  void Resize(size_t groups) override {
    values_.resize(groups);
    distinct_.resize(groups, 0);
  }
  void Clear(const uint32_t* groups, size_t count) override {
    for (size_t i = 0; i < count; ++i) {
      Values().swap(values_[groups[i]]);
      distinct_[groups[i]] = 0;
    }
  }

  void Update(const Column* argument, const uint32_t* rows, const uint32_t* groups,
              const uint8_t* retract, size_t count) override {
    const T* values = argument->data<T>();
    const uint8_t* valid = argument->validity();
    for (size_t i = 0; i < count; ++i) {
      const uint32_t row = rows[i];
      if (valid && !valid[row]) continue;
      Add(groups[i], DistinctKey<T>::Of(values[row]), (retract && retract[i]) ? -1 : 1);
    }
  }

  void Merge(const AggregateState& source, const uint32_t* source_groups, const uint32_t* groups,
             size_t count) override {
    const auto& other = static_cast<const DistinctState&>(source);
    for (size_t i = 0; i < count; ++i) {
      for (const auto& [key, n] : other.values_[source_groups[i]]) Add(groups[i], key, n);
    }
  }

  ColumnPtr Finalize(const uint32_t* groups, size_t count) override {
    if (!inner_) {
      auto out = std::make_shared<Column>(result_type());
      out->Resize(count);
      int64_t* values = out->data<int64_t>();
      for (size_t i = 0; i < count; ++i) values[i] = distinct_[groups[i]];
      return out;
    }
    // Lay the distinct values of every group out as one column and aggregate it plainly.
    size_t total = 0;
    for (size_t i = 0; i < count; ++i) total += static_cast<size_t>(distinct_[groups[i]]);
    Column distinct_values(argument_type_);
    distinct_values.Resize(total);
    std::vector<uint32_t> rows;
    std::vector<uint32_t> inner_groups;
    rows.reserve(total);
    inner_groups.reserve(total);
    for (size_t i = 0; i < count; ++i) {
      const size_t first = rows.size();
      for (const auto& [key, n] : values_[groups[i]]) {
        if (n <= 0) continue;
        const uint32_t row = static_cast<uint32_t>(rows.size());
        if constexpr (std::is_same_v<T, std::string_view>) {
          distinct_values.SetString(row, key);
        } else {
          distinct_values.data<T>()[row] = DistinctKey<T>::Value(key);
        }
        rows.push_back(row);
        inner_groups.push_back(static_cast<uint32_t>(i));
      }
      if constexpr (std::is_same_v<T, double>) {
        // A DOUBLE sum depends on the order of its terms, and the set's order on its history
        // (a restored set is rebuilt in another order): add them in value order.
        double* values = distinct_values.data<double>();
        std::sort(values + first, values + rows.size(), ValueLess());
      }
    }
    std::unique_ptr<AggregateState> scratch = inner_->CloneEmpty();
    scratch->Resize(count);
    scratch->Update(&distinct_values, rows.data(), inner_groups.data(), nullptr, rows.size());
    std::vector<uint32_t> identity(count);
    for (size_t i = 0; i < count; ++i) identity[i] = static_cast<uint32_t>(i);
    return scratch->Finalize(identity.data(), count);
  }

  size_t groups() const override { return distinct_.size(); }
  size_t StateBytes() const override {
    size_t bytes = 32 + values_.size() * 8;
    for (const Values& values : values_) bytes += values.size() * (sizeof(T) + 8);
    return bytes;  // strings: their lengths are left out, the buffer may grow once
  }
  /// Per group the number of values in the set, then all values and their counts as flat arrays.
  /// The number of distinct values per group is recomputed on reading.
  void WriteState(StateEncoder& out) const override {
    out.U32(Tag());
    std::vector<uint64_t> sizes(values_.size());
    size_t total = 0;
    for (size_t g = 0; g < values_.size(); ++g) total += sizes[g] = values_[g].size();
    std::vector<const Key*> keys;
    std::vector<int64_t> ns;
    keys.reserve(total);
    ns.reserve(total);
    for (const Values& values : values_) {
      for (const auto& [key, n] : values) {
        keys.push_back(&key);
        ns.push_back(n);
      }
    }
    out.Pod(sizes);
    if constexpr (std::is_same_v<T, std::string_view>) {
      std::vector<std::string_view> views(keys.size());
      for (size_t i = 0; i < keys.size(); ++i) views[i] = *keys[i];
      WriteStrings(out, views);
    } else {
      std::vector<Key> flat(keys.size());
      for (size_t i = 0; i < keys.size(); ++i) flat[i] = *keys[i];
      out.Pod(flat);
    }
    out.Pod(ns);
  }
  Status ReadState(StateDecoder& in) override {
    SLUICE_RETURN_IF_ERROR(ReadStateTag(in, Tag()));
    std::vector<uint64_t> sizes;
    std::vector<int64_t> ns;
    SLUICE_RETURN_IF_ERROR(in.Pod(&sizes));
    std::vector<uint32_t> lengths;
    std::string_view blob;
    std::vector<Key> flat;
    if constexpr (std::is_same_v<T, std::string_view>) {
      SLUICE_RETURN_IF_ERROR(ReadStrings(in, &lengths, &blob));
    } else {
      SLUICE_RETURN_IF_ERROR(in.Pod(&flat));
    }
    SLUICE_RETURN_IF_ERROR(in.Pod(&ns));
    const size_t total = ns.size();
    if ((std::is_same_v<T, std::string_view> ? lengths.size() : flat.size()) != total) {
      return InconsistentState(in, "DISTINCT values and counts differ in number");
    }
    size_t sum = 0;
    for (uint64_t size : sizes) {
      if (size > total - sum) return InconsistentState(in, "DISTINCT group sizes");
      sum += size;
    }
    if (sum != total) return InconsistentState(in, "DISTINCT group sizes");
    std::vector<Values> values(sizes.size());
    std::vector<int64_t> distinct(sizes.size(), 0);
    size_t next = 0;
    size_t offset = 0;
    for (size_t g = 0; g < sizes.size(); ++g) {
      Values& group = values[g];
      group.reserve(sizes[g]);
      for (uint64_t k = 0; k < sizes[g]; ++k, ++next) {
        bool inserted;
        if constexpr (std::is_same_v<T, std::string_view>) {
          inserted =
              group.emplace(std::string(blob.substr(offset, lengths[next])), ns[next]).second;
          offset += lengths[next];
        } else {
          inserted = group.emplace(flat[next], ns[next]).second;
        }
        if (!inserted || ns[next] == 0) return InconsistentState(in, "DISTINCT value set");
        distinct[g] += ns[next] > 0;
      }
    }
    values_ = std::move(values);
    distinct_ = std::move(distinct);
    return Status::OK();
  }

 private:
  uint32_t Tag() const {
    return StateTag(StateFamily::kDistinct, ValueTypeTag<T>(), inner_ ? 1 : 0);
  }

  template <typename K>
  void Add(uint32_t group, const K& key, int64_t n) {
    Values& values = values_[group];
    auto it = values.find(key);
    const int64_t before = it == values.end() ? 0 : it->second;
    const int64_t after = before + n;
    if (it == values.end()) {
      values.emplace(Key(key), n);
    } else if (after == 0) {
      values.erase(it);
    } else {
      it->second = after;
    }
    distinct_[group] += (after > 0) - (before > 0);
  }

  LogicalType argument_type_;
  std::unique_ptr<AggregateState> inner_;
  std::vector<Values> values_;
  std::vector<int64_t> distinct_;
};

}  // namespace sluice
