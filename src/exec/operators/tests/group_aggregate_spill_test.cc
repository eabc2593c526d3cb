// GroupAggregate with the RocksDB spill tier (state.backend = rocksdb): with only a few groups
// resident it emits exactly what the heap operator emits, checkpoints as a store handle that
// restores at every cut, accepts heap state, and keeps TTL semantics for spilled groups.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "exec/operators/group_aggregate_operator.h"
#include "exec/operators/tests/checkpoint_harness.h"
#include "exec/operators/tests/checkpoint_inputs.h"
#include "exec/operators/tests/operator_harness.h"

namespace sluice::testing {
namespace {

using K = AggregateKind;

class TempRoot {
 public:
  TempRoot() {
    std::string pattern = ::testing::TempDir() + "sluice-spill-XXXXXX";
    path_ = mkdtemp(pattern.data()) != nullptr ? pattern : "";
    EXPECT_FALSE(path_.empty());
  }
  ~TempRoot() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::shared_ptr<RocksDbEnvironment> Env() {
  RocksDbEnvironmentOptions options;
  options.memory_budget_bytes = int64_t{16} << 20;
  auto env = RocksDbEnvironment::Create(options);
  EXPECT_TRUE(env.ok()) << env.status().ToString();
  return *env;
}

/// Spill options laid out as docs/design/checkpoints.md §2 (uid "77de", instance 0).
GroupSpillOptions Options(const TempRoot& root, const std::shared_ptr<RocksDbEnvironment>& env,
                          const std::string& run, size_t resident) {
  GroupSpillOptions options;
  options.env = env;
  options.local_dir = RocksDbInstanceDirectory(root.path() + "/rocksdb-" + run, "77de", 0);
  options.max_resident_groups = resident;
  const std::string base = root.path();
  options.directories = [base](CheckpointId id) {
    return std::make_pair(base + "/chk-" + std::to_string(id) + "/op-77de/0.rocks",
                          base + "/shared/op-77de/0");
  };
  return options;
}

GroupAggregateOperator& Op(Instance& instance) {
  return static_cast<GroupAggregateOperator&>(instance.op());
}

std::vector<AggregateCall> Aggregates() {
  const LogicalType amount = LogicalType::Decimal(10, 2);
  const LogicalType price = LogicalType::Double();
  return {CountStar(),
          Agg(K::kSum, kAmount, amount),
          Agg(K::kAvg, kId, LogicalType::Int()),
          Agg(K::kMin, kName, LogicalType::Varchar()),
          Agg(K::kMax, kPrice, price),
          Agg(K::kMin, kTs, LogicalType::Timestamp(3)),
          Agg(K::kCount, kName, LogicalType::Varchar(), /*distinct=*/true),
          Agg(K::kSum, kAmount, amount, /*distinct=*/true)};
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
      {"append key=name", {kName}, InputKind::kAppend},
      {"append key=id", {kId}, InputKind::kAppend},
  };
  return cases;
}

std::shared_ptr<GroupAggregateNode> Node(const Case& c) {
  const ChangelogMode mode =
      c.input == InputKind::kAppend ? ChangelogMode::kAppendOnly : ChangelogMode::kUpdating;
  return GroupNode(InputNode(EventFields(), mode), c.keys, Aggregates());
}

TEST(GroupAggregateSpillTest, FewResidentGroupsEmitWhatTheHeapOperatorEmits) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.label);
    auto node = Node(c);
    const Script script = EventGenerator(17).Make(c.input, 60);
    const Lines expected = RunUninterrupted(*node, script);
    for (size_t resident : {size_t{1}, size_t{3}, size_t{8}}) {
      SCOPED_TRACE("resident " + std::to_string(resident));
      TempRoot root;
      Instance spilling(*node);
      ASSERT_TRUE(Op(spilling).EnableSpill(Options(root, Env(), "a", resident)).ok());
      for (size_t i = 0; i < script.size(); ++i) {
        ASSERT_TRUE(spilling.Run(script, i, i + 1).ok()) << spilling.status().ToString();
        // Bounded by the limit plus the keys one batch brings back (at most 24 rows).
        EXPECT_LE(Op(spilling).group_count(), resident + 24);
      }
      ASSERT_TRUE(spilling.Finish().ok());
      EXPECT_EQ(spilling.lines(), expected);
      // Groups really went through the store.
      EXPECT_GT(Op(spilling).spill()->evicted_groups(), 10u);
      EXPECT_GT(Op(spilling).spill()->loaded_groups(), 10u);
    }
  }
}

/// Runs [0, cut) spilling, snapshots, destroys the instance (its live RocksDB goes), restores a
/// new spilling instance elsewhere and runs the rest.
Lines RunSpillingWithRestore(const PlanNode& node, const Script& script, size_t cut,
                             const TempRoot& root, size_t resident) {
  auto env = Env();
  Lines lines;
  StateSections sections;
  {
    Instance before(node);
    EXPECT_TRUE(Op(before).EnableSpill(Options(root, env, "before", resident)).ok());
    before.Run(script, 0, cut);
    sections = before.Snapshot(static_cast<CheckpointId>(cut + 1));
    EXPECT_TRUE(before.status().ok()) << before.status().ToString();
    // The store handle, and the shared SSTs it needs (for retention's garbage collection; none
    // while the store is still empty).
    EXPECT_EQ(sections.size(), 2u);
    if (sections.size() == 2) {
      EXPECT_EQ(sections[0].name, kGroupSpillSection);
      EXPECT_EQ(sections[1].name, kSharedFilesSection);
    }
    lines = before.lines();
  }
  InMemorySections view(std::move(sections));
  Instance after(node);
  EXPECT_TRUE(Op(after).EnableSpill(Options(root, env, "after", resident)).ok());
  const Status restored = after.Restore({&view}, 1);
  EXPECT_TRUE(restored.ok()) << restored.ToString();
  after.Run(script, cut, script.size());
  after.Finish();
  EXPECT_TRUE(after.status().ok()) << after.status().ToString();
  lines.insert(lines.end(), after.lines().begin(), after.lines().end());
  return lines;
}

TEST(GroupAggregateSpillTest, EveryCutRestoresExactlyFromTheStoreHandle) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.label);
    auto node = Node(c);
    const Script script = EventGenerator(29).Make(c.input, 30);
    const Lines expected = RunUninterrupted(*node, script);
    for (size_t cut = 0; cut <= script.size(); cut += 2) {
      TempRoot root;
      ASSERT_EQ(RunSpillingWithRestore(*node, script, cut, root, 3), expected) << "cut " << cut;
    }
  }
}

TEST(GroupAggregateSpillTest, CheckpointsShareFilesAndRestoreTheOlderOne) {
  const Case c = Cases()[0];
  auto node = Node(c);
  const Script script = EventGenerator(41).Make(c.input, 40);
  const Lines expected = RunUninterrupted(*node, script);
  TempRoot root;
  auto env = Env();
  Instance live(*node);
  ASSERT_TRUE(Op(live).EnableSpill(Options(root, env, "live", 2)).ok());
  live.Run(script, 0, 15);
  StateSections first = live.Snapshot(1);
  const Lines lines_at_first = live.lines();
  live.Run(script, 15, 30);
  StateSections second = live.Snapshot(2);
  ASSERT_TRUE(live.status().ok()) << live.status().ToString();

  // Checkpoint 2 refers to files in shared/ that checkpoint 1 put there too, or to new ones.
  auto handle_of = [](const StateSections& sections) {
    StateDecoder in(sections[0].data, "test");
    std::string_view skip;
    EXPECT_TRUE(in.Bytes(&skip).ok());  // header: kind
    uint32_t version = 0;
    EXPECT_TRUE(in.U32(&version).ok());
    EXPECT_TRUE(in.Bytes(&skip).ok());  // schema
    auto handle = StateHandle::Decode(&in);
    EXPECT_TRUE(handle.ok()) << handle.status().ToString();
    return *handle;
  };
  const StateHandle h1 = handle_of(first);
  const StateHandle h2 = handle_of(second);
  EXPECT_EQ(h1.shared_dir, h2.shared_dir);
  EXPECT_FALSE(h2.SharedFileNames().empty());

  // Restoring checkpoint 1 after checkpoint 2 continues exactly from step 15.
  InMemorySections view(std::move(first));
  Instance again(*node);
  ASSERT_TRUE(Op(again).EnableSpill(Options(root, env, "again", 2)).ok());
  ASSERT_TRUE(again.Restore({&view}, 1).ok());
  again.Run(script, 15, script.size());
  again.Finish();
  ASSERT_TRUE(again.status().ok()) << again.status().ToString();
  Lines lines = lines_at_first;
  lines.insert(lines.end(), again.lines().begin(), again.lines().end());
  EXPECT_EQ(lines, expected);
}

TEST(GroupAggregateSpillTest, HeapStateRestoresIntoTheSpillTierButNotTheOtherWay) {
  const Case c = Cases()[2];
  auto node = Node(c);
  const Script script = EventGenerator(7).Make(c.input, 30);
  const Lines expected = RunUninterrupted(*node, script);
  const size_t cut = script.size() / 2;
  Instance heap(*node);
  heap.Run(script, 0, cut);
  InMemorySections heap_view(heap.Snapshot());
  TempRoot root;
  Instance spilling(*node);
  ASSERT_TRUE(Op(spilling).EnableSpill(Options(root, Env(), "s", 2)).ok());
  ASSERT_TRUE(spilling.Restore({&heap_view}, 1).ok());
  spilling.Run(script, cut, script.size());
  spilling.Finish();
  ASSERT_TRUE(spilling.status().ok()) << spilling.status().ToString();
  Lines lines = heap.lines();
  lines.insert(lines.end(), spilling.lines().begin(), spilling.lines().end());
  EXPECT_EQ(lines, expected);

  // RocksDB state into a heap operator: a clear refusal. Rescaling it is not supported yet.
  InMemorySections spill_view(spilling.Snapshot(7));
  Instance plain(*node);
  Status refused = plain.Restore({&spill_view}, 1);
  EXPECT_EQ(refused.code(), ErrorCode::kInvalidOption);
  EXPECT_NE(refused.message().find("'state.backend' = 'rocksdb'"), std::string::npos);
  Instance rescaled(*node, 0, 2);
  ASSERT_TRUE(Op(rescaled).EnableSpill(Options(root, Env(), "r", 2)).ok());
  EXPECT_EQ(rescaled.Restore({&spill_view}, 1).code(), ErrorCode::kUnsupported);
}

TEST(GroupAggregateSpillTest, SpilledGroupsKeepTheirTtl) {
  const std::vector<Field> input = {F("k", LogicalType::Varchar()), F("v", LogicalType::Int())};
  auto node = GroupNode(InputNode(input, ChangelogMode::kUpdating), {0},
                        {CountStar(), Agg(K::kSum, 1, LogicalType::Int())});
  auto rows = [&](std::vector<std::string> keys) {
    std::vector<std::vector<Value>> values;
    for (const std::string& k : keys) values.push_back({Value::Varchar(k), Value::Int(1)});
    return Script{
        {testing::Rows(Schema{input}, values, std::vector<RowKind>(keys.size(), RowKind::kInsert)),
         0}};
  };
  TempRoot root;
  Instance instance(*node, 0, 1, {{"table.exec.state.ttl", "10 s"}});
  int64_t now = 1000;
  Op(instance).SetClockForTesting([&now] { return now; });
  ASSERT_TRUE(Op(instance).EnableSpill(Options(root, Env(), "t", 1)).ok());
  // One resident group: a and b go to the store and come back with their last writes.
  ASSERT_TRUE(instance.Run(rows({"a"}), 0, 1).ok());
  now = 1005;
  ASSERT_TRUE(instance.Run(rows({"b"}), 0, 1).ok());
  now = 1008;
  ASSERT_TRUE(instance.Run(rows({"c"}), 0, 1).ok());
  now = 1012;
  // a was written 12 s ago: it starts over; b (7 s) keeps counting.
  ASSERT_TRUE(instance.Run(rows({"a", "b"}), 0, 1).ok()) << instance.status().ToString();
  const Lines& lines = instance.lines();
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(Lines(lines.end() - 3, lines.end()),
            (Lines{"+I[a, 1, 1]", "-U[b, 1, 1]", "+U[b, 2, 2]"}));
}

}  // namespace
}  // namespace sluice::testing

namespace sluice::testing {
namespace {}  // namespace
}  // namespace sluice::testing
