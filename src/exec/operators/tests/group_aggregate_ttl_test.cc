// GroupAggregate state TTL ('table.exec.state.ttl'): groups not written for the TTL are dropped
// silently (their next row is a +I, a retraction for them is ignored), keys that never come back
// are swept, and the last-write times survive a checkpoint.

#include <gtest/gtest.h>

#include "exec/operators/group_aggregate_operator.h"
#include "exec/operators/tests/checkpoint_harness.h"
#include "exec/operators/tests/operator_harness.h"

namespace sluice::testing {
namespace {

const std::vector<Field> kInput = {F("k", LogicalType::Varchar()), F("v", LogicalType::Int())};

std::shared_ptr<GroupAggregateNode> Node() {
  return GroupNode(InputNode(kInput, ChangelogMode::kUpdating), {0},
                   {CountStar(), Agg(AggregateKind::kSum, 1, LogicalType::Int())});
}

Step Rows(std::vector<std::pair<RowKind, std::string>> rows) {
  std::vector<std::vector<Value>> values;
  std::vector<RowKind> kinds;
  for (const auto& [kind, key] : rows) {
    values.push_back({Value::Varchar(key), Value::Int(1)});
    kinds.push_back(kind);
  }
  return {testing::Rows(Schema{kInput}, values, kinds), 0};
}

constexpr RowKind kI = RowKind::kInsert;
constexpr RowKind kD = RowKind::kDelete;

class Ttl {
 public:
  Ttl() : instance_(*Node(), 0, 1, {{"table.exec.state.ttl", "10 s"}}) {
    op().SetClockForTesting([this] { return now_; });
  }
  GroupAggregateOperator& op() { return static_cast<GroupAggregateOperator&>(instance_.op()); }
  Instance& instance() { return instance_; }
  /// Runs `step` at processing time `now` and returns the lines it emitted.
  Lines At(int64_t now, const Step& step) {
    now_ = now;
    const size_t before = instance_.lines().size();
    EXPECT_TRUE(instance_.Run({step}, 0, 1).ok()) << instance_.status().ToString();
    return Lines(instance_.lines().begin() + static_cast<ptrdiff_t>(before),
                 instance_.lines().end());
  }

 private:
  int64_t now_ = 0;
  Instance instance_;
};

TEST(GroupAggregateTtlTest, ExpiredGroupsAreDroppedSilently) {
  Ttl ttl;
  EXPECT_EQ(ttl.At(1000, Rows({{kI, "a"}, {kI, "b"}})), (Lines{"+I[a, 1, 1]", "+I[b, 1, 1]"}));
  // A write refreshes the TTL of a only.
  EXPECT_EQ(ttl.At(1005, Rows({{kI, "a"}})), (Lines{"-U[a, 1, 1]", "+U[a, 2, 2]"}));
  // b was last written 12 s ago: it starts over, without retracting its old result.
  EXPECT_EQ(ttl.At(1012, Rows({{kI, "b"}})), (Lines{"+I[b, 1, 1]"}));
  // a was last written 11 s ago: a retraction finds no state and is ignored.
  EXPECT_EQ(ttl.At(1016, Rows({{kD, "a"}})), Lines{});
  EXPECT_EQ(ttl.op().group_count(), 1u);
  // Keys that never come back are swept.
  EXPECT_EQ(ttl.At(1100, Rows({{kI, "c"}})), (Lines{"+I[c, 1, 1]"}));
  EXPECT_EQ(ttl.op().group_count(), 1u);
}

TEST(GroupAggregateTtlTest, WithoutTtlNothingExpires) {
  Instance instance(*Node());
  int64_t now = 0;
  static_cast<GroupAggregateOperator&>(instance.op()).SetClockForTesting([&] { return now; });
  ASSERT_TRUE(instance.Run({Rows({{kI, "a"}})}, 0, 1).ok());
  now = 1'000'000;
  ASSERT_TRUE(instance.Run({Rows({{kI, "a"}})}, 0, 1).ok());
  EXPECT_EQ(instance.lines(), (Lines{"+I[a, 1, 1]", "-U[a, 1, 1]", "+U[a, 2, 2]"}));
}

TEST(GroupAggregateTtlTest, LastWritesSurviveACheckpoint) {
  Ttl before;
  before.At(1000, Rows({{kI, "a"}, {kI, "b"}}));
  before.At(1005, Rows({{kI, "a"}}));
  InMemorySections view(before.instance().Snapshot());
  Ttl after;
  ASSERT_TRUE(after.instance().Restore({&view}, 1).ok());
  EXPECT_EQ(after.At(1012, Rows({{kI, "b"}, {kI, "a"}})),
            (Lines{"+I[b, 1, 1]", "-U[a, 2, 2]", "+U[a, 3, 3]"}));
}

TEST(GroupAggregateTtlTest, BadTtlIsRefusedAtOpen) {
  auto created = CreateOperator(*Node());
  ASSERT_TRUE(created.ok());
  SessionConfig session;
  session.Set("table.exec.state.ttl", "soon");
  OperatorContext context;
  context.session = &session;
  EXPECT_FALSE((*created)->Open(context).ok());
}

}  // namespace
}  // namespace sluice::testing
