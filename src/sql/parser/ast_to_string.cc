// Canonical SQL printing of the syntax tree. The output parses back to an equal tree (the parser
// tests check this on every script they parse), so operations are fully parenthesised and names
// are backquoted whenever a plain word would read differently.

#include <fmt/format.h>

#include "sql/parser/ast.h"
#include "sql/parser/keywords.h"

namespace sluice::sql {
namespace {

std::string Quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

std::string Ident(const Identifier& identifier) {
  QualifiedName name;
  name.parts.push_back(identifier);
  return name.ToString();
}

std::string IdentList(const std::vector<Identifier>& identifiers) {
  std::string out;
  for (size_t i = 0; i < identifiers.size(); ++i) {
    if (i > 0) out += ", ";
    out += Ident(identifiers[i]);
  }
  return out;
}

std::string ExprList(const std::vector<ExprNodePtr>& exprs) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i > 0) out += ", ";
    out += exprs[i]->ToString();
  }
  return out;
}

std::string OrderByList(const std::vector<OrderByItem>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i].expr->ToString();
    if (items[i].descending) out += " DESC";
    if (items[i].nulls == NullOrder::kFirst) out += " NULLS FIRST";
    if (items[i].nulls == NullOrder::kLast) out += " NULLS LAST";
  }
  return out;
}

std::string FrameBoundToString(const FrameBound& bound) {
  switch (bound.kind) {
    case FrameBound::Kind::kUnboundedPreceding:
      return "UNBOUNDED PRECEDING";
    case FrameBound::Kind::kPreceding:
      return bound.offset->ToString() + " PRECEDING";
    case FrameBound::Kind::kCurrentRow:
      return "CURRENT ROW";
    case FrameBound::Kind::kFollowing:
      return bound.offset->ToString() + " FOLLOWING";
    case FrameBound::Kind::kUnboundedFollowing:
      return "UNBOUNDED FOLLOWING";
  }
  return "";
}

std::string WindowSpecToString(const WindowSpec& spec) {
  std::vector<std::string> parts;
  if (!spec.partition_by.empty()) parts.push_back("PARTITION BY " + ExprList(spec.partition_by));
  if (!spec.order_by.empty()) parts.push_back("ORDER BY " + OrderByList(spec.order_by));
  if (spec.has_frame) {
    parts.push_back(
        fmt::format("{} BETWEEN {} AND {}", spec.frame.unit == FrameUnit::kRows ? "ROWS" : "RANGE",
                    FrameBoundToString(spec.frame.start), FrameBoundToString(spec.frame.end)));
  }
  return fmt::format("({})", fmt::join(parts, " "));
}

std::string FunctionName(const QualifiedName& name) {
  if (name.parts.size() == 1) {
    const std::string& word = name.parts[0].name;
    if (EqualsIgnoreCase(word, "LEFT") || EqualsIgnoreCase(word, "RIGHT")) return word;
  }
  return name.ToString();
}

std::string FunctionCallToString(const ExprNode& e) {
  std::string name = FunctionName(e.name);
  std::string upper = ToUpperAscii(name);
  std::string out;
  if (e.time_unit != TimeUnit::kNone && upper == "EXTRACT" && e.args.size() == 1) {
    out = fmt::format("EXTRACT({} FROM {})", TimeUnitName(e.time_unit), e.args[0]->ToString());
  } else if (e.time_unit != TimeUnit::kNone && (upper == "FLOOR" || upper == "CEIL") &&
             e.args.size() == 1) {
    out = fmt::format("{}({} TO {})", upper, e.args[0]->ToString(), TimeUnitName(e.time_unit));
  } else if (e.time_unit != TimeUnit::kNone) {
    out = fmt::format("{}({}, {})", upper, TimeUnitName(e.time_unit), ExprList(e.args));
  } else if (upper == "POSITION" && e.args.size() == 2) {
    out = fmt::format("POSITION({} IN {})", e.args[0]->ToString(), e.args[1]->ToString());
  } else if (e.trim_mode != TrimMode::kNone) {
    std::string_view mode = e.trim_mode == TrimMode::kBoth      ? "BOTH"
                            : e.trim_mode == TrimMode::kLeading ? "LEADING"
                                                                : "TRAILING";
    std::string chars = e.args.size() > 1 ? e.args[1]->ToString() + " " : "";
    out = fmt::format("TRIM({} {}FROM {})", mode, chars, e.args[0]->ToString());
  } else if (e.args.empty() && !e.star_argument && !e.distinct && e.name.parts.size() == 1 &&
             IsNiladicFunction(e.name.parts[0].name)) {
    out = ToUpperAscii(e.name.parts[0].name);
  } else {
    out = name + "(";
    if (e.distinct) out += "DISTINCT ";
    out += e.star_argument ? "*" : ExprList(e.args);
    out += ")";
  }
  if (e.filter) out += " FILTER (WHERE " + e.filter->ToString() + ")";
  if (e.over) out += " OVER " + WindowSpecToString(*e.over);
  return out;
}

std::string LiteralToString(const ExprNode& e) {
  switch (e.literal_kind) {
    case LiteralKind::kNull:
      return "NULL";
    case LiteralKind::kBoolean:
    case LiteralKind::kInteger:
    case LiteralKind::kDecimal:
    case LiteralKind::kDouble:
      return e.value;
    case LiteralKind::kString:
      return Quote(e.value);
    case LiteralKind::kDate:
      return "DATE " + Quote(e.value);
    case LiteralKind::kTime:
      return "TIME " + Quote(e.value);
    case LiteralKind::kTimestamp:
      return "TIMESTAMP " + Quote(e.value);
    case LiteralKind::kInterval:
      return fmt::format("INTERVAL {} {}", Quote(e.value), e.interval.ToString());
  }
  return "NULL";
}

// A left-deep chain of one operator prints flat, "(a OR b OR c)": it reads back the same (all
// binary operators associate to the left), stays within the parser's nesting limit however long
// the chain is, and is printed without recursing once per operator.
std::string BinaryToString(const ExprNode& e) {
  std::vector<const ExprNode*> rights;
  const ExprNode* node = &e;
  while (node->kind == ExprNodeKind::kBinary && node->op == e.op) {
    rights.push_back(node->args[1].get());
    node = node->args[0].get();
  }
  std::string out = "(" + node->ToString();
  for (auto it = rights.rbegin(); it != rights.rend(); ++it) {
    out += fmt::format(" {} {}", ExprOpName(e.op), (*it)->ToString());
  }
  return out + ")";
}

std::string Not(const ExprNode& e) {
  return e.negated ? "NOT " : "";
}

std::string AliasToString(const Identifier& alias, const std::vector<Identifier>& columns) {
  std::string out;
  if (!alias.name.empty()) out += " AS " + Ident(alias);
  if (!columns.empty()) out += " (" + IdentList(columns) + ")";
  return out;
}

std::string TableFunctionArgToString(const TableFunctionArg& arg) {
  std::string out;
  if (!arg.name.name.empty()) out = Ident(arg.name) + " => ";
  switch (arg.kind) {
    case TableFunctionArg::Kind::kTable:
      out += "TABLE " + arg.table.ToString();
      if (arg.partition_by.size() == 1) {
        out += " PARTITION BY " + arg.partition_by[0]->ToString();
      } else if (!arg.partition_by.empty()) {
        out += " PARTITION BY (" + ExprList(arg.partition_by) + ")";
      }
      break;
    case TableFunctionArg::Kind::kDescriptor:
      out += "DESCRIPTOR(" + IdentList(arg.descriptor) + ")";
      break;
    case TableFunctionArg::Kind::kExpr:
      out += arg.expr->ToString();
      break;
  }
  return out;
}

std::string_view JoinKeyword(JoinKind kind) {
  switch (kind) {
    case JoinKind::kInner:
      return "JOIN";
    case JoinKind::kLeft:
      return "LEFT JOIN";
    case JoinKind::kRight:
      return "RIGHT JOIN";
    case JoinKind::kFull:
      return "FULL JOIN";
    case JoinKind::kCross:
      return "CROSS JOIN";
    case JoinKind::kComma:
      return ",";
  }
  return "JOIN";
}

std::string PropertiesToString(const std::vector<PropertySpec>& options) {
  std::string out;
  for (size_t i = 0; i < options.size(); ++i) {
    out += i > 0 ? ",\n  " : "\n  ";
    out += Quote(options[i].key) + " = " + Quote(options[i].value);
  }
  return out + "\n";
}

std::string ColumnSpecToString(const ColumnSpec& column) {
  std::string out = Ident(column.name);
  switch (column.kind) {
    case ColumnSpec::Kind::kPhysical:
      out += " " + column.type.ToString();
      break;
    case ColumnSpec::Kind::kComputed:
      out += " AS " + column.expr->ToString();
      break;
    case ColumnSpec::Kind::kMetadata:
      out += " " + column.type.ToString() + " METADATA";
      if (!column.metadata_key.empty()) out += " FROM " + Quote(column.metadata_key);
      if (column.is_virtual) out += " VIRTUAL";
      break;
  }
  if (!column.comment.empty()) out += " COMMENT " + Quote(column.comment);
  return out;
}

std::string CreateTableToString(const CreateTableStmt& stmt) {
  std::string out = "CREATE ";
  if (stmt.temporary) out += "TEMPORARY ";
  out += "TABLE ";
  if (stmt.if_not_exists) out += "IF NOT EXISTS ";
  out += stmt.name.ToString();
  std::vector<std::string> elements;
  for (const ColumnSpec& column : stmt.columns) elements.push_back(ColumnSpecToString(column));
  if (stmt.has_watermark) {
    elements.push_back(fmt::format("WATERMARK FOR {} AS {}", stmt.watermark.column.ToString(),
                                   stmt.watermark.expr->ToString()));
  }
  if (stmt.has_primary_key) {
    std::string key;
    if (!stmt.primary_key.constraint_name.name.empty()) {
      key = "CONSTRAINT " + Ident(stmt.primary_key.constraint_name) + " ";
    }
    key += "PRIMARY KEY (" + IdentList(stmt.primary_key.columns) + ") NOT ENFORCED";
    elements.push_back(std::move(key));
  }
  if (!elements.empty()) out += fmt::format(" (\n  {}\n)", fmt::join(elements, ",\n  "));
  if (!stmt.comment.empty()) out += " COMMENT " + Quote(stmt.comment);
  if (!stmt.partitioned_by.empty()) {
    out += " PARTITIONED BY (" + IdentList(stmt.partitioned_by) + ")";
  }
  if (!stmt.options.empty()) out += " WITH (" + PropertiesToString(stmt.options) + ")";
  return out;
}

std::string InsertToString(const InsertStmt& insert) {
  std::string out = insert.overwrite ? "INSERT OVERWRITE " : "INSERT INTO ";
  out += insert.table.ToString();
  if (!insert.columns.empty()) out += " (" + IdentList(insert.columns) + ")";
  out += "\n" + insert.query->ToString();
  return out;
}

}  // namespace

std::string DataType::ToString() const {
  std::string out;
  if (is_row) {
    out = "ROW<";
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ", ";
      out += Ident(fields[i].name) + " " + fields[i].type.ToString();
      if (!fields[i].comment.empty()) out += " COMMENT " + Quote(fields[i].comment);
    }
    out += ">";
  } else {
    switch (logical.id) {
      case TypeId::kDecimal:
        out = fmt::format("{}({}, {})", name, logical.precision, logical.scale);
        break;
      case TypeId::kTimestamp:
      case TypeId::kTimestampLtz:
        out = fmt::format("{}({})", name, logical.precision);
        break;
      case TypeId::kVarchar:
        out = length >= 0 ? fmt::format("{}({})", name, length) : name;
        break;
      default:
        out = name;
        break;
    }
  }
  if (not_null) out += " NOT NULL";
  return out;
}

std::string ExprNode::ToString() const {
  switch (kind) {
    case ExprNodeKind::kLiteral:
      return LiteralToString(*this);
    case ExprNodeKind::kColumnRef:
      return name.ToString();
    case ExprNodeKind::kStar:
      return name.empty() ? "*" : name.ToString() + ".*";
    case ExprNodeKind::kUnary:
      if (op == ExprOp::kNot) return "(NOT " + args[0]->ToString() + ")";
      return fmt::format("({}{})", ExprOpName(op), args[0]->ToString());
    case ExprNodeKind::kBinary:
      return BinaryToString(*this);
    case ExprNodeKind::kFunctionCall:
      return FunctionCallToString(*this);
    case ExprNodeKind::kCast:
      return fmt::format("{}({} AS {})", try_cast ? "TRY_CAST" : "CAST", args[0]->ToString(),
                         cast_type->ToString());
    case ExprNodeKind::kCase: {
      std::string out = "CASE";
      if (case_operand) out += " " + case_operand->ToString();
      for (const WhenClause& when : when_clauses) {
        out += " WHEN " + when.condition->ToString() + " THEN " + when.result->ToString();
      }
      if (else_result) out += " ELSE " + else_result->ToString();
      return out + " END";
    }
    case ExprNodeKind::kBetween:
      return fmt::format("({} {}BETWEEN {} AND {})", args[0]->ToString(), Not(*this),
                         args[1]->ToString(), args[2]->ToString());
    case ExprNodeKind::kInList: {
      std::string items;
      for (size_t i = 1; i < args.size(); ++i) {
        if (i > 1) items += ", ";
        items += args[i]->ToString();
      }
      return fmt::format("({} {}IN ({}))", args[0]->ToString(), Not(*this), items);
    }
    case ExprNodeKind::kInSubquery:
      return fmt::format("({} {}IN ({}))", args[0]->ToString(), Not(*this), subquery->ToString());
    case ExprNodeKind::kLike:
    case ExprNodeKind::kSimilarTo: {
      std::string out =
          fmt::format("({} {}{} {}", args[0]->ToString(), Not(*this),
                      kind == ExprNodeKind::kLike ? "LIKE" : "SIMILAR TO", args[1]->ToString());
      if (args.size() > 2) out += " ESCAPE " + args[2]->ToString();
      return out + ")";
    }
    case ExprNodeKind::kIsNull:
      return fmt::format("({} IS {}NULL)", args[0]->ToString(), Not(*this));
    case ExprNodeKind::kIsTrue:
      return fmt::format("({} IS {}TRUE)", args[0]->ToString(), Not(*this));
    case ExprNodeKind::kIsFalse:
      return fmt::format("({} IS {}FALSE)", args[0]->ToString(), Not(*this));
    case ExprNodeKind::kIsUnknown:
      return fmt::format("({} IS {}UNKNOWN)", args[0]->ToString(), Not(*this));
    case ExprNodeKind::kIsDistinctFrom:
      return fmt::format("({} IS {}DISTINCT FROM {})", args[0]->ToString(), Not(*this),
                         args[1]->ToString());
    case ExprNodeKind::kScalarSubquery:
      return "(" + subquery->ToString() + ")";
    case ExprNodeKind::kExists:
      return "EXISTS (" + subquery->ToString() + ")";
  }
  return "?";
}

std::string FromItem::ToString() const {
  switch (kind) {
    case FromKind::kTable: {
      std::string out = name.ToString();
      if (system_time) out += " FOR SYSTEM_TIME AS OF " + system_time->ToString();
      return out + AliasToString(alias, column_aliases);
    }
    case FromKind::kSubquery:
      return "(" + subquery->ToString() + ")" + AliasToString(alias, column_aliases);
    case FromKind::kTableFunction: {
      std::string args;
      for (size_t i = 0; i < function_args.size(); ++i) {
        if (i > 0) args += ", ";
        args += TableFunctionArgToString(function_args[i]);
      }
      return fmt::format("TABLE({}({})){}", function_name.ToString(), args,
                         AliasToString(alias, column_aliases));
    }
    case FromKind::kJoin: {
      // Joins nest to the left; a join on the right, or a comma join under a keyword join, needs
      // parentheses to read back the same way.
      std::string lhs = left->ToString();
      if (left->kind == FromKind::kJoin && left->join_kind == JoinKind::kComma &&
          join_kind != JoinKind::kComma) {
        lhs = "(" + lhs + ")";
      }
      std::string rhs = right->ToString();
      if (right->kind == FromKind::kJoin) rhs = "(" + rhs + ")";
      if (join_kind == JoinKind::kComma) return lhs + ", " + rhs;
      std::string out = fmt::format("{}\n{} {}", lhs, JoinKeyword(join_kind), rhs);
      if (condition) out += " ON " + condition->ToString();
      if (!using_columns.empty()) out += " USING (" + IdentList(using_columns) + ")";
      return out;
    }
  }
  return "?";
}

std::string QueryExpr::ToString() const {
  std::string out;
  if (!with.empty()) {
    out = "WITH ";
    for (size_t i = 0; i < with.size(); ++i) {
      if (i > 0) out += ", ";
      out += Ident(with[i].name);
      if (!with[i].columns.empty()) out += " (" + IdentList(with[i].columns) + ")";
      out += " AS (" + with[i].query->ToString() + ")";
    }
    out += "\n";
  }
  switch (kind) {
    case QueryKind::kSelect: {
      out += "SELECT ";
      if (select->distinct) out += "DISTINCT ";
      for (size_t i = 0; i < select->items.size(); ++i) {
        if (i > 0) out += ", ";
        out += select->items[i].expr->ToString();
        if (select->items[i].has_alias()) out += " AS " + Ident(select->items[i].alias);
      }
      if (select->from) out += "\nFROM " + select->from->ToString();
      if (select->where) out += "\nWHERE " + select->where->ToString();
      if (!select->group_by.empty()) out += "\nGROUP BY " + ExprList(select->group_by);
      if (select->having) out += "\nHAVING " + select->having->ToString();
      break;
    }
    case QueryKind::kSetOp: {
      std::string_view op = set_op == SetOpKind::kUnion       ? "UNION"
                            : set_op == SetOpKind::kIntersect ? "INTERSECT"
                                                              : "EXCEPT";
      out += fmt::format("({})\n{}{}\n({})", left->ToString(), op, set_all ? " ALL" : "",
                         right->ToString());
      break;
    }
    case QueryKind::kValues: {
      out += "VALUES ";
      for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ", ";
        out += "(" + ExprList(values[i]) + ")";
      }
      break;
    }
  }
  if (!order_by.empty()) out += "\nORDER BY " + OrderByList(order_by);
  if (limit) out += "\nLIMIT " + limit->ToString();
  if (offset) out += "\nOFFSET " + offset->ToString();
  return out;
}

std::string Statement::ToString() const {
  switch (kind) {
    case StatementKind::kCreateTable:
      return CreateTableToString(*create_table);
    case StatementKind::kCreateView: {
      std::string out = "CREATE ";
      if (create_view->temporary) out += "TEMPORARY ";
      out += "VIEW ";
      if (create_view->if_not_exists) out += "IF NOT EXISTS ";
      out += create_view->name.ToString();
      if (!create_view->columns.empty()) out += " (" + IdentList(create_view->columns) + ")";
      if (!create_view->comment.empty()) out += " COMMENT " + Quote(create_view->comment);
      return out + " AS\n" + create_view->query->ToString();
    }
    case StatementKind::kCreateFunction: {
      const CreateFunctionStmt& f = *create_function;
      std::string out = "CREATE ";
      if (f.temporary) out += f.system ? "TEMPORARY SYSTEM " : "TEMPORARY ";
      out += "FUNCTION ";
      if (f.if_not_exists) out += "IF NOT EXISTS ";
      out += f.name.ToString() + " AS " + Quote(f.class_name);
      if (!f.language.empty()) out += " LANGUAGE " + f.language;
      return out;
    }
    case StatementKind::kDrop: {
      std::string out = "DROP ";
      if (drop->temporary) out += "TEMPORARY ";
      out += drop->object == DropStmt::Object::kTable  ? "TABLE "
             : drop->object == DropStmt::Object::kView ? "VIEW "
                                                       : "FUNCTION ";
      if (drop->if_exists) out += "IF EXISTS ";
      return out + drop->name.ToString();
    }
    case StatementKind::kSet:
      if (!set->has_key) return "SET";
      return "SET " + Quote(set->key) + " = " + Quote(set->value);
    case StatementKind::kReset:
      if (!set->has_key) return "RESET";
      return "RESET " + Quote(set->key);
    case StatementKind::kInsert:
      return InsertToString(*insert);
    case StatementKind::kStatementSet: {
      std::string out = statement_set->legacy_syntax ? "BEGIN STATEMENT SET;\n"
                                                     : "EXECUTE STATEMENT SET\nBEGIN\n";
      for (const InsertStmt& insert_stmt : statement_set->inserts) {
        out += InsertToString(insert_stmt) + ";\n";
      }
      return out + "END";
    }
    case StatementKind::kQuery:
      return query->ToString();
  }
  return "?";
}

std::string Script::ToString() const {
  std::string out;
  for (const Statement& statement : statements) out += statement.ToString() + ";\n";
  return out;
}

}  // namespace sluice::sql
