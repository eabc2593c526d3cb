#include <gtest/gtest.h>

#include "exec/expr/tests/eval_harness.h"

namespace sluice::testing {
namespace {

TEST(PatternFunctionsTest, Like) {
  EXPECT_EQ(EvalText("like", {S("completed"), Lit(S("comp%"))}), "true");
  EXPECT_EQ(EvalText("like", {S("completed"), Lit(S("%ted"))}), "true");
  EXPECT_EQ(EvalText("like", {S("completed"), Lit(S("c_mpleted"))}), "true");
  EXPECT_EQ(EvalText("like", {S("completed"), Lit(S("pending"))}), "false");
  EXPECT_EQ(EvalText("like", {S("10%"), Lit(S("10!%")), Lit(S("!"))}), "true");
  EXPECT_EQ(EvalText("like", {Null(LogicalType::Varchar()), Lit(S("%"))}), "NULL");
  // A pattern computed per row.
  EXPECT_EQ(EvalText("like", {S("abc"), S("a%")}), "true");
  EXPECT_EQ(EvalText("like", {S("abc"), S("b%")}), "false");
  Result<Value> bad = Eval("like", {S("abc"), S("a!"), S("!")});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kRuntimeError);
}

TEST(PatternFunctionsTest, Regexp) {
  EXPECT_EQ(EvalText("regexp", {S("order-123"), Lit(S("[0-9]+"))}), "true");
  EXPECT_EQ(EvalText("regexp", {S("order"), Lit(S("^[0-9]+$"))}), "false");
  EXPECT_EQ(EvalText("regexp", {S("ORDER"), Lit(S("(?i)order"))}), "true");
  EXPECT_EQ(EvalText("regexp", {S("abc"), Lit(S(""))}), "false");
  EXPECT_EQ(EvalText("regexp", {S("abc"), Lit(S("(unclosed"))}), "false");
  EXPECT_EQ(EvalText("regexp", {S("abc"), S("b")}), "true");
}

TEST(PatternFunctionsTest, RegexpExtract) {
  EXPECT_EQ(EvalText("regexp_extract", {S("foothebar"), Lit(S("foo(.*?)(bar)")), I(2)}), "bar");
  EXPECT_EQ(EvalText("regexp_extract", {S("foothebar"), Lit(S("foo(.*?)(bar)")), I(1)}), "the");
  EXPECT_EQ(EvalText("regexp_extract", {S("foothebar"), Lit(S("foo(.*?)(bar)"))}), "foothebar");
  EXPECT_EQ(EvalText("regexp_extract", {S("foothebar"), Lit(S("foo(.*?)(bar)")), I(3)}), "NULL");
  EXPECT_EQ(EvalText("regexp_extract", {S("xyz"), Lit(S("(a)"))}), "NULL");
  EXPECT_EQ(EvalText("regexp_extract", {S("k=v"), S("(\\w)=(\\w)"), I(2)}), "v");
}

TEST(PatternFunctionsTest, RegexpReplaceIsLiteral) {
  EXPECT_EQ(EvalText("regexp_replace", {S("a1b22c"), Lit(S("[0-9]+")), S("#")}), "a#b#c");
  EXPECT_EQ(EvalText("regexp_replace", {S("abc"), Lit(S("x*")), S("-")}), "-a-b-c-");
  EXPECT_EQ(EvalText("regexp_replace", {S("abc"), Lit(S("(b)")), S("$1$1")}), "a$1$1c");
  EXPECT_EQ(EvalText("regexp_replace", {S("abc"), Lit(S("[")), S("x")}), "NULL");
  EXPECT_EQ(EvalText("regexp_replace", {S("abc"), S("b"), S("X")}), "aXc");
}

}  // namespace
}  // namespace sluice::testing
