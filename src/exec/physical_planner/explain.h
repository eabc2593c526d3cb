#pragma once
// ExplainPipeline: what `sluice explain` prints — the logical plan as a tree (each node's
// Describe() and changelog mode) and the physical plan (stages with parallelism, chained
// operators, state and exchanges).
//
// Creates the pipeline's sources and sinks to learn their splits and writer limits (connectors
// do no I/O beyond listing splits there); when that fails the stages are planned with the plain
// parallelism and a note says why. Thread-compatible.

#include <string>
#include <vector>

#include "connectors/connector.h"
#include "exec/physical_planner/physical_plan.h"

namespace sluice {

std::string ExplainPipeline(const PipelinePlan& plan, const SessionConfig& session,
                            const std::vector<const ConnectorSpec*>& extra_connectors = {});

/// The logical part only: one node per line, children indented under "+- ".
std::string ExplainLogicalPlan(const PipelinePlan& plan);

/// "[append]" or "[changelog +I,-U,+U,-D]".
std::string ChangelogModeName(ChangelogMode mode);

}  // namespace sluice
