#include "exec/plan/operator_signature_canonical.h"

#include <algorithm>
#include <functional>
#include <set>

#include "types/time_format.h"

namespace sluice {

namespace {

void SortUnique(std::vector<std::string>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

std::string Join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) s += separator;
    s += items[i];
  }
  return s;
}

std::string Quoted(const std::string& text) {
  std::string s = "'";
  for (char c : text) {
    s += c;
    if (c == '\'') s += c;  // SQL escaping: '' inside a literal
  }
  return s + "'";
}

std::string CanonicalLiteral(const Value& v) {
  if (v.is_null()) return "CAST(NULL AS " + v.type().ToString() + ")";
  switch (v.type().id) {
    case TypeId::kVarchar:
      return Quoted(v.GetString());
    case TypeId::kInterval:
      return "INTERVAL " + CanonicalDuration(v.GetInt64());
    case TypeId::kTimestamp:
      return "TIMESTAMP " + Quoted(v.ToString());
    case TypeId::kTimestampLtz:
      return "TIMESTAMP_LTZ " + Quoted(v.ToString());
    case TypeId::kDate:
      return "DATE " + Quoted(v.ToString());
    default:
      return v.ToString();  // BOOLEAN, INT, BIGINT, DOUBLE, DECIMAL: their SQL spelling
  }
}

bool IsInfix(const std::string& f) {
  static const char* kInfix[] = {"+",  "-", "*",  "/",   "%",  "=",    "<>", "<",
                                 "<=", ">", ">=", "and", "or", "like", "||"};
  for (const char* op : kInfix) {
    if (f == op) return true;
  }
  return false;
}

std::string AggregateName(AggregateKind kind) {
  switch (kind) {
    case AggregateKind::kCountStar:
    case AggregateKind::kCount:
      return "COUNT";
    case AggregateKind::kSum:
      return "SUM";
    case AggregateKind::kAvg:
      return "AVG";
    case AggregateKind::kMin:
      return "MIN";
    case AggregateKind::kMax:
      return "MAX";
  }
  return "?";
}

std::string AggregateText(const AggregateCall& call, const std::string& argument) {
  if (call.kind == AggregateKind::kCountStar) return "COUNT(*)";
  return AggregateName(call.kind) + "(" + (call.distinct ? "DISTINCT " : "") + argument + ")";
}

void CollectConjuncts(const BoundExpr& e, std::vector<const BoundExpr*>* out) {
  if (e.kind == ExprKind::kCall && e.name == "and") {
    for (const auto& c : e.children) CollectConjuncts(*c, out);
    return;
  }
  out->push_back(&e);
}

// True when every value of `from` converts to `to` exactly (the binder's implicit widening).
bool IsLosslessWidening(const LogicalType& from, const LogicalType& to) {
  if (from == to || from.id == TypeId::kNull) return true;
  const int to_digits = to.precision - to.scale;  // DECIMAL: digits before the point
  switch (from.id) {
    case TypeId::kInt:
      return to.id == TypeId::kBigint || to.id == TypeId::kDouble ||
             (to.id == TypeId::kDecimal && to_digits >= 10);
    case TypeId::kBigint:
      return to.id == TypeId::kDecimal && to_digits >= 19;
    case TypeId::kDecimal:
      return to.id == TypeId::kDecimal && to.scale >= from.scale &&
             to_digits >= from.precision - from.scale;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      return to.id == from.id && to.precision >= from.precision;
    default:
      return false;
  }
}

bool IsComparison(const std::string& f) {
  return f == "=" || f == "<>" || f == "<" || f == "<=" || f == ">" || f == ">=";
}

// A cast that cannot change a result: of a literal always, of anything else as a comparison
// operand (widening both sides alike never changes the outcome, but could change overflow in
// arithmetic). Left out so the text reads as written: (amount > 10).
bool IsInvisibleCast(const BoundExpr& e, bool comparison_operand) {
  if (e.kind != ExprKind::kCast || e.try_cast || e.children.size() != 1) return false;
  const BoundExpr& child = *e.children[0];
  if (!IsLosslessWidening(child.type, e.type)) return false;
  return (child.kind == ExprKind::kLiteral && !child.literal.is_null()) || comparison_operand;
}

// The canonical text of an expression; `column` names a column reference.
std::string PrintExpr(const BoundExpr& e, const std::function<std::string(int)>& column,
                      bool comparison_operand = false) {
  if (IsInvisibleCast(e, comparison_operand)) {
    return PrintExpr(*e.children[0], column, comparison_operand);
  }
  std::vector<std::string> children;
  if (e.kind != ExprKind::kColumnRef && e.kind != ExprKind::kLiteral) {
    const bool compares = e.kind == ExprKind::kCall && IsComparison(e.name);
    for (const auto& child : e.children) children.push_back(PrintExpr(*child, column, compares));
  }
  switch (e.kind) {
    case ExprKind::kColumnRef:
      return column(e.column);
    case ExprKind::kLiteral:
      return CanonicalLiteral(e.literal);
    case ExprKind::kCast:
      return std::string(e.try_cast ? "TRY_CAST(" : "CAST(") + children[0] + " AS " +
             e.type.ToString() + ")";
    case ExprKind::kCase: {
      std::string s = "CASE";
      size_t pairs = (children.size() - (e.has_else ? 1 : 0)) / 2;
      for (size_t i = 0; i < pairs; ++i) {
        s += " WHEN " + children[2 * i] + " THEN " + children[2 * i + 1];
      }
      if (e.has_else) s += " ELSE " + children.back();
      return s + " END";
    }
    case ExprKind::kCall:
      if (IsInfix(e.name) && children.size() == 2) {
        return "(" + children[0] + " " + e.name + " " + children[1] + ")";
      }
      return e.name + "(" + Join(children) + ")";
  }
  return "?";
}

// Options that say which data a connector reads or writes (and so what a position or a
// committable refers to), by connector. Prefixes end with '.'.
bool IsTargetOption(const std::string& connector, const std::string& key) {
  auto prefixed = [&](const char* prefix) { return key.rfind(prefix, 0) == 0; };
  if (connector == "kafka" || connector == "upsert-kafka") {
    return key == "topic" || key == "topic-pattern";
  }
  if (connector == "filesystem") return key == "path";
  if (connector == "duckdb") return key == "path" || key == "table-name";
  if (connector == "datagen") return key == "sluice.seed" || prefixed("fields.");
  if (connector == "orders") return prefixed("orders.") && key != "orders.raw-path";
  if (connector == "print") return key == "print-identifier";
  if (connector == "blackhole") return false;
  return key == "topic" || key == "topic-pattern" || key == "path" || key == "table-name" ||
         key == "table";
}

}  // namespace

std::string CanonicalDuration(int64_t micros) {
  struct Unit {
    int64_t size;
    const char* name;
  };
  static const Unit kUnits[] = {{kMicrosPerDay, "d"},      {kMicrosPerHour, "h"},
                                {kMicrosPerMinute, "min"}, {kMicrosPerSecond, "s"},
                                {kMicrosPerMilli, "ms"},   {1, "us"}};
  if (micros == 0) return "0";
  for (const auto& u : kUnits) {
    if (micros % u.size == 0) return std::to_string(micros / u.size) + " " + u.name;
  }
  return std::to_string(micros) + " us";
}

std::string CanonicalWindow(const WindowSpec& w) {
  std::string s;
  switch (w.kind) {
    case WindowKind::kTumble:
      s = "Tumble(size=" + CanonicalDuration(w.size_micros);
      break;
    case WindowKind::kHop:
      s = "Hop(size=" + CanonicalDuration(w.size_micros) +
          ", slide=" + CanonicalDuration(w.slide_micros);
      break;
    case WindowKind::kCumulate:
      s = "Cumulate(size=" + CanonicalDuration(w.size_micros) +
          ", step=" + CanonicalDuration(w.step_micros);
      break;
    case WindowKind::kSession:
      s = "Session(gap=" + CanonicalDuration(w.gap_micros);
      break;
  }
  if (w.offset_micros) s += ", offset=" + CanonicalDuration(w.offset_micros);
  if (w.time_is_ltz) s += ", ltz";
  return s + ")";
}

std::string AccumulatorDescriptor(const AggregateCall& call) {
  return AggregateText(call, call.argument_type.ToString()) + " " + call.result_type.ToString();
}

std::vector<std::string> TargetOptions(const TableDef& table) {
  const std::string connector = table.ConnectorName();
  std::vector<std::string> out;
  for (const auto& [key, value] : table.options) {  // std::map: sorted by key
    if (!IsTargetOption(connector, key)) continue;
    std::string v = value;
    if (key == "topic" && v.find(';') != std::string::npos) {
      // A topic list reads the same data in any order.
      std::vector<std::string> topics;
      size_t start = 0;
      while (start <= v.size()) {
        size_t end = v.find(';', start);
        if (end == std::string::npos) end = v.size();
        std::string t = v.substr(start, end - start);
        t.erase(0, t.find_first_not_of(' '));
        t.erase(t.find_last_not_of(' ') + 1);
        if (!t.empty()) topics.push_back(t);
        start = end + 1;
      }
      SortUnique(&topics);
      v = Join(topics, ";");
    }
    out.push_back(key + "=" + v);
  }
  return out;
}

std::string SourceDescriptor(const TableDef& table) {
  std::vector<std::string> parts = {table.ConnectorName()};
  for (auto& option : TargetOptions(table)) parts.push_back(std::move(option));
  return table.name + " (" + Join(parts) + ")";
}

std::string CanonicalResolver::ScanColumn(const TableDef& table, int column) {
  if (column < 0 || column >= static_cast<int>(table.columns.size())) {
    return "$" + std::to_string(column) + "?";
  }
  const ColumnDef& c = table.columns[column];
  if (c.is_metadata()) return "METADATA(" + Quoted(c.metadata_key) + ")";
  if (!c.computed) return c.field.name;
  // Computed columns are bound over the connector's row (physical, then metadata columns):
  // expand them, so renaming a computed column changes nothing.
  const std::vector<int> source_columns = table.SourceColumnIndices();
  return PrintExpr(*c.computed, [&](int ref) {
    bool known = ref >= 0 && ref < static_cast<int>(source_columns.size());
    return known ? ScanColumn(table, source_columns[ref]) : "$" + std::to_string(ref) + "?";
  });
}

std::string CanonicalResolver::Column(const PlanNode& node, int column) {
  auto key = std::make_pair(&node, column);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  std::string out;
  auto input_column = [&](int c) {
    return node.inputs.empty() ? "$" + std::to_string(c) + "?" : Column(*node.inputs[0], c);
  };
  switch (node.kind) {
    case PlanKind::kScan:
      out = ScanColumn(*static_cast<const ScanNode&>(node).table, column);
      break;
    case PlanKind::kCalc: {
      const auto& calc = static_cast<const CalcNode&>(node);
      bool known =
          column >= 0 && column < static_cast<int>(calc.projections.size()) && !calc.inputs.empty();
      out = known ? Expr(*calc.projections[column], *calc.inputs[0])
                  : "$" + std::to_string(column) + "?";
      break;
    }
    case PlanKind::kChangelogNormalize:
    case PlanKind::kSink:
      out = input_column(column);
      break;
    case PlanKind::kUnion: {
      // The same column of every input; one text when they agree, else {a | b}.
      std::vector<std::string> branches;
      for (const auto& in : node.inputs) branches.push_back(Column(*in, column));
      SortUnique(&branches);
      out = branches.size() == 1 ? branches[0] : "{" + Join(branches, " | ") + "}";
      break;
    }
    case PlanKind::kGroupAggregate:
    case PlanKind::kWindowAggregate: {
      const bool window = node.kind == PlanKind::kWindowAggregate;
      const auto& keys = window ? static_cast<const WindowAggregateNode&>(node).group_keys
                                : static_cast<const GroupAggregateNode&>(node).group_keys;
      const auto& aggs = window ? static_cast<const WindowAggregateNode&>(node).aggregates
                                : static_cast<const GroupAggregateNode&>(node).aggregates;
      const int nk = static_cast<int>(keys.size()), na = static_cast<int>(aggs.size());
      static const char* kWindowColumns[] = {"window_start", "window_end", "window_time"};
      if (column >= 0 && column < nk) {
        out = input_column(keys[column]);
      } else if (column >= nk && column < nk + na && !node.inputs.empty()) {
        out = Aggregate(aggs[column - nk], *node.inputs[0]);
      } else if (window && column >= nk + na && column < nk + na + 3) {
        out = kWindowColumns[column - nk - na];
      } else {
        out = "$" + std::to_string(column) + "?";
      }
      break;
    }
  }
  memo_.emplace(key, out);
  return out;
}

std::string CanonicalResolver::Expr(const BoundExpr& e, const PlanNode& input) {
  return PrintExpr(e, [&](int ref) { return Column(input, ref); });
}

std::vector<std::string> CanonicalResolver::Conjuncts(const BoundExpr& filter,
                                                      const PlanNode& input) {
  std::vector<const BoundExpr*> parts;
  CollectConjuncts(filter, &parts);
  std::vector<std::string> out;
  for (const BoundExpr* p : parts) out.push_back(Expr(*p, input));
  SortUnique(&out);
  return out;
}

std::string CanonicalResolver::Aggregate(const AggregateCall& call, const PlanNode& input) {
  return AggregateText(call, call.argument >= 0 ? Column(input, call.argument) : "");
}

std::string UpstreamDescriptor(const PlanNode& node, CanonicalResolver& resolver) {
  auto columns = [&](const std::vector<int>& cols) {
    std::vector<std::string> out;
    for (int c : cols) out.push_back(resolver.Column(*node.inputs[0], c));
    return "[" + Join(out) + "]";
  };
  auto aggregates = [&](const std::vector<AggregateCall>& aggs) {
    std::vector<std::string> out;
    for (const auto& a : aggs) out.push_back(resolver.Aggregate(a, *node.inputs[0]));
    return "[" + Join(out) + "]";
  };
  if (node.inputs.empty()) return PlanKindName(node.kind);
  switch (node.kind) {
    case PlanKind::kGroupAggregate: {
      const auto& n = static_cast<const GroupAggregateNode&>(node);
      return "GroupAggregate(keys=" + columns(n.group_keys) + ", aggs=" + aggregates(n.aggregates) +
             ")";
    }
    case PlanKind::kWindowAggregate: {
      const auto& n = static_cast<const WindowAggregateNode&>(node);
      return "WindowAggregate(" + CanonicalWindow(n.window) +
             ", time=" + resolver.Column(*n.inputs[0], n.window.time_column) +
             ", keys=" + columns(n.group_keys) + ", aggs=" + aggregates(n.aggregates) +
             ", lateness=" + CanonicalDuration(n.allowed_lateness_micros) + ")";
    }
    case PlanKind::kChangelogNormalize:
      return "ChangelogNormalize(keys=" +
             columns(static_cast<const ChangelogNormalizeNode&>(node).keys) + ")";
    default:
      return PlanKindName(node.kind);
  }
}

Lineage CollectLineage(const PlanNode& root, CanonicalResolver& resolver) {
  Lineage out;
  std::set<const PlanNode*> seen;
  std::function<void(const PlanNode&)> visit = [&](const PlanNode& node) {
    if (!seen.insert(&node).second) return;
    for (const auto& in : node.inputs) visit(*in);
    switch (node.kind) {
      case PlanKind::kScan:
        out.sources.push_back(SourceDescriptor(*static_cast<const ScanNode&>(node).table));
        break;
      case PlanKind::kCalc: {
        const auto& calc = static_cast<const CalcNode&>(node);
        if (calc.filter && !calc.inputs.empty()) {
          for (auto& c : resolver.Conjuncts(*calc.filter, *calc.inputs[0])) {
            out.filters.push_back(std::move(c));
          }
        }
        break;
      }
      case PlanKind::kGroupAggregate:
      case PlanKind::kWindowAggregate:
      case PlanKind::kChangelogNormalize:
        out.upstream.push_back(UpstreamDescriptor(node, resolver));
        break;
      case PlanKind::kUnion:
      case PlanKind::kSink:
        break;
    }
  };
  visit(root);
  SortUnique(&out.sources);
  SortUnique(&out.filters);
  SortUnique(&out.upstream);
  return out;
}

}  // namespace sluice
