#include "exec/expr/evaluator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "exec/expr/tests/eval_harness.h"

namespace sluice::testing {
namespace {

// Columns: 0 id INT, 1 amount DOUBLE, 2 status STRING, 3 x INT (nullable), 4 flag BOOLEAN.
Schema OrdersSchema() {
  return Schema{{{"id", LogicalType::Int()},
                 {"amount", LogicalType::Double()},
                 {"status", LogicalType::Varchar()},
                 {"x", LogicalType::Int()},
                 {"flag", LogicalType::Boolean()}}};
}

Batch Orders() {
  BatchBuilder b(OrdersSchema());
  b.AppendRow({I(0), D(50), S("completed"), I(0), B(true)});
  b.AppendRow({I(1), D(150), S("completed"), I(5), B(false)});
  b.AppendRow({I(2), D(250), S("pending"), Null(LogicalType::Int()), Null(LogicalType::Boolean())});
  b.AppendRow({I(3), D(120), S("completed"), I(-2), B(true)});
  b.AppendRow({I(4), Null(LogicalType::Double()), S("completed"), I(20), B(true)});
  b.AppendRow({I(5), D(500), Null(LogicalType::Varchar()), I(0), B(false)});
  return b.Finish();
}

ExprPtr Col(int i) {
  static const Schema schema = OrdersSchema();
  return BoundExpr::ColumnRef(i, schema[i].type, schema[i].name);
}
ExprPtr Lit(Value v) {
  return BoundExpr::Literal(std::move(v));
}
ExprPtr Call(const std::string& name, std::vector<ExprPtr> args) {
  Result<ExprPtr> e = BindFunctionCall(name, std::move(args));
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return *e;
}

std::vector<std::string> Values(const Column& c) {
  std::vector<std::string> out;
  for (size_t i = 0; i < c.size(); ++i) out.push_back(c.GetValue(i).ToString());
  return out;
}

std::vector<uint32_t> FilterRows(const ExprPtr& e, const Batch& batch,
                                 std::vector<uint32_t> rows = {}) {
  ExpressionEvaluator evaluator(e, EvalContext{});
  bool all = rows.empty();
  size_t count = all ? batch.num_rows() : rows.size();
  std::vector<uint32_t> out(count);
  Result<size_t> n = evaluator.Filter(batch, all ? nullptr : rows.data(), count, out.data());
  EXPECT_TRUE(n.ok()) << n.status().ToString();
  out.resize(n.ok() ? *n : 0);
  return out;
}

using Rows = std::vector<uint32_t>;
using Texts = std::vector<std::string>;

TEST(EvaluatorTest, EvaluatesAllRowsOrASelection) {
  Batch batch = Orders();
  ExprPtr e = Call("*", {Col(1), Lit(I(2))});
  ExpressionEvaluator evaluator(e, EvalContext{});
  ColumnPtr all = *evaluator.Evaluate(batch, nullptr, batch.num_rows());
  EXPECT_EQ(Values(*all), (Texts{"100.0", "300.0", "500.0", "240.0", "NULL", "1000.0"}));
  Rows rows = {5, 1, 4};
  ColumnPtr some = *evaluator.Evaluate(batch, rows.data(), rows.size());
  EXPECT_EQ(Values(*some), (Texts{"1000.0", "300.0", "NULL"}));
  ColumnPtr none = *evaluator.Evaluate(batch, rows.data(), 0);
  EXPECT_EQ(none->size(), 0u);
}

TEST(EvaluatorTest, NullsPropagateThroughColumnKernels) {
  Batch batch = Orders();
  ExprPtr e = Call("+", {Col(0), Col(3)});
  ExpressionEvaluator evaluator(e, EvalContext{});
  ColumnPtr c = *evaluator.Evaluate(batch, nullptr, batch.num_rows());
  EXPECT_EQ(Values(*c), (Texts{"0", "6", "NULL", "1", "24", "5"}));
  ExprPtr no_nulls = Call("+", {Col(0), Lit(I(1))});
  ColumnPtr d = *ExpressionEvaluator(no_nulls, EvalContext{}).Evaluate(batch, nullptr, 6);
  EXPECT_FALSE(d->HasNulls());  // the fast path leaves no mask
}

TEST(EvaluatorTest, ConstantsBroadcastToEveryRow) {
  Batch batch = Orders();
  ExprPtr e = Call("upper", {Lit(S("abc"))});
  ColumnPtr c = *ExpressionEvaluator(e, EvalContext{}).Evaluate(batch, nullptr, 6);
  EXPECT_EQ(Values(*c), Texts(6, "ABC"));
}

TEST(EvaluatorTest, GatherSharesStringMemory) {
  Batch batch = Orders();
  Rows rows = {3, 0};
  ExpressionEvaluator evaluator(Col(2), EvalContext{});
  ColumnPtr c = *evaluator.Evaluate(batch, rows.data(), rows.size());
  EXPECT_EQ(c->GetString(0).data(), batch.column(2)->GetString(3).data());
  EXPECT_EQ(c->GetString(1).data(), batch.column(2)->GetString(0).data());
  // substring returns views into the input too, and stays valid after the input is gone.
  ExprPtr sub = Call("substring", {Col(2), Lit(I(2)), Lit(I(3))});
  ColumnPtr s;
  {
    Batch copy = Orders();
    s = *ExpressionEvaluator(sub, EvalContext{}).Evaluate(copy, nullptr, 6);
  }
  EXPECT_EQ(Values(*s), (Texts{"omp", "omp", "end", "omp", "omp", "NULL"}));
}

TEST(EvaluatorTest, FilterOnTheHotPredicate) {
  Batch batch = Orders();
  ExprPtr e =
      Call("and", {Call(">", {Col(1), Lit(I(100))}), Call("=", {Col(2), Lit(S("completed"))})});
  EXPECT_EQ(FilterRows(e, batch), (Rows{1, 3}));
  EXPECT_EQ(FilterRows(e, batch, {5, 3, 2, 1}), (Rows{3, 1}));
  // The output may be the input buffer.
  Rows rows = {0, 1, 2, 3, 4, 5};
  ExpressionEvaluator evaluator(e, EvalContext{});
  size_t n = *evaluator.Filter(batch, rows.data(), rows.size(), rows.data());
  rows.resize(n);
  EXPECT_EQ(rows, (Rows{1, 3}));
}

TEST(EvaluatorTest, FilterDropsNullConditions) {
  Batch batch = Orders();
  EXPECT_EQ(FilterRows(Call(">", {Col(3), Lit(I(0))}), batch), (Rows{1, 4}));
  EXPECT_EQ(FilterRows(Call("not", {Call(">", {Col(3), Lit(I(0))})}), batch), (Rows{0, 3, 5}));
  EXPECT_EQ(FilterRows(Col(4), batch), (Rows{0, 3, 4}));
  EXPECT_EQ(FilterRows(Call("is_null", {Col(3)}), batch), (Rows{2}));
  EXPECT_EQ(FilterRows(Call("is_not_null", {Col(2)}), batch, {5, 4}), (Rows{4}));
  EXPECT_EQ(FilterRows(Call("is_not_true", {Col(4)}), batch), (Rows{1, 2, 5}));
  EXPECT_EQ(FilterRows(Call("=", {Col(3), Lit(Value())}), batch), (Rows{}));
  EXPECT_EQ(FilterRows(Lit(Value::Null(LogicalType::Boolean())), batch), (Rows{}));
  EXPECT_EQ(FilterRows(Lit(B(true)), batch, {4, 2}), (Rows{4, 2}));
}

TEST(EvaluatorTest, FilterOrKeepsInputOrder) {
  Batch batch = Orders();
  ExprPtr e =
      Call("or", {Call("=", {Col(2), Lit(S("pending"))}), Call("<", {Col(1), Lit(I(100))})});
  EXPECT_EQ(FilterRows(e, batch), (Rows{0, 2}));
  EXPECT_EQ(FilterRows(e, batch, {2, 0, 5}), (Rows{2, 0}));
  ExprPtr in = Call("in", {Col(0), Lit(I(4)), Lit(I(1)), Lit(I(9))});
  EXPECT_EQ(FilterRows(in, batch), (Rows{1, 4}));
  ExprPtr like = Call("like", {Col(2), Lit(S("p%"))});
  EXPECT_EQ(FilterRows(Call("or", {like, in}), batch, {5, 4, 3, 2, 1}), (Rows{4, 2, 1}));
}

TEST(EvaluatorTest, AndOrShortCircuitAvoidsErrors) {
  Batch batch = Orders();
  // x <> 0 AND 10 / x > 1: the division never sees the rows where x = 0.
  ExprPtr guarded = Call("and", {Call("<>", {Col(3), Lit(I(0))}),
                                 Call(">", {Call("/", {Lit(I(10)), Col(3)}), Lit(I(1))})});
  EXPECT_EQ(FilterRows(guarded, batch), (Rows{1}));
  ColumnPtr c = *ExpressionEvaluator(guarded, EvalContext{}).Evaluate(batch, nullptr, 6);
  EXPECT_EQ(Values(*c), (Texts{"false", "true", "NULL", "false", "false", "false"}));
  ExprPtr either = Call("or", {Call("=", {Col(3), Lit(I(0))}),
                               Call(">", {Call("/", {Lit(I(10)), Col(3)}), Lit(I(1))})});
  EXPECT_EQ(FilterRows(either, batch), (Rows{0, 1, 5}));
  c = *ExpressionEvaluator(either, EvalContext{}).Evaluate(batch, nullptr, 6);
  EXPECT_EQ(Values(*c), (Texts{"true", "true", "NULL", "false", "false", "true"}));
  // Without the guard the error surfaces, naming the values.
  ExprPtr unguarded = Call("/", {Lit(I(10)), Col(3)});
  Result<ColumnPtr> r = ExpressionEvaluator(unguarded, EvalContext{}).Evaluate(batch, nullptr, 6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().ToString(), "RuntimeError: division by zero: 10 / 0");
}

TEST(EvaluatorTest, ThreeValuedLogicOverColumns) {
  // Every combination of TRUE/FALSE/NULL on both sides, evaluated as columns.
  Schema schema{{{"a", LogicalType::Boolean()}, {"b", LogicalType::Boolean()}}};
  BatchBuilder builder(schema);
  Value v[3] = {B(true), B(false), Null(LogicalType::Boolean())};
  for (const Value& a : v) {
    for (const Value& b : v) builder.AppendRow({a, b});
  }
  Batch batch = builder.Finish();
  ExprPtr a = BoundExpr::ColumnRef(0, LogicalType::Boolean());
  ExprPtr b = BoundExpr::ColumnRef(1, LogicalType::Boolean());
  ColumnPtr and_result =
      *ExpressionEvaluator(Call("and", {a, b}), EvalContext{}).Evaluate(batch, nullptr, 9);
  EXPECT_EQ(Values(*and_result),
            (Texts{"true", "false", "NULL", "false", "false", "false", "NULL", "false", "NULL"}));
  ColumnPtr or_result =
      *ExpressionEvaluator(Call("or", {a, b}), EvalContext{}).Evaluate(batch, nullptr, 9);
  EXPECT_EQ(Values(*or_result),
            (Texts{"true", "true", "true", "true", "false", "NULL", "true", "NULL", "NULL"}));
  EXPECT_EQ(FilterRows(Call("and", {a, b}), batch), (Rows{0}));
  EXPECT_EQ(FilterRows(Call("or", {a, b}), batch), (Rows{0, 1, 2, 3, 6}));
}

TEST(EvaluatorTest, CaseRunsBranchesOnlyWhereTheyApply) {
  Batch batch = Orders();
  ExprPtr e = *BindCase({Call("=", {Col(3), Lit(I(0))}), Lit(I(-1)), Call("is_null", {Col(3)}),
                         Lit(I(-2)), Call("/", {Lit(I(100)), Col(3)})},
                        true);
  ColumnPtr c = *ExpressionEvaluator(e, EvalContext{}).Evaluate(batch, nullptr, 6);
  EXPECT_EQ(Values(*c), (Texts{"-1", "20", "-2", "-50", "5", "-1"}));
  Rows rows = {4, 0};
  c = *ExpressionEvaluator(e, EvalContext{}).Evaluate(batch, rows.data(), 2);
  EXPECT_EQ(Values(*c), (Texts{"5", "-1"}));
  // Without ELSE the unmatched rows are NULL; string branches keep their memory.
  ExprPtr no_else = *BindCase({Call(">", {Col(1), Lit(I(200))}), Col(2)}, false);
  c = *ExpressionEvaluator(no_else, EvalContext{}).Evaluate(batch, nullptr, 6);
  EXPECT_EQ(Values(*c), (Texts{"NULL", "NULL", "pending", "NULL", "NULL", "NULL"}));
}

TEST(EvaluatorTest, IfAndCoalesceAreLazy) {
  Batch batch = Orders();
  ExprPtr safe_div =
      Call("if", {Call("=", {Col(3), Lit(I(0))}), Lit(I(0)), Call("/", {Lit(I(10)), Col(3)})});
  ColumnPtr c = *ExpressionEvaluator(safe_div, EvalContext{}).Evaluate(batch, nullptr, 6);
  EXPECT_EQ(Values(*c), (Texts{"0", "2", "NULL", "-5", "0", "0"}));
  // The second argument runs only where x is NULL (row 2, where x is not 0).
  ExprPtr fallback = Call("coalesce", {Col(3), Call("/", {Lit(I(10)), Col(3)}), Lit(I(7))});
  c = *ExpressionEvaluator(fallback, EvalContext{}).Evaluate(batch, nullptr, 6);
  EXPECT_EQ(Values(*c), (Texts{"0", "5", "7", "-2", "20", "0"}));
  ExprPtr simple = Call("coalesce", {Col(2), Lit(S("none"))});
  c = *ExpressionEvaluator(simple, EvalContext{}).Evaluate(batch, nullptr, 6);
  EXPECT_EQ(c->GetValue(5).ToString(), "none");
  EXPECT_EQ(c->GetValue(2).ToString(), "pending");
}

TEST(EvaluatorTest, ConstantErrorsWaitForRows) {
  Batch batch = Orders();
  ExprPtr e = Call(">", {Col(0), Call("/", {Lit(I(1)), Lit(I(0))})});
  ExpressionEvaluator evaluator(e, EvalContext{});
  Rows out(6);
  Result<size_t> none = evaluator.Filter(batch, out.data(), 0, out.data());
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0u);
  Result<size_t> some = evaluator.Filter(batch, nullptr, 6, out.data());
  ASSERT_FALSE(some.ok());
  EXPECT_EQ(some.status().code(), ErrorCode::kRuntimeError);
}

TEST(EvaluatorTest, FilterNeedsBoolean) {
  Batch batch = Orders();
  ExpressionEvaluator evaluator(Col(0), EvalContext{});
  Rows out(6);
  EXPECT_EQ(evaluator.Filter(batch, nullptr, 6, out.data()).status().code(), ErrorCode::kInternal);
}

TEST(EvaluatorTest, CastsInsideExpressionsUseTheZone) {
  Schema schema{{{"ts", LogicalType::TimestampLtz(3)}}};
  BatchBuilder builder(schema);
  builder.AppendRow({Ltz("2024-01-01 20:00:00")});
  builder.AppendRow({Ltz("2024-01-01 10:00:00")});
  Batch batch = builder.Finish();
  ExprPtr ts = BoundExpr::ColumnRef(0, LogicalType::TimestampLtz(3));
  // ts >= TIMESTAMP '2024-01-02 00:00:00' compares on Shanghai wall clock.
  ExprPtr e = Call(">=", {ts, Lit(Ts("2024-01-02 00:00:00"))});
  ExpressionEvaluator evaluator(e, EvalContext{Zone("Asia/Shanghai")});
  Rows out(2);
  EXPECT_EQ(*evaluator.Filter(batch, nullptr, 2, out.data()), 1u);
  EXPECT_EQ(out[0], 0u);
}

// The hot filter against a row-by-row reference on a full batch with NULLs.
TEST(EvaluatorTest, LargeBatchMatchesReference) {
  std::mt19937 random(7);
  BatchBuilder builder(OrdersSchema());
  const char* statuses[] = {"completed", "pending", "cancelled"};
  std::vector<bool> expected;
  for (int i = 0; i < 4096; ++i) {
    bool null_amount = random() % 17 == 0;
    double amount = static_cast<double>(random() % 300);
    const char* status = statuses[random() % 3];
    builder.AppendRow({I(i), null_amount ? Null(LogicalType::Double()) : D(amount), S(status),
                       I(i % 5), B(i % 2 == 0)});
    expected.push_back(!null_amount && amount > 100 && std::string(status) == "completed");
  }
  Batch batch = builder.Finish();
  ExprPtr e =
      Call("and", {Call(">", {Col(1), Lit(I(100))}), Call("=", {Col(2), Lit(S("completed"))})});
  ExpressionEvaluator evaluator(e, EvalContext{});
  Rows out(4096);
  auto start = std::chrono::steady_clock::now();
  size_t n = *evaluator.Filter(batch, nullptr, 4096, out.data());
  auto elapsed = std::chrono::steady_clock::now() - start;
  Rows reference;
  for (uint32_t i = 0; i < 4096; ++i) {
    if (expected[i]) reference.push_back(i);
  }
  out.resize(n);
  EXPECT_EQ(out, reference);
  RecordProperty(
      "filter_4096_rows_ns",
      std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()));
  // The value column agrees with the filter.
  ColumnPtr values = *evaluator.Evaluate(batch, nullptr, 4096);
  for (uint32_t i = 0; i < 4096; ++i) {
    ASSERT_EQ(!values->IsNull(i) && values->Get<uint8_t>(i) != 0, expected[i]) << i;
  }
}

}  // namespace
}  // namespace sluice::testing
