#include "exec/physical_planner/physical_planner.h"

#include <gtest/gtest.h>

#include "engine/tests/test_plans.h"
#include "exec/physical_planner/explain.h"

namespace sluice {
namespace {

using namespace testkit;  // NOLINT: test helpers

constexpr int64_t kSecond = 1'000'000;

PhysicalPlanInputs Inputs(int parallelism, int splits, int sink_max = INT_MAX) {
  PhysicalPlanInputs in;
  in.parallelism = parallelism;
  in.source_splits = [splits](const ScanNode&) { return splits; };
  in.sink_max_parallelism = [sink_max](const SinkNode&) { return sink_max; };
  return in;
}

PipelinePlan WindowPlan(std::vector<int> keys, const std::string& script = "none",
                        const std::string& into = "none") {
  auto table = EventsTable("events", script, 0);
  auto scan = Scan(table, "Scan-0");
  auto calc = Project(scan, {1, 2, 3}, "Calc-1");
  auto window = Tumble(calc, 2, 10 * kSecond, keys, 1, "Window-2");
  auto after = Project(window, {0, 1, 2, 3}, "Calc-3");
  PipelinePlan plan;
  plan.sinks.push_back(CollectSink(after, "out", into));
  return plan;
}

TEST(PhysicalPlannerTest, CutsBeforeKeyedOperatorAndChainsTheRest) {
  PipelinePlan plan = WindowPlan({0});
  auto stages = PlanStages(plan, Inputs(4, 3));
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  ASSERT_EQ(stages->stages.size(), 2u);
  const Stage& source = stages->stages[0];
  EXPECT_EQ(source.parallelism, 3);  // min(4, 3 splits)
  EXPECT_EQ(source.ChainDescription(), "TableSourceScan(events) -> Calc");
  EXPECT_EQ(source.StateDescription(), "stateless");
  const Stage& keyed = stages->stages[1];
  EXPECT_EQ(keyed.parallelism, 4);
  EXPECT_EQ(keyed.ChainDescription(), "TumbleWindow -> Calc -> Sink(out)");
  EXPECT_EQ(keyed.StateDescription(), "window slices keyed by group key");
  ASSERT_EQ(stages->edges.size(), 1u);
  EXPECT_EQ(stages->edges[0].ToString(), "hash[user]");
  EXPECT_EQ(stages->edges[0].keys, std::vector<int>{0});
}

TEST(PhysicalPlannerTest, KeylessAggregateIsASingleInstanceBehindAGlobalExchange) {
  PipelinePlan plan = WindowPlan({});
  auto stages = PlanStages(plan, Inputs(4, 8));
  ASSERT_TRUE(stages.ok());
  ASSERT_EQ(stages->stages.size(), 2u);
  EXPECT_EQ(stages->stages[0].parallelism, 4);
  EXPECT_EQ(stages->stages[1].parallelism, 1);
  EXPECT_EQ(stages->edges[0].kind, EdgeKind::kGlobal);
  EXPECT_EQ(stages->stages[1].StateDescription(), "window slices (global)");
}

TEST(PhysicalPlannerTest, SinkWithFewerWritersGetsItsOwnStage) {
  PipelinePlan plan = WindowPlan({0});
  auto stages = PlanStages(plan, Inputs(4, 4, /*sink_max=*/1));
  ASSERT_TRUE(stages.ok());
  ASSERT_EQ(stages->stages.size(), 3u);
  EXPECT_EQ(stages->stages[1].ChainDescription(), "TumbleWindow -> Calc");
  EXPECT_EQ(stages->stages[2].ChainDescription(), "Sink(out)");
  EXPECT_EQ(stages->stages[2].parallelism, 1);
  EXPECT_EQ(stages->edges[1].kind, EdgeKind::kRebalance);
  // Enough writers: the sink stays chained.
  auto chained = PlanStages(plan, Inputs(4, 4, /*sink_max=*/4));
  ASSERT_TRUE(chained.ok());
  EXPECT_EQ(chained->stages.size(), 2u);
}

TEST(PhysicalPlannerTest, SharedSourceFansOutToOneStagePerConsumer) {
  auto scan = Scan(EventsTable("events", "none", 0), "Scan-0");
  PipelinePlan plan;
  plan.sinks.push_back(CollectSink(Project(scan, {0, 1}, "Calc-1"), "a", "none"));
  plan.sinks.push_back(CollectSink(Project(scan, {2, 3}, "Calc-2"), "b", "none"));
  auto stages = PlanStages(plan, Inputs(2, 2));
  ASSERT_TRUE(stages.ok());
  ASSERT_EQ(stages->stages.size(), 3u);
  EXPECT_EQ(stages->stages[0].ChainDescription(), "TableSourceScan(events)");
  EXPECT_EQ(stages->stages[0].outputs.size(), 2u);
  EXPECT_EQ(stages->stages[1].ChainDescription(), "Calc -> Sink(a)");
  EXPECT_EQ(stages->stages[2].ChainDescription(), "Calc -> Sink(b)");
  for (const auto& edge : stages->edges) EXPECT_EQ(edge.kind, EdgeKind::kForward);
  // Fewer splits than parallelism: the stateless consumers keep the source's parallelism behind
  // forward edges, so no row can overtake the watermark emitted before it.
  auto narrow = PlanStages(plan, Inputs(2, 1));
  ASSERT_TRUE(narrow.ok());
  EXPECT_EQ(narrow->stages[0].parallelism, 1);
  EXPECT_EQ(narrow->stages[1].parallelism, 1);
  for (const auto& edge : narrow->edges) EXPECT_EQ(edge.kind, EdgeKind::kForward);
}

TEST(PhysicalPlannerTest, UnionInputsFeedTheConsumerStage) {
  auto a = Scan(EventsTable("a", "none", 0), "Scan-a");
  auto b = Scan(EventsTable("b", "none", 0), "Scan-b");
  auto u = UnionOf({Project(a, {0, 1, 2, 3}, "Calc-a"), b}, "Union-1");
  auto count = GroupCount(u, {1}, "Group-2");
  PipelinePlan plan;
  plan.sinks.push_back(CollectSink(count, "out", "none"));
  auto stages = PlanStages(plan, Inputs(3, 5));
  ASSERT_TRUE(stages.ok());
  ASSERT_EQ(stages->stages.size(), 3u);
  EXPECT_EQ(stages->stages[0].ChainDescription(), "TableSourceScan(a) -> Calc");
  EXPECT_EQ(stages->stages[1].ChainDescription(), "TableSourceScan(b)");
  EXPECT_EQ(stages->stages[2].ChainDescription(), "GroupAggregate -> Sink(out)");
  EXPECT_EQ(stages->stages[2].StateDescription(), "accumulators per key");
  EXPECT_EQ(stages->stages[2].inputs.size(), 2u);
  for (const auto& edge : stages->edges) EXPECT_EQ(edge.ToString(), "hash[user]");
}

// Scan (upsert) -> ChangelogNormalize(id) -> Calc -> GroupAggregate(user) -> Sink.
PipelinePlan UpsertPlan(const std::string& script = "none", const std::string& into = "none") {
  auto scan = Scan(EventsTable("events", script, 0), "Scan-0");
  scan->changelog = ChangelogMode::kUpdating;
  auto normalize = std::make_shared<ChangelogNormalizeNode>();
  normalize->id = "ChangelogNormalize-1";
  normalize->keys = {0};
  normalize->output_schema = scan->output_schema;
  normalize->rowtime_column = scan->rowtime_column;
  normalize->changelog = ChangelogMode::kUpdating;
  normalize->inputs = {scan};
  auto calc = Project(normalize, {1, 2}, "Calc-2");
  auto group = GroupCount(calc, {0}, "GroupAggregate-3");
  PipelinePlan plan;
  plan.sinks.push_back(CollectSink(group, "out", into));
  return plan;
}

TEST(PhysicalPlannerTest, ChangelogNormalizeIsKeyedByThePrimaryKey) {
  PipelinePlan plan = UpsertPlan();  // the physical plan points into it
  auto stages = PlanStages(plan, Inputs(4, 2));
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  ASSERT_EQ(stages->stages.size(), 3u);
  EXPECT_EQ(stages->stages[0].ChainDescription(), "TableSourceScan(events)");
  EXPECT_EQ(stages->stages[0].parallelism, 2);
  const Stage& normalize = stages->stages[1];
  EXPECT_EQ(normalize.ChainDescription(), "ChangelogNormalize -> Calc");
  EXPECT_EQ(normalize.parallelism, 4);
  EXPECT_EQ(normalize.StateDescription(), "last row per primary key");
  EXPECT_EQ(stages->stages[2].ChainDescription(), "GroupAggregate -> Sink(out)");
  ASSERT_EQ(stages->edges.size(), 2u);
  EXPECT_EQ(stages->edges[0].ToString(), "hash[id]");
  EXPECT_EQ(stages->edges[0].keys, std::vector<int>{0});
  EXPECT_EQ(stages->edges[1].ToString(), "hash[user]");
}

TEST(ExplainTest, ShowsChangelogNormalize) {
  PipelinePlan plan = UpsertPlan();
  SessionConfig session;
  session.Set("parallelism.default", "2");
  std::string text = ExplainPipeline(plan, session);
  EXPECT_NE(text.find("      +- ChangelogNormalize(key=[id]) [changelog +I,-U,+U,-D]\n"
                      "         +- TableSourceScan(table=events"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  chain:  ChangelogNormalize -> Calc\n"
                      "  state:  last row per primary key\n"
                      "  input:  hash[id] <- Stage 0\n"),
            std::string::npos)
      << text;
}

TEST(PhysicalPlannerTest, MalformedPlanIsAnInternalError) {
  auto calc = std::make_shared<CalcNode>();  // no input
  auto sink = std::make_shared<SinkNode>();
  sink->table = std::make_shared<TableDef>();
  sink->inputs = {calc};
  PipelinePlan plan;
  plan.sinks.push_back(sink);
  auto stages = PlanStages(plan, Inputs(1, 1));
  EXPECT_EQ(stages.status().code(), ErrorCode::kInternal);
}

TEST(ExplainTest, PrintsLogicalTreeAndStages) {
  NewCollection("explain");
  SourceScript script;
  script.splits.resize(2);
  RegisterScript("explain", script);
  PipelinePlan plan = WindowPlan({0}, "explain", "explain");
  plan.sinks[0]->inputs[0]->changelog = ChangelogMode::kUpdating;

  SessionConfig session;
  session.Set("parallelism.default", "4");
  std::string text = ExplainPipeline(plan, session, TestConnectors());
  EXPECT_NE(text.find("== Logical Plan ==\nSink(table=out, connector=collect) [append]\n"
                      "+- Calc("),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("[changelog +I,-U,+U,-D]\n   +- TumbleWindow("), std::string::npos) << text;
  EXPECT_NE(text.find("      +- Calc("), std::string::npos) << text;
  EXPECT_NE(text.find("         +- TableSourceScan(table=events"), std::string::npos) << text;
  EXPECT_NE(text.find("== Physical Plan (parallelism 4) ==\n"
                      "Stage 0 (parallelism 2)\n"
                      "  chain:  TableSourceScan(events) -> Calc\n"
                      "  state:  stateless\n"
                      "  input:  source splits: 2\n"
                      "  output: hash[user] -> Stage 1\n"
                      "Stage 1 (parallelism 4)\n"
                      "  chain:  TumbleWindow -> Calc -> Sink(out)\n"
                      "  state:  window slices keyed by group key\n"
                      "  input:  hash[user] <- Stage 0\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("note:"), std::string::npos) << text;
}

TEST(ExplainTest, UnknownConnectorStillExplainsWithANote) {
  PipelinePlan plan = WindowPlan({0});
  SessionConfig session;
  session.Set("parallelism.default", "2");
  std::string text = ExplainPipeline(plan, session);  // 'scripted' is not in the registry
  EXPECT_NE(text.find("Stage 1 (parallelism 2)"), std::string::npos) << text;
  EXPECT_NE(text.find("note: splits and sink limits unknown"), std::string::npos) << text;
}

}  // namespace
}  // namespace sluice
