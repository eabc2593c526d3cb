#pragma once
// CreateOperator: the operator for a Calc, WindowAggregate, GroupAggregate or ChangelogNormalize
// plan node (the physical planner's entry point into this folder; Scan, Union and Sink belong to
// the runtime).
// Each call returns a fresh instance with its own state, one per parallel slot.

#include <memory>

#include "exec/plan/plan_node.h"
#include "runtime/operator.h"

namespace sluice {

/// Checks the node (window sizes, aggregate types against the output schema) and builds the
/// operator: CalcOperator, SlicingWindowOperator (TUMBLE/HOP/CUMULATE), SessionWindowOperator,
/// GroupAggregateOperator or ChangelogNormalizeOperator. Other kinds are an Internal error.
Result<std::unique_ptr<Operator>> CreateOperator(const PlanNode& node);

}  // namespace sluice
