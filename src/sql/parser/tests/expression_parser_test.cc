// Expressions: precedence (checked on the fully parenthesised ToString), node shapes of the special
// call syntaxes, literals and locations.

#include <gtest/gtest.h>

#include "sql/parser/parser.h"

namespace sluice::sql {
namespace {

ExprNodePtr Parse(std::string_view sql) {
  Result<ExprNodePtr> expr = ParseExpression(sql);
  EXPECT_TRUE(expr.ok()) << sql << "\n" << expr.status().ToString();
  return expr.ok() ? std::move(expr).value() : nullptr;
}

std::string Canonical(std::string_view sql) {
  ExprNodePtr expr = Parse(sql);
  if (!expr) return "<error>";
  // The canonical form must itself parse back to the same canonical form.
  ExprNodePtr again = Parse(expr->ToString());
  if (again) {
    EXPECT_EQ(again->ToString(), expr->ToString()) << "round trip of " << sql;
  }
  return expr->ToString();
}

TEST(ExpressionParserTest, ArithmeticPrecedence) {
  EXPECT_EQ(Canonical("a + b * c"), "(a + (b * c))");
  EXPECT_EQ(Canonical("a * b + c"), "((a * b) + c)");
  EXPECT_EQ(Canonical("a - b - c"), "(a - b - c)");  // a chain of one operator prints flat
  ExprNodePtr chain = Parse("a - b - c");
  ASSERT_TRUE(chain);
  EXPECT_EQ(chain->args[0]->ToString(), "(a - b)");  // ... and nests to the left
  EXPECT_EQ(chain->args[1]->ToString(), "c");
  EXPECT_EQ(Canonical("a - (b - c)"), "(a - (b - c))");
  EXPECT_EQ(Canonical("a + b - c + d"), "(((a + b) - c) + d)");
  EXPECT_EQ(Canonical("a / b % c * d"), "(((a / b) % c) * d)");
  EXPECT_EQ(Canonical("(a + b) * c"), "((a + b) * c)");
  EXPECT_EQ(Canonical("-a * b"), "((-a) * b)");
  EXPECT_EQ(Canonical("- - a"), "(-(-a))");
  EXPECT_EQ(Canonical("+a - -1"), "((+a) - (-1))");
}

TEST(ExpressionParserTest, ConcatBindsLooserThanAdditionAndTighterThanComparison) {
  EXPECT_EQ(Canonical("a || b + c"), "(a || (b + c))");
  EXPECT_EQ(Canonical("a || b = c || d"), "((a || b) = (c || d))");
  EXPECT_EQ(Canonical("'x' || 'y' || 'z'"), "('x' || 'y' || 'z')");
}

TEST(ExpressionParserTest, BooleanPrecedence) {
  EXPECT_EQ(Canonical("a OR b AND c"), "(a OR (b AND c))");
  EXPECT_EQ(Canonical("a AND b OR c AND d"), "((a AND b) OR (c AND d))");
  EXPECT_EQ(Canonical("NOT a AND b"), "((NOT a) AND b)");
  EXPECT_EQ(Canonical("NOT a = b"), "(NOT (a = b))");
  EXPECT_EQ(Canonical("NOT NOT a"), "(NOT (NOT a))");
  EXPECT_EQ(Canonical("a = 1 OR NOT b < 2 AND c"), "((a = 1) OR ((NOT (b < 2)) AND c))");
  EXPECT_EQ(Canonical("a + 1 > b * 2 AND c <> d"), "(((a + 1) > (b * 2)) AND (c <> d))");
  EXPECT_EQ(Canonical("a != b"), "(a <> b)");
}

TEST(ExpressionParserTest, Predicates) {
  EXPECT_EQ(Canonical("a IS NULL"), "(a IS NULL)");
  EXPECT_EQ(Canonical("a + 1 IS NOT NULL"), "((a + 1) IS NOT NULL)");
  EXPECT_EQ(Canonical("a IS TRUE OR b IS NOT FALSE"), "((a IS TRUE) OR (b IS NOT FALSE))");
  EXPECT_EQ(Canonical("a IS UNKNOWN"), "(a IS UNKNOWN)");
  EXPECT_EQ(Canonical("a IS NOT DISTINCT FROM b"), "(a IS NOT DISTINCT FROM b)");
  EXPECT_EQ(Canonical("x BETWEEN a - 1 AND b + 1 AND c"),
            "((x BETWEEN (a - 1) AND (b + 1)) AND c)");
  EXPECT_EQ(Canonical("x NOT BETWEEN 1 AND 2"), "(x NOT BETWEEN 1 AND 2)");
  EXPECT_EQ(Canonical("x IN (1, 2, 3)"), "(x IN (1, 2, 3))");
  EXPECT_EQ(Canonical("lower(x) NOT IN ('a', 'b')"), "(lower(x) NOT IN ('a', 'b'))");
  EXPECT_EQ(Canonical("s LIKE 'a%' ESCAPE '!'"), "(s LIKE 'a%' ESCAPE '!')");
  EXPECT_EQ(Canonical("s NOT LIKE 'a' || '%'"), "(s NOT LIKE ('a' || '%'))");
  EXPECT_EQ(Canonical("s SIMILAR TO 'a+'"), "(s SIMILAR TO 'a+')");
  EXPECT_EQ(Canonical("NOT s LIKE 'x'"), "(NOT (s LIKE 'x'))");
}

TEST(ExpressionParserTest, InNodeShapes) {
  ExprNodePtr list = Parse("a NOT IN (1, b)");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->kind, ExprNodeKind::kInList);
  EXPECT_TRUE(list->negated);
  ASSERT_EQ(list->args.size(), 3u);
  EXPECT_EQ(list->args[2]->kind, ExprNodeKind::kColumnRef);

  ExprNodePtr sub = Parse("a IN (SELECT id FROM t WHERE x > 1)");
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->kind, ExprNodeKind::kInSubquery);
  EXPECT_FALSE(sub->negated);
  ASSERT_EQ(sub->args.size(), 1u);
  ASSERT_TRUE(sub->subquery);
  EXPECT_EQ(sub->subquery->kind, QueryKind::kSelect);
  EXPECT_EQ(sub->ToString(), "(a IN (SELECT id\nFROM t\nWHERE (x > 1)))");

  // A parenthesised subquery used as a value inside the list keeps it a list.
  ExprNodePtr mixed = Parse("a IN ((SELECT 1), 2)");
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->kind, ExprNodeKind::kInList);
  EXPECT_EQ(mixed->args[1]->kind, ExprNodeKind::kScalarSubquery);
}

TEST(ExpressionParserTest, Literals) {
  struct Case {
    const char* sql;
    LiteralKind kind;
    const char* value;
  };
  const Case cases[] = {
      {"42", LiteralKind::kInteger, "42"},
      {"0.908", LiteralKind::kDecimal, "0.908"},
      {"1.5e10", LiteralKind::kDouble, "1.5e10"},
      {"'it''s'", LiteralKind::kString, "it's"},
      {"TRUE", LiteralKind::kBoolean, "TRUE"},
      {"false", LiteralKind::kBoolean, "FALSE"},
      {"NULL", LiteralKind::kNull, ""},
      {"DATE '2024-01-01'", LiteralKind::kDate, "2024-01-01"},
      {"TIME '12:30:00'", LiteralKind::kTime, "12:30:00"},
      {"TIMESTAMP '2024-01-01 00:00:00'", LiteralKind::kTimestamp, "2024-01-01 00:00:00"},
  };
  for (const Case& c : cases) {
    ExprNodePtr expr = Parse(c.sql);
    ASSERT_TRUE(expr) << c.sql;
    EXPECT_EQ(expr->kind, ExprNodeKind::kLiteral) << c.sql;
    EXPECT_EQ(expr->literal_kind, c.kind) << c.sql;
    EXPECT_EQ(expr->value, c.value) << c.sql;
  }
}

TEST(ExpressionParserTest, IntervalLiterals) {
  ExprNodePtr simple = Parse("INTERVAL '5' SECOND");
  ASSERT_TRUE(simple);
  EXPECT_EQ(simple->literal_kind, LiteralKind::kInterval);
  EXPECT_EQ(simple->value, "5");
  EXPECT_EQ(simple->interval.start, TimeUnit::kSecond);
  EXPECT_EQ(simple->interval.end, TimeUnit::kSecond);
  EXPECT_EQ(simple->interval.leading_precision, -1);

  ExprNodePtr range = Parse("INTERVAL '1:30' MINUTE TO SECOND");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->value, "1:30");
  EXPECT_EQ(range->interval.start, TimeUnit::kMinute);
  EXPECT_EQ(range->interval.end, TimeUnit::kSecond);

  ExprNodePtr precision = Parse("INTERVAL '10' SECOND(3)");
  ASSERT_TRUE(precision);
  EXPECT_EQ(precision->interval.leading_precision, 3);
  EXPECT_EQ(precision->ToString(), "INTERVAL '10' SECOND(3)");

  ExprNodePtr months = Parse("interval '2' years");
  ASSERT_TRUE(months);
  EXPECT_EQ(months->interval.start, TimeUnit::kYear);
  EXPECT_TRUE(months->interval.IsYearMonth());

  EXPECT_EQ(Canonical("INTERVAL '1-2' YEAR TO MONTH"), "INTERVAL '1-2' YEAR TO MONTH");
  EXPECT_EQ(Canonical("INTERVAL '1 02:03:04.5' DAY TO SECOND(3)"),
            "INTERVAL '1 02:03:04.5' DAY TO SECOND(3)");
  EXPECT_EQ(Canonical("INTERVAL -'1' DAY"), "INTERVAL '-1' DAY");
  EXPECT_EQ(Canonical("ts - INTERVAL '4' SECOND"), "(ts - INTERVAL '4' SECOND)");
}

TEST(ExpressionParserTest, ColumnReferences) {
  ExprNodePtr plain = Parse("`dateTime`");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->kind, ExprNodeKind::kColumnRef);
  ASSERT_EQ(plain->name.parts.size(), 1u);
  EXPECT_EQ(plain->name.parts[0].name, "dateTime");
  EXPECT_TRUE(plain->name.parts[0].quoted);

  ExprNodePtr dotted = Parse("B.`dateTime`");
  ASSERT_TRUE(dotted);
  ASSERT_EQ(dotted->name.parts.size(), 2u);
  EXPECT_EQ(dotted->name.parts[0].name, "B");
  EXPECT_EQ(dotted->name.parts[1].name, "dateTime");
  EXPECT_EQ(dotted->name.parts[1].location, (SourceLocation{1, 3}));

  // Non-structural keywords are ordinary names; reserved ones need quotes.
  EXPECT_EQ(Canonical("status = 'completed' AND `value` > amount AND key = name"),
            "((status = 'completed') AND (value > amount) AND (key = name))");
  // Printing quotes only what needs it; `timestamp` reads back as a column either way.
  EXPECT_EQ(Canonical("`timestamp` + `time`"), "(timestamp + time)");
  EXPECT_EQ(Canonical("`from` + `my col`"), "(`from` + `my col`)");
}

TEST(ExpressionParserTest, FunctionCalls) {
  ExprNodePtr count = Parse("COUNT(*)");
  ASSERT_TRUE(count);
  EXPECT_EQ(count->kind, ExprNodeKind::kFunctionCall);
  EXPECT_TRUE(count->star_argument);
  EXPECT_TRUE(count->args.empty());

  ExprNodePtr distinct = Parse("count(DISTINCT bidder) FILTER (WHERE price < 10000)");
  ASSERT_TRUE(distinct);
  EXPECT_TRUE(distinct->distinct);
  ASSERT_EQ(distinct->args.size(), 1u);
  ASSERT_TRUE(distinct->filter);
  EXPECT_EQ(distinct->filter->ToString(), "(price < 10000)");
  EXPECT_EQ(distinct->name.parts[0].name, "count");

  EXPECT_EQ(Canonical("mod(B.auction, 10000)"), "mod(B.auction, 10000)");
  EXPECT_EQ(Canonical("PROCTIME()"), "PROCTIME()");
  EXPECT_EQ(Canonical("TUMBLE_START(event_time, INTERVAL '1' MINUTE)"),
            "TUMBLE_START(event_time, INTERVAL '1' MINUTE)");
  EXPECT_EQ(Canonical("HOP(ts, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE)"),
            "HOP(ts, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE)");
  EXPECT_EQ(Canonical("LEFT(s, 2) || RIGHT(s, 1)"), "(LEFT(s, 2) || RIGHT(s, 1))");
  EXPECT_EQ(Canonical("IF(a > 1, 'x', 'y')"), "IF((a > 1), 'x', 'y')");
  EXPECT_EQ(Canonical("db.my_udf(1)"), "db.my_udf(1)");
}

TEST(ExpressionParserTest, NiladicFunctions) {
  for (const char* name : {"CURRENT_TIMESTAMP", "LOCALTIMESTAMP", "CURRENT_DATE", "current_time"}) {
    ExprNodePtr expr = Parse(name);
    ASSERT_TRUE(expr) << name;
    EXPECT_EQ(expr->kind, ExprNodeKind::kFunctionCall) << name;
    EXPECT_TRUE(expr->args.empty());
  }
  EXPECT_EQ(Parse("current_time")->name.parts[0].name, "CURRENT_TIME");
  EXPECT_EQ(Canonical("ts > CURRENT_TIMESTAMP - INTERVAL '1' HOUR"),
            "(ts > (CURRENT_TIMESTAMP - INTERVAL '1' HOUR))");
}

TEST(ExpressionParserTest, WindowAggregates) {
  ExprNodePtr expr = Parse(
      "AVG(Q.price) OVER (PARTITION BY Q.seller ORDER BY Q.`dateTime` "
      "ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)");
  ASSERT_TRUE(expr);
  ASSERT_TRUE(expr->over);
  EXPECT_EQ(expr->over->partition_by.size(), 1u);
  ASSERT_EQ(expr->over->order_by.size(), 1u);
  EXPECT_TRUE(expr->over->has_frame);
  EXPECT_EQ(expr->over->frame.unit, FrameUnit::kRows);
  EXPECT_EQ(expr->over->frame.start.kind, FrameBound::Kind::kPreceding);
  EXPECT_EQ(expr->over->frame.start.offset->value, "10");
  EXPECT_EQ(expr->over->frame.end.kind, FrameBound::Kind::kCurrentRow);

  EXPECT_EQ(Canonical("ROW_NUMBER() OVER (PARTITION BY a, b ORDER BY c DESC, d ASC NULLS LAST)"),
            "ROW_NUMBER() OVER (PARTITION BY a, b ORDER BY c DESC, d NULLS LAST)");
  EXPECT_EQ(Canonical("SUM(x) OVER (ORDER BY ts RANGE INTERVAL '1' HOUR PRECEDING)"),
            "SUM(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)");
  EXPECT_EQ(Canonical("SUM(x) OVER (ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND "
                      "UNBOUNDED FOLLOWING)"),
            "SUM(x) OVER (ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)");
}

TEST(ExpressionParserTest, CastAndTryCast) {
  ExprNodePtr cast = Parse("CAST(price AS DECIMAL(10, 2))");
  ASSERT_TRUE(cast);
  EXPECT_EQ(cast->kind, ExprNodeKind::kCast);
  EXPECT_FALSE(cast->try_cast);
  ASSERT_TRUE(cast->cast_type);
  EXPECT_EQ(cast->cast_type->logical, LogicalType::Decimal(10, 2));

  ExprNodePtr try_cast = Parse("TRY_CAST(s AS INT)");
  ASSERT_TRUE(try_cast);
  EXPECT_TRUE(try_cast->try_cast);
  EXPECT_EQ(try_cast->cast_type->logical, LogicalType::Int());
  EXPECT_EQ(Canonical("CAST(ts AS TIMESTAMP(3)) + INTERVAL '1' DAY"),
            "(CAST(ts AS TIMESTAMP(3)) + INTERVAL '1' DAY)");
  EXPECT_EQ(Canonical("CAST(x AS STRING NOT NULL)"), "CAST(x AS STRING NOT NULL)");
}

TEST(ExpressionParserTest, Case) {
  ExprNodePtr searched = Parse(
      "CASE WHEN event_type = 0 THEN person.`dateTime` WHEN event_type = 1 THEN "
      "auction.`dateTime` ELSE bid.`dateTime` END");
  ASSERT_TRUE(searched);
  EXPECT_EQ(searched->kind, ExprNodeKind::kCase);
  EXPECT_FALSE(searched->case_operand);
  EXPECT_EQ(searched->when_clauses.size(), 2u);
  ASSERT_TRUE(searched->else_result);

  ExprNodePtr simple = Parse("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' END");
  ASSERT_TRUE(simple);
  ASSERT_TRUE(simple->case_operand);
  EXPECT_EQ(simple->case_operand->ToString(), "x");
  EXPECT_FALSE(simple->else_result);
  EXPECT_EQ(simple->ToString(), "CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' END");
}

TEST(ExpressionParserTest, SpecialCallSyntaxes) {
  ExprNodePtr extract = Parse("EXTRACT(HOUR FROM ts)");
  ASSERT_TRUE(extract);
  EXPECT_EQ(extract->name.parts[0].name, "EXTRACT");
  EXPECT_EQ(extract->time_unit, TimeUnit::kHour);
  ASSERT_EQ(extract->args.size(), 1u);

  ExprNodePtr floor = Parse("floor(ts TO MINUTE)");
  ASSERT_TRUE(floor);
  EXPECT_EQ(floor->name.parts[0].name, "FLOOR");
  EXPECT_EQ(floor->time_unit, TimeUnit::kMinute);
  ExprNodePtr ceil = Parse("CEILING(ts TO DAY)");
  ASSERT_TRUE(ceil);
  EXPECT_EQ(ceil->name.parts[0].name, "CEIL");
  ExprNodePtr plain_floor = Parse("FLOOR(x)");
  ASSERT_TRUE(plain_floor);
  EXPECT_EQ(plain_floor->time_unit, TimeUnit::kNone);
  EXPECT_EQ(plain_floor->args.size(), 1u);

  ExprNodePtr add = Parse("TIMESTAMPADD(WEEK, 1, ts)");
  ASSERT_TRUE(add);
  EXPECT_EQ(add->time_unit, TimeUnit::kWeek);
  EXPECT_EQ(add->args.size(), 2u);
  ExprNodePtr diff = Parse("TIMESTAMPDIFF(SECOND, a, b)");
  ASSERT_TRUE(diff);
  EXPECT_EQ(diff->name.parts[0].name, "TIMESTAMPDIFF");
  EXPECT_EQ(diff->time_unit, TimeUnit::kSecond);

  ExprNodePtr position = Parse("POSITION('a' IN s)");
  ASSERT_TRUE(position);
  EXPECT_EQ(position->name.parts[0].name, "POSITION");
  ASSERT_EQ(position->args.size(), 2u);
  EXPECT_EQ(position->args[0]->value, "a");

  ExprNodePtr substring = Parse("SUBSTRING(s FROM 2 FOR 3)");
  ASSERT_TRUE(substring);
  EXPECT_EQ(substring->args.size(), 3u);
  EXPECT_EQ(Canonical("SUBSTRING(s FROM 2 FOR 3)"), Canonical("SUBSTRING(s, 2, 3)"));

  ExprNodePtr trim = Parse("TRIM(LEADING 'x' FROM s)");
  ASSERT_TRUE(trim);
  EXPECT_EQ(trim->trim_mode, TrimMode::kLeading);
  ASSERT_EQ(trim->args.size(), 2u);
  EXPECT_EQ(trim->args[0]->ToString(), "s");
  EXPECT_EQ(trim->args[1]->value, "x");
  EXPECT_EQ(Parse("TRIM(BOTH FROM s)")->args.size(), 1u);
  EXPECT_EQ(Parse("TRIM(' ' FROM s)")->trim_mode, TrimMode::kBoth);
  EXPECT_EQ(Parse("TRIM(s)")->trim_mode, TrimMode::kNone);

  EXPECT_EQ(Canonical("EXTRACT(DOW FROM ts) + 1"), "(EXTRACT(DOW FROM ts) + 1)");
  EXPECT_EQ(Canonical("TRIM(TRAILING FROM s)"), "TRIM(TRAILING FROM s)");
  EXPECT_EQ(Canonical("POSITION('@' IN email) > 0"), "(POSITION('@' IN email) > 0)");
}

TEST(ExpressionParserTest, Subqueries) {
  ExprNodePtr scalar = Parse("(SELECT MAX(x) FROM t) + 1");
  ASSERT_TRUE(scalar);
  EXPECT_EQ(scalar->kind, ExprNodeKind::kBinary);
  EXPECT_EQ(scalar->args[0]->kind, ExprNodeKind::kScalarSubquery);

  ExprNodePtr nested = Parse("((SELECT 1) + 1) * 2");
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->ToString(), "(((SELECT 1) + 1) * 2)");

  ExprNodePtr exists = Parse("NOT EXISTS (SELECT 1 FROM t WHERE t.id = o.id)");
  ASSERT_TRUE(exists);
  EXPECT_EQ(exists->kind, ExprNodeKind::kUnary);
  EXPECT_EQ(exists->args[0]->kind, ExprNodeKind::kExists);
}

TEST(ExpressionParserTest, LocationsPointAtTheStartOfEachNode) {
  ExprNodePtr expr = Parse("a +\n  foo(b, 'x')");
  ASSERT_TRUE(expr);
  EXPECT_EQ(expr->location, (SourceLocation{1, 1}));
  EXPECT_EQ(expr->args[1]->location, (SourceLocation{2, 3}));
  EXPECT_EQ(expr->args[1]->args[0]->location, (SourceLocation{2, 7}));
  EXPECT_EQ(expr->args[1]->args[1]->location, (SourceLocation{2, 10}));
}

TEST(ExpressionParserTest, CloneIsDeep) {
  ExprNodePtr expr = Parse(
      "CASE WHEN a IN (SELECT b FROM t) THEN CAST(c AS INT) ELSE SUM(d) OVER (PARTITION BY e) END");
  ASSERT_TRUE(expr);
  ExprNodePtr copy = expr->Clone();
  EXPECT_EQ(copy->ToString(), expr->ToString());
  EXPECT_NE(copy->when_clauses[0].condition.get(), expr->when_clauses[0].condition.get());
  EXPECT_NE(copy->when_clauses[0].condition->subquery.get(),
            expr->when_clauses[0].condition->subquery.get());
  expr.reset();
  EXPECT_EQ(copy->else_result->over->partition_by[0]->ToString(), "e");
}

}  // namespace
}  // namespace sluice::sql
