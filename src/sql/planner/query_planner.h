#pragma once
// QueryPlanner: a bound query -> a tree of plan nodes (exec/plan/plan_node.h).
//
// SELECT cores become Scan -> Calc (WHERE + SELECT) for plain queries, and
// Scan -> Calc (WHERE + pre-projection) -> WindowAggregate | GroupAggregate -> Calc (HAVING +
// SELECT) for grouped ones. Scans are shared per table within one compile, so several INSERTs
// reading one table read it once (Flink's statement set). A table of an upsert source
// (ConnectorSpec::changelog_source) is read through a ChangelogNormalize keyed by its PRIMARY KEY
// right after the scan; the pair is shared like a scan.

#include <map>
#include <memory>
#include <string>

#include "runtime/session_config.h"
#include "sql/binder/catalog.h"
#include "sql/planner/relation.h"

namespace sluice {
struct ConnectorSpec;
}

namespace sluice::sql {

class QueryPlanner {
 public:
  /// `extra_connectors` (tests) are searched before the registry, as by the binder.
  QueryPlanner(const Catalog* catalog, const SessionConfig* session,
               std::vector<const ConnectorSpec*> extra_connectors = {})
      : catalog_(catalog), session_(session), extra_connectors_(std::move(extra_connectors)) {}

  /// Plans a full query (WITH, set operations, SELECT).
  Result<Relation> PlanQuery(const QueryExpr& query);

 private:
  struct CteFrame {
    std::map<std::string, const CommonTableExpr*> ctes;
  };

  Result<Relation> PlanQueryBody(const QueryExpr& query);
  Result<Relation> PlanSelect(const SelectCore& select);
  Result<Relation> PlanFrom(const FromItem& from);
  Result<Relation> PlanNamedRelation(const QualifiedName& name, const SourceLocation& location);
  Result<Relation> PlanWindowTvf(const FromItem& from);
  Result<Relation> PlanUnion(const QueryExpr& query);
  Result<Relation> PlanSimpleSelect(const SelectCore& select, Relation input);
  Result<Relation> PlanAggregate(const SelectCore& select, Relation input);
  Result<Relation> Distinct(Relation input, const SourceLocation& location);

  const Catalog* catalog_;
  const SessionConfig* session_;
  std::vector<const ConnectorSpec*> extra_connectors_;
  // lower-case table name -> shared scan (or the ChangelogNormalize over it)
  std::map<std::string, PlanNodePtr> scans_;
  std::vector<CteFrame> cte_frames_;
};

/// A Calc over `input` computing `projections` (optionally filtered), with output names; keeps
/// the rowtime attribute when it is projected as a plain column.
PlanNodePtr MakeCalc(PlanNodePtr input, ExprPtr filter, std::vector<ExprPtr> projections,
                     std::vector<std::string> names);

/// Expression -> output column name: the column's name for a plain reference, else EXPR$<i>.
std::string DefaultColumnName(const ExprNode& expr, size_t index);

}  // namespace sluice::sql
