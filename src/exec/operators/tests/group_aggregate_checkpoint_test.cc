// GroupAggregate checkpoints: restored at every cut of random changelog and append-only inputs
// the operator emits exactly what an uninterrupted one does; rescaled state keeps every key
// (NULL keys, DOUBLE keys, composite keys); damaged or foreign state is a DecodeError.

#include <gtest/gtest.h>

#include "exec/operators/group_aggregate_operator.h"
#include "exec/operators/tests/checkpoint_harness.h"
#include "exec/operators/tests/checkpoint_inputs.h"

namespace sluice::testing {
namespace {

using K = AggregateKind;

std::vector<AggregateCall> EveryAggregate() {
  const LogicalType name = LogicalType::Varchar();
  const LogicalType id = LogicalType::Int();
  const LogicalType amount = LogicalType::Decimal(10, 2);
  const LogicalType price = LogicalType::Double();
  const LogicalType ts = LogicalType::Timestamp(3);
  return {CountStar(),
          Agg(K::kCount, kPrice, price),
          Agg(K::kSum, kAmount, amount),
          Agg(K::kAvg, kAmount, amount),
          Agg(K::kSum, kPrice, price),
          Agg(K::kAvg, kId, id),
          Agg(K::kMin, kName, name),
          Agg(K::kMax, kPrice, price),
          Agg(K::kMin, kTs, ts),
          Agg(K::kMax, kAmount, amount),
          Agg(K::kCount, kName, name, /*distinct=*/true),
          Agg(K::kSum, kAmount, amount, /*distinct=*/true),
          Agg(K::kAvg, kPrice, price, /*distinct=*/true),
          Agg(K::kSum, kId, id, /*distinct=*/true)};
}

std::shared_ptr<GroupAggregateNode> Node(std::vector<int> keys, InputKind input) {
  const ChangelogMode mode =
      input == InputKind::kAppend ? ChangelogMode::kAppendOnly : ChangelogMode::kUpdating;
  return GroupNode(InputNode(EventFields(), mode), std::move(keys), EveryAggregate());
}

struct Case {
  std::string label;
  std::vector<int> keys;
  InputKind input;
};

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"changelog key=name (bytes)", {kName}, InputKind::kChangelog},
      {"changelog key=id (fixed, NULLs)", {kId}, InputKind::kChangelog},
      {"changelog key=name,id", {kName, kId}, InputKind::kChangelog},
      {"changelog key=price (DOUBLE)", {kPrice}, InputKind::kChangelog},
      {"changelog global", {}, InputKind::kChangelog},
      {"append key=name", {kName}, InputKind::kAppend},
      {"append key=id", {kId}, InputKind::kAppend},
  };
  return cases;
}

TEST(GroupAggregateCheckpointTest, EveryCutRestoresExactly) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.label);
    auto node = Node(c.keys, c.input);
    const Script script = EventGenerator(11).Make(c.input, 40);
    ExpectEveryCutRestoresExactly(*node, script);
    const Lines lines = RunUninterrupted(*node, script);
    EXPECT_GT(CountLines(lines, "-U["), 0u);
    if (c.input == InputKind::kChangelog && !c.keys.empty()) {
      EXPECT_GT(CountLines(lines, "-D["), 0u);  // keys whose last row was retracted
    }
  }
}

TEST(GroupAggregateCheckpointTest, RescaleKeepsEveryKey) {
  for (const Case& c : Cases()) {
    if (c.keys.empty()) continue;  // a global aggregate runs at parallelism 1
    SCOPED_TRACE(c.label);
    auto node = Node(c.keys, c.input);
    const Script script = EventGenerator(23).Make(c.input, 40);
    for (size_t cut : {script.size() / 3, script.size() / 2, script.size() - 5}) {
      ExpectRescaleKeepsEveryKey(*node, c.keys, script, cut, 2, 3);
      ExpectRescaleKeepsEveryKey(*node, c.keys, script, cut, 3, 1);
      ExpectRescaleKeepsEveryKey(*node, c.keys, script, cut, 1, 2);
    }
  }
}

TEST(GroupAggregateCheckpointTest, SnapshotIsACopy) {
  auto node = Node({kName}, InputKind::kChangelog);
  const Script script = EventGenerator(5).Make(InputKind::kChangelog, 30);
  ExpectSnapshotIsACopy(*node, script, script.size() / 2);
}

TEST(GroupAggregateCheckpointTest, DamagedStateIsADecodeError) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.label);
    auto node = Node(c.keys, c.input);
    const Script script = EventGenerator(3).Make(c.input, 20);
    ExpectDamageIsDetected(*node, script, script.size() / 2);
  }
}

TEST(GroupAggregateCheckpointTest, StateOfAnotherShapeIsRefused) {
  const Script script = EventGenerator(3).Make(InputKind::kChangelog, 10);
  StateSections sections = SnapshotAt(*Node({kName}, InputKind::kChangelog), script, 5);
  InMemorySections view(sections);
  // Other aggregates.
  auto other = GroupNode(InputNode(EventFields(), ChangelogMode::kUpdating), {kName},
                         {CountStar(), Agg(K::kSum, kAmount, LogicalType::Decimal(10, 2))});
  Instance count_sum(*other);
  Status status = count_sum.Restore({&view}, 1);
  EXPECT_EQ(status.code(), ErrorCode::kDecodeError);
  EXPECT_NE(status.message().find("the operator now computes"), std::string::npos)
      << status.ToString();
  // Other key types.
  Instance by_id(*Node({kId}, InputKind::kChangelog));
  EXPECT_EQ(by_id.Restore({&view}, 1).code(), ErrorCode::kDecodeError);
  // Append-only input keeps MIN/MAX without retraction: another state layout.
  Instance append(*Node({kName}, InputKind::kAppend));
  EXPECT_EQ(append.Restore({&view}, 1).code(), ErrorCode::kDecodeError);
  // Parts that do not match the parallelism.
  Instance two_parts(*Node({kName}, InputKind::kChangelog));
  EXPECT_FALSE(two_parts.Restore({&view, &view}, 1).ok());
}

TEST(GroupAggregateCheckpointTest, RestoredOperatorKeepsCounting) {
  // A hand-checked continuation: the restored group emits updates, not a new +I.
  auto node = GroupNode(InputNode(EventFields(), ChangelogMode::kUpdating), {kName},
                        {CountStar(), Agg(K::kMax, kPrice, LogicalType::Double())});
  auto row = [](const char* name, double price) {
    return std::vector<Value>{Value::Varchar(name), Value::Int(1), Value::Decimal(100, 10, 2),
                              Value::Double(price), Value::Timestamp(0)};
  };
  const Schema schema{EventFields()};
  Instance first(*node);
  ASSERT_TRUE(first
                  .Run({{Rows(schema, {row("a", 1), row("a", 5), row("b", 2)},
                              {RowKind::kInsert, RowKind::kInsert, RowKind::kInsert}),
                         0}},
                       0, 1)
                  .ok());
  EXPECT_EQ(first.lines(), (Lines{"+I[a, 2, 5.0]", "+I[b, 1, 2.0]"}));
  InMemorySections view(first.Snapshot());
  Instance second(*node);
  ASSERT_TRUE(second.Restore({&view}, 1).ok());
  EXPECT_EQ(static_cast<GroupAggregateOperator&>(second.op()).group_count(), 2u);
  ASSERT_TRUE(
      second
          .Run(
              {{Rows(schema, {row("a", 5), row("b", 2)}, {RowKind::kDelete, RowKind::kDelete}), 0}},
              0, 1)
          .ok());
  EXPECT_EQ(second.lines(), (Lines{"-U[a, 2, 5.0]", "+U[a, 1, 1.0]", "-D[b, 1, 2.0]"}));
}

}  // namespace
}  // namespace sluice::testing
