#include "exec/functions/function_registry.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "exec/expr/tests/eval_harness.h"

namespace sluice {
namespace {

using testing::Dec;
using testing::I;
using testing::L;
using testing::S;

ExprPtr Col(int i, LogicalType t) {
  return BoundExpr::ColumnRef(i, t);
}
ExprPtr Lit(Value v) {
  return BoundExpr::Literal(std::move(v));
}

LogicalType TypeOf(const std::string& name, std::vector<ExprPtr> args) {
  Result<ExprPtr> e = BindFunctionCall(name, std::move(args));
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? (*e)->type : LogicalType::Null();
}

std::string Error(const std::string& name, std::vector<ExprPtr> args) {
  Result<ExprPtr> e = BindFunctionCall(name, std::move(args));
  return e.ok() ? "bound as " + (*e)->ToString() : e.status().ToString();
}

TEST(FunctionBindingTest, ArithmeticTypes) {
  ExprPtr i = Col(0, LogicalType::Int());
  ExprPtr b = Col(1, LogicalType::Bigint());
  ExprPtr d = Col(2, LogicalType::Double());
  ExprPtr dec = Col(3, LogicalType::Decimal(10, 2));
  EXPECT_EQ(TypeOf("+", {i, i}).ToString(), "INT");
  EXPECT_EQ(TypeOf("+", {i, b}).ToString(), "BIGINT");
  EXPECT_EQ(TypeOf("/", {i, i}).ToString(), "INT");  // integer division, as Flink
  EXPECT_EQ(TypeOf("*", {i, d}).ToString(), "DOUBLE");
  EXPECT_EQ(TypeOf("+", {dec, i}).ToString(), "DECIMAL(13, 2)");
  EXPECT_EQ(TypeOf("+", {dec, dec}).ToString(), "DECIMAL(11, 2)");
  EXPECT_EQ(TypeOf("*", {dec, dec}).ToString(), "DECIMAL(21, 4)");
  EXPECT_EQ(TypeOf("/", {dec, dec}).ToString(), "DECIMAL(23, 13)");
  EXPECT_EQ(TypeOf("%", {b, i}).ToString(), "INT");  // MOD takes the divisor's type
  EXPECT_EQ(TypeOf("-", {dec, d}).ToString(), "DOUBLE");
  EXPECT_EQ(TypeOf("negate", {dec}).ToString(), "DECIMAL(10, 2)");
  EXPECT_EQ(TypeOf("+", {Lit(Value()), i}).ToString(), "INT");
}

TEST(FunctionBindingTest, ImplicitCastsAreInserted) {
  Result<ExprPtr> e = BindFunctionCall("+", {Col(0, LogicalType::Int()), Lit(L(5))});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->ToString(), "(CAST($0 AS BIGINT) + 5)");
  e = BindFunctionCall("=",
                       {Col(0, LogicalType::Timestamp(3)), Col(1, LogicalType::TimestampLtz(3))});
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ((*e)->ToString(), "(CAST($0 AS TIMESTAMP_LTZ(3)) = $1)");
  e = BindFunctionCall("<", {Col(0, LogicalType::Date()), Col(1, LogicalType::Timestamp(3))});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->children[0]->type.ToString(), "TIMESTAMP(3)");
}

TEST(FunctionBindingTest, TypeErrorsNameTheOperatorAndTypes) {
  EXPECT_EQ(Error("+", {Col(0, LogicalType::Varchar()), Col(1, LogicalType::Int())}),
            "TypeError: cannot apply '+' to STRING and INT");
  EXPECT_EQ(Error("=", {Col(0, LogicalType::Varchar()), Lit(I(1))}),
            "TypeError: cannot apply '=' to STRING and INT");
  EXPECT_EQ(Error("-", {Col(0, LogicalType::Timestamp(3)), Col(1, LogicalType::Timestamp(3))}),
            "TypeError: cannot apply '-' to TIMESTAMP(3) and TIMESTAMP(3)");
  EXPECT_EQ(Error("upper", {Lit(I(1))}), "TypeError: cannot apply 'upper' to INT");
  EXPECT_EQ(Error("and", {Lit(I(1)), Lit(testing::B(true))}),
            "TypeError: cannot apply 'AND' to INT and BOOLEAN");
  EXPECT_EQ(Error("substring", {Lit(S("a")), Lit(S("b")), Lit(I(1))}),
            "TypeError: cannot apply 'substring' to STRING, STRING, INT");
  EXPECT_EQ(Error("extract", {Lit(S("FORTNIGHT")), Lit(testing::Ts("2024-01-01 00:00:00"))}),
            "TypeError: unsupported time unit 'FORTNIGHT' for 'extract'");
  EXPECT_EQ(Error("date_format", {Lit(testing::Ts("2024-01-01 00:00:00")), Lit(S("yyyy-qq"))}),
            "InvalidArgument: unsupported letter 'q' in date format 'yyyy-qq'");
}

TEST(FunctionBindingTest, UnknownFunctionsSuggestTheClosestName) {
  EXPECT_EQ(Error("uper", {Lit(S("a"))}),
            "BindError: unknown function 'uper', did you mean 'upper'?");
  EXPECT_EQ(Error("SUBSTRNG", {Lit(S("a")), Lit(I(1))}),
            "BindError: unknown function 'SUBSTRNG', did you mean 'substring'?");
  EXPECT_EQ(Error("frobnicate", {}), "BindError: unknown function 'frobnicate'");
}

TEST(FunctionBindingTest, ArityErrors) {
  EXPECT_EQ(Error("upper", {Lit(S("a")), Lit(S("b"))}),
            "BindError: function 'upper' takes 1 argument, got 2");
  EXPECT_EQ(Error("substring", {Lit(S("a"))}),
            "BindError: function 'substring' takes 2 to 3 arguments, got 1");
  EXPECT_EQ(Error("concat_ws", {Lit(S("a"))}),
            "BindError: function 'concat_ws' takes at least 2 arguments, got 1");
}

TEST(FunctionBindingTest, NamesAreCaseInsensitiveAndAliasesCanonical) {
  EXPECT_TRUE(IsScalarFunction("UPPER"));
  EXPECT_TRUE(IsScalarFunction("date_format"));
  EXPECT_FALSE(IsScalarFunction("sum"));
  std::vector<std::string> names = ScalarFunctionNames();
  for (const char* n : {"coalesce", "regexp_extract", "timestampdiff", "to_timestamp_ltz", "md5"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  }
  Result<ExprPtr> e = BindFunctionCall("IFNULL", {Col(0, LogicalType::Int()), Lit(L(0))});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->name, "coalesce");
  EXPECT_EQ((*e)->type.ToString(), "BIGINT");
  e = BindFunctionCall("ceiling", {Col(0, LogicalType::Decimal(10, 2))});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->ToString(), "ceil($0)");
  EXPECT_EQ((*e)->type.ToString(), "DECIMAL(9, 0)");
  e = BindFunctionCall("year", {Col(0, LogicalType::Date())});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->ToString(), "extract('YEAR', $0)");
}

TEST(FunctionBindingTest, CaseFindsACommonType) {
  Result<ExprPtr> e =
      BindCase({Col(0, LogicalType::Boolean()), Lit(I(1)), Lit(Dec("2.5", 3, 1))}, true);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ((*e)->type.ToString(), "DECIMAL(11, 1)");
  e = BindCase({Col(0, LogicalType::Boolean()), Lit(I(1)), Lit(S("x"))}, true);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().ToString(),
            "TypeError: CASE branches have incompatible types INT and STRING");
  e = BindCase({Col(0, LogicalType::Int()), Lit(I(1))}, false);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().ToString(), "TypeError: CASE WHEN condition must be BOOLEAN, got INT");
  e = BindCase({Col(0, LogicalType::Boolean()), Lit(Value()), Lit(S("x"))}, true);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->type.ToString(), "STRING");
}

TEST(FunctionBindingTest, CastsMustExist) {
  EXPECT_TRUE(BindCast(Col(0, LogicalType::Varchar()), LogicalType::Int(), false).ok());
  EXPECT_TRUE(BindCast(Col(0, LogicalType::TimestampLtz(3)), LogicalType::Date(), true).ok());
  Result<ExprPtr> e = BindCast(Col(0, LogicalType::Date()), LogicalType::Int(), false);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().ToString(), "TypeError: cannot cast DATE to INT");
  // A cast to the same type is the expression itself.
  ExprPtr c = Col(0, LogicalType::Int());
  EXPECT_EQ(*BindCast(c, LogicalType::Int(), false), c);
}

TEST(FunctionBindingTest, CoerceToAllowsWideningOnly) {
  EXPECT_EQ((*CoerceTo(Col(0, LogicalType::Int()), LogicalType::Bigint()))->ToString(),
            "CAST($0 AS BIGINT)");
  EXPECT_TRUE(CoerceTo(Col(0, LogicalType::Decimal(10, 2)), LogicalType::Decimal(5, 1)).ok());
  EXPECT_TRUE(CoerceTo(Lit(Value()), LogicalType::Varchar()).ok());
  Result<ExprPtr> e = CoerceTo(Col(0, LogicalType::Varchar()), LogicalType::Int());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().ToString(), "TypeError: cannot implicitly cast STRING to INT");
  EXPECT_FALSE(CoerceTo(Col(0, LogicalType::Bigint()), LogicalType::Int()).ok());
}

}  // namespace
}  // namespace sluice
