// Error messages: exact "line L, column C: " positions and wording for malformed scripts.

#include <gtest/gtest.h>

#include "sql/parser/parser.h"

namespace sluice::sql {
namespace {

struct ErrorCase {
  const char* sql;
  ErrorCode code;
  const char* message;
};

class ParserErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(ParserErrorTest, ReportsPositionAndExpectation) {
  const ErrorCase& c = GetParam();
  Result<Script> script = ParseScript(c.sql);
  ASSERT_FALSE(script.ok()) << c.sql;
  EXPECT_EQ(script.status().code(), c.code) << script.status().ToString();
  EXPECT_EQ(script.status().message(), c.message) << c.sql;
}

const ErrorCase kSyntaxErrors[] = {
    {"SELECT a, b\nFROM t\nWHERE (a > 10 FROM x", ErrorCode::kSyntaxError,
     "line 3, column 15: expected ')' but found 'FROM'"},
    {"INSERT INTO", ErrorCode::kSyntaxError,
     "line 1, column 12: unexpected end of input, expected a table name"},
    {"SELECT * FROM", ErrorCode::kSyntaxError,
     "line 1, column 14: unexpected end of input, expected a table name"},
    {"CREATE TABLE t (\n  a INT,\n  b VARCHAR(10\n) WITH ('connector' = 'x')",
     ErrorCode::kSyntaxError, "line 4, column 3: expected ',' or ')' but found 'WITH'"},
    {"SELECT 'abc FROM t", ErrorCode::kSyntaxError,
     "line 1, column 8: unterminated string literal starting here"},
    {"SELECT 1;\nSELECT 'abc\n, 2", ErrorCode::kSyntaxError,
     "line 2, column 8: unterminated string literal starting here"},
    {"SELECT 1 /* oops", ErrorCode::kSyntaxError,
     "line 1, column 10: unterminated comment: '/*' is never closed by '*/'"},
    {"SELECT a FROM t WHERE", ErrorCode::kSyntaxError,
     "line 1, column 22: unexpected end of input, expected an expression"},
    {"CREATE TABLE t (a INT PRIMARY KEY) WITH ()", ErrorCode::kSyntaxError,
     "line 1, column 34: expected NOT ENFORCED (Flink does not enforce primary keys) but found "
     "')'"},
    {"SELECT CAST(x AS INT FROM t", ErrorCode::kSyntaxError,
     "line 1, column 22: expected ')' but found 'FROM'"},
    {"SELECT CASE WHEN a THEN b FROM t", ErrorCode::kSyntaxError,
     "line 1, column 27: expected WHEN, ELSE or END but found 'FROM'"},
    {"SELECT a FROM t JOIN u", ErrorCode::kSyntaxError,
     "line 1, column 23: unexpected end of input, expected ON or USING after the joined table"},
    {"SELECT a FROM t WHERE x BETWEEN 1", ErrorCode::kSyntaxError,
     "line 1, column 34: unexpected end of input, expected AND"},
    {"SELECT INTERVAL '1' FORTNIGHT", ErrorCode::kSyntaxError,
     "line 1, column 21: expected an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND) but "
     "found 'FORTNIGHT'"},
    {"SELECT INTERVAL '1' DAY TO MONTH", ErrorCode::kSyntaxError,
     "line 1, column 21: invalid interval qualifier DAY TO MONTH"},
    {"INSERT sink SELECT 1", ErrorCode::kSyntaxError,
     "line 1, column 8: expected INTO or OVERWRITE but found 'sink'"},
    {"SELECT a FROM t;\nSELECT b FROM u v w", ErrorCode::kSyntaxError,
     "line 2, column 19: expected ';' or the end of the statement but found 'w'"},
    {"SELECT a FROM select", ErrorCode::kSyntaxError,
     "line 1, column 15: expected a table name but found 'select' (a reserved keyword: write "
     "`select` to use it as a name)"},
    {"CREATE TABLE t (ts TIMESTAMP(12))", ErrorCode::kSyntaxError,
     "line 1, column 30: the precision of TIMESTAMP must be between 0 and 9, got 12"},
    {"CREATE TABLE t (price DECIMAL(5, 7))", ErrorCode::kSyntaxError,
     "line 1, column 34: the scale of DECIMAL must be between 0 and 5, got 7"},
    {"CREATE TABLE t (x WIDGET)", ErrorCode::kSyntaxError,
     "line 1, column 19: unknown data type 'WIDGET'"},
    {"SELECT a FROM t GROUP a", ErrorCode::kSyntaxError,
     "line 1, column 23: expected BY but found 'a'"},
    {"EXECUTE STATEMENT SET BEGIN SELECT 1; END", ErrorCode::kSyntaxError,
     "line 1, column 29: expected INSERT or END (a statement set holds only INSERT statements) but "
     "found 'SELECT'"},
    {"SELECT (1 + 2", ErrorCode::kSyntaxError,
     "line 1, column 14: unexpected end of input, expected ')'"},
    {"SELECT a FROM t WHERE a IS 5", ErrorCode::kSyntaxError,
     "line 1, column 28: expected NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS but found "
     "'5'"},
    {"CREATE TABLE t (a INT, WATERMARK FOR a AS a, WATERMARK FOR a AS a)", ErrorCode::kSyntaxError,
     "line 1, column 46: a table can have only one WATERMARK definition"},
    {"CREATE TABLE t (a INT) WITH (connector = 'kafka')", ErrorCode::kSyntaxError,
     "line 1, column 30: expected an option key in quotes, like 'connector' but found "
     "'connector'"},
    {"GRANT ALL ON t", ErrorCode::kSyntaxError,
     "line 1, column 1: expected a statement (CREATE, INSERT, SELECT, SET, ...) but found 'GRANT'"},
    {"SELECT \"a\" FROM t", ErrorCode::kSyntaxError,
     "line 1, column 8: unexpected character '\"': quote names with backquotes (`name`) and "
     "strings with single quotes ('text')"},
    {"SELECT a\nFROM\n\n", ErrorCode::kSyntaxError,
     "line 2, column 5: unexpected end of input, expected a table name"},
    {"SELECT a FROM t WHERE x IN 1", ErrorCode::kSyntaxError,
     "line 1, column 28: expected '(' after IN but found '1'"},
};

INSTANTIATE_TEST_SUITE_P(Syntax, ParserErrorTest, testing::ValuesIn(kSyntaxErrors));

const ErrorCase kUnsupported[] = {
    {"SELECT * FROM t, LATERAL TABLE(f(x))", ErrorCode::kUnsupported,
     "line 1, column 18: LATERAL TABLE(...) (user-defined table functions) is not supported yet"},
    {"SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY a)", ErrorCode::kUnsupported,
     "line 1, column 17: MATCH_RECOGNIZE is not supported yet"},
    {"SHOW TABLES", ErrorCode::kUnsupported,
     "line 1, column 1: SHOW statements are not supported yet"},
    {"CREATE TABLE t2 AS SELECT * FROM t", ErrorCode::kUnsupported,
     "line 1, column 17: CREATE TABLE ... AS SELECT is not supported yet; create the table, then "
     "INSERT INTO it"},
    {"SELECT ARRAY[1, 2]", ErrorCode::kUnsupported,
     "line 1, column 8: ARRAY[...] constructors are not supported yet"},
    {"SELECT arr[1] FROM t", ErrorCode::kUnsupported,
     "line 1, column 11: array and map subscripts ([...]) are not supported yet"},
};

INSTANTIATE_TEST_SUITE_P(Unsupported, ParserErrorTest, testing::ValuesIn(kUnsupported));

TEST(ParserErrorNestingTest, DeepNestingIsAnErrorNotACrash) {
  std::string sql = "SELECT " + std::string(5000, '(') + "1" + std::string(5000, ')');
  Result<Script> script = ParseScript(sql);
  ASSERT_FALSE(script.ok());
  EXPECT_EQ(script.status().code(), ErrorCode::kSyntaxError);
  EXPECT_NE(script.status().message().find("nesting is too deep"), std::string::npos);

  std::string nots = "SELECT " + std::string(20000, '-') + "1";  // a comment after the first --
  EXPECT_FALSE(ParseScript(nots).ok());
  // Long chains of prefix operators nest the tree as deeply as parentheses do.
  std::string negations;
  for (int i = 0; i < 20000; ++i) negations += "- ";
  Result<Script> negated = ParseScript("SELECT " + negations + "1");
  ASSERT_FALSE(negated.ok());
  EXPECT_NE(negated.status().message().find("nesting is too deep"), std::string::npos);
  std::string many_nots;
  for (int i = 0; i < 20000; ++i) many_nots += "NOT ";
  EXPECT_FALSE(ParseScript("SELECT " + many_nots + "TRUE").ok());

  std::string rows = "CREATE TABLE t (a ";
  for (int i = 0; i < 1000; ++i) rows += "ROW<a ";
  EXPECT_FALSE(ParseScript(rows).ok());
}

TEST(ParserErrorNestingTest, LongOperatorChainsAreRefusedNotACrash) {
  std::string sql = "SELECT a FROM t WHERE a = 0";
  for (int i = 1; i < 5000; ++i) sql += " OR a = " + std::to_string(i);
  Result<Script> script = ParseScript(sql);
  ASSERT_FALSE(script.ok());
  EXPECT_EQ(script.status().code(), ErrorCode::kSyntaxError);
  EXPECT_NE(script.status().message().find("too many chained operators"), std::string::npos);

  std::string sum = "SELECT 1";
  for (int i = 0; i < 5000; ++i) sum += " + 1";
  EXPECT_FALSE(ParseScript(sum).ok());
}

TEST(ParserErrorNestingTest, ChainsBelowTheLimitParsePrintAndClone) {
  std::string sql = "SELECT a FROM t WHERE a = 0";
  for (int i = 1; i < 900; ++i) sql += " OR a = " + std::to_string(i);
  Result<Script> script = ParseScript(sql);
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  std::string printed = script->ToString();
  Result<Script> again = ParseScript(printed);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->statements[0].Clone().ToString() + ";\n", printed);
}

TEST(ParserErrorNestingTest, ModerateNestingStillParses) {
  std::string sql = "SELECT " + std::string(50, '(') + "1" + std::string(50, ')');
  Result<Script> script = ParseScript(sql);
  EXPECT_TRUE(script.ok()) << script.status().ToString();
  std::string negations;
  for (int i = 0; i < 50; ++i) negations = "NOT " + negations + "- ";
  Result<Script> negated = ParseScript("SELECT " + negations + "1 > 0");
  EXPECT_TRUE(negated.ok()) << negated.status().ToString();
}

}  // namespace
}  // namespace sluice::sql
