#pragma once
// The window operators' checkpoint test cases: every window kind with fixed-width, byte-string,
// composite and no keys, with and without allowed lateness (fired windows kept for re-firing).

#include <string>
#include <vector>

#include "exec/operators/tests/checkpoint_inputs.h"
#include "exec/operators/tests/operator_harness.h"

namespace sluice {
namespace testing {

inline std::vector<AggregateCall> WindowAggregates() {
  using K = AggregateKind;
  const LogicalType name = LogicalType::Varchar();
  const LogicalType amount = LogicalType::Decimal(10, 2);
  const LogicalType price = LogicalType::Double();
  return {CountStar(),
          Agg(K::kCount, kName, name),
          Agg(K::kSum, kAmount, amount),
          Agg(K::kAvg, kAmount, amount),
          Agg(K::kSum, kPrice, price),
          Agg(K::kMin, kName, name),
          Agg(K::kMax, kPrice, price),
          Agg(K::kMin, kTs, LogicalType::Timestamp(3)),
          Agg(K::kCount, kName, name, /*distinct=*/true),
          Agg(K::kSum, kAmount, amount, /*distinct=*/true),
          Agg(K::kAvg, kPrice, price, /*distinct=*/true)};
}

struct WindowCase {
  std::string label;
  WindowSpec window;
  std::vector<int> keys;
  int64_t lateness;

  std::shared_ptr<WindowAggregateNode> Node() const {
    return WindowNode(InputNode(EventFields()), window, keys, WindowAggregates(), lateness);
  }
};

/// Every key layout and lateness for each of `windows` (label, spec).
inline std::vector<WindowCase> WindowCases(
    const std::vector<std::pair<std::string, WindowSpec>>& windows) {
  std::vector<WindowCase> cases;
  for (const auto& [label, window] : windows) {
    for (const auto& [key_label, keys] : std::vector<std::pair<std::string, std::vector<int>>>{
             {"name", {kName}}, {"id", {kId}}, {"name,id", {kName, kId}}, {"none", {}}}) {
      for (int64_t lateness : {int64_t{0}, Seconds(30)}) {
        cases.push_back({label + " keys=" + key_label +
                             " lateness=" + std::to_string(lateness / kMicrosPerSecond) + "s",
                         window, keys, lateness});
      }
    }
  }
  return cases;
}

}  // namespace testing
}  // namespace sluice
