#include "exec/physical_planner/physical_plan.h"

namespace sluice {

std::string EdgeKindName(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::kForward:
      return "forward";
    case EdgeKind::kHash:
      return "hash";
    case EdgeKind::kRebalance:
      return "rebalance";
    case EdgeKind::kGlobal:
      return "global";
  }
  return "?";
}

std::string StageEdge::ToString() const {
  std::string s = EdgeKindName(kind);
  if (kind != EdgeKind::kHash) return s;
  s += "[";
  for (size_t i = 0; i < key_names.size(); ++i) {
    if (i) s += ", ";
    s += key_names[i];
  }
  return s + "]";
}

std::string ChainName(const PlanNode& node) {
  switch (node.kind) {
    case PlanKind::kScan:
      return "TableSourceScan(" + static_cast<const ScanNode&>(node).table->name + ")";
    case PlanKind::kSink:
      return "Sink(" + static_cast<const SinkNode&>(node).table->name + ")";
    case PlanKind::kWindowAggregate:
      return WindowKindName(static_cast<const WindowAggregateNode&>(node).window.kind) + "Window";
    case PlanKind::kCalc:
      return "Calc";
    case PlanKind::kGroupAggregate:
      return "GroupAggregate";
    case PlanKind::kChangelogNormalize:
      return "ChangelogNormalize";
    case PlanKind::kUnion:
      return "Union";
  }
  return "?";
}

std::string NodeState(const PlanNode& node) {
  if (node.kind == PlanKind::kWindowAggregate) {
    const auto& window = static_cast<const WindowAggregateNode&>(node);
    std::string what =
        window.window.kind == WindowKind::kSession ? "session windows" : "window slices";
    return what + (window.group_keys.empty() ? " (global)" : " keyed by group key");
  }
  if (node.kind == PlanKind::kGroupAggregate) {
    const auto& group = static_cast<const GroupAggregateNode&>(node);
    return group.group_keys.empty() ? "one global accumulator" : "accumulators per key";
  }
  if (node.kind == PlanKind::kChangelogNormalize) return "last row per primary key";
  return "";
}

std::string Stage::StateDescription() const {
  std::string s;
  for (const PlanNode* node : operators) {
    std::string state = NodeState(*node);
    if (state.empty()) continue;
    if (!s.empty()) s += "; ";
    s += state;
  }
  return s.empty() ? "stateless" : s;
}

std::string Stage::ChainDescription() const {
  std::string s;
  auto add = [&](const PlanNode& node) {
    if (!s.empty()) s += " -> ";
    s += ChainName(node);
  };
  if (source) add(*source);
  for (const PlanNode* node : operators) add(*node);
  if (sink) add(*sink);
  return s;
}

std::string PhysicalPlan::ToString() const {
  std::string out;
  for (const Stage& stage : stages) {
    out += "Stage " + std::to_string(stage.id) + " (parallelism " +
           std::to_string(stage.parallelism) + ")\n";
    out += "  chain:  " + stage.ChainDescription() + "\n";
    out += "  state:  " + stage.StateDescription() + "\n";
    if (stage.source) {
      out += "  input:  source splits: " + std::to_string(stage.source_splits) + "\n";
    }
    for (int e : stage.inputs) {
      out += "  input:  " + edges[e].ToString() + " <- Stage " +
             std::to_string(edges[e].from_stage) + "\n";
    }
    for (int e : stage.outputs) {
      out += "  output: " + edges[e].ToString() + " -> Stage " + std::to_string(edges[e].to_stage) +
             "\n";
    }
  }
  return out;
}

}  // namespace sluice
