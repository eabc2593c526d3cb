// Non-windowed GROUP BY: the updating changelog it emits, retraction input, MIN/MAX retraction
// and keys dropped when their last row is retracted.

#include <gtest/gtest.h>

#include "exec/operators/group_aggregate_operator.h"
#include "exec/operators/tests/operator_harness.h"

namespace sluice::testing {
namespace {

using K = AggregateKind;

const std::vector<Field> kInput = {F("k", LogicalType::Varchar()), F("v", LogicalType::Int())};

struct In {
  RowKind kind;
  std::optional<std::string> key;
  std::optional<int> value;
};

Batch Input(const std::vector<In>& rows) {
  std::vector<std::vector<Value>> values;
  std::vector<RowKind> kinds;
  for (const In& r : rows) {
    values.push_back({r.key ? Value::Varchar(*r.key) : Value::Null(LogicalType::Varchar()),
                      r.value ? Value::Int(*r.value) : Value::Null(LogicalType::Int())});
    kinds.push_back(r.kind);
  }
  return testing::Rows(Schema{kInput}, values, kinds);
}

constexpr RowKind kI = RowKind::kInsert;
constexpr RowKind kUB = RowKind::kUpdateBefore;
constexpr RowKind kUA = RowKind::kUpdateAfter;
constexpr RowKind kD = RowKind::kDelete;

std::shared_ptr<GroupAggregateNode> Node(std::vector<int> keys, std::vector<AggregateCall> aggs,
                                         ChangelogMode input = ChangelogMode::kUpdating) {
  return GroupNode(InputNode(kInput, input), keys, aggs);
}

std::vector<AggregateCall> CountSum() {
  return {CountStar(), Agg(K::kSum, 1, LogicalType::Int())};
}

TEST(GroupAggregateTest, EmitsInsertThenUpdatePairs) {
  Harness h(*Node({0}, CountSum(), ChangelogMode::kAppendOnly));
  EXPECT_EQ(h.op().Name(), "GroupAggregate");
  EXPECT_EQ(h.Process(Input({{kI, "a", 1}, {kI, "b", 2}, {kI, "a", 3}})),
            (Strings{"+I[a, 2, 4]", "+I[b, 1, 2]"}));
  EXPECT_EQ(h.Process(Input({{kI, "b", 5}, {kI, "a", 1}, {kI, "c", 1}})),
            (Strings{"-U[b, 1, 2]", "+U[b, 2, 7]", "-U[a, 2, 4]", "+U[a, 3, 5]", "+I[c, 1, 1]"}));
  EXPECT_EQ(h.metrics().rows_in, 6u);
  EXPECT_EQ(h.metrics().rows_out, 7u);
}

TEST(GroupAggregateTest, UnchangedResultsAreSuppressed) {
  Harness h(*Node({0}, {Agg(K::kMax, 1, LogicalType::Int())}, ChangelogMode::kAppendOnly));
  EXPECT_EQ(h.Process(Input({{kI, "a", 5}})), Strings{"+I[a, 5]"});
  EXPECT_TRUE(h.Process(Input({{kI, "a", 3}, {kI, "a", 5}})).empty());
  EXPECT_EQ(h.Process(Input({{kI, "a", 6}})), (Strings{"-U[a, 5]", "+U[a, 6]"}));
}

TEST(GroupAggregateTest, GlobalAggregateWithoutKeys) {
  Harness h(*Node({}, CountSum(), ChangelogMode::kAppendOnly));
  EXPECT_EQ(h.Process(Input({{kI, "a", 1}, {kI, "b", 2}})), Strings{"+I[2, 3]"});
  EXPECT_EQ(h.Process(Input({{kI, "c", 4}})), (Strings{"-U[2, 3]", "+U[3, 7]"}));
}

TEST(GroupAggregateTest, RetractionInputUpdatesCountSumAvg) {
  Harness h(
      *Node({0}, {CountStar(), Agg(K::kSum, 1, LogicalType::Int()),
                  Agg(K::kAvg, 1, LogicalType::Int()), Agg(K::kCount, 1, LogicalType::Int())}));
  EXPECT_EQ(h.Process(Input({{kI, "a", 1}, {kI, "a", 5}})), Strings{"+I[a, 2, 6, 3, 2]"});
  EXPECT_EQ(h.Process(Input({{kUB, "a", 5}, {kUA, "a", 9}})),
            (Strings{"-U[a, 2, 6, 3, 2]", "+U[a, 2, 10, 5, 2]"}));
  EXPECT_EQ(h.Process(Input({{kD, "a", 9}, {kI, "a", std::nullopt}})),
            (Strings{"-U[a, 2, 10, 5, 2]", "+U[a, 2, 1, 1, 1]"}));
  // Only the NULL row left: SUM and AVG have no input, COUNT(*) still counts it.
  EXPECT_EQ(h.Process(Input({{kD, "a", 1}})),
            (Strings{"-U[a, 2, 1, 1, 1]", "+U[a, 1, null, null, 0]"}));
}

TEST(GroupAggregateTest, MinMaxFallBackToTheNextValueOnRetraction) {
  const LogicalType t = LogicalType::Int();
  Harness h(*Node({0}, {Agg(K::kMin, 1, t), Agg(K::kMax, 1, t)}));
  EXPECT_EQ(h.Process(Input({{kI, "a", 3}, {kI, "a", 1}, {kI, "a", 7}, {kI, "a", 7}})),
            Strings{"+I[a, 1, 7]"});
  EXPECT_EQ(h.Process(Input({{kD, "a", 1}, {kD, "a", 7}})),
            (Strings{"-U[a, 1, 7]", "+U[a, 3, 7]"}));
  EXPECT_EQ(h.Process(Input({{kD, "a", 7}})), (Strings{"-U[a, 3, 7]", "+U[a, 3, 3]"}));
}

TEST(GroupAggregateTest, MinMaxOfStringsWithRetraction) {
  std::vector<Field> input = {F("k", LogicalType::Int()), F("s", LogicalType::Varchar())};
  const LogicalType t = LogicalType::Varchar();
  Harness h(*GroupNode(InputNode(input, ChangelogMode::kUpdating), {0},
                       {Agg(K::kMin, 1, t), Agg(K::kMax, 1, t)}));
  Schema schema{input};
  h.Process(testing::Rows(schema, {{Value::Int(1), Value::Varchar("pear")},
                                   {Value::Int(1), Value::Varchar("apple")},
                                   {Value::Int(1), Value::Varchar("zucchini")}}));
  EXPECT_EQ(h.Process(testing::Rows(schema, {{Value::Int(1), Value::Varchar("apple")}}, {kD})),
            (Strings{"-U[1, apple, zucchini]", "+U[1, pear, zucchini]"}));
}

TEST(GroupAggregateTest, KeyIsDeletedWhenItsLastRowIsRetracted) {
  Harness h(*Node({0}, CountSum()));
  auto& op = dynamic_cast<GroupAggregateOperator&>(h.op());
  EXPECT_EQ(h.Process(Input({{kI, "a", 1}, {kI, "b", 1}})),
            (Strings{"+I[a, 1, 1]", "+I[b, 1, 1]"}));
  EXPECT_EQ(h.Process(Input({{kD, "a", 1}})), Strings{"-D[a, 1, 1]"});
  EXPECT_EQ(op.group_count(), 1u);
  // A new first row starts from scratch.
  EXPECT_EQ(h.Process(Input({{kI, "a", 4}})), Strings{"+I[a, 1, 4]"});
  // Without keys the global row is deleted too.
  Harness global(*Node({}, CountSum()));
  global.Process(Input({{kI, "a", 1}}));
  EXPECT_EQ(global.Process(Input({{kD, "a", 1}})), Strings{"-D[1, 1]"});
  EXPECT_EQ(global.Process(Input({{kI, "a", 2}})), Strings{"+I[1, 2]"});
}

TEST(GroupAggregateTest, RetractionsOfUnknownKeysAreIgnored) {
  Harness h(*Node({0}, CountSum()));
  auto& op = dynamic_cast<GroupAggregateOperator&>(h.op());
  EXPECT_TRUE(h.Process(Input({{kD, "z", 1}, {kUB, "y", 2}})).empty());
  EXPECT_EQ(op.group_count(), 0u);
  // Inserted and retracted within one batch: never visible.
  EXPECT_TRUE(h.Process(Input({{kI, "x", 1}, {kD, "x", 1}})).empty());
  EXPECT_EQ(op.group_count(), 0u);
  // A retraction after the key's first row in the same batch applies.
  EXPECT_EQ(h.Process(Input({{kD, "w", 1}, {kI, "w", 2}, {kI, "w", 3}, {kD, "w", 2}})),
            Strings{"+I[w, 1, 3]"});
}

TEST(GroupAggregateTest, NullKeysAndDistinctWithRetraction) {
  Harness h(*Node({0}, {Agg(K::kCount, 1, LogicalType::Int(), /*distinct=*/true)}));
  EXPECT_EQ(h.Process(Input({{kI, std::nullopt, 1}, {kI, std::nullopt, 1}, {kI, std::nullopt, 2}})),
            Strings{"+I[null, 2]"});
  EXPECT_TRUE(h.Process(Input({{kD, std::nullopt, 1}})).empty());  // 1 is still there once
  EXPECT_EQ(h.Process(Input({{kD, std::nullopt, 1}})), (Strings{"-U[null, 2]", "+U[null, 1]"}));
}

TEST(GroupAggregateTest, ReusedKeySlotsStartEmpty) {
  Harness h(*Node({0}, {CountStar(), Agg(K::kMax, 1, LogicalType::Int()),
                        Agg(K::kCount, 1, LogicalType::Int(), true)}));
  std::vector<In> inserts;
  std::vector<In> deletes;
  for (int k = 0; k < 300; ++k) {
    inserts.push_back({kI, "k" + std::to_string(k), 100 + k});
    deletes.push_back({kD, "k" + std::to_string(k), 100 + k});
  }
  EXPECT_EQ(h.Process(Input(inserts)).size(), 300u);
  EXPECT_EQ(h.Process(Input(deletes)).size(), 300u);
  EXPECT_EQ(h.Process(Input({{kI, "new", 1}, {kI, "k7", 2}})),
            (Strings{"+I[new, 1, 1, 1]", "+I[k7, 1, 2, 1]"}));
}

TEST(GroupAggregateTest, AppendOnlyInputRejectsRetractions) {
  Harness h(*Node({0}, CountSum(), ChangelogMode::kAppendOnly));
  RowCollector out;
  EXPECT_FALSE(h.op().Process(Input({{kI, "a", 1}, {kD, "a", 1}}), out).ok());
}

}  // namespace
}  // namespace sluice::testing
