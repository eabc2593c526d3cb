#pragma once
// Canonical texts for operator signatures: expressions resolved down to source columns, window
// specs, aggregates, durations, literals and the lineage of a subtree. Everything here feeds
// operator uids, so it is written out explicitly (not via Describe()/ToString(), which may change
// for EXPLAIN's sake); changing an output here needs a new kSignatureVersion.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "exec/plan/plan_node.h"

namespace sluice {

/// Resolves column references through Calcs, ChangelogNormalize and Unions down to the columns
/// of source tables (computed columns expanded), so that projections can be reordered or
/// renamed without changing the text. Aggregate outputs resolve to their key expression or
/// "SUM(amount)"; window columns to window_start / window_end / window_time.
class CanonicalResolver {
 public:
  /// Output column `column` of `node`.
  std::string Column(const PlanNode& node, int column);
  /// `expr`, bound over the output of `input`.
  std::string Expr(const BoundExpr& expr, const PlanNode& input);
  /// The conjuncts of a filter (AND flattened), each canonical, sorted and deduplicated.
  std::vector<std::string> Conjuncts(const BoundExpr& filter, const PlanNode& input);
  /// "COUNT(*)", "SUM(amount)", "COUNT(DISTINCT customer_id)" over `input`.
  std::string Aggregate(const AggregateCall& call, const PlanNode& input);

 private:
  std::string ScanColumn(const TableDef& table, int column);
  std::map<std::pair<const PlanNode*, int>, std::string> memo_;
};

/// Where the rows reaching a node come from (the whole upstream subtree).
struct Lineage {
  std::vector<std::string> sources;   // SourceDescriptor of every scanned table
  std::vector<std::string> filters;   // canonical conjuncts of every upstream Calc filter
  std::vector<std::string> upstream;  // UpstreamDescriptor of every upstream stateful node
};
/// Each list sorted and deduplicated (statement order or plan shape do not matter).
Lineage CollectLineage(const PlanNode& root, CanonicalResolver& resolver);

/// "orders (kafka, topic=orders)": the table, its connector and the options that identify the
/// data it reads or writes (topic, path, database table, generator seed and fields) — not
/// servers, formats, startup modes or buffering.
std::string SourceDescriptor(const TableDef& table);
/// The identifying options alone: {"topic=orders"}.
std::vector<std::string> TargetOptions(const TableDef& table);

/// "Tumble(size=1 min)", "Hop(size=10 min, slide=1 min)", "Cumulate(size=1 h, step=10 min)",
/// "Session(gap=30 s)", plus ", offset=…" and ", ltz" when set.
std::string CanonicalWindow(const WindowSpec& window);
/// "0", "500 ms", "5 min", "1 d", "7 us": the largest unit dividing the value.
std::string CanonicalDuration(int64_t micros);
/// Accumulator kind and types: "COUNT(*) BIGINT", "SUM(DECIMAL(10, 2)) DECIMAL(38, 2)".
std::string AccumulatorDescriptor(const AggregateCall& call);
/// "GroupAggregate(keys=[customer_id], aggs=[COUNT(*)])" for upstream stateful nodes.
std::string UpstreamDescriptor(const PlanNode& node, CanonicalResolver& resolver);

}  // namespace sluice
