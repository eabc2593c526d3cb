#pragma once
// PhysicalPlan: the logical plan cut into stages — chains of operators that run together in one
// task per parallel instance — and the exchanges (edges) between stages. It is what `sluice
// explain` prints and what the Job instantiates as tasks and channels.
//
// Immutable once built. Stages point at the plan's nodes (owned by the PipelinePlan, which must
// outlive the PhysicalPlan) and are in topological order: every edge goes from a lower stage id
// to a higher one.

#include <string>
#include <vector>

#include "exec/plan/plan_node.h"

namespace sluice {

enum class EdgeKind : uint8_t {
  kForward,    // instance i -> instance i (same parallelism)
  kHash,       // by hash of the key columns: all rows of a key meet one instance
  kRebalance,  // whole batches round-robin (parallelism changes, no key)
  kGlobal,     // everything into the single instance of a global (keyless) aggregate
};

/// "forward", "hash[user, item]", "rebalance", "global".
std::string EdgeKindName(EdgeKind kind);

struct StageEdge {
  int from_stage = 0;
  int to_stage = 0;
  EdgeKind kind = EdgeKind::kForward;
  std::vector<int> keys;               // kHash: key columns in the rows on this edge
  std::vector<std::string> key_names;  // for printing
  std::string ToString() const;        // "hash[user]"
};

struct Stage {
  int id = 0;
  int parallelism = 1;
  /// The scan this stage reads, for source stages (then it has no input edges).
  const ScanNode* source = nullptr;
  /// Splits of the source (source stages only): parallelism = max(1, min(parallelism, splits)).
  int source_splits = 0;
  /// Operators chained in this stage, in data order (Calc, WindowAggregate, GroupAggregate,
  /// ChangelogNormalize).
  std::vector<const PlanNode*> operators;
  /// The sink written at the end of the chain, if the chain ends in one.
  const SinkNode* sink = nullptr;
  /// Edges into / out of this stage (indices into PhysicalPlan::edges), in producer order.
  std::vector<int> inputs;
  std::vector<int> outputs;

  /// "window slices keyed by group key", "accumulators per key", "stateless", ...
  std::string StateDescription() const;
  /// "TableSourceScan(orders) -> Calc -> TumbleWindow -> Sink(out)".
  std::string ChainDescription() const;
};

struct PhysicalPlan {
  std::vector<Stage> stages;
  std::vector<StageEdge> edges;

  /// The stages, one block each: parallelism, chain, state, input/output edges.
  std::string ToString() const;
};

/// Short operator name of a plan node as EXPLAIN shows it in a chain: "Calc", "TumbleWindow",
/// "GroupAggregate", "TableSourceScan(orders)", "Sink(out)".
std::string ChainName(const PlanNode& node);
/// What state a node keeps, or "" when it keeps none.
std::string NodeState(const PlanNode& node);

}  // namespace sluice
