#include <gtest/gtest.h>

#include <climits>

#include "exec/expr/tests/eval_harness.h"

namespace sluice::testing {
namespace {

TEST(ArithmeticTest, IntegersWrapLikeJava) {
  EXPECT_EQ(EvalText("+", {I(2), I(3)}), "5");
  EXPECT_EQ(EvalText("-", {I(2), L(3)}), "-1");
  EXPECT_EQ(EvalText("*", {L(4), L(-5)}), "-20");
  EXPECT_EQ(EvalText("+", {I(INT_MAX), I(1)}), std::to_string(INT_MIN));
  EXPECT_EQ(EvalText("negate", {I(INT_MIN)}), std::to_string(INT_MIN));
  EXPECT_EQ(EvalText("-", {L(7)}), "-7");
}

TEST(ArithmeticTest, IntegerDivisionTruncatesAndModuloKeepsTheDividendSign) {
  EXPECT_EQ(EvalText("/", {I(7), I(2)}), "3");
  EXPECT_EQ(EvalText("/", {I(-7), I(2)}), "-3");
  EXPECT_EQ(EvalText("%", {I(-7), I(3)}), "-1");
  EXPECT_EQ(EvalText("mod", {I(7), I(-3)}), "1");
  EXPECT_EQ(EvalText("/", {I(INT_MIN), I(-1)}), std::to_string(INT_MIN));
  EXPECT_EQ(EvalText("%", {L(LLONG_MIN), L(-1)}), "0");
  Result<Value> r = Eval("%", {L(10000000000), I(7)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type().ToString(), "INT");
  EXPECT_EQ(r->ToString(), "4");
}

TEST(ArithmeticTest, IntegerDivisionByZeroIsAnError) {
  Result<Value> r = Eval("/", {I(10), I(0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kRuntimeError);
  EXPECT_EQ(r.status().message(), "division by zero: 10 / 0");
  EXPECT_EQ(Eval("%", {L(1), L(0)}).status().message(), "division by zero: 1 % 0");
  // A NULL dividend never divides.
  EXPECT_EQ(EvalText("/", {Null(LogicalType::Int()), I(0)}), "NULL");
}

TEST(ArithmeticTest, DoubleFollowsIeee) {
  EXPECT_EQ(EvalText("/", {D(1), D(0)}), "Infinity");
  EXPECT_EQ(EvalText("/", {D(-1), I(0)}), "-Infinity");
  EXPECT_EQ(EvalText("/", {D(0), D(0)}), "NaN");
  EXPECT_EQ(EvalText("%", {D(7.5), D(2)}), "1.5");
  EXPECT_EQ(EvalText("+", {D(0.1), D(0.2)}), "0.30000000000000004");
  EXPECT_EQ(EvalText("*", {I(3), D(0.5)}), "1.5");
}

TEST(ArithmeticTest, DecimalKeepsExactScales) {
  EXPECT_EQ(EvalText("+", {Dec("1.10", 5, 2), Dec("2.205", 6, 3)}), "3.305");
  EXPECT_EQ(EvalText("-", {Dec("1.10", 5, 2), I(3)}), "-1.90");
  EXPECT_EQ(EvalText("*", {Dec("1.10", 5, 2), Dec("2.5", 3, 1)}), "2.750");
  EXPECT_EQ(EvalText("/", {Dec("1.00", 5, 2), I(3)}), "0.3333333333333");  // scale 2 + 10 + 1
  EXPECT_EQ(EvalText("/", {Dec("10", 2, 0), Dec("4", 1, 0)}), "2.500000");
  EXPECT_EQ(EvalText("%", {Dec("7.5", 3, 1), Dec("2", 1, 0)}), "1.5");
  EXPECT_EQ(EvalText("negate", {Dec("1.25", 3, 2)}), "-1.25");
  EXPECT_EQ(Eval("/", {Dec("1", 5, 0), Dec("0.00", 3, 2)}).status().message(),
            "division by zero: 1 / 0");
  // DECIMAL(38,0) + DECIMAL(38,0) overflowing 38 digits is NULL, as Flink.
  Value big = Value::Decimal(Pow10(38) - 1, 38, 0);
  EXPECT_EQ(EvalText("+", {big, big}), "NULL");
}

TEST(ArithmeticTest, NullsPropagate) {
  EXPECT_EQ(EvalText("+", {Null(LogicalType::Int()), I(1)}), "NULL");
  EXPECT_EQ(EvalText("*", {Dec("1.5", 2, 1), Null(LogicalType::Decimal(4, 2))}), "NULL");
  EXPECT_EQ(EvalText("+", {Null(), D(1)}), "NULL");
}

TEST(ArithmeticTest, TimestampsMoveByIntervals) {
  int64_t hour = kMicrosPerHour;
  EXPECT_EQ(EvalText("+", {Ts("2024-01-31 23:30:00"), Iv(hour)}), "2024-02-01T00:30");
  EXPECT_EQ(EvalText("+", {Iv(hour), Ts("2024-01-31 23:30:00")}), "2024-02-01T00:30");
  EXPECT_EQ(EvalText("-", {Ts("1970-01-01 00:30:00"), Iv(hour)}), "1969-12-31T23:30");
  EXPECT_EQ(EvalText("+", {Ltz("2024-01-01 00:00:00"), Iv(90 * kMicrosPerSecond)}),
            "2024-01-01T00:01:30");
  EXPECT_EQ(EvalText("+", {Dt("2024-02-28"), Iv(2 * kMicrosPerDay + hour)}), "2024-03-01");
  EXPECT_EQ(EvalText("-", {Dt("2024-03-01"), Iv(kMicrosPerDay)}), "2024-02-29");
  EXPECT_EQ(EvalText("+", {Iv(hour), Iv(hour)}), "7200000 ms");
  EXPECT_EQ(EvalText("*", {Iv(hour), I(3)}), "10800000 ms");
  EXPECT_EQ(EvalText("*", {L(2), Iv(hour)}), "7200000 ms");
  EXPECT_EQ(EvalText("/", {Iv(hour), I(4)}), "900000 ms");
  EXPECT_EQ(EvalText("negate", {Iv(hour)}), "-3600000 ms");
}

}  // namespace
}  // namespace sluice::testing
