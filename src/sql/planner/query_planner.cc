#include "sql/planner/query_planner.h"

#include "common/did_you_mean.h"
#include "connectors/connector.h"
#include "exec/functions/function_registry.h"
#include "sql/binder/expression_binder.h"

namespace sluice::sql {

namespace {

Scope QualifiedScope(const Schema& schema, const std::string& qualifier) {
  std::vector<ScopeColumn> columns;
  for (const auto& f : schema.fields) columns.push_back({f.name, qualifier, f.type});
  return Scope(std::move(columns));
}

}  // namespace

std::string DefaultColumnName(const ExprNode& expr, size_t index) {
  if (expr.kind == ExprNodeKind::kColumnRef) return expr.name.last().name;
  return "EXPR$" + std::to_string(index);
}

PlanNodePtr MakeCalc(PlanNodePtr input, ExprPtr filter, std::vector<ExprPtr> projections,
                     std::vector<std::string> names) {
  auto calc = std::make_shared<CalcNode>();
  calc->filter = std::move(filter);
  calc->changelog = input->changelog;
  for (size_t i = 0; i < projections.size(); ++i) {
    const ExprPtr& p = projections[i];
    Field field{names[i], p->type, true};
    if (p->kind == ExprKind::kColumnRef) {
      field.nullable = input->output_schema[p->column].nullable;
      if (p->column == input->rowtime_column && calc->rowtime_column < 0) {
        calc->rowtime_column = static_cast<int>(i);
      }
    }
    calc->output_schema.fields.push_back(std::move(field));
  }
  calc->projections = std::move(projections);
  calc->inputs.push_back(std::move(input));
  return calc;
}

Result<Relation> QueryPlanner::PlanQuery(const QueryExpr& query) {
  bool pushed = false;
  if (!query.with.empty()) {
    CteFrame frame;
    for (const auto& cte : query.with) frame.ctes[Lower(cte.name.name)] = &cte;
    cte_frames_.push_back(std::move(frame));
    pushed = true;
  }
  auto result = PlanQueryBody(query);
  if (pushed) cte_frames_.pop_back();
  if (!result.ok()) return result;
  if (!query.order_by.empty()) {
    return ErrorAt(query.order_by[0].location, ErrorCode::kUnsupported,
                   "ORDER BY is not supported on a streaming query (results are continuous); sort "
                   "in the sink or in a query over it");
  }
  if (query.limit || query.offset) {
    return ErrorAt(query.location, ErrorCode::kUnsupported,
                   "LIMIT/OFFSET are not supported on a streaming query yet");
  }
  return result;
}

Result<Relation> QueryPlanner::PlanQueryBody(const QueryExpr& query) {
  switch (query.kind) {
    case QueryKind::kSelect:
      return PlanSelect(*query.select);
    case QueryKind::kSetOp:
      return PlanUnion(query);
    case QueryKind::kValues:
      return ErrorAt(query.location, ErrorCode::kUnsupported, "VALUES is not supported yet");
  }
  return ErrorAt(query.location, ErrorCode::kInternal, "unknown query kind");
}

Result<Relation> QueryPlanner::PlanUnion(const QueryExpr& query) {
  if (query.set_op != SetOpKind::kUnion) {
    return ErrorAt(query.location, ErrorCode::kUnsupported,
                   "INTERSECT and EXCEPT are not supported yet");
  }
  SLUICE_ASSIGN_OR_RETURN(Relation left, PlanQuery(*query.left));
  SLUICE_ASSIGN_OR_RETURN(Relation right, PlanQuery(*query.right));
  if (left.window || right.window) {
    return ErrorAt(query.location, ErrorCode::kUnsupported,
                   "UNION of window table function results must be aggregated first");
  }
  const Schema& ls = left.node->output_schema;
  const Schema& rs = right.node->output_schema;
  if (ls.size() != rs.size()) {
    return ErrorAt(query.location, ErrorCode::kBindError,
                   "UNION inputs have different numbers of columns: " + std::to_string(ls.size()) +
                       " and " + std::to_string(rs.size()));
  }
  std::vector<LogicalType> types;
  for (size_t i = 0; i < ls.size(); ++i) {
    auto common = CommonSuperType(ls[i].type, rs[i].type);
    if (!common.ok()) {
      return ErrorAt(query.location, ErrorCode::kTypeError,
                     "UNION column " + std::to_string(i + 1) + " ('" + ls[i].name +
                         "'): " + common.status().message());
    }
    types.push_back(*common);
  }
  auto coerce = [&](Relation& rel) -> Status {
    const Schema& s = rel.node->output_schema;
    bool needed = false;
    std::vector<ExprPtr> projections;
    std::vector<std::string> names;
    for (size_t i = 0; i < s.size(); ++i) {
      ExprPtr ref = BoundExpr::ColumnRef(static_cast<int>(i), s[i].type, s[i].name);
      if (s[i].type != types[i]) {
        needed = true;
        SLUICE_ASSIGN_OR_RETURN(ref, CoerceTo(ref, types[i]));
      }
      projections.push_back(ref);
      names.push_back(ls[i].name);
    }
    if (needed) rel.node = MakeCalc(rel.node, nullptr, std::move(projections), std::move(names));
    return Status::OK();
  };
  SLUICE_RETURN_IF_ERROR(AddLocation(coerce(left), query.location));
  SLUICE_RETURN_IF_ERROR(AddLocation(coerce(right), query.location));
  auto node = std::make_shared<UnionNode>();
  node->output_schema = left.node->output_schema;
  for (size_t i = 0; i < types.size(); ++i) {
    node->output_schema.fields[i].type = types[i];
    node->output_schema.fields[i].nullable = ls[i].nullable || rs[i].nullable;
  }
  if (left.node->rowtime_column >= 0 && left.node->rowtime_column == right.node->rowtime_column) {
    node->rowtime_column = left.node->rowtime_column;
  }
  node->changelog = (left.node->changelog == ChangelogMode::kUpdating ||
                     right.node->changelog == ChangelogMode::kUpdating)
                        ? ChangelogMode::kUpdating
                        : ChangelogMode::kAppendOnly;
  node->inputs = {left.node, right.node};
  Relation out{node, QualifiedScope(node->output_schema, ""), std::nullopt};
  if (!query.set_all) return Distinct(std::move(out), query.location);
  return out;
}

Result<Relation> QueryPlanner::Distinct(Relation input, const SourceLocation& location) {
  auto agg = std::make_shared<GroupAggregateNode>();
  const Schema& s = input.node->output_schema;
  for (size_t i = 0; i < s.size(); ++i) agg->group_keys.push_back(static_cast<int>(i));
  agg->output_schema = s;
  agg->changelog = ChangelogMode::kUpdating;
  agg->inputs.push_back(input.node);
  return Relation{agg, QualifiedScope(s, ""), std::nullopt};
}

Result<Relation> QueryPlanner::PlanNamedRelation(const QualifiedName& name,
                                                 const SourceLocation& location) {
  std::string key = Lower(name.last().name);
  if (name.parts.size() == 1) {
    for (auto it = cte_frames_.rbegin(); it != cte_frames_.rend(); ++it) {
      auto found = it->ctes.find(key);
      if (found == it->ctes.end()) continue;
      const CommonTableExpr* cte = found->second;
      SLUICE_ASSIGN_OR_RETURN(Relation rel, PlanQuery(*cte->query));
      if (!cte->columns.empty()) {
        if (cte->columns.size() != rel.node->output_schema.size()) {
          return ErrorAt(cte->name.location, ErrorCode::kBindError,
                         "WITH " + cte->name.name + " names " +
                             std::to_string(cte->columns.size()) + " columns but its query has " +
                             std::to_string(rel.node->output_schema.size()));
        }
        std::vector<ScopeColumn> cols = rel.scope.columns();
        for (size_t i = 0; i < cte->columns.size(); ++i) cols[i].name = cte->columns[i].name;
        rel.scope = Scope(std::move(cols));
      }
      return rel;
    }
  }
  if (auto table = catalog_->FindTable(name.last().name)) {
    auto found = scans_.find(key);
    if (found == scans_.end()) {
      auto node = std::make_shared<ScanNode>();
      node->table = table;
      node->output_schema = table->FullSchema();
      node->rowtime_column = table->watermark ? table->watermark->rowtime_column : -1;
      auto spec = FindConnector(table->ConnectorName(), extra_connectors_);
      const ConnectorSpec* connector = spec.ok() ? *spec : nullptr;
      PlanNodePtr read = node;
      if (ProducesChangelog(*table, connector)) {
        node->changelog = ChangelogMode::kUpdating;
        // An upsert source (+U rows without -U, -D rows maybe with only the key) becomes a
        // proper changelog through ChangelogNormalize keyed by the PRIMARY KEY, as in Flink.
        // Formats producing full changelogs (debezium-json) need none.
        // The binder made sure such a table has a PRIMARY KEY.
        if (connector && connector->changelog_source) {
          auto normalize = std::make_shared<ChangelogNormalizeNode>();
          normalize->keys = table->primary_key;  // scan columns are the table's, in order
          normalize->output_schema = node->output_schema;
          normalize->rowtime_column = node->rowtime_column;
          normalize->changelog = ChangelogMode::kUpdating;
          normalize->inputs.push_back(node);
          read = normalize;
        }
      }
      found = scans_.emplace(key, read).first;
    }
    const PlanNodePtr& read = found->second;
    return Relation{read, QualifiedScope(read->output_schema, table->name), std::nullopt};
  }
  if (const ViewDef* view = catalog_->FindView(name.last().name)) {
    SLUICE_ASSIGN_OR_RETURN(Relation rel, PlanQuery(*view->query));
    std::vector<ScopeColumn> cols = rel.scope.columns();
    for (size_t i = 0; i < cols.size(); ++i) {
      cols[i].qualifier = view->name;
      if (i < view->column_names.size()) cols[i].name = view->column_names[i];
    }
    rel.scope = Scope(std::move(cols));
    return rel;
  }
  return ErrorAt(location, ErrorCode::kNotFound,
                 "unknown table or view '" + name.ToString() + "'" +
                     DidYouMeanSuffix(name.last().name, catalog_->Names()));
}

Result<Relation> QueryPlanner::PlanFrom(const FromItem& from) {
  Relation rel;
  switch (from.kind) {
    case FromKind::kTable: {
      if (from.system_time) {
        return ErrorAt(from.location, ErrorCode::kUnsupported,
                       "temporal joins (FOR SYSTEM_TIME AS OF) are not supported yet");
      }
      SLUICE_ASSIGN_OR_RETURN(rel, PlanNamedRelation(from.name, from.location));
      break;
    }
    case FromKind::kSubquery: {
      SLUICE_ASSIGN_OR_RETURN(rel, PlanQuery(*from.subquery));
      break;
    }
    case FromKind::kTableFunction: {
      SLUICE_ASSIGN_OR_RETURN(rel, PlanWindowTvf(from));
      break;
    }
    case FromKind::kJoin:
      return ErrorAt(
          from.location, ErrorCode::kUnsupported,
          "joins are not supported yet (interval, lookup and regular joins are planned)");
  }
  if (from.has_alias() || !from.column_aliases.empty()) {
    std::vector<ScopeColumn> cols = rel.scope.columns();
    if (!from.column_aliases.empty() && from.column_aliases.size() != cols.size()) {
      return ErrorAt(from.location, ErrorCode::kBindError,
                     "alias lists " + std::to_string(from.column_aliases.size()) +
                         " columns but the relation has " + std::to_string(cols.size()));
    }
    for (size_t i = 0; i < cols.size(); ++i) {
      if (from.has_alias()) cols[i].qualifier = from.alias.name;
      if (!from.column_aliases.empty()) cols[i].name = from.column_aliases[i].name;
    }
    rel.scope = Scope(std::move(cols));
  }
  return rel;
}

Result<Relation> QueryPlanner::PlanSelect(const SelectCore& select) {
  if (!select.from) {
    return ErrorAt(select.location, ErrorCode::kUnsupported,
                   "SELECT without FROM is not supported in a streaming pipeline");
  }
  SLUICE_ASSIGN_OR_RETURN(Relation input, PlanFrom(*select.from));
  bool has_aggregates = !select.group_by.empty() || select.having != nullptr;
  if (!has_aggregates) {
    // Any aggregate call in the select list makes it a global aggregate.
    std::function<bool(const ExprNode&)> contains = [&](const ExprNode& e) {
      if (e.kind == ExprNodeKind::kFunctionCall && IsAggregateFunction(Lower(e.name.ToString())) &&
          !e.over) {
        return true;
      }
      for (const auto& a : e.args) {
        if (a && contains(*a)) return true;
      }
      for (const auto& w : e.when_clauses) {
        if (contains(*w.condition) || contains(*w.result)) return true;
      }
      if (e.case_operand && contains(*e.case_operand)) return true;
      if (e.else_result && contains(*e.else_result)) return true;
      return false;
    };
    for (const auto& item : select.items) {
      if (contains(*item.expr)) has_aggregates = true;
    }
  }
  if (has_aggregates) {
    SLUICE_ASSIGN_OR_RETURN(Relation out, PlanAggregate(select, std::move(input)));
    if (select.distinct) return Distinct(std::move(out), select.location);
    return out;
  }
  if (input.window) {
    return ErrorAt(input.window->location, ErrorCode::kUnsupported,
                   "a window table function must be followed by GROUP BY window_start, window_end "
                   "(window assignment without aggregation is not supported yet)");
  }
  SLUICE_ASSIGN_OR_RETURN(Relation out, PlanSimpleSelect(select, std::move(input)));
  if (select.distinct) return Distinct(std::move(out), select.location);
  return out;
}

Result<Relation> QueryPlanner::PlanSimpleSelect(const SelectCore& select, Relation input) {
  ExpressionBinder binder(&input.scope);
  ExprPtr filter;
  if (select.where) {
    SLUICE_ASSIGN_OR_RETURN(filter, binder.Bind(*select.where));
    if (filter->type.id != TypeId::kBoolean && filter->type.id != TypeId::kNull) {
      return ErrorAt(select.where->location, ErrorCode::kTypeError,
                     "WHERE needs a BOOLEAN condition, got " + filter->type.ToString());
    }
  }
  std::vector<ExprPtr> projections;
  std::vector<std::string> names;
  std::vector<ScopeColumn> out_scope;
  for (size_t i = 0; i < select.items.size(); ++i) {
    const SelectItem& item = select.items[i];
    if (item.expr->kind == ExprNodeKind::kStar) {
      std::string qualifier = item.expr->name.empty() ? "" : item.expr->name.last().name;
      SLUICE_ASSIGN_OR_RETURN(auto indices, input.scope.Expand(qualifier, item.expr->location));
      for (int idx : indices) {
        const ScopeColumn& c = input.scope.columns()[idx];
        projections.push_back(BoundExpr::ColumnRef(idx, c.type, c.name));
        names.push_back(c.name);
        out_scope.push_back({c.name, c.qualifier, c.type});
      }
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(ExprPtr expr, binder.Bind(*item.expr));
    std::string name =
        item.has_alias() ? item.alias.name : DefaultColumnName(*item.expr, projections.size());
    std::string qualifier;
    if (!item.has_alias() && expr->kind == ExprKind::kColumnRef) {
      qualifier = input.scope.columns()[expr->column].qualifier;
    }
    projections.push_back(expr);
    names.push_back(name);
    out_scope.push_back({name, qualifier, expr->type});
  }
  // A Calc that keeps every column in place and filters nothing is not needed.
  bool identity = !filter && projections.size() == input.node->output_schema.size();
  for (size_t i = 0; identity && i < projections.size(); ++i) {
    identity = projections[i]->kind == ExprKind::kColumnRef &&
               projections[i]->column == static_cast<int>(i) &&
               names[i] == input.node->output_schema[i].name;
  }
  PlanNodePtr node = identity
                         ? input.node
                         : MakeCalc(input.node, filter, std::move(projections), std::move(names));
  return Relation{node, Scope(std::move(out_scope)), std::nullopt};
}

Result<Relation> QueryPlanner::PlanWindowTvf(const FromItem& from) {
  std::string fn = Lower(from.function_name.ToString());
  WindowKind kind;
  if (fn == "tumble") {
    kind = WindowKind::kTumble;
  } else if (fn == "hop") {
    kind = WindowKind::kHop;
  } else if (fn == "cumulate") {
    kind = WindowKind::kCumulate;
  } else if (fn == "session") {
    kind = WindowKind::kSession;
  } else {
    return ErrorAt(from.location, ErrorCode::kUnsupported,
                   "unknown table function '" + from.function_name.ToString() +
                       "' (sluice supports the window functions TUMBLE, HOP, CUMULATE, SESSION)");
  }
  // Arguments: positional (TABLE t, DESCRIPTOR(ts), intervals...) or named (DATA =>, TIMECOL =>,
  // ...).
  const TableFunctionArg* data = nullptr;
  const TableFunctionArg* timecol = nullptr;
  std::vector<const TableFunctionArg*> intervals;
  std::map<std::string, const TableFunctionArg*> named;
  for (const auto& arg : from.function_args) {
    if (!arg.name.name.empty()) {
      named[Lower(arg.name.name)] = &arg;
      continue;
    }
    if (arg.kind == TableFunctionArg::Kind::kTable) {
      data = &arg;
    } else if (arg.kind == TableFunctionArg::Kind::kDescriptor) {
      timecol = &arg;
    } else {
      intervals.push_back(&arg);
    }
  }
  if (named.count("data")) data = named["data"];
  if (named.count("timecol")) timecol = named["timecol"];
  // Interval parameter names per function, in positional order.
  std::vector<std::string> params;
  switch (kind) {
    case WindowKind::kTumble:
      params = {"size", "offset"};
      break;
    case WindowKind::kHop:
      params = {"slide", "size", "offset"};
      break;
    case WindowKind::kCumulate:
      params = {"step", "size", "offset"};
      break;
    case WindowKind::kSession:
      params = {"gap"};
      break;
  }
  std::map<std::string, const TableFunctionArg*> values;
  for (size_t i = 0; i < intervals.size(); ++i) {
    if (i >= params.size()) {
      return ErrorAt(intervals[i]->location, ErrorCode::kBindError,
                     "too many arguments for " + from.function_name.ToString());
    }
    values[params[i]] = intervals[i];
  }
  for (const auto& p : params) {
    if (named.count(p)) values[p] = named[p];
  }
  if (!data || data->kind != TableFunctionArg::Kind::kTable) {
    return ErrorAt(from.location, ErrorCode::kBindError,
                   from.function_name.ToString() + " needs a table argument: TABLE t");
  }
  if (!timecol || timecol->kind != TableFunctionArg::Kind::kDescriptor ||
      timecol->descriptor.size() != 1) {
    return ErrorAt(from.location, ErrorCode::kBindError,
                   from.function_name.ToString() + " needs the time column: DESCRIPTOR(ts)");
  }
  size_t required = kind == WindowKind::kTumble || kind == WindowKind::kSession ? 1 : 2;
  for (size_t i = 0; i < required; ++i) {
    if (!values.count(params[i])) {
      return ErrorAt(from.location, ErrorCode::kBindError,
                     from.function_name.ToString() + " is missing its " + params[i] + " argument");
    }
  }
  SLUICE_ASSIGN_OR_RETURN(Relation input, PlanNamedRelation(data->table, data->location));
  if (input.window) {
    return ErrorAt(data->location, ErrorCode::kUnsupported, "nested window table functions");
  }
  QualifiedName time_name;
  time_name.parts.push_back(timecol->descriptor[0]);
  SLUICE_ASSIGN_OR_RETURN(int time_column, input.scope.Resolve(time_name));
  if (time_column != input.node->rowtime_column) {
    return ErrorAt(timecol->location, ErrorCode::kBindError,
                   "DESCRIPTOR(" + timecol->descriptor[0].name +
                       ") must name a time attribute (a column with a WATERMARK, or window_time "
                       "of a window aggregate)");
  }
  auto interval = [&](const std::string& param) -> Result<int64_t> {
    const TableFunctionArg* arg = values[param];
    if (!arg->expr || arg->expr->kind != ExprNodeKind::kLiteral ||
        arg->expr->literal_kind != LiteralKind::kInterval) {
      return ErrorAt(arg->location, ErrorCode::kBindError,
                     from.function_name.ToString() + " " + param + " must be an INTERVAL literal");
    }
    SLUICE_ASSIGN_OR_RETURN(Value v, BindLiteral(*arg->expr));
    if (v.GetInt64() <= 0 && param != "offset") {
      return ErrorAt(arg->location, ErrorCode::kBindError,
                     from.function_name.ToString() + " " + param + " must be positive");
    }
    return v.GetInt64();
  };
  WindowTvf tvf;
  tvf.location = from.location;
  tvf.spec.kind = kind;
  tvf.spec.time_column = time_column;
  tvf.spec.time_is_ltz = input.node->output_schema[time_column].type.id == TypeId::kTimestampLtz;
  switch (kind) {
    case WindowKind::kTumble: {
      SLUICE_ASSIGN_OR_RETURN(tvf.spec.size_micros, interval("size"));
      break;
    }
    case WindowKind::kHop: {
      SLUICE_ASSIGN_OR_RETURN(tvf.spec.slide_micros, interval("slide"));
      SLUICE_ASSIGN_OR_RETURN(tvf.spec.size_micros, interval("size"));
      if (tvf.spec.size_micros % tvf.spec.slide_micros != 0) {
        return ErrorAt(from.location, ErrorCode::kBindError,
                       "HOP size must be an integral multiple of the slide");
      }
      break;
    }
    case WindowKind::kCumulate: {
      SLUICE_ASSIGN_OR_RETURN(tvf.spec.step_micros, interval("step"));
      SLUICE_ASSIGN_OR_RETURN(tvf.spec.size_micros, interval("size"));
      if (tvf.spec.size_micros % tvf.spec.step_micros != 0) {
        return ErrorAt(from.location, ErrorCode::kBindError,
                       "CUMULATE max size must be an integral multiple of the step");
      }
      break;
    }
    case WindowKind::kSession: {
      SLUICE_ASSIGN_OR_RETURN(tvf.spec.gap_micros, interval("gap"));
      for (const auto& key : data->partition_by) {
        ExpressionBinder binder(&input.scope);
        SLUICE_ASSIGN_OR_RETURN(ExprPtr k, binder.Bind(*key));
        if (k->kind != ExprKind::kColumnRef) {
          return ErrorAt(key->location, ErrorCode::kUnsupported,
                         "SESSION PARTITION BY takes column names");
        }
        tvf.partition_keys.push_back(k->column);
      }
      break;
    }
  }
  if (values.count("offset")) {
    SLUICE_ASSIGN_OR_RETURN(tvf.spec.offset_micros, interval("offset"));
  }
  std::vector<ScopeColumn> cols = input.scope.columns();
  LogicalType window_type =
      tvf.spec.time_is_ltz ? LogicalType::TimestampLtz(3) : LogicalType::Timestamp(3);
  tvf.start_column = static_cast<int>(cols.size());
  cols.push_back({"window_start", "", LogicalType::Timestamp(3)});
  tvf.end_column = static_cast<int>(cols.size());
  cols.push_back({"window_end", "", LogicalType::Timestamp(3)});
  tvf.time_column = static_cast<int>(cols.size());
  cols.push_back({"window_time", "", window_type});
  input.scope = Scope(std::move(cols));
  input.window = tvf;
  return input;
}

}  // namespace sluice::sql
