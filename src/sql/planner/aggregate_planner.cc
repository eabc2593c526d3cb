// QueryPlanner::PlanAggregate: GROUP BY queries, windowed (legacy TUMBLE/HOP/SESSION in GROUP BY,
// or window table functions grouped by window_start/window_end) and non-windowed (updating).
//
// Plan shape: Calc(WHERE, pre-projection [keys..., aggregate arguments..., time]) ->
// WindowAggregate | GroupAggregate -> Calc(HAVING, SELECT list over keys/aggregates/window
// columns).

#include "exec/functions/function_registry.h"
#include "sql/binder/expression_binder.h"
#include "sql/planner/query_planner.h"

namespace sluice::sql {

namespace {

bool ReferencesAtOrAbove(const ExprPtr& expr, int column) {
  if (expr->kind == ExprKind::kColumnRef) return expr->column >= column;
  for (const auto& c : expr->children) {
    if (ReferencesAtOrAbove(c, column)) return true;
  }
  return false;
}

// The legacy group window in GROUP BY: TUMBLE(ts, size[, offset]), HOP(ts, slide, size[, offset]),
// SESSION(ts, gap).
struct LegacyWindow {
  const ExprNode* call = nullptr;
  std::string base;  // "tumble", "hop", "session"
};

Result<int64_t> IntervalArg(const ExprNode& call, size_t index, const char* what) {
  if (index >= call.args.size()) {
    return ErrorAt(call.location, ErrorCode::kBindError,
                   call.name.ToString() + " is missing its " + what + " argument");
  }
  const ExprNode& arg = *call.args[index];
  if (arg.kind != ExprNodeKind::kLiteral || arg.literal_kind != LiteralKind::kInterval) {
    return ErrorAt(arg.location, ErrorCode::kBindError,
                   call.name.ToString() + " " + what + " must be an INTERVAL literal");
  }
  SLUICE_ASSIGN_OR_RETURN(Value v, BindLiteral(arg));
  if (v.GetInt64() <= 0 && std::string(what) != "offset") {
    return ErrorAt(arg.location, ErrorCode::kBindError,
                   call.name.ToString() + " " + what + " must be positive");
  }
  return v.GetInt64();
}

// Collected aggregate calls, deduplicated by their bound form.
struct AggregateCollector {
  std::vector<AggregateCall> calls;
  std::vector<ExprPtr> arguments;  // bound over the input, parallel to calls (null for COUNT(*))
  std::vector<std::string> keys;
};

AggregateKind KindOf(const std::string& name, bool star) {
  if (name == "count") return star ? AggregateKind::kCountStar : AggregateKind::kCount;
  if (name == "sum") return AggregateKind::kSum;
  if (name == "avg") return AggregateKind::kAvg;
  if (name == "min") return AggregateKind::kMin;
  return AggregateKind::kMax;
}

}  // namespace

Result<Relation> QueryPlanner::PlanAggregate(const SelectCore& select, Relation input) {
  const int input_width = static_cast<int>(input.node->output_schema.size());
  ExpressionBinder input_binder(&input.scope);

  // WHERE applies before grouping and may not use the window columns.
  ExprPtr filter;
  if (select.where) {
    SLUICE_ASSIGN_OR_RETURN(filter, input_binder.Bind(*select.where));
    if (filter->type.id != TypeId::kBoolean && filter->type.id != TypeId::kNull) {
      return ErrorAt(select.where->location, ErrorCode::kTypeError,
                     "WHERE needs a BOOLEAN condition, got " + filter->type.ToString());
    }
    if (ReferencesAtOrAbove(filter, input_width)) {
      return ErrorAt(select.where->location, ErrorCode::kUnsupported,
                     "WHERE cannot use window_start/window_end/window_time before the window "
                     "aggregate; filter in HAVING or in an outer query");
    }
  }

  // 1. Grouping: window (legacy call or TVF columns) and plain keys.
  LegacyWindow legacy;
  std::vector<ExprPtr> keys;
  std::vector<std::string> key_names;
  std::vector<std::string> key_qualifiers;
  bool tvf_start = false, tvf_end = false;
  for (const auto& g : select.group_by) {
    if (g->kind == ExprNodeKind::kFunctionCall) {
      std::string fn = Lower(g->name.ToString());
      if (fn == "tumble" || fn == "hop" || fn == "session" || fn == "cumulate") {
        if (legacy.call) {
          return ErrorAt(g->location, ErrorCode::kBindError, "GROUP BY has more than one window");
        }
        if (fn == "cumulate") {
          return ErrorAt(g->location, ErrorCode::kBindError,
                         "CUMULATE is only available as a window table function: "
                         "FROM TABLE(CUMULATE(TABLE t, DESCRIPTOR(ts), step, size))");
        }
        legacy.call = g.get();
        legacy.base = fn;
        continue;
      }
    }
    SLUICE_ASSIGN_OR_RETURN(ExprPtr key, input_binder.Bind(*g));
    if (input.window && key->kind == ExprKind::kColumnRef) {
      if (key->column == input.window->start_column) {
        tvf_start = true;
        continue;
      }
      if (key->column == input.window->end_column) {
        tvf_end = true;
        continue;
      }
      if (key->column == input.window->time_column) continue;
    }
    if (ReferencesAtOrAbove(key, input_width)) {
      return ErrorAt(g->location, ErrorCode::kUnsupported,
                     "window columns can only be grouped on directly");
    }
    keys.push_back(key);
    key_names.push_back(key->kind == ExprKind::kColumnRef
                            ? input.scope.columns()[key->column].name
                            : "EXPR$" + std::to_string(keys.size() - 1));
    key_qualifiers.push_back(
        key->kind == ExprKind::kColumnRef ? input.scope.columns()[key->column].qualifier : "");
  }
  std::optional<::sluice::WindowSpec> window;
  if (input.window) {
    if (legacy.call) {
      return ErrorAt(legacy.call->location, ErrorCode::kBindError,
                     "a window table function and a GROUP BY window cannot be combined");
    }
    if (!tvf_start || !tvf_end) {
      return ErrorAt(select.location, ErrorCode::kBindError,
                     "a query over a window table function must GROUP BY window_start, window_end");
    }
    window = input.window->spec;
    if (window->kind == WindowKind::kSession) {
      // Flink: session windows are per PARTITION BY key, which must be grouped on.
      for (int pk : input.window->partition_keys) {
        bool grouped = false;
        for (const auto& k : keys) grouped |= k->kind == ExprKind::kColumnRef && k->column == pk;
        if (!grouped) {
          return ErrorAt(select.location, ErrorCode::kBindError,
                         "SESSION PARTITION BY column '" + input.scope.columns()[pk].name +
                             "' must be in GROUP BY");
        }
      }
    }
  } else if (legacy.call) {
    const ExprNode& call = *legacy.call;
    if (call.args.empty()) {
      return ErrorAt(call.location, ErrorCode::kBindError,
                     call.name.ToString() + " needs a time column");
    }
    SLUICE_ASSIGN_OR_RETURN(ExprPtr time, input_binder.Bind(*call.args[0]));
    if (time->kind != ExprKind::kColumnRef || time->column != input.node->rowtime_column) {
      return ErrorAt(
          call.args[0]->location, ErrorCode::kBindError,
          call.name.ToString() +
              " needs a time attribute (a column with a WATERMARK) as its first argument");
    }
    ::sluice::WindowSpec spec;
    spec.time_column = time->column;
    spec.time_is_ltz = time->type.id == TypeId::kTimestampLtz;
    if (legacy.base == "tumble") {
      spec.kind = WindowKind::kTumble;
      SLUICE_ASSIGN_OR_RETURN(spec.size_micros, IntervalArg(call, 1, "size"));
      if (call.args.size() > 2) {
        SLUICE_ASSIGN_OR_RETURN(spec.offset_micros, IntervalArg(call, 2, "offset"));
      }
    } else if (legacy.base == "hop") {
      spec.kind = WindowKind::kHop;
      SLUICE_ASSIGN_OR_RETURN(spec.slide_micros, IntervalArg(call, 1, "slide"));
      SLUICE_ASSIGN_OR_RETURN(spec.size_micros, IntervalArg(call, 2, "size"));
      if (call.args.size() > 3) {
        SLUICE_ASSIGN_OR_RETURN(spec.offset_micros, IntervalArg(call, 3, "offset"));
      }
      if (spec.size_micros % spec.slide_micros != 0) {
        return ErrorAt(call.location, ErrorCode::kBindError,
                       "HOP size must be an integral multiple of the slide");
      }
    } else {
      spec.kind = WindowKind::kSession;
      SLUICE_ASSIGN_OR_RETURN(spec.gap_micros, IntervalArg(call, 1, "gap"));
    }
    window = spec;
  }

  // 2. Aggregate calls in SELECT and HAVING.
  AggregateCollector aggs;
  std::function<Status(const ExprNode&, bool)> collect = [&](const ExprNode& e,
                                                             bool inside_aggregate) -> Status {
    if (e.kind == ExprNodeKind::kFunctionCall && !e.over) {
      std::string fn = Lower(e.name.ToString());
      if (IsAggregateFunction(fn)) {
        if (inside_aggregate) {
          return ErrorAt(e.location, ErrorCode::kBindError, "aggregate functions cannot be nested");
        }
        if (e.filter) {
          return ErrorAt(e.location, ErrorCode::kUnsupported,
                         "aggregate FILTER (WHERE ...) is not supported yet");
        }
        for (const auto& a : e.args) SLUICE_RETURN_IF_ERROR(collect(*a, true));
        AggregateCall call;
        call.kind = KindOf(fn, e.star_argument);
        call.distinct = e.distinct;
        ExprPtr arg;
        if (call.kind != AggregateKind::kCountStar) {
          if (e.args.size() != 1) {
            return ErrorAt(e.location, ErrorCode::kBindError,
                           e.name.ToString() + " takes exactly one argument");
          }
          SLUICE_ASSIGN_OR_RETURN(arg, input_binder.Bind(*e.args[0]));
          if (ReferencesAtOrAbove(arg, input_width)) {
            return ErrorAt(e.location, ErrorCode::kUnsupported,
                           "aggregates over window columns are not supported");
          }
          call.argument_type = arg->type;
          auto type = AggregateResultType(call.kind, arg->type);
          if (!type.ok()) return AddLocation(type.status(), e.location);
          call.result_type = *type;
        } else {
          call.result_type = LogicalType::Bigint();
        }
        std::string key = std::to_string(static_cast<int>(call.kind)) + (call.distinct ? "D" : "") +
                          (arg ? arg->ToString() : "*");
        for (const auto& k : aggs.keys) {
          if (k == key) return Status::OK();
        }
        aggs.keys.push_back(key);
        aggs.calls.push_back(call);
        aggs.arguments.push_back(arg);
        return Status::OK();
      }
    }
    for (const auto& a : e.args) {
      if (a) SLUICE_RETURN_IF_ERROR(collect(*a, inside_aggregate));
    }
    for (const auto& w : e.when_clauses) {
      SLUICE_RETURN_IF_ERROR(collect(*w.condition, inside_aggregate));
      SLUICE_RETURN_IF_ERROR(collect(*w.result, inside_aggregate));
    }
    if (e.case_operand) SLUICE_RETURN_IF_ERROR(collect(*e.case_operand, inside_aggregate));
    if (e.else_result) SLUICE_RETURN_IF_ERROR(collect(*e.else_result, inside_aggregate));
    return Status::OK();
  };
  for (const auto& item : select.items) {
    if (item.expr->kind == ExprNodeKind::kStar) {
      return ErrorAt(item.expr->location, ErrorCode::kBindError,
                     "'*' cannot be used in a grouped query; list the GROUP BY columns");
    }
    SLUICE_RETURN_IF_ERROR(collect(*item.expr, false));
  }
  if (select.having) SLUICE_RETURN_IF_ERROR(collect(*select.having, false));

  // 3. Pre-projection: keys..., aggregate arguments..., [time].
  std::vector<ExprPtr> pre;
  std::vector<std::string> pre_names;
  for (size_t i = 0; i < keys.size(); ++i) {
    pre.push_back(keys[i]);
    pre_names.push_back(key_names[i]);
  }
  for (size_t i = 0; i < aggs.calls.size(); ++i) {
    if (!aggs.arguments[i]) continue;
    int found = -1;
    for (size_t j = 0; j < pre.size(); ++j) {
      if (pre[j]->ToString() == aggs.arguments[i]->ToString()) found = static_cast<int>(j);
    }
    if (found < 0) {
      found = static_cast<int>(pre.size());
      pre.push_back(aggs.arguments[i]);
      pre_names.push_back(aggs.arguments[i]->kind == ExprKind::kColumnRef
                              ? aggs.arguments[i]->name
                              : "$arg" + std::to_string(i));
    }
    aggs.calls[i].argument = found;
  }
  int time_index = -1;
  if (window) {
    time_index = static_cast<int>(pre.size());
    const auto& tc = input.node->output_schema[window->time_column];
    pre.push_back(BoundExpr::ColumnRef(window->time_column, tc.type, tc.name));
    pre_names.push_back(tc.name);
    window->time_column = time_index;
  }
  PlanNodePtr pre_node = MakeCalc(input.node, filter, pre, pre_names);

  // 4. The aggregate.
  PlanNodePtr agg_node;
  Schema agg_schema;
  for (size_t i = 0; i < keys.size(); ++i) {
    agg_schema.fields.push_back({key_names[i], keys[i]->type, true});
  }
  for (size_t i = 0; i < aggs.calls.size(); ++i) {
    aggs.calls[i].name = "EXPR$agg" + std::to_string(i);
    bool not_null = aggs.calls[i].kind == AggregateKind::kCount ||
                    aggs.calls[i].kind == AggregateKind::kCountStar;
    agg_schema.fields.push_back({aggs.calls[i].name, aggs.calls[i].result_type, !not_null});
  }
  std::vector<int> key_columns;
  for (size_t i = 0; i < keys.size(); ++i) key_columns.push_back(static_cast<int>(i));
  int window_start = -1, window_end = -1, window_time = -1;
  if (window) {
    if (pre_node->changelog == ChangelogMode::kUpdating) {
      return ErrorAt(select.location, ErrorCode::kUnsupported,
                     "window aggregates over an updating input are not supported (as in Flink)");
    }
    auto node = std::make_shared<WindowAggregateNode>();
    node->window = *window;
    node->group_keys = key_columns;
    node->aggregates = aggs.calls;
    node->allowed_lateness_micros = session_->AllowedLatenessMicros();
    // As Flink: start and end are wall-clock TIMESTAMP(3) (in the session zone for LTZ time);
    // window_time keeps the time attribute's type.
    LogicalType wt = window->time_is_ltz ? LogicalType::TimestampLtz(3) : LogicalType::Timestamp(3);
    window_start = static_cast<int>(agg_schema.size());
    agg_schema.fields.push_back({"window_start", LogicalType::Timestamp(3), false});
    window_end = window_start + 1;
    agg_schema.fields.push_back({"window_end", LogicalType::Timestamp(3), false});
    window_time = window_start + 2;
    agg_schema.fields.push_back({"window_time", wt, false});
    node->rowtime_column = window_time;
    node->output_schema = agg_schema;
    node->changelog =
        node->allowed_lateness_micros > 0 ? ChangelogMode::kUpdating : ChangelogMode::kAppendOnly;
    node->inputs.push_back(pre_node);
    agg_node = node;
  } else {
    auto node = std::make_shared<GroupAggregateNode>();
    node->group_keys = key_columns;
    node->aggregates = aggs.calls;
    node->output_schema = agg_schema;
    node->changelog = ChangelogMode::kUpdating;
    node->inputs.push_back(pre_node);
    agg_node = node;
  }

  // 5. SELECT list and HAVING over the aggregate's output.
  Scope empty_scope;
  auto intercept = [&](const ExprNode& e) -> Result<ExprPtr> {
    if (e.kind == ExprNodeKind::kFunctionCall && !e.over) {
      std::string fn = Lower(e.name.ToString());
      if (IsAggregateFunction(fn)) {
        AggregateCall probe;
        probe.kind = KindOf(fn, e.star_argument);
        ExprPtr arg;
        if (probe.kind != AggregateKind::kCountStar) {
          SLUICE_ASSIGN_OR_RETURN(arg, input_binder.Bind(*e.args[0]));
        }
        std::string key = std::to_string(static_cast<int>(probe.kind)) + (e.distinct ? "D" : "") +
                          (arg ? arg->ToString() : "*");
        for (size_t i = 0; i < aggs.keys.size(); ++i) {
          if (aggs.keys[i] == key) {
            int col = static_cast<int>(keys.size() + i);
            return BoundExpr::ColumnRef(col, agg_schema[col].type, agg_schema[col].name);
          }
        }
        return ErrorAt(e.location, ErrorCode::kInternal, "aggregate was not collected");
      }
      if (IsGroupWindowFunction(fn)) {
        size_t underscore = fn.find('_');
        std::string base = fn.substr(0, underscore);
        std::string property = underscore == std::string::npos ? "" : fn.substr(underscore + 1);
        if (!legacy.call || property.empty()) {
          return ErrorAt(e.location, ErrorCode::kBindError,
                         e.name.ToString() + " needs a matching " +
                             (property.empty() ? "property function such as TUMBLE_START"
                                               : "GROUP BY " + base + "(...) window"));
        }
        if (base != legacy.base || e.args.size() != legacy.call->args.size()) {
          return ErrorAt(
              e.location, ErrorCode::kBindError,
              e.name.ToString() + " does not match the GROUP BY window " + legacy.call->ToString());
        }
        for (size_t i = 0; i < e.args.size(); ++i) {
          if (e.args[i]->ToString() != legacy.call->args[i]->ToString()) {
            return ErrorAt(e.args[i]->location, ErrorCode::kBindError,
                           e.name.ToString() + " arguments must match the GROUP BY window " +
                               legacy.call->ToString());
          }
        }
        if (property == "proctime") {
          return ErrorAt(e.location, ErrorCode::kUnsupported,
                         "processing time is not supported yet");
        }
        int col = property == "start" ? window_start : property == "end" ? window_end : window_time;
        return BoundExpr::ColumnRef(col, agg_schema[col].type, agg_schema[col].name);
      }
    }
    // Window columns of a window TVF.
    if (input.window && e.kind == ExprNodeKind::kColumnRef) {
      auto resolved = input.scope.Resolve(e.name);
      if (resolved.ok()) {
        int c = *resolved;
        int col = c == input.window->start_column  ? window_start
                  : c == input.window->end_column  ? window_end
                  : c == input.window->time_column ? window_time
                                                   : -1;
        if (col >= 0) return BoundExpr::ColumnRef(col, agg_schema[col].type, agg_schema[col].name);
      }
    }
    // An expression that is a GROUP BY key.
    bool simple = e.kind == ExprNodeKind::kColumnRef || e.kind == ExprNodeKind::kFunctionCall ||
                  e.kind == ExprNodeKind::kBinary || e.kind == ExprNodeKind::kCast ||
                  e.kind == ExprNodeKind::kUnary || e.kind == ExprNodeKind::kCase;
    if (simple) {
      ExpressionBinder probe_binder(&input.scope);
      auto bound = probe_binder.Bind(e);
      if (bound.ok()) {
        std::string text = (*bound)->ToString();
        for (size_t i = 0; i < keys.size(); ++i) {
          if (keys[i]->ToString() == text) {
            return BoundExpr::ColumnRef(static_cast<int>(i), agg_schema[i].type,
                                        agg_schema[i].name);
          }
        }
      }
    }
    if (e.kind == ExprNodeKind::kColumnRef) {
      SLUICE_RETURN_IF_ERROR(input.scope.Resolve(e.name).status());
      return ErrorAt(e.location, ErrorCode::kBindError,
                     "column '" + e.name.ToString() +
                         "' must appear in GROUP BY or be used in an aggregate function");
    }
    return ExprPtr();
  };
  ExpressionBinder output_binder(&empty_scope, intercept);
  ExprPtr having;
  if (select.having) {
    SLUICE_ASSIGN_OR_RETURN(having, output_binder.Bind(*select.having));
    if (having->type.id != TypeId::kBoolean) {
      return ErrorAt(select.having->location, ErrorCode::kTypeError,
                     "HAVING needs a BOOLEAN condition, got " + having->type.ToString());
    }
  }
  std::vector<ExprPtr> projections;
  std::vector<std::string> names;
  std::vector<ScopeColumn> out_scope;
  for (size_t i = 0; i < select.items.size(); ++i) {
    const SelectItem& item = select.items[i];
    SLUICE_ASSIGN_OR_RETURN(ExprPtr expr, output_binder.Bind(*item.expr));
    std::string name = item.has_alias() ? item.alias.name : DefaultColumnName(*item.expr, i);
    std::string qualifier;
    if (!item.has_alias() && expr->kind == ExprKind::kColumnRef &&
        expr->column < static_cast<int>(keys.size())) {
      qualifier = key_qualifiers[expr->column];
    }
    projections.push_back(expr);
    names.push_back(name);
    out_scope.push_back({name, qualifier, expr->type});
  }
  PlanNodePtr out = MakeCalc(agg_node, having, std::move(projections), std::move(names));
  return Relation{out, Scope(std::move(out_scope)), std::nullopt};
}

}  // namespace sluice::sql
