// Upsert sources (ConnectorSpec::changelog_source: upsert-kafka) are read through a
// ChangelogNormalize keyed by the PRIMARY KEY; full-changelog formats (debezium-json) are not;
// an upsert table without a PRIMARY KEY is an error naming line and column.

#include <gtest/gtest.h>

#include "sql/planner/script_compiler.h"

namespace sluice::sql {
namespace {

constexpr const char* kTables = R"sql(
CREATE TABLE balances (
  owner STRING,
  account BIGINT,
  amount INT,
  PRIMARY KEY (account) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'balances',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'key.format' = 'json',
  'value.format' = 'json'
);
CREATE TABLE changes (
  account BIGINT,
  amount INT
) WITH (
  'connector' = 'kafka',
  'topic' = 'changes',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'format' = 'debezium-json'
);
CREATE TABLE totals (owner STRING, total BIGINT) WITH ('connector' = 'blackhole');
CREATE TABLE rows_out (owner STRING, account BIGINT, amount INT) WITH ('connector' = 'blackhole');
CREATE TABLE sums (total BIGINT) WITH ('connector' = 'blackhole');
)sql";

const PlanNode& Input(const PlanNode& node) {
  EXPECT_EQ(node.inputs.size(), 1u) << node.Describe();
  return *node.inputs[0];
}

TEST(UpsertSourcePlanningTest, UpsertScanIsFollowedByChangelogNormalizeOnThePrimaryKey) {
  auto compiled = CompileScript(std::string(kTables) +
                                "INSERT INTO totals SELECT owner, SUM(amount) FROM balances "
                                "GROUP BY owner;");
  ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
  ASSERT_EQ(compiled->plan.sinks.size(), 1u);
  // Sink <- Calc <- GroupAggregate <- Calc <- ChangelogNormalize <- Scan
  const PlanNode* node = compiled->plan.sinks[0].get();
  while (node->kind != PlanKind::kChangelogNormalize && !node->inputs.empty()) {
    node = node->inputs[0].get();
  }
  ASSERT_EQ(node->kind, PlanKind::kChangelogNormalize);
  const auto& normalize = static_cast<const ChangelogNormalizeNode&>(*node);
  EXPECT_EQ(normalize.keys, std::vector<int>{1});
  EXPECT_EQ(normalize.Describe(), "ChangelogNormalize(key=[account])");
  EXPECT_EQ(normalize.changelog, ChangelogMode::kUpdating);
  EXPECT_EQ(normalize.id, "ChangelogNormalize-2");
  const PlanNode& scan = Input(normalize);
  EXPECT_EQ(scan.kind, PlanKind::kScan);
  EXPECT_EQ(scan.changelog, ChangelogMode::kUpdating);
  EXPECT_EQ(normalize.output_schema.ToString(), scan.output_schema.ToString());
}

TEST(UpsertSourcePlanningTest, NormalizeIsSharedLikeTheScan) {
  auto compiled = CompileScript(std::string(kTables) + R"sql(
EXECUTE STATEMENT SET BEGIN
  INSERT INTO rows_out SELECT * FROM balances;
  INSERT INTO sums SELECT SUM(amount) FROM balances;
END;)sql");
  ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
  ASSERT_EQ(compiled->plan.sinks.size(), 2u);
  // SELECT * into a table of the same layout: the sink reads the normalize node directly.
  const PlanNode& first = Input(*compiled->plan.sinks[0]);
  EXPECT_EQ(first.kind, PlanKind::kChangelogNormalize);
  const PlanNode* node = compiled->plan.sinks[1].get();
  while (node->kind != PlanKind::kChangelogNormalize && !node->inputs.empty()) {
    node = node->inputs[0].get();
  }
  EXPECT_EQ(node, &first);
}

TEST(UpsertSourcePlanningTest, FullChangelogFormatsNeedNoNormalize) {
  auto compiled =
      CompileScript(std::string(kTables) + "INSERT INTO sums SELECT SUM(amount) FROM changes;");
  ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
  const PlanNode* node = compiled->plan.sinks[0].get();
  while (!node->inputs.empty()) {
    EXPECT_NE(node->kind, PlanKind::kChangelogNormalize) << node->Describe();
    node = node->inputs[0].get();
  }
  EXPECT_EQ(node->kind, PlanKind::kScan);
  EXPECT_EQ(node->changelog, ChangelogMode::kUpdating);
}

TEST(UpsertSourcePlanningTest, UpsertTableWithoutPrimaryKeyIsAnError) {
  auto missing_key = CompileScript(R"sql(
CREATE TABLE u (
  id BIGINT,
  name STRING
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'u',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'key.format' = 'json',
  'value.format' = 'json'
);
INSERT INTO u SELECT * FROM u;)sql");
  ASSERT_FALSE(missing_key.ok());
  EXPECT_EQ(missing_key.status().code(), ErrorCode::kBindError);
  EXPECT_EQ(missing_key.status().message().rfind(
                "line 2, column 1: 'upsert-kafka' tables require to define a PRIMARY KEY "
                "constraint",
                0),
            0u)
      << missing_key.status().ToString();
}

}  // namespace
}  // namespace sluice::sql
