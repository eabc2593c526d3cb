// SqlParser: queries — WITH, set operations, SELECT cores, FROM items, ORDER BY / LIMIT.

#include <fmt/format.h>

#include "sql/parser/keywords.h"
#include "sql/parser/sql_parser.h"

namespace sluice::sql {

bool SqlParser::StartsQuery(size_t ahead) const {
  while (PeekIs(TokenKind::kLParen, ahead)) ++ahead;
  return PeekKeyword("SELECT", ahead) || PeekKeyword("WITH", ahead) || PeekKeyword("VALUES", ahead);
}

bool SqlParser::IsSubqueryAhead(size_t ahead) const {
  if (!PeekIs(TokenKind::kLParen, ahead)) return false;
  size_t parens = 0;
  while (PeekIs(TokenKind::kLParen, ahead + parens)) ++parens;
  if (!StartsQuery(ahead + parens)) return false;
  if (parens > static_cast<size_t>(kMaxNesting)) return true;  // fails on nesting anyway
  // With `((SELECT ...) op ...)` every inner group must be followed by something only a query can
  // have (a set operation, ORDER BY/LIMIT, or the closing parenthesis) for the outer '(' to open a
  // query.
  for (size_t level = 1; level < parens; ++level) {
    size_t index = ahead + level;
    int depth = 0;
    while (true) {
      TokenKind kind = Peek(index).kind;
      if (kind == TokenKind::kEnd) return true;  // unbalanced: let the query parser report it
      if (kind == TokenKind::kLParen) ++depth;
      if (kind == TokenKind::kRParen && --depth == 0) break;
      ++index;
    }
    ++index;
    bool query_follows = PeekIs(TokenKind::kRParen, index) || PeekKeyword("UNION", index) ||
                         PeekKeyword("INTERSECT", index) || PeekKeyword("EXCEPT", index) ||
                         PeekKeyword("MINUS", index) || PeekKeyword("ORDER", index) ||
                         PeekKeyword("LIMIT", index) || PeekKeyword("OFFSET", index) ||
                         PeekKeyword("FETCH", index);
    if (!query_follows) return false;
  }
  return true;
}

Result<QueryExprPtr> SqlParser::ParseQueryExpr() {
  NestingGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.Enter());
  SourceLocation location = Current().location;
  std::vector<CommonTableExpr> with;
  if (AcceptKeyword("WITH")) {
    if (PeekKeyword("RECURSIVE")) {
      return UnsupportedAt(Current().location, "WITH RECURSIVE is not supported");
    }
    do {
      CommonTableExpr cte;
      SLUICE_ASSIGN_OR_RETURN(cte.name, ParseIdentifier("a name for the WITH query"));
      if (PeekIs(TokenKind::kLParen)) {
        SLUICE_ASSIGN_OR_RETURN(cte.columns, ParseIdentifierList("a column name"));
      }
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
      SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'('"));
      SLUICE_ASSIGN_OR_RETURN(cte.query, ParseQueryExpr());
      SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
      with.push_back(std::move(cte));
    } while (Accept(TokenKind::kComma));
  }
  SLUICE_ASSIGN_OR_RETURN(QueryExprPtr query, ParseUnionLevel());

  std::vector<OrderByItem> order_by;
  ExprNodePtr limit;
  ExprNodePtr offset;
  SourceLocation tail_location = Current().location;
  if (AcceptKeyword("ORDER")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("BY"));
    SLUICE_ASSIGN_OR_RETURN(order_by, ParseOrderByList());
  }
  if (AcceptKeyword("LIMIT")) {
    SLUICE_ASSIGN_OR_RETURN(limit, ParseExpr());
  }
  if (AcceptKeyword("OFFSET")) {
    SLUICE_ASSIGN_OR_RETURN(offset, ParseExpr());
    if (!AcceptKeyword("ROWS")) AcceptKeyword("ROW");
  }
  if (!limit && AcceptKeyword("FETCH")) {
    if (!AcceptKeyword("FIRST") && !AcceptKeyword("NEXT")) return ErrorExpected("FIRST or NEXT");
    SLUICE_ASSIGN_OR_RETURN(limit, ParseExpr());
    if (!AcceptKeyword("ROWS") && !AcceptKeyword("ROW")) return ErrorExpected("ROWS");
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("ONLY"));
  }

  bool has_tail = !order_by.empty() || limit || offset;
  // A parenthesised body that already carries its own WITH / ORDER BY / LIMIT is kept as is; a
  // second one on top is not representable and is rare enough to refuse.
  if ((!with.empty() && !query->with.empty()) ||
      (has_tail && (!query->order_by.empty() || query->limit || query->offset))) {
    return UnsupportedAt(tail_location,
                         "a parenthesised query with its own WITH/ORDER BY/LIMIT cannot take "
                         "another one; move it into the parentheses");
  }
  if (!with.empty()) {
    query->with = std::move(with);
    query->location = location;
  }
  if (has_tail) {
    query->order_by = std::move(order_by);
    query->limit = std::move(limit);
    query->offset = std::move(offset);
  }
  return query;
}

Result<QueryExprPtr> SqlParser::ParseUnionLevel() {
  SLUICE_ASSIGN_OR_RETURN(QueryExprPtr left, ParseIntersectLevel());
  while (PeekKeyword("UNION") || PeekKeyword("EXCEPT") || PeekKeyword("MINUS")) {
    auto node = std::make_unique<QueryExpr>();
    node->kind = QueryKind::kSetOp;
    node->location = left->location;
    node->set_op = PeekKeyword("UNION") ? SetOpKind::kUnion : SetOpKind::kExcept;
    Advance();
    if (AcceptKeyword("ALL")) {
      node->set_all = true;
    } else {
      AcceptKeyword("DISTINCT");
    }
    SLUICE_ASSIGN_OR_RETURN(node->right, ParseIntersectLevel());
    node->left = std::move(left);
    left = std::move(node);
  }
  return left;
}

Result<QueryExprPtr> SqlParser::ParseIntersectLevel() {
  SLUICE_ASSIGN_OR_RETURN(QueryExprPtr left, ParseQueryPrimary());
  while (PeekKeyword("INTERSECT")) {
    auto node = std::make_unique<QueryExpr>();
    node->kind = QueryKind::kSetOp;
    node->location = left->location;
    node->set_op = SetOpKind::kIntersect;
    Advance();
    if (AcceptKeyword("ALL")) {
      node->set_all = true;
    } else {
      AcceptKeyword("DISTINCT");
    }
    SLUICE_ASSIGN_OR_RETURN(node->right, ParseQueryPrimary());
    node->left = std::move(left);
    left = std::move(node);
  }
  return left;
}

Result<QueryExprPtr> SqlParser::ParseQueryPrimary() {
  SourceLocation location = Current().location;
  if (Accept(TokenKind::kLParen)) {
    if (!StartsQuery()) return ErrorExpected("a query (SELECT, WITH or VALUES)");
    SLUICE_ASSIGN_OR_RETURN(QueryExprPtr query, ParseQueryExpr());
    SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
    return query;
  }
  auto query = std::make_unique<QueryExpr>();
  query->location = location;
  if (PeekKeyword("SELECT")) {
    query->kind = QueryKind::kSelect;
    SLUICE_ASSIGN_OR_RETURN(query->select, ParseSelectCore());
    return query;
  }
  if (AcceptKeyword("VALUES")) {
    query->kind = QueryKind::kValues;
    do {
      std::vector<ExprNodePtr> row;
      if (PeekKeyword("ROW") && PeekIs(TokenKind::kLParen, 1)) Advance();
      if (Accept(TokenKind::kLParen)) {
        SLUICE_ASSIGN_OR_RETURN(row, ParseExprList());
        SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "',' or ')'"));
      } else {
        SLUICE_ASSIGN_OR_RETURN(ExprNodePtr value, ParseExpr());
        row.push_back(std::move(value));
      }
      if (!query->values.empty() && row.size() != query->values[0].size()) {
        return ErrorAt(location, fmt::format("VALUES rows have different numbers of columns ({} "
                                             "and {})",
                                             query->values[0].size(), row.size()));
      }
      query->values.push_back(std::move(row));
    } while (Accept(TokenKind::kComma));
    return query;
  }
  return ErrorExpected("SELECT, VALUES or '('");
}

Result<std::unique_ptr<SelectCore>> SqlParser::ParseSelectCore() {
  auto core = std::make_unique<SelectCore>();
  core->location = Current().location;
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("SELECT"));
  if (AcceptKeyword("DISTINCT")) {
    core->distinct = true;
  } else {
    AcceptKeyword("ALL");
  }
  do {
    SLUICE_ASSIGN_OR_RETURN(SelectItem item, ParseSelectItem());
    core->items.push_back(std::move(item));
  } while (Accept(TokenKind::kComma));
  if (AcceptKeyword("FROM")) {
    SLUICE_ASSIGN_OR_RETURN(core->from, ParseFromList());
  }
  if (AcceptKeyword("WHERE")) {
    SLUICE_ASSIGN_OR_RETURN(core->where, ParseExpr());
  }
  if (AcceptKeyword("GROUP")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("BY"));
    if (PeekKeyword("GROUPING") && PeekKeyword("SETS", 1)) {
      return UnsupportedAt(Current().location, "GROUPING SETS is not supported yet");
    }
    SLUICE_ASSIGN_OR_RETURN(core->group_by, ParseExprList());
  }
  if (AcceptKeyword("HAVING")) {
    SLUICE_ASSIGN_OR_RETURN(core->having, ParseExpr());
  }
  if (PeekKeyword("WINDOW")) {
    return UnsupportedAt(Current().location,
                         "named windows (WINDOW w AS ...) are not supported "
                         "yet; write the OVER (...) clause inline");
  }
  if (PeekKeyword("QUALIFY")) {
    return UnsupportedAt(Current().location, "QUALIFY is not supported");
  }
  return core;
}

Result<SelectItem> SqlParser::ParseSelectItem() {
  SelectItem item;
  SourceLocation location = Current().location;
  if (Accept(TokenKind::kStar)) {
    item.expr = std::make_unique<ExprNode>();
    item.expr->kind = ExprNodeKind::kStar;
    item.expr->location = location;
    return item;
  }
  // `t.*` / `db.t.*`: a dotted name that ends in '.*'.
  size_t ahead = 0;
  while (PeekIdentifier(ahead) && PeekIs(TokenKind::kDot, ahead + 1)) {
    if (PeekIs(TokenKind::kStar, ahead + 2)) {
      auto star = std::make_unique<ExprNode>();
      star->kind = ExprNodeKind::kStar;
      star->location = location;
      while (!PeekIs(TokenKind::kStar)) {
        if (PeekIs(TokenKind::kDot)) {
          Advance();
          continue;
        }
        star->name.parts.push_back(
            {Current().text, Current().kind == TokenKind::kQuotedIdentifier, Current().location});
        Advance();
      }
      Advance();  // '*'
      item.expr = std::move(star);
      return item;
    }
    ahead += 2;
  }
  SLUICE_ASSIGN_OR_RETURN(item.expr, ParseExpr());
  std::vector<Identifier> no_columns;
  SLUICE_RETURN_IF_ERROR(ParseOptionalAlias(&item.alias, &no_columns, false));
  return item;
}

Status SqlParser::ParseOptionalAlias(Identifier* alias, std::vector<Identifier>* columns,
                                     bool allow_columns) {
  if (AcceptKeyword("AS")) {
    SLUICE_ASSIGN_OR_RETURN(*alias, ParseIdentifier("an alias"));
  } else if (PeekIdentifier()) {
    SLUICE_ASSIGN_OR_RETURN(*alias, ParseIdentifier("an alias"));
  } else {
    return Status::OK();
  }
  if (allow_columns && PeekIs(TokenKind::kLParen)) {
    SLUICE_ASSIGN_OR_RETURN(*columns, ParseIdentifierList("a column alias"));
  }
  return Status::OK();
}

Result<std::unique_ptr<FromItem>> SqlParser::ParseFromList() {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<FromItem> left, ParseJoinedTable());
  while (PeekIs(TokenKind::kComma)) {
    SourceLocation location = Current().location;
    Advance();
    auto join = std::make_unique<FromItem>();
    join->kind = FromKind::kJoin;
    join->join_kind = JoinKind::kComma;
    join->location = location;
    SLUICE_ASSIGN_OR_RETURN(join->right, ParseJoinedTable());
    join->left = std::move(left);
    left = std::move(join);
  }
  return left;
}

Result<std::unique_ptr<FromItem>> SqlParser::ParseJoinedTable() {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<FromItem> left, ParseTablePrimary());
  while (true) {
    SourceLocation location = Current().location;
    JoinKind kind;
    if (PeekKeyword("NATURAL")) {
      return UnsupportedAt(location, "NATURAL JOIN is not supported; use JOIN ... USING (...)");
    }
    if (AcceptKeyword("JOIN")) {
      kind = JoinKind::kInner;
    } else if (AcceptKeyword("INNER")) {
      kind = JoinKind::kInner;
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("JOIN"));
    } else if (AcceptKeyword("LEFT")) {
      kind = JoinKind::kLeft;
      AcceptKeyword("OUTER");
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("JOIN"));
    } else if (AcceptKeyword("RIGHT")) {
      kind = JoinKind::kRight;
      AcceptKeyword("OUTER");
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("JOIN"));
    } else if (AcceptKeyword("FULL")) {
      kind = JoinKind::kFull;
      AcceptKeyword("OUTER");
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("JOIN"));
    } else if (AcceptKeyword("CROSS")) {
      kind = JoinKind::kCross;
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("JOIN"));
    } else {
      return left;
    }
    auto join = std::make_unique<FromItem>();
    join->kind = FromKind::kJoin;
    join->join_kind = kind;
    join->location = location;
    SLUICE_ASSIGN_OR_RETURN(join->right, ParseTablePrimary());
    join->left = std::move(left);
    if (kind != JoinKind::kCross) {
      if (AcceptKeyword("ON")) {
        SLUICE_ASSIGN_OR_RETURN(join->condition, ParseExpr());
      } else if (AcceptKeyword("USING")) {
        SLUICE_ASSIGN_OR_RETURN(join->using_columns, ParseIdentifierList("a column name"));
      } else {
        return ErrorExpected("ON or USING after the joined table");
      }
    }
    left = std::move(join);
  }
}

Result<std::unique_ptr<FromItem>> SqlParser::ParseTablePrimary() {
  NestingGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.Enter());
  SourceLocation location = Current().location;
  std::unique_ptr<FromItem> item;
  if (PeekKeyword("LATERAL")) {
    return UnsupportedAt(location,
                         "LATERAL TABLE(...) (user-defined table functions) is not supported yet");
  }
  if (PeekKeyword("UNNEST") && PeekIs(TokenKind::kLParen, 1)) {
    return UnsupportedAt(location, "UNNEST is not supported yet");
  }
  if (PeekIs(TokenKind::kLParen)) {
    if (IsSubqueryAhead()) {
      Advance();
      item = std::make_unique<FromItem>();
      item->kind = FromKind::kSubquery;
      item->location = location;
      SLUICE_ASSIGN_OR_RETURN(item->subquery, ParseQueryExpr());
      SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
    } else {
      // Parenthesised join: FROM (a JOIN b ON ...) JOIN c ON ...
      Advance();
      SLUICE_ASSIGN_OR_RETURN(item, ParseFromList());
      SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
      if (item->kind == FromKind::kJoin) return item;
    }
  } else if (PeekKeyword("TABLE") && PeekIs(TokenKind::kLParen, 1)) {
    SLUICE_ASSIGN_OR_RETURN(item, ParseTableFunction(location));
  } else {
    item = std::make_unique<FromItem>();
    item->kind = FromKind::kTable;
    item->location = location;
    SLUICE_ASSIGN_OR_RETURN(item->name, ParseQualifiedName("a table name"));
    if (PeekIs(TokenKind::kLParen)) {
      return ErrorAt(Current().location,
                     "a table function in FROM must be wrapped in TABLE(...), as in "
                     "TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE))");
    }
    if (AcceptKeyword("FOR")) {
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("SYSTEM_TIME"));
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("OF"));
      SLUICE_ASSIGN_OR_RETURN(item->system_time, ParseExpr());
    }
  }
  if (PeekKeyword("MATCH_RECOGNIZE")) {
    return UnsupportedAt(Current().location, "MATCH_RECOGNIZE is not supported yet");
  }
  SLUICE_RETURN_IF_ERROR(ParseOptionalAlias(&item->alias, &item->column_aliases, true));
  return item;
}

Result<std::unique_ptr<FromItem>> SqlParser::ParseTableFunction(SourceLocation location) {
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("TABLE"));
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'('"));
  auto item = std::make_unique<FromItem>();
  item->kind = FromKind::kTableFunction;
  item->location = location;
  SLUICE_ASSIGN_OR_RETURN(item->function_name,
                          ParseQualifiedName("a table function name (TUMBLE, HOP, ...)"));
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'('"));
  if (!PeekIs(TokenKind::kRParen)) {
    do {
      SLUICE_ASSIGN_OR_RETURN(TableFunctionArg arg, ParseTableFunctionArg());
      item->function_args.push_back(std::move(arg));
    } while (Accept(TokenKind::kComma));
  }
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "',' or ')'"));
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
  return item;
}

Result<TableFunctionArg> SqlParser::ParseTableFunctionArg() {
  TableFunctionArg arg;
  arg.location = Current().location;
  if (PeekIdentifier() && PeekIs(TokenKind::kArrow, 1)) {
    SLUICE_ASSIGN_OR_RETURN(arg.name, ParseIdentifier("an argument name"));
    Advance();  // =>
  }
  if (PeekKeyword("TABLE")) {
    Advance();
    arg.kind = TableFunctionArg::Kind::kTable;
    if (PeekIs(TokenKind::kLParen)) {
      return UnsupportedAt(Current().location,
                           "a subquery as a table argument is not supported yet; create a view "
                           "and pass TABLE view_name");
    }
    SLUICE_ASSIGN_OR_RETURN(arg.table, ParseQualifiedName("a table name"));
    if (AcceptKeyword("PARTITION")) {
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("BY"));
      if (Accept(TokenKind::kLParen)) {
        SLUICE_ASSIGN_OR_RETURN(arg.partition_by, ParseExprList());
        SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "',' or ')'"));
      } else {
        SLUICE_ASSIGN_OR_RETURN(ExprNodePtr key, ParseExpr());
        arg.partition_by.push_back(std::move(key));
      }
    }
    return arg;
  }
  if (PeekKeyword("DESCRIPTOR") && PeekIs(TokenKind::kLParen, 1)) {
    Advance();
    arg.kind = TableFunctionArg::Kind::kDescriptor;
    SLUICE_ASSIGN_OR_RETURN(arg.descriptor, ParseIdentifierList("a column name"));
    return arg;
  }
  arg.kind = TableFunctionArg::Kind::kExpr;
  SLUICE_ASSIGN_OR_RETURN(arg.expr, ParseExpr());
  return arg;
}

Result<std::vector<OrderByItem>> SqlParser::ParseOrderByList() {
  std::vector<OrderByItem> items;
  do {
    OrderByItem item;
    item.location = Current().location;
    SLUICE_ASSIGN_OR_RETURN(item.expr, ParseExpr());
    if (AcceptKeyword("DESC")) {
      item.descending = true;
    } else {
      AcceptKeyword("ASC");
    }
    if (AcceptKeyword("NULLS")) {
      if (AcceptKeyword("FIRST")) {
        item.nulls = NullOrder::kFirst;
      } else if (AcceptKeyword("LAST")) {
        item.nulls = NullOrder::kLast;
      } else {
        return ErrorExpected("FIRST or LAST after NULLS");
      }
    }
    items.push_back(std::move(item));
  } while (Accept(TokenKind::kComma));
  return items;
}

Result<std::vector<ExprNodePtr>> SqlParser::ParseExprList() {
  std::vector<ExprNodePtr> exprs;
  do {
    SLUICE_ASSIGN_OR_RETURN(ExprNodePtr expr, ParseExpr());
    exprs.push_back(std::move(expr));
  } while (Accept(TokenKind::kComma));
  return exprs;
}

}  // namespace sluice::sql
