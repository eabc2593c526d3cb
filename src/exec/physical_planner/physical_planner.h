#pragma once
// PlanStages: cuts a PipelinePlan into stages (physical_plan.h).
//
// Rules (as Flink's operator chaining):
//   * a scan starts a source stage: parallelism = max(1, min(parallelism, splits));
//   * a keyed operator (WindowAggregate, GroupAggregate, ChangelogNormalize) starts a stage
//     behind a hash exchange on its group keys (ChangelogNormalize: the primary key); without
//     keys it is a single-instance stage behind a global exchange;
//   * a Calc is chained into its input's stage, and a sink too when the sink supports that many
//     writers — unless the input is a Union or has several consumers (a node shared by the
//     INSERTs of a statement set fans out to a new stage per consumer);
//   * a sink that supports fewer writers gets its own stage (parallelism = its maximum) behind a
//     rebalance edge;
//   * a Union is not a stage: every input of it feeds the consumer's stage directly;
//   * other new stages get the session parallelism; between stages of equal parallelism a
//     non-keyed edge is forward, otherwise rebalance.
// Pure function of its inputs; thread-compatible.

#include <functional>

#include "exec/physical_planner/physical_plan.h"

namespace sluice {

struct PhysicalPlanInputs {
  /// Instances per stage ('parallelism.default' or the CLI's --parallelism).
  int parallelism = 1;
  /// Splits of each scanned source.
  std::function<int(const ScanNode&)> source_splits;
  /// Writers each sink supports at once (Sink::MaxParallelism()).
  std::function<int(const SinkNode&)> sink_max_parallelism;
};

/// Internal error for malformed plans (wrong number of inputs, a cycle).
Result<PhysicalPlan> PlanStages(const PipelinePlan& plan, const PhysicalPlanInputs& inputs);

}  // namespace sluice
