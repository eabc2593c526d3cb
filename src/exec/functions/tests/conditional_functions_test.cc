#include <gtest/gtest.h>

#include "exec/expr/tests/eval_harness.h"

namespace sluice::testing {
namespace {

TEST(ConditionalTest, Coalesce) {
  EXPECT_EQ(EvalText("coalesce", {Null(LogicalType::Int()), I(2), I(3)}), "2");
  EXPECT_EQ(EvalText("coalesce", {Null(LogicalType::Int()), Null(LogicalType::Int())}), "NULL");
  EXPECT_EQ(EvalText("coalesce", {S("a"), S("b")}), "a");
  Result<Value> r = Eval("coalesce", {Null(LogicalType::Int()), L(5)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type().ToString(), "BIGINT");
  EXPECT_EQ(EvalText("ifnull", {Null(LogicalType::Varchar()), S("default")}), "default");
}

TEST(ConditionalTest, If) {
  EXPECT_EQ(EvalText("if", {B(true), I(1), I(2)}), "1");
  EXPECT_EQ(EvalText("if", {B(false), I(1), I(2)}), "2");
  EXPECT_EQ(EvalText("if", {Null(LogicalType::Boolean()), S("a"), S("b")}), "b");
  EXPECT_EQ(EvalText("if", {B(true), Null(), D(2)}), "NULL");
}

TEST(ConditionalTest, NullIf) {
  EXPECT_EQ(EvalText("nullif", {I(1), I(1)}), "NULL");
  EXPECT_EQ(EvalText("nullif", {I(1), I(2)}), "1");
  EXPECT_EQ(EvalText("nullif", {S("a"), Null(LogicalType::Varchar())}), "a");
  EXPECT_EQ(EvalText("nullif", {Null(LogicalType::Int()), I(1)}), "NULL");
}

TEST(ConditionalTest, GreatestAndLeast) {
  EXPECT_EQ(EvalText("greatest", {I(1), I(5), I(3)}), "5");
  EXPECT_EQ(EvalText("least", {I(1), L(-5), I(3)}), "-5");
  EXPECT_EQ(EvalText("greatest", {S("apple"), S("pear")}), "pear");
  EXPECT_EQ(EvalText("least", {D(1.5), Dec("1.25", 3, 2)}), "1.25");
  EXPECT_EQ(EvalText("greatest", {Ts("2024-01-01 00:00:00"), Ts("2023-01-01 00:00:00")}),
            "2024-01-01T00:00");
  EXPECT_EQ(EvalText("greatest", {I(1), Null(LogicalType::Int())}), "NULL");  // as Flink
}

}  // namespace
}  // namespace sluice::testing
