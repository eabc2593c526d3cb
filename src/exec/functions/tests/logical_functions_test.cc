#include <gtest/gtest.h>

#include "exec/expr/tests/eval_harness.h"

namespace sluice::testing {
namespace {

Value T() {
  return B(true);
}
Value F() {
  return B(false);
}
Value N() {
  return Null(LogicalType::Boolean());
}

TEST(LogicalTest, AndTruthTable) {
  const char* expected[3][3] = {
      {"true", "false", "NULL"}, {"false", "false", "false"}, {"NULL", "false", "NULL"}};
  Value values[3] = {T(), F(), N()};
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 3; ++b) {
      EXPECT_EQ(EvalText("and", {values[a], values[b]}), expected[a][b]) << a << " AND " << b;
    }
  }
}

TEST(LogicalTest, OrTruthTable) {
  const char* expected[3][3] = {
      {"true", "true", "true"}, {"true", "false", "NULL"}, {"true", "NULL", "NULL"}};
  Value values[3] = {T(), F(), N()};
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 3; ++b) {
      EXPECT_EQ(EvalText("or", {values[a], values[b]}), expected[a][b]) << a << " OR " << b;
    }
  }
}

TEST(LogicalTest, NotAndUntypedNull) {
  EXPECT_EQ(EvalText("not", {T()}), "false");
  EXPECT_EQ(EvalText("not", {F()}), "true");
  EXPECT_EQ(EvalText("not", {N()}), "NULL");
  EXPECT_EQ(EvalText("and", {Null(), F()}), "false");
  EXPECT_EQ(EvalText("or", {Null(), T()}), "true");
}

TEST(LogicalTest, IsPredicatesNeverReturnNull) {
  struct Case {
    const char* fn;
    const char* on_true;
    const char* on_false;
    const char* on_null;
  };
  for (const Case& c :
       {Case{"is_true", "true", "false", "false"}, Case{"is_false", "false", "true", "false"},
        Case{"is_not_true", "false", "true", "true"}, Case{"is_not_false", "true", "false", "true"},
        Case{"is_null", "false", "false", "true"}, Case{"is_not_null", "true", "true", "false"}}) {
    EXPECT_EQ(EvalText(c.fn, {T()}), c.on_true) << c.fn;
    EXPECT_EQ(EvalText(c.fn, {F()}), c.on_false) << c.fn;
    EXPECT_EQ(EvalText(c.fn, {N()}), c.on_null) << c.fn;
  }
  EXPECT_EQ(EvalText("is_null", {S("x")}), "false");
  EXPECT_EQ(EvalText("is_null", {Null(LogicalType::Varchar())}), "true");
  EXPECT_EQ(EvalText("is_not_null", {Dec("1.5", 2, 1)}), "true");
}

}  // namespace
}  // namespace sluice::testing
