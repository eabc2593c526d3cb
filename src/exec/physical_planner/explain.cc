#include "exec/physical_planner/explain.h"

#include <set>

#include "exec/physical_planner/pipeline_connectors.h"

namespace sluice {

namespace {

void PrintTree(const PlanNode& node, const std::string& indent, bool is_root,
               std::set<const PlanNode*>* printed, std::string* out) {
  *out +=
      indent + (is_root ? "" : "+- ") + node.Describe() + " " + ChangelogModeName(node.changelog);
  // A node shared by several consumers (statement set) is printed in full once.
  if (!printed->insert(&node).second) {
    *out += " (shared, see above)\n";
    return;
  }
  *out += "\n";
  std::string child_indent = is_root ? indent : indent + "   ";
  for (const auto& input : node.inputs) PrintTree(*input, child_indent, false, printed, out);
}

}  // namespace

std::string ChangelogModeName(ChangelogMode mode) {
  return mode == ChangelogMode::kUpdating ? "[changelog +I,-U,+U,-D]" : "[append]";
}

std::string ExplainLogicalPlan(const PipelinePlan& plan) {
  std::string out;
  std::set<const PlanNode*> printed;
  for (const auto& sink : plan.sinks) PrintTree(*sink, "", true, &printed, &out);
  return out;
}

std::string ExplainPipeline(const PipelinePlan& plan, const SessionConfig& session,
                            const std::vector<const ConnectorSpec*>& extra_connectors) {
  const int parallelism = session.Parallelism();
  std::string out = "== Logical Plan ==\n" + ExplainLogicalPlan(plan);
  out += "\n== Physical Plan (parallelism " + std::to_string(parallelism) + ") ==\n";

  std::string note;
  PhysicalPlanInputs inputs;
  inputs.parallelism = parallelism;
  auto connectors = PipelineConnectors::Create(plan, session, parallelism, extra_connectors);
  if (connectors.ok()) {
    inputs = connectors->PlannerInputs(parallelism);
  } else {
    note = "note: splits and sink limits unknown (" + connectors.status().ToString() +
           "); stages assume parallelism " + std::to_string(parallelism) + "\n";
  }
  auto stages = PlanStages(plan, inputs);
  if (!stages.ok()) return out + "error: " + stages.status().ToString() + "\n";
  return out + stages->ToString() + note;
}

}  // namespace sluice
