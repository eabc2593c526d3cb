#include "exec/physical_planner/physical_planner.h"

#include <algorithm>
#include <climits>
#include <map>
#include <set>

namespace sluice {

namespace {

bool IsKeyed(const PlanNode& node) {
  return node.kind == PlanKind::kWindowAggregate || node.kind == PlanKind::kGroupAggregate ||
         node.kind == PlanKind::kChangelogNormalize;
}

const std::vector<int>& GroupKeys(const PlanNode& node) {
  if (node.kind == PlanKind::kWindowAggregate) {
    return static_cast<const WindowAggregateNode&>(node).group_keys;
  }
  if (node.kind == PlanKind::kChangelogNormalize) {
    return static_cast<const ChangelogNormalizeNode&>(node).keys;
  }
  return static_cast<const GroupAggregateNode&>(node).group_keys;
}

class StagePlanner {
 public:
  explicit StagePlanner(const PhysicalPlanInputs& inputs)
      : inputs_(inputs), parallelism_(std::max(1, inputs.parallelism)) {}

  Result<PhysicalPlan> Run(const PipelinePlan& plan) {
    for (const auto& sink : plan.sinks) {
      if (!sink) return Status::Internal("pipeline has a null sink");
      std::set<const PlanNode*> visiting;
      SLUICE_RETURN_IF_ERROR(CountConsumers(sink.get(), &visiting));
    }
    for (const auto& sink : plan.sinks) {
      auto stage = StageFor(sink.get());
      if (!stage.ok()) return stage.status();
    }
    return std::move(plan_);
  }

 private:
  Status CountConsumers(const PlanNode* node, std::set<const PlanNode*>* visiting) {
    size_t expected_inputs = node->kind == PlanKind::kScan ? 0 : 1;
    if (node->kind == PlanKind::kUnion ? node->inputs.empty()
                                       : node->inputs.size() != expected_inputs) {
      return Status::Internal("plan node " + node->Describe() + " has " +
                              std::to_string(node->inputs.size()) + " inputs");
    }
    if (!visiting->insert(node).second) {
      return Status::Internal("plan has a cycle at " + node->Describe());
    }
    bool first_visit = counted_.insert(node).second;
    for (const auto& input : node->inputs) {
      if (!input) return Status::Internal("plan node " + node->Describe() + " has a null input");
      ++consumers_[input.get()];
      if (first_visit) SLUICE_RETURN_IF_ERROR(CountConsumers(input.get(), visiting));
    }
    visiting->erase(node);
    return Status::OK();
  }

  int NewStage(int parallelism) {
    Stage stage;
    stage.id = static_cast<int>(plan_.stages.size());
    stage.parallelism = std::max(1, parallelism);
    plan_.stages.push_back(std::move(stage));
    return plan_.stages.back().id;
  }

  /// The nodes whose output reaches `input`'s consumer: `input` itself, or a union's inputs.
  void Producers(const PlanNode* input, std::vector<const PlanNode*>* out) {
    if (input->kind != PlanKind::kUnion) {
      out->push_back(input);
      return;
    }
    for (const auto& in : input->inputs) Producers(in.get(), out);
  }

  /// Can `consumer` run in the same task as `input`?
  bool CanChain(const PlanNode* input) const {
    if (input->kind == PlanKind::kUnion) return false;
    auto it = consumers_.find(input);
    return it != consumers_.end() && it->second == 1;
  }

  /// Resolves the producer stages of `consumer`'s input, opens a stage for it and connects them.
  Result<int> NewStageBehindExchange(const PlanNode* consumer, int parallelism) {
    std::vector<const PlanNode*> producers;
    Producers(consumer->inputs[0].get(), &producers);
    std::vector<int> from;
    for (const PlanNode* p : producers) {
      SLUICE_ASSIGN_OR_RETURN(int stage, StageFor(p));
      from.push_back(stage);
    }
    if (consumer->kind == PlanKind::kCalc) {
      // A stateless stage behind a fan-out or a union keeps its producers' parallelism, so the
      // edge is forward: rebalancing one producer's rows over several instances would let rows
      // overtake the watermark that preceded them, making lateness depend on timing.
      parallelism = 1;
      for (int f : from) parallelism = std::max(parallelism, plan_.stages[f].parallelism);
    }
    int to = NewStage(parallelism);
    // Key names come from the input layout (a union has its first input's layout).
    const Schema& input_schema = consumer->inputs[0]->output_schema;
    for (int f : from) {
      StageEdge edge;
      edge.from_stage = f;
      edge.to_stage = to;
      if (IsKeyed(*consumer)) {
        edge.keys = GroupKeys(*consumer);
        edge.kind = edge.keys.empty() ? EdgeKind::kGlobal : EdgeKind::kHash;
        for (int k : edge.keys) {
          edge.key_names.push_back(k >= 0 && k < static_cast<int>(input_schema.size())
                                       ? input_schema[k].name
                                       : "$" + std::to_string(k));
        }
      } else {
        edge.kind = plan_.stages[f].parallelism == plan_.stages[to].parallelism
                        ? EdgeKind::kForward
                        : EdgeKind::kRebalance;
      }
      int index = static_cast<int>(plan_.edges.size());
      plan_.edges.push_back(std::move(edge));
      plan_.stages[f].outputs.push_back(index);
      plan_.stages[to].inputs.push_back(index);
    }
    return to;
  }

  Result<int> StageFor(const PlanNode* node) {
    auto memo = stage_of_.find(node);
    if (memo != stage_of_.end()) return memo->second;
    int stage = -1;
    switch (node->kind) {
      case PlanKind::kScan: {
        const auto* scan = static_cast<const ScanNode*>(node);
        int splits = inputs_.source_splits ? inputs_.source_splits(*scan) : parallelism_;
        stage = NewStage(std::min(parallelism_, splits));
        plan_.stages[stage].source = scan;
        plan_.stages[stage].source_splits = splits;
        break;
      }
      case PlanKind::kCalc: {
        const PlanNode* input = node->inputs[0].get();
        if (CanChain(input)) {
          SLUICE_ASSIGN_OR_RETURN(stage, StageFor(input));
        } else {
          SLUICE_ASSIGN_OR_RETURN(stage, NewStageBehindExchange(node, parallelism_));
        }
        plan_.stages[stage].operators.push_back(node);
        break;
      }
      case PlanKind::kWindowAggregate:
      case PlanKind::kGroupAggregate:
      case PlanKind::kChangelogNormalize: {
        int parallelism = GroupKeys(*node).empty() ? 1 : parallelism_;
        SLUICE_ASSIGN_OR_RETURN(stage, NewStageBehindExchange(node, parallelism));
        plan_.stages[stage].operators.push_back(node);
        break;
      }
      case PlanKind::kSink: {
        const auto* sink = static_cast<const SinkNode*>(node);
        int max_writers =
            inputs_.sink_max_parallelism ? inputs_.sink_max_parallelism(*sink) : INT_MAX;
        max_writers = std::max(1, max_writers);
        const PlanNode* input = node->inputs[0].get();
        if (CanChain(input)) {
          SLUICE_ASSIGN_OR_RETURN(int input_stage, StageFor(input));
          if (plan_.stages[input_stage].parallelism <= max_writers) stage = input_stage;
        }
        if (stage < 0) {
          SLUICE_ASSIGN_OR_RETURN(
              stage, NewStageBehindExchange(node, std::min(parallelism_, max_writers)));
        }
        plan_.stages[stage].sink = sink;
        break;
      }
      case PlanKind::kUnion:
        return Status::Internal("a Union has no stage of its own");
    }
    stage_of_[node] = stage;
    return stage;
  }

  const PhysicalPlanInputs& inputs_;
  int parallelism_;
  PhysicalPlan plan_;
  std::map<const PlanNode*, int> consumers_;
  std::set<const PlanNode*> counted_;
  std::map<const PlanNode*, int> stage_of_;
};

}  // namespace

Result<PhysicalPlan> PlanStages(const PipelinePlan& plan, const PhysicalPlanInputs& inputs) {
  StagePlanner planner(inputs);
  return planner.Run(plan);
}

}  // namespace sluice
