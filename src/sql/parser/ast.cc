// Deep copies and small helpers of the syntax tree (printing lives in ast_to_string.cc).

#include "sql/parser/ast.h"

#include <fmt/format.h>

#include "sql/parser/keywords.h"

namespace sluice::sql {
namespace {

ExprNodePtr CloneExpr(const ExprNodePtr& expr) {
  return expr ? expr->Clone() : nullptr;
}
QueryExprPtr CloneQuery(const QueryExprPtr& query) {
  return query ? query->Clone() : nullptr;
}

std::vector<ExprNodePtr> CloneExprs(const std::vector<ExprNodePtr>& exprs) {
  std::vector<ExprNodePtr> out;
  out.reserve(exprs.size());
  for (const ExprNodePtr& e : exprs) out.push_back(CloneExpr(e));
  return out;
}

std::vector<OrderByItem> CloneOrderBy(const std::vector<OrderByItem>& items) {
  std::vector<OrderByItem> out;
  out.reserve(items.size());
  for (const OrderByItem& item : items) {
    out.push_back({CloneExpr(item.expr), item.descending, item.nulls, item.location});
  }
  return out;
}

FrameBound CloneBound(const FrameBound& bound) {
  return {bound.kind, CloneExpr(bound.offset)};
}

InsertStmt CloneInsert(const InsertStmt& insert) {
  InsertStmt out;
  out.table = insert.table;
  out.overwrite = insert.overwrite;
  out.columns = insert.columns;
  out.query = CloneQuery(insert.query);
  out.location = insert.location;
  return out;
}

}  // namespace

std::string SourceLocation::ToString() const {
  return fmt::format("line {}, column {}", line, column);
}

std::string QualifiedName::ToString() const {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '.';
    const std::string& name = parts[i].name;
    if (IsPlainIdentifier(name)) {
      out += name;
    } else {
      out += '`';
      for (char c : name) {
        if (c == '`') out += '`';
        out += c;
      }
      out += '`';
    }
  }
  return out;
}

std::string_view TimeUnitName(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kNone:
      return "NONE";
    case TimeUnit::kYear:
      return "YEAR";
    case TimeUnit::kQuarter:
      return "QUARTER";
    case TimeUnit::kMonth:
      return "MONTH";
    case TimeUnit::kWeek:
      return "WEEK";
    case TimeUnit::kDay:
      return "DAY";
    case TimeUnit::kHour:
      return "HOUR";
    case TimeUnit::kMinute:
      return "MINUTE";
    case TimeUnit::kSecond:
      return "SECOND";
    case TimeUnit::kMillisecond:
      return "MILLISECOND";
    case TimeUnit::kMicrosecond:
      return "MICROSECOND";
    case TimeUnit::kNanosecond:
      return "NANOSECOND";
    case TimeUnit::kDecade:
      return "DECADE";
    case TimeUnit::kCentury:
      return "CENTURY";
    case TimeUnit::kMillennium:
      return "MILLENNIUM";
    case TimeUnit::kDow:
      return "DOW";
    case TimeUnit::kDoy:
      return "DOY";
    case TimeUnit::kIsoDow:
      return "ISODOW";
    case TimeUnit::kIsoYear:
      return "ISOYEAR";
    case TimeUnit::kEpoch:
      return "EPOCH";
  }
  return "NONE";
}

bool IntervalQualifier::IsYearMonth() const {
  return start == TimeUnit::kYear || start == TimeUnit::kMonth;
}

std::string IntervalQualifier::ToString() const {
  std::string out(TimeUnitName(start));
  if (end == start || end == TimeUnit::kNone) {
    if (leading_precision >= 0 && fractional_precision >= 0) {
      out += fmt::format("({}, {})", leading_precision, fractional_precision);
    } else if (leading_precision >= 0) {
      out += fmt::format("({})", leading_precision);
    }
    return out;
  }
  if (leading_precision >= 0) out += fmt::format("({})", leading_precision);
  out += " TO ";
  out += TimeUnitName(end);
  if (fractional_precision >= 0) out += fmt::format("({})", fractional_precision);
  return out;
}

std::string_view StatementKindName(StatementKind kind) {
  switch (kind) {
    case StatementKind::kCreateTable:
      return "CREATE TABLE";
    case StatementKind::kCreateView:
      return "CREATE VIEW";
    case StatementKind::kCreateFunction:
      return "CREATE FUNCTION";
    case StatementKind::kDrop:
      return "DROP";
    case StatementKind::kSet:
      return "SET";
    case StatementKind::kReset:
      return "RESET";
    case StatementKind::kInsert:
      return "INSERT";
    case StatementKind::kStatementSet:
      return "STATEMENT SET";
    case StatementKind::kQuery:
      return "SELECT";
  }
  return "?";
}

std::string_view ExprOpName(ExprOp op) {
  switch (op) {
    case ExprOp::kNone:
      return "?";
    case ExprOp::kNot:
      return "NOT";
    case ExprOp::kNegate:
      return "-";
    case ExprOp::kPlus:
      return "+";
    case ExprOp::kOr:
      return "OR";
    case ExprOp::kAnd:
      return "AND";
    case ExprOp::kEq:
      return "=";
    case ExprOp::kNotEq:
      return "<>";
    case ExprOp::kLt:
      return "<";
    case ExprOp::kLtEq:
      return "<=";
    case ExprOp::kGt:
      return ">";
    case ExprOp::kGtEq:
      return ">=";
    case ExprOp::kConcat:
      return "||";
    case ExprOp::kAdd:
      return "+";
    case ExprOp::kSub:
      return "-";
    case ExprOp::kMul:
      return "*";
    case ExprOp::kDiv:
      return "/";
    case ExprOp::kMod:
      return "%";
  }
  return "?";
}

DataType DataType::Clone() const {
  return *this;
}

ExprNodePtr ExprNode::Clone() const {
  auto out = std::make_unique<ExprNode>();
  out->kind = kind;
  out->location = location;
  out->literal_kind = literal_kind;
  out->value = value;
  out->interval = interval;
  out->name = name;
  out->op = op;
  out->args = CloneExprs(args);
  out->negated = negated;
  out->distinct = distinct;
  out->star_argument = star_argument;
  out->time_unit = time_unit;
  out->trim_mode = trim_mode;
  out->filter = CloneExpr(filter);
  if (over) {
    auto spec = std::make_unique<WindowSpec>();
    spec->partition_by = CloneExprs(over->partition_by);
    spec->order_by = CloneOrderBy(over->order_by);
    spec->has_frame = over->has_frame;
    spec->frame.unit = over->frame.unit;
    spec->frame.start = CloneBound(over->frame.start);
    spec->frame.end = CloneBound(over->frame.end);
    spec->location = over->location;
    out->over = std::move(spec);
  }
  if (cast_type) out->cast_type = std::make_unique<DataType>(*cast_type);
  out->try_cast = try_cast;
  out->case_operand = CloneExpr(case_operand);
  for (const WhenClause& when : when_clauses) {
    out->when_clauses.push_back({CloneExpr(when.condition), CloneExpr(when.result)});
  }
  out->else_result = CloneExpr(else_result);
  out->subquery = CloneQuery(subquery);
  return out;
}

std::unique_ptr<FromItem> FromItem::Clone() const {
  auto out = std::make_unique<FromItem>();
  out->kind = kind;
  out->location = location;
  out->name = name;
  out->system_time = CloneExpr(system_time);
  out->subquery = CloneQuery(subquery);
  out->function_name = function_name;
  for (const TableFunctionArg& arg : function_args) {
    TableFunctionArg copy;
    copy.kind = arg.kind;
    copy.name = arg.name;
    copy.table = arg.table;
    copy.partition_by = CloneExprs(arg.partition_by);
    copy.descriptor = arg.descriptor;
    copy.expr = CloneExpr(arg.expr);
    copy.location = arg.location;
    out->function_args.push_back(std::move(copy));
  }
  out->alias = alias;
  out->column_aliases = column_aliases;
  out->join_kind = join_kind;
  if (left) out->left = left->Clone();
  if (right) out->right = right->Clone();
  out->condition = CloneExpr(condition);
  out->using_columns = using_columns;
  return out;
}

QueryExprPtr QueryExpr::Clone() const {
  auto out = std::make_unique<QueryExpr>();
  out->kind = kind;
  out->location = location;
  for (const CommonTableExpr& cte : with) {
    out->with.push_back({cte.name, cte.columns, CloneQuery(cte.query)});
  }
  if (select) {
    auto core = std::make_unique<SelectCore>();
    core->distinct = select->distinct;
    for (const SelectItem& item : select->items) {
      core->items.push_back({CloneExpr(item.expr), item.alias});
    }
    if (select->from) core->from = select->from->Clone();
    core->where = CloneExpr(select->where);
    core->group_by = CloneExprs(select->group_by);
    core->having = CloneExpr(select->having);
    core->location = select->location;
    out->select = std::move(core);
  }
  out->set_op = set_op;
  out->set_all = set_all;
  out->left = CloneQuery(left);
  out->right = CloneQuery(right);
  for (const std::vector<ExprNodePtr>& row : values) out->values.push_back(CloneExprs(row));
  out->order_by = CloneOrderBy(order_by);
  out->limit = CloneExpr(limit);
  out->offset = CloneExpr(offset);
  return out;
}

Statement Statement::Clone() const {
  Statement out;
  out.kind = kind;
  out.location = location;
  out.text = text;
  if (create_table) {
    auto copy = std::make_unique<CreateTableStmt>();
    const CreateTableStmt& src = *create_table;
    copy->name = src.name;
    copy->temporary = src.temporary;
    copy->if_not_exists = src.if_not_exists;
    for (const ColumnSpec& column : src.columns) {
      ColumnSpec c;
      c.kind = column.kind;
      c.name = column.name;
      c.type = column.type;
      c.expr = CloneExpr(column.expr);
      c.metadata_key = column.metadata_key;
      c.is_virtual = column.is_virtual;
      c.comment = column.comment;
      c.location = column.location;
      copy->columns.push_back(std::move(c));
    }
    copy->has_watermark = src.has_watermark;
    copy->watermark.column = src.watermark.column;
    copy->watermark.expr = CloneExpr(src.watermark.expr);
    copy->watermark.location = src.watermark.location;
    copy->has_primary_key = src.has_primary_key;
    copy->primary_key = src.primary_key;
    copy->comment = src.comment;
    copy->partitioned_by = src.partitioned_by;
    copy->options = src.options;
    out.create_table = std::move(copy);
  }
  if (create_view) {
    auto copy = std::make_unique<CreateViewStmt>();
    copy->name = create_view->name;
    copy->temporary = create_view->temporary;
    copy->if_not_exists = create_view->if_not_exists;
    copy->columns = create_view->columns;
    copy->comment = create_view->comment;
    copy->query = CloneQuery(create_view->query);
    out.create_view = std::move(copy);
  }
  if (create_function) {
    out.create_function = std::make_unique<CreateFunctionStmt>(*create_function);
  }
  if (drop) out.drop = std::make_unique<DropStmt>(*drop);
  if (set) out.set = std::make_unique<SetStmt>(*set);
  if (insert) out.insert = std::make_unique<InsertStmt>(CloneInsert(*insert));
  if (statement_set) {
    auto copy = std::make_unique<StatementSetStmt>();
    copy->legacy_syntax = statement_set->legacy_syntax;
    for (const InsertStmt& insert_stmt : statement_set->inserts) {
      copy->inserts.push_back(CloneInsert(insert_stmt));
    }
    out.statement_set = std::move(copy);
  }
  out.query = CloneQuery(query);
  return out;
}

}  // namespace sluice::sql
