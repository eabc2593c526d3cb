#include <gtest/gtest.h>

#include <cmath>

#include "exec/expr/tests/eval_harness.h"

namespace sluice::testing {
namespace {

TEST(ComparisonTest, AllOperatorsOnIntegers) {
  EXPECT_EQ(EvalText("=", {I(1), I(1)}), "true");
  EXPECT_EQ(EvalText("<>", {I(1), I(1)}), "false");
  EXPECT_EQ(EvalText("!=", {I(1), I(2)}), "true");
  EXPECT_EQ(EvalText("<", {I(1), L(2)}), "true");
  EXPECT_EQ(EvalText("<=", {I(2), L(2)}), "true");
  EXPECT_EQ(EvalText(">", {L(-1), I(2)}), "false");
  EXPECT_EQ(EvalText(">=", {I(2), D(2.5)}), "false");
}

TEST(ComparisonTest, OtherTypes) {
  EXPECT_EQ(EvalText("=", {Dec("1.50", 4, 2), Dec("1.5", 2, 1)}), "true");
  EXPECT_EQ(EvalText("<", {Dec("1.49", 4, 2), I(2)}), "true");
  EXPECT_EQ(EvalText("=", {D(std::nan("")), D(std::nan(""))}), "false");  // as Java
  EXPECT_EQ(EvalText("<", {S("apple"), S("banana")}), "true");
  EXPECT_EQ(EvalText("<", {S("Z"), S("a")}), "true");  // byte-wise
  EXPECT_EQ(EvalText("<", {S("ab"), S("abc")}), "true");
  EXPECT_EQ(EvalText(">", {S("\xC3\xA9"), S("z")}), "true");  // UTF-8 bytes compare unsigned
  EXPECT_EQ(EvalText("=", {B(true), B(true)}), "true");
  EXPECT_EQ(EvalText("<", {B(false), B(true)}), "true");
  EXPECT_EQ(EvalText("<", {Dt("2024-01-01"), Dt("2024-01-02")}), "true");
  EXPECT_EQ(EvalText("=", {Dt("2024-01-01"), Ts("2024-01-01 00:00:00")}), "true");
  EXPECT_EQ(EvalText("<", {Ts("1969-12-31 23:59:59"), Ts("1970-01-01 00:00:00")}), "true");
  EXPECT_EQ(EvalText("=", {Iv(1000), Iv(1000)}), "true");
}

TEST(ComparisonTest, TimestampAgainstLtzUsesTheSessionZone) {
  // 08:00 wall clock in Shanghai is 00:00 UTC.
  EXPECT_EQ(
      EvalText("=", {Ts("2024-01-01 08:00:00"), Ltz("2024-01-01 00:00:00")}, Zone("Asia/Shanghai")),
      "true");
  EXPECT_EQ(EvalText("=", {Ts("2024-01-01 08:00:00"), Ltz("2024-01-01 00:00:00")}), "false");
}

TEST(ComparisonTest, NullComparesToNull) {
  EXPECT_EQ(EvalText("=", {Null(LogicalType::Int()), I(1)}), "NULL");
  EXPECT_EQ(EvalText("=", {Null(), Null()}), "NULL");
  EXPECT_EQ(EvalText("<", {S("a"), Null()}), "NULL");
}

TEST(ComparisonTest, InListThreeValued) {
  EXPECT_EQ(EvalText("in", {I(2), Lit(I(1)), Lit(I(2)), Lit(I(3))}), "true");
  EXPECT_EQ(EvalText("in", {I(5), Lit(I(1)), Lit(I(2))}), "false");
  EXPECT_EQ(EvalText("in", {I(5), Lit(I(1)), Lit(Null())}), "NULL");  // might be the NULL
  EXPECT_EQ(EvalText("in", {I(1), Lit(I(1)), Lit(Null())}), "true");
  EXPECT_EQ(EvalText("in", {Null(LogicalType::Int()), Lit(I(1))}), "NULL");
  EXPECT_EQ(EvalText("in", {S("b"), Lit(S("a")), Lit(S("b"))}), "true");
  EXPECT_EQ(EvalText("in", {I(2), Lit(L(2)), Lit(D(3.5))}), "true");
  EXPECT_EQ(EvalText("in", {D(std::nan("")), Lit(D(std::nan("")))}), "false");
  // Computed list items are compared row by row.
  EXPECT_EQ(EvalText("in", {I(3), I(1), I(3)}), "true");
  EXPECT_EQ(EvalText("in", {I(3), I(1), Null(LogicalType::Int())}), "NULL");
}

}  // namespace
}  // namespace sluice::testing
