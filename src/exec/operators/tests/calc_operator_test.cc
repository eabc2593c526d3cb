// CalcOperator: filter into a selection vector, projections on the selected rows, pass-through
// of column references, row kinds, the session time zone.

#include <gtest/gtest.h>

#include "exec/operators/tests/operator_harness.h"

namespace sluice::testing {
namespace {

const std::vector<Field> kInput = {F("k", LogicalType::Varchar()), F("v", LogicalType::Int()),
                                   F("ts", LogicalType::TimestampLtz(3))};

Batch Input(const std::vector<std::tuple<std::string, std::optional<int>>>& rows,
            const std::vector<RowKind>& kinds = {}) {
  std::vector<std::vector<Value>> values;
  for (const auto& [k, v] : rows) {
    values.push_back({Value::Varchar(k), v ? Value::Int(*v) : Value::Null(LogicalType::Int()),
                      Value::TimestampLtz(Ts("2024-01-01 16:30:00"))});
  }
  return testing::Rows(Schema{kInput}, values, kinds);
}

ExprPtr Col(int i) {
  return BoundExpr::ColumnRef(i, kInput[i].type, kInput[i].name);
}
ExprPtr Int(int v) {
  return BoundExpr::Literal(Value::Int(v));
}
ExprPtr Call(const std::string& f, LogicalType type, std::vector<ExprPtr> args) {
  return BoundExpr::Call(f, type, std::move(args));
}

std::shared_ptr<CalcNode> Calc(ExprPtr filter, std::vector<ExprPtr> projections) {
  auto node = std::make_shared<CalcNode>();
  node->id = "calc-1";
  node->filter = std::move(filter);
  node->projections = std::move(projections);
  for (size_t i = 0; i < node->projections.size(); ++i) {
    node->output_schema.fields.push_back(F("c" + std::to_string(i), node->projections[i]->type));
  }
  node->inputs.push_back(InputNode(kInput));
  return node;
}

TEST(CalcOperatorTest, FiltersThenProjectsTheSelectedRows) {
  Harness h(*Calc(Call(">", LogicalType::Boolean(), {Col(1), Int(1)}),
                  {Col(0), Call("+", LogicalType::Int(), {Col(1), Int(10)})}));
  EXPECT_EQ(h.op().Name(), "Calc");
  EXPECT_EQ(h.Process(Input({{"a", 1}, {"b", 2}, {"c", std::nullopt}, {"d", 3}})),
            (Strings{"+I[b, 12]", "+I[d, 13]"}));
  EXPECT_EQ(h.metrics().rows_in, 4u);
  EXPECT_EQ(h.metrics().rows_out, 2u);
}

TEST(CalcOperatorTest, ColumnReferencesPassThroughWithoutCopy) {
  Harness h(*Calc(nullptr, {Col(1), Col(0)}));
  Batch input = Input({{"a", 1}, {"b", 2}});
  const Column* k = input.column(0).get();
  const Column* v = input.column(1).get();
  EXPECT_EQ(h.Process(std::move(input)), (Strings{"+I[1, a]", "+I[2, b]"}));
  ASSERT_EQ(h.collector().batches().size(), 1u);
  EXPECT_EQ(h.collector().batches()[0].column(0).get(), v);
  EXPECT_EQ(h.collector().batches()[0].column(1).get(), k);
}

TEST(CalcOperatorTest, FilterKeepingEveryRowAlsoPassesColumnsThrough) {
  Harness h(*Calc(Call("is_not_null", LogicalType::Boolean(), {Col(0)}), {Col(0)}));
  Batch input = Input({{"a", 1}, {"b", 2}});
  const Column* k = input.column(0).get();
  h.Process(std::move(input));
  ASSERT_EQ(h.collector().batches().size(), 1u);
  EXPECT_EQ(h.collector().batches()[0].column(0).get(), k);
}

TEST(CalcOperatorTest, EmptyResultsAreNotEmitted) {
  Harness h(*Calc(Call(">", LogicalType::Boolean(), {Col(1), Int(100)}), {Col(0)}));
  EXPECT_TRUE(h.Process(Input({{"a", 1}, {"b", std::nullopt}})).empty());
  EXPECT_TRUE(h.collector().batches().empty());
}

TEST(CalcOperatorTest, RowKindsFollowTheirRows) {
  Harness h(*Calc(Call("<>", LogicalType::Boolean(), {Col(1), Int(0)}), {Col(0), Col(1)}));
  EXPECT_EQ(h.Process(Input({{"a", 0}, {"a", 1}, {"b", 0}, {"b", 2}},
                            {RowKind::kInsert, RowKind::kUpdateBefore, RowKind::kUpdateAfter,
                             RowKind::kDelete})),
            (Strings{"-U[a, 1]", "-D[b, 2]"}));
}

TEST(CalcOperatorTest, UsesTheSessionTimeZone) {
  auto node = Calc(nullptr, {BoundExpr::Cast(Col(2), LogicalType::Varchar())});
  Harness shanghai(*node, "Asia/Shanghai");
  EXPECT_EQ(shanghai.Process(Input({{"a", 1}})), Strings{"+I[2024-01-02 00:30:00.000]"});
  Harness utc(*node);
  EXPECT_EQ(utc.Process(Input({{"a", 1}})), Strings{"+I[2024-01-01 16:30:00.000]"});
}

TEST(CalcOperatorTest, EvaluationErrorsStopTheOperator) {
  Harness h(*Calc(nullptr, {Call("/", LogicalType::Int(), {Col(1), Int(0)})}));
  RowCollector out;
  Status s = h.op().Process(Input({{"a", 1}}), out);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kRuntimeError) << s.ToString();
}

TEST(CalcOperatorTest, RejectsNonBooleanFilter) {
  EXPECT_FALSE(CreateOperator(*Calc(Col(1), {Col(0)})).ok());
}

}  // namespace
}  // namespace sluice::testing
