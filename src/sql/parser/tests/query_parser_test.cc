// Queries: SELECT cores, FROM items (tables, subqueries, window TVFs, joins), set operations,
// WITH, ORDER BY / LIMIT, VALUES.

#include <gtest/gtest.h>

#include "sql/parser/parser.h"

namespace sluice::sql {
namespace {

QueryExprPtr Parse(std::string_view sql) {
  Result<QueryExprPtr> query = ParseQuery(sql);
  EXPECT_TRUE(query.ok()) << sql << "\n" << query.status().ToString();
  if (!query.ok()) return nullptr;
  // Printing must read back to the same tree.
  std::string printed = (*query)->ToString();
  Result<QueryExprPtr> again = ParseQuery(printed);
  EXPECT_TRUE(again.ok()) << printed << "\n" << again.status().ToString();
  if (again.ok()) {
    EXPECT_EQ((*again)->ToString(), printed);
  }
  return std::move(query).value();
}

TEST(QueryParserTest, SelectCoreClauses) {
  QueryExprPtr query = Parse(
      "SELECT DISTINCT a, b AS x, c y, t.*, * FROM t WHERE a > 1 GROUP BY a, b HAVING COUNT(*) > 2 "
      "ORDER BY a DESC, b LIMIT 10 OFFSET 5");
  ASSERT_TRUE(query);
  ASSERT_EQ(query->kind, QueryKind::kSelect);
  const SelectCore& core = *query->select;
  EXPECT_TRUE(core.distinct);
  ASSERT_EQ(core.items.size(), 5u);
  EXPECT_FALSE(core.items[0].has_alias());
  EXPECT_EQ(core.items[1].alias.name, "x");
  EXPECT_EQ(core.items[2].alias.name, "y");
  EXPECT_EQ(core.items[3].expr->kind, ExprNodeKind::kStar);
  EXPECT_EQ(core.items[3].expr->name.ToString(), "t");
  EXPECT_EQ(core.items[4].expr->kind, ExprNodeKind::kStar);
  EXPECT_TRUE(core.items[4].expr->name.empty());
  ASSERT_TRUE(core.from);
  EXPECT_EQ(core.from->kind, FromKind::kTable);
  EXPECT_EQ(core.from->name.ToString(), "t");
  EXPECT_EQ(core.where->ToString(), "(a > 1)");
  EXPECT_EQ(core.group_by.size(), 2u);
  EXPECT_EQ(core.having->ToString(), "(COUNT(*) > 2)");
  ASSERT_EQ(query->order_by.size(), 2u);
  EXPECT_TRUE(query->order_by[0].descending);
  EXPECT_FALSE(query->order_by[1].descending);
  EXPECT_EQ(query->limit->value, "10");
  EXPECT_EQ(query->offset->value, "5");
}

TEST(QueryParserTest, SelectWithoutFrom) {
  QueryExprPtr query = Parse("SELECT 1 + 1 AS two");
  ASSERT_TRUE(query);
  EXPECT_FALSE(query->select->from);
  EXPECT_EQ(query->select->items[0].alias.name, "two");
}

TEST(QueryParserTest, QualifiedTableNamesKeepTheirParts) {
  QueryExprPtr query = Parse("SELECT * FROM my_catalog.my_db.`orders table` AS o");
  ASSERT_TRUE(query);
  const FromItem& from = *query->select->from;
  ASSERT_EQ(from.name.parts.size(), 3u);
  EXPECT_EQ(from.name.parts[0].name, "my_catalog");
  EXPECT_EQ(from.name.parts[2].name, "orders table");
  EXPECT_EQ(from.alias.name, "o");
  EXPECT_EQ(from.name.ToString(), "my_catalog.my_db.`orders table`");
}

TEST(QueryParserTest, Joins) {
  QueryExprPtr query = Parse(
      "SELECT * FROM a JOIN b ON a.id = b.id LEFT OUTER JOIN c ON b.k = c.k "
      "RIGHT JOIN d USING (k) FULL JOIN e ON TRUE CROSS JOIN f INNER JOIN g ON g.x = a.x");
  ASSERT_TRUE(query);
  // Joins nest to the left: ((((((a J b) LJ c) RJ d) FJ e) CJ f) IJ g).
  const FromItem* item = query->select->from.get();
  const JoinKind expected[] = {JoinKind::kInner, JoinKind::kCross, JoinKind::kFull,
                               JoinKind::kRight, JoinKind::kLeft,  JoinKind::kInner};
  const char* right_names[] = {"g", "f", "e", "d", "c", "b"};
  for (int i = 0; i < 6; ++i) {
    ASSERT_EQ(item->kind, FromKind::kJoin);
    EXPECT_EQ(item->join_kind, expected[i]) << i;
    EXPECT_EQ(item->right->name.ToString(), right_names[i]) << i;
    item = item->left.get();
  }
  EXPECT_EQ(item->name.ToString(), "a");
  const FromItem& right_join = *query->select->from->left->left->left;
  ASSERT_EQ(right_join.using_columns.size(), 1u);
  EXPECT_EQ(right_join.using_columns[0].name, "k");
  EXPECT_FALSE(query->select->from->left->condition);  // CROSS JOIN has no condition
}

TEST(QueryParserTest, CommaJoinsAndParenthesisedJoins) {
  QueryExprPtr query = Parse("SELECT * FROM auction A, bid B WHERE A.id = B.auction");
  ASSERT_TRUE(query);
  const FromItem& from = *query->select->from;
  ASSERT_EQ(from.kind, FromKind::kJoin);
  EXPECT_EQ(from.join_kind, JoinKind::kComma);
  EXPECT_EQ(from.left->alias.name, "A");
  EXPECT_EQ(from.right->alias.name, "B");

  QueryExprPtr nested = Parse("SELECT * FROM a, (b JOIN c ON b.x = c.x) JOIN d ON TRUE");
  ASSERT_TRUE(nested);
  const FromItem& top = *nested->select->from;
  EXPECT_EQ(top.join_kind, JoinKind::kComma);
  ASSERT_EQ(top.right->kind, FromKind::kJoin);
  EXPECT_EQ(top.right->join_kind, JoinKind::kInner);
  EXPECT_EQ(top.right->left->kind, FromKind::kJoin);  // (b JOIN c) JOIN d
}

TEST(QueryParserTest, TemporalJoin) {
  QueryExprPtr query = Parse(
      "SELECT * FROM (SELECT *, PROCTIME() as p_time FROM bid) B "
      "JOIN side_input FOR SYSTEM_TIME AS OF B.p_time AS S ON mod(B.auction, 10000) = S.key");
  ASSERT_TRUE(query);
  const FromItem& join = *query->select->from;
  ASSERT_EQ(join.kind, FromKind::kJoin);
  EXPECT_EQ(join.left->kind, FromKind::kSubquery);
  EXPECT_EQ(join.left->alias.name, "B");
  EXPECT_EQ(join.right->name.ToString(), "side_input");
  ASSERT_TRUE(join.right->system_time);
  EXPECT_EQ(join.right->system_time->ToString(), "B.p_time");
  EXPECT_EQ(join.right->alias.name, "S");
  EXPECT_EQ(join.condition->ToString(), "(mod(B.auction, 10000) = S.key)");
}

TEST(QueryParserTest, SubqueryWithoutAlias) {
  QueryExprPtr query = Parse("SELECT * FROM (SELECT a FROM t) WHERE a > 1");
  ASSERT_TRUE(query);
  EXPECT_EQ(query->select->from->kind, FromKind::kSubquery);
  EXPECT_FALSE(query->select->from->has_alias());
  EXPECT_TRUE(query->select->where);
}

TEST(QueryParserTest, WindowTableFunctions) {
  QueryExprPtr query = Parse(
      "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), "
      "INTERVAL '10' SECOND)) GROUP BY window_start, window_end");
  ASSERT_TRUE(query);
  const FromItem& from = *query->select->from;
  ASSERT_EQ(from.kind, FromKind::kTableFunction);
  EXPECT_EQ(from.function_name.ToString(), "TUMBLE");
  ASSERT_EQ(from.function_args.size(), 3u);
  EXPECT_EQ(from.function_args[0].kind, TableFunctionArg::Kind::kTable);
  EXPECT_EQ(from.function_args[0].table.ToString(), "bid");
  EXPECT_EQ(from.function_args[1].kind, TableFunctionArg::Kind::kDescriptor);
  ASSERT_EQ(from.function_args[1].descriptor.size(), 1u);
  EXPECT_EQ(from.function_args[1].descriptor[0].name, "dateTime");
  EXPECT_EQ(from.function_args[2].kind, TableFunctionArg::Kind::kExpr);
  EXPECT_EQ(from.function_args[2].expr->ToString(), "INTERVAL '10' SECOND");
}

TEST(QueryParserTest, WindowTableFunctionsWithNamedArgumentsAndAlias) {
  QueryExprPtr query = Parse(
      "SELECT * FROM TABLE(CUMULATE(DATA => TABLE orders, TIMECOL => DESCRIPTOR(ts), "
      "STEP => INTERVAL '1' MINUTE, SIZE => INTERVAL '10' MINUTE)) AS w");
  ASSERT_TRUE(query);
  const FromItem& from = *query->select->from;
  EXPECT_EQ(from.function_name.ToString(), "CUMULATE");
  ASSERT_EQ(from.function_args.size(), 4u);
  EXPECT_EQ(from.function_args[0].name.name, "DATA");
  EXPECT_EQ(from.function_args[1].name.name, "TIMECOL");
  EXPECT_EQ(from.function_args[2].name.name, "STEP");
  EXPECT_EQ(from.function_args[3].name.name, "SIZE");
  EXPECT_EQ(from.function_args[3].expr->interval.start, TimeUnit::kMinute);
  EXPECT_EQ(from.alias.name, "w");
}

TEST(QueryParserTest, SessionWindowWithPartition) {
  QueryExprPtr query = Parse(
      "SELECT * FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(ts), "
      "INTERVAL '5' MINUTE))");
  ASSERT_TRUE(query);
  const TableFunctionArg& data = query->select->from->function_args[0];
  ASSERT_EQ(data.partition_by.size(), 1u);
  EXPECT_EQ(data.partition_by[0]->ToString(), "bidder");
  EXPECT_EQ(query->select->from->function_args.size(), 3u);

  QueryExprPtr multi = Parse(
      "SELECT * FROM TABLE(SESSION(TABLE bid PARTITION BY (bidder, channel), DESCRIPTOR(ts), "
      "INTERVAL '5' MINUTE))");
  ASSERT_TRUE(multi);
  EXPECT_EQ(multi->select->from->function_args[0].partition_by.size(), 2u);
}

TEST(QueryParserTest, HopAndGroupWindowFunctions) {
  QueryExprPtr query = Parse(
      "SELECT TUMBLE_START(event_time, INTERVAL '1' MINUTE) AS window_start, COUNT(*) "
      "FROM orders GROUP BY TUMBLE(event_time, INTERVAL '1' MINUTE), user_id");
  ASSERT_TRUE(query);
  ASSERT_EQ(query->select->group_by.size(), 2u);
  EXPECT_EQ(query->select->group_by[0]->kind, ExprNodeKind::kFunctionCall);
  EXPECT_EQ(query->select->group_by[0]->name.ToString(), "TUMBLE");
}

TEST(QueryParserTest, SetOperations) {
  QueryExprPtr query = Parse("SELECT a FROM x UNION ALL SELECT a FROM y UNION SELECT a FROM z");
  ASSERT_TRUE(query);
  ASSERT_EQ(query->kind, QueryKind::kSetOp);
  EXPECT_FALSE(query->set_all);  // the outer UNION
  ASSERT_EQ(query->left->kind, QueryKind::kSetOp);
  EXPECT_TRUE(query->left->set_all);

  // INTERSECT binds tighter than UNION.
  QueryExprPtr mixed = Parse("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3");
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->set_op, SetOpKind::kUnion);
  EXPECT_EQ(mixed->right->set_op, SetOpKind::kIntersect);

  QueryExprPtr parenthesised =
      Parse("(SELECT a FROM x ORDER BY a LIMIT 1) UNION ALL (SELECT a FROM y) ORDER BY a");
  ASSERT_TRUE(parenthesised);
  EXPECT_EQ(parenthesised->kind, QueryKind::kSetOp);
  EXPECT_EQ(parenthesised->order_by.size(), 1u);
  EXPECT_TRUE(parenthesised->left->limit);
  EXPECT_FALSE(parenthesised->right->limit);

  QueryExprPtr except = Parse("SELECT a FROM x EXCEPT SELECT a FROM y");
  ASSERT_TRUE(except);
  EXPECT_EQ(except->set_op, SetOpKind::kExcept);
}

TEST(QueryParserTest, WithClause) {
  QueryExprPtr query = Parse(
      "WITH recent AS (SELECT * FROM orders WHERE ts > CURRENT_TIMESTAMP), "
      "totals (id, total) AS (SELECT id, SUM(amount) FROM recent GROUP BY id) "
      "SELECT * FROM totals");
  ASSERT_TRUE(query);
  ASSERT_EQ(query->with.size(), 2u);
  EXPECT_EQ(query->with[0].name.name, "recent");
  EXPECT_TRUE(query->with[0].columns.empty());
  ASSERT_EQ(query->with[1].columns.size(), 2u);
  EXPECT_EQ(query->with[1].columns[1].name, "total");
  EXPECT_EQ(query->with[1].query->kind, QueryKind::kSelect);
  EXPECT_EQ(query->select->from->name.ToString(), "totals");
}

TEST(QueryParserTest, Values) {
  QueryExprPtr query = Parse("VALUES (1, 'a'), (2, 'b')");
  ASSERT_TRUE(query);
  ASSERT_EQ(query->kind, QueryKind::kValues);
  ASSERT_EQ(query->values.size(), 2u);
  EXPECT_EQ(query->values[1][1]->value, "b");

  QueryExprPtr derived = Parse("SELECT x FROM (VALUES (1), (2)) AS t (x)");
  ASSERT_TRUE(derived);
  ASSERT_EQ(derived->select->from->column_aliases.size(), 1u);
  EXPECT_EQ(derived->select->from->column_aliases[0].name, "x");
}

TEST(QueryParserTest, FetchFirstIsALimit) {
  QueryExprPtr query = Parse("SELECT a FROM t ORDER BY a FETCH FIRST 3 ROWS ONLY");
  ASSERT_TRUE(query);
  ASSERT_TRUE(query->limit);
  EXPECT_EQ(query->limit->value, "3");
}

TEST(QueryParserTest, TopNPattern) {
  QueryExprPtr query = Parse(
      "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) "
      "AS rank_number FROM bid) WHERE rank_number <= 10");
  ASSERT_TRUE(query);
  const QueryExpr& inner = *query->select->from->subquery;
  ASSERT_EQ(inner.select->items.size(), 2u);
  EXPECT_EQ(inner.select->items[1].alias.name, "rank_number");
  ASSERT_TRUE(inner.select->items[1].expr->over);
}

TEST(QueryParserTest, ScalarAndExistsSubqueriesInWhere) {
  QueryExprPtr query = Parse(
      "SELECT * FROM t WHERE x > (SELECT AVG(x) FROM t) AND EXISTS (SELECT 1 FROM u WHERE u.id = "
      "t.id) AND y IN (SELECT y FROM v)");
  ASSERT_TRUE(query);
  const ExprNode& where = *query->select->where;
  EXPECT_EQ(where.args[0]->args[0]->args[1]->kind, ExprNodeKind::kScalarSubquery);
  EXPECT_EQ(where.args[0]->args[1]->kind, ExprNodeKind::kExists);
  EXPECT_EQ(where.args[1]->kind, ExprNodeKind::kInSubquery);
}

TEST(QueryParserTest, CloneIsDeep) {
  QueryExprPtr query = Parse(
      "WITH w AS (SELECT 1 AS a) SELECT a FROM w JOIN TABLE(HOP(TABLE t, DESCRIPTOR(ts), "
      "INTERVAL '1' SECOND, INTERVAL '2' SECOND)) h ON TRUE ORDER BY a LIMIT 1");
  ASSERT_TRUE(query);
  QueryExprPtr copy = query->Clone();
  std::string printed = query->ToString();
  query.reset();
  EXPECT_EQ(copy->ToString(), printed);
}

}  // namespace
}  // namespace sluice::sql
