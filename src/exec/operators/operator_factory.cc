#include "exec/operators/operator_factory.h"

#include "exec/operators/calc_operator.h"
#include "exec/operators/changelog_normalize/changelog_normalize_operator.h"
#include "exec/operators/group_aggregate_operator.h"
#include "exec/operators/session_window_operator.h"
#include "exec/operators/slicing_window_operator.h"

namespace sluice {

Result<std::unique_ptr<Operator>> CreateOperator(const PlanNode& node) {
  switch (node.kind) {
    case PlanKind::kCalc:
      return CalcOperator::Create(static_cast<const CalcNode&>(node));
    case PlanKind::kWindowAggregate: {
      const auto& window = static_cast<const WindowAggregateNode&>(node);
      if (window.window.kind == WindowKind::kSession) return SessionWindowOperator::Create(window);
      return SlicingWindowOperator::Create(window);
    }
    case PlanKind::kGroupAggregate:
      return GroupAggregateOperator::Create(static_cast<const GroupAggregateNode&>(node));
    case PlanKind::kChangelogNormalize:
      return ChangelogNormalizeOperator::Create(static_cast<const ChangelogNormalizeNode&>(node));
    default:
      return Status::Internal("no operator for plan node " + node.Describe());
  }
}

}  // namespace sluice
