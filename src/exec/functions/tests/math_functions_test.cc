#include <gtest/gtest.h>

#include <climits>
#include <cmath>

#include "exec/expr/tests/eval_harness.h"

namespace sluice::testing {
namespace {

TEST(MathFunctionsTest, AbsAndSign) {
  EXPECT_EQ(EvalText("abs", {I(-3)}), "3");
  EXPECT_EQ(EvalText("abs", {I(INT_MIN)}), std::to_string(INT_MIN));  // as Java
  EXPECT_EQ(EvalText("abs", {D(-2.5)}), "2.5");
  EXPECT_EQ(EvalText("abs", {Dec("-1.25", 3, 2)}), "1.25");
  EXPECT_EQ(EvalText("sign", {L(-42)}), "-1");
  EXPECT_EQ(EvalText("sign", {D(0.0)}), "0.0");
  EXPECT_EQ(EvalText("sign", {Dec("3.50", 3, 2)}), "1.00");
  EXPECT_EQ(EvalText("abs", {Null(LogicalType::Int())}), "NULL");
}

TEST(MathFunctionsTest, RoundHalfUp) {
  EXPECT_EQ(EvalText("round", {D(2.5)}), "3.0");
  EXPECT_EQ(EvalText("round", {D(-2.5)}), "-3.0");
  EXPECT_EQ(EvalText("round", {D(2.675), I(2)}), "2.68");
  EXPECT_EQ(EvalText("round", {D(1234.567), I(-2)}), "1200.0");
  EXPECT_EQ(EvalText("round", {I(1250), I(-2)}), "1300");
  EXPECT_EQ(EvalText("round", {I(-1250), I(-2)}), "-1300");
  EXPECT_EQ(EvalText("round", {L(1249), I(-2)}), "1200");
  EXPECT_EQ(EvalText("round", {I(7), I(2)}), "7");
  Result<Value> r = Eval("round", {Dec("12.345", 5, 3), Lit(I(2))});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type().ToString(), "DECIMAL(5, 2)");
  EXPECT_EQ(r->ToString(), "12.35");
  EXPECT_EQ(EvalText("round", {Dec("99.95", 4, 2), Lit(I(1))}), "100.0");
  EXPECT_EQ(EvalText("round", {Dec("-12.5", 3, 1)}), "-13");
  EXPECT_EQ(EvalText("round", {Dec("149.5", 4, 1), Lit(I(-2))}), "100");
  EXPECT_EQ(EvalText("round", {Dec("1.5", 2, 1), Lit(I(3))}), "1.5");
}

TEST(MathFunctionsTest, Truncate) {
  EXPECT_EQ(EvalText("truncate", {D(2.679), I(2)}), "2.67");
  EXPECT_EQ(EvalText("truncate", {D(-2.679), I(1)}), "-2.6");
  EXPECT_EQ(EvalText("truncate", {D(2.9)}), "2.0");
  EXPECT_EQ(EvalText("truncate", {I(1299), I(-2)}), "1200");
  EXPECT_EQ(EvalText("truncate", {Dec("12.349", 5, 3), Lit(I(2))}), "12.34");
  EXPECT_EQ(EvalText("truncate", {Dec("-12.349", 5, 3), Lit(I(1))}), "-12.3");
}

TEST(MathFunctionsTest, FloorAndCeil) {
  EXPECT_EQ(EvalText("floor", {D(-1.5)}), "-2.0");
  EXPECT_EQ(EvalText("ceil", {D(-1.5)}), "-1.0");
  EXPECT_EQ(EvalText("ceiling", {D(1.2)}), "2.0");
  EXPECT_EQ(EvalText("floor", {I(7)}), "7");
  EXPECT_EQ(EvalText("floor", {Dec("-1.25", 3, 2)}), "-2");
  EXPECT_EQ(EvalText("ceil", {Dec("1.25", 3, 2)}), "2");
  EXPECT_EQ(EvalText("ceil", {Dec("-1.25", 3, 2)}), "-1");
}

TEST(MathFunctionsTest, PowersAndLogarithms) {
  EXPECT_EQ(EvalText("power", {I(2), I(10)}), "1024.0");
  EXPECT_EQ(EvalText("sqrt", {I(16)}), "4.0");
  EXPECT_EQ(EvalText("sqrt", {D(-1)}), "NaN");
  EXPECT_EQ(EvalText("exp", {I(0)}), "1.0");
  EXPECT_EQ(EvalText("ln", {D(1)}), "0.0");
  EXPECT_EQ(EvalText("log10", {I(1000)}), "3.0");
  EXPECT_EQ(EvalText("log2", {I(8)}), "3.0");
  EXPECT_EQ(EvalText("log", {D(M_E)}), "1.0");
  EXPECT_EQ(EvalText("log", {I(2), I(1024)}), "10.0");
  EXPECT_EQ(EvalText("ln", {I(0)}), "-Infinity");
  EXPECT_EQ(EvalText("pi", {}), "3.141592653589793");
  EXPECT_EQ(EvalText("mod", {I(10), I(3)}), "1");
  EXPECT_EQ(EvalText("degrees", {D(M_PI)}), "180.0");
}

TEST(MathFunctionsTest, RandIsInUnitIntervalAndSeedRepeats) {
  auto draw = [](std::vector<ExprPtr> args) {
    ExprPtr call = *BindFunctionCall("rand", std::move(args));
    ExpressionEvaluator evaluator(call, EvalContext{});
    ColumnPtr c = *evaluator.Evaluate(Batch({}, 100), nullptr, 100);
    std::vector<double> values;
    for (size_t i = 0; i < c->size(); ++i) values.push_back(c->Get<double>(i));
    return values;
  };
  std::vector<double> a = draw({});
  for (double v : a) {
    EXPECT_GE(v, 0.0);
    EXPECT_LT(v, 1.0);
  }
  EXPECT_NE(a[0], a[1]);
  std::vector<double> s1 = draw({BoundExpr::Literal(I(42))});
  std::vector<double> s2 = draw({BoundExpr::Literal(I(42))});
  EXPECT_EQ(s1, s2);
}

}  // namespace
}  // namespace sluice::testing
