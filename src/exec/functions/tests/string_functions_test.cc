#include <gtest/gtest.h>

#include "exec/expr/tests/eval_harness.h"

namespace sluice::testing {
namespace {

TEST(StringFunctionsTest, Case) {
  EXPECT_EQ(EvalText("upper", {S("Hello, World")}), "HELLO, WORLD");
  EXPECT_EQ(EvalText("lower", {S("Hello, World")}), "hello, world");
  EXPECT_EQ(EvalText("upper", {S("stra\xC3\x9F"
                                 "e caf\xC3\xA9")}),
            "STRA\xC3\x9F"
            "E CAF\xC3\x89");
  EXPECT_EQ(EvalText("lower", {S("\xD0\x9F\xD0\xA0\xD0\x98")}), "\xD0\xBF\xD1\x80\xD0\xB8");  // ПРИ
  EXPECT_EQ(EvalText("initcap", {S("hello wORLD-foo bar1baz")}), "Hello World-Foo Bar1baz");
  EXPECT_EQ(EvalText("upper", {Null(LogicalType::Varchar())}), "NULL");
}

TEST(StringFunctionsTest, Trim) {
  EXPECT_EQ(EvalText("trim", {Lit(S("BOTH")), Lit(S(" ")), S("  a b  ")}), "a b");
  EXPECT_EQ(EvalText("trim", {Lit(S("LEADING")), Lit(S(" ")), S("  a b  ")}), "a b  ");
  EXPECT_EQ(EvalText("trim", {Lit(S("TRAILING")), Lit(S(" ")), S("  a b  ")}), "  a b");
  EXPECT_EQ(EvalText("trim", {Lit(S("BOTH")), S("xy"), S("xyxhixyy")}), "hi");
  EXPECT_EQ(EvalText("trim", {Lit(S("BOTH")), S("\xC3\xA9"),
                              S("\xC3\xA9"
                                "a"
                                "\xC3\xA9")}),
            "a");
  EXPECT_EQ(EvalText("ltrim", {S("  a  ")}), "a  ");
  EXPECT_EQ(EvalText("rtrim", {S("  a  ")}), "  a");
  EXPECT_EQ(EvalText("trim", {Lit(S("BOTH")), Null(LogicalType::Varchar()), S("a")}), "NULL");
  EXPECT_EQ(Eval("trim", {Lit(S("MIDDLE")), Lit(S(" ")), S("a")}).status().message(),
            "TRIM mode must be BOTH, LEADING or TRAILING, got 'MIDDLE'");
}

TEST(StringFunctionsTest, Concat) {
  EXPECT_EQ(EvalText("concat", {S("a"), S("b"), S("c")}), "abc");
  EXPECT_EQ(EvalText("concat", {S("a"), Null(LogicalType::Varchar())}), "NULL");
  EXPECT_EQ(EvalText("||", {S("a"), S("b")}), "ab");
  EXPECT_EQ(EvalText("concat_ws", {S("-"), S("a"), Null(LogicalType::Varchar()), S("c")}), "a-c");
  EXPECT_EQ(EvalText("concat_ws", {Null(LogicalType::Varchar()), S("a")}), "NULL");
  EXPECT_EQ(EvalText("concat_ws", {S(","), Null(LogicalType::Varchar())}), "");
  EXPECT_FALSE(Eval("concat", {S("a"), I(1)}).ok());  // no implicit number -> string
}

TEST(StringFunctionsTest, SubstringCountsCharactersFromOne) {
  EXPECT_EQ(EvalText("substring", {S("hello"), I(2)}), "ello");
  EXPECT_EQ(EvalText("substring", {S("hello"), I(2), I(3)}), "ell");
  EXPECT_EQ(EvalText("substr", {S("hello"), I(0), I(2)}), "he");
  EXPECT_EQ(EvalText("substring", {S("hello"), I(-3)}), "llo");
  EXPECT_EQ(EvalText("substring", {S("hello"), I(-3), I(2)}), "ll");
  EXPECT_EQ(EvalText("substring", {S("hello"), I(-10)}), "");
  EXPECT_EQ(EvalText("substring", {S("hello"), I(9)}), "");
  EXPECT_EQ(EvalText("substring", {S("hello"), I(1), I(-1)}), "NULL");
  EXPECT_EQ(EvalText("substring", {S("\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97"), I(2), I(1)}),
            "\xE6\x96\x87");
  EXPECT_EQ(EvalText("substring", {S("hello"), L(2), L(2)}), "el");
}

TEST(StringFunctionsTest, LengthsAndPositions) {
  EXPECT_EQ(EvalText("char_length", {S("caf\xC3\xA9")}), "4");
  EXPECT_EQ(EvalText("character_length", {S("")}), "0");
  EXPECT_EQ(EvalText("position", {S("lo"), S("hello")}), "4");
  EXPECT_EQ(EvalText("position", {S("z"), S("hello")}), "0");
  EXPECT_EQ(EvalText("position", {S("\xC3\xA9"), S("caf\xC3\xA9")}), "4");
  EXPECT_EQ(EvalText("locate", {S("l"), S("hello")}), "3");
  EXPECT_EQ(EvalText("locate", {S("l"), S("hello"), I(4)}), "4");
  EXPECT_EQ(EvalText("locate", {S("l"), S("hello"), I(5)}), "0");
  EXPECT_EQ(EvalText("left", {S("hello"), I(2)}), "he");
  EXPECT_EQ(EvalText("left", {S("hello"), I(-1)}), "");
  EXPECT_EQ(EvalText("right", {S("hello"), I(3)}), "llo");
  EXPECT_EQ(EvalText("right", {S("hello"), I(10)}), "hello");
}

TEST(StringFunctionsTest, ReplaceSplitPadRepeatReverse) {
  EXPECT_EQ(EvalText("replace", {S("a-b-c"), S("-"), S("+")}), "a+b+c");
  EXPECT_EQ(EvalText("replace", {S("aaa"), S("aa"), S("b")}), "ba");
  EXPECT_EQ(EvalText("replace", {S("ab"), S(""), S("-")}), "-a-b-");
  EXPECT_EQ(EvalText("split_index", {S("a,b,,d"), S(","), I(1)}), "b");
  EXPECT_EQ(EvalText("split_index", {S("a,b,,d"), S(","), I(2)}), "");
  EXPECT_EQ(EvalText("split_index", {S("a,b,,d"), S(","), I(4)}), "NULL");
  EXPECT_EQ(EvalText("split_index", {S("a->b"), S("->"), I(1)}), "b");
  EXPECT_EQ(EvalText("split_index", {S("a,b"), S(","), I(-1)}), "NULL");
  EXPECT_EQ(EvalText("lpad", {S("hi"), I(5), S("ab")}), "abahi");
  EXPECT_EQ(EvalText("rpad", {S("hi"), I(5), S("ab")}), "hiaba");
  EXPECT_EQ(EvalText("lpad", {S("hello"), I(2), S("x")}), "he");
  EXPECT_EQ(EvalText("rpad", {S("hi"), I(-1), S("x")}), "NULL");
  EXPECT_EQ(EvalText("lpad", {S("hi"), I(4), S("")}), "NULL");
  EXPECT_EQ(EvalText("repeat", {S("ab"), I(3)}), "ababab");
  EXPECT_EQ(EvalText("repeat", {S("ab"), I(-1)}), "");
  EXPECT_EQ(EvalText("reverse", {S("ab\xC3\xA9")}),
            "\xC3\xA9"
            "ba");
}

TEST(StringFunctionsTest, DigestsAndEncodings) {
  EXPECT_EQ(EvalText("md5", {S("")}), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(EvalText("md5", {S("The quick brown fox jumps over the lazy dog")}),
            "9e107d9d372bb6826bd81d3542a419d6");
  std::string long_text(100, 'x');  // spans two MD5 blocks
  EXPECT_EQ(EvalText("md5", {S(long_text)}).size(), 32u);
  EXPECT_EQ(EvalText("to_base64", {S("hello")}), "aGVsbG8=");
  EXPECT_EQ(EvalText("to_base64", {S("hi")}), "aGk=");
  EXPECT_EQ(EvalText("from_base64", {S("aGVsbG8=")}), "hello");
  EXPECT_EQ(Eval("from_base64", {S("**")}).status().code(), ErrorCode::kRuntimeError);
}

TEST(StringFunctionsTest, UuidIsRandomVersionFour) {
  ExprPtr call = *BindFunctionCall("uuid", {});
  ExpressionEvaluator evaluator(call, EvalContext{});
  ColumnPtr c = *evaluator.Evaluate(Batch({}, 3), nullptr, 3);
  ASSERT_EQ(c->size(), 3u);
  std::string a(c->GetString(0)), b(c->GetString(1));
  EXPECT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace sluice::testing
