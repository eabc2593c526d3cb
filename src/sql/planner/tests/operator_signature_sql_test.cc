// Operator uids of plans compiled from SQL: stable for the same query, unchanged by reordering or
// renaming projections and by adding unrelated INSERTs, changed (with a readable report line) by
// a changed key, window or filter.

#include <gtest/gtest.h>

#include <algorithm>

#include "exec/plan/operator_signature.h"
#include "exec/plan/state_compat.h"
#include "sql/planner/script_compiler.h"

namespace sluice::sql {
namespace {

constexpr const char* kTables = R"sql(
CREATE TABLE orders (
  order_id BIGINT,
  customer_id BIGINT,
  status STRING,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'format' = 'json'
);
CREATE TABLE returns (
  order_id BIGINT,
  reason STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'returns',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'format' = 'json'
);
CREATE TABLE by_status (status STRING, n BIGINT, total DECIMAL(38, 2))
  WITH ('connector' = 'blackhole');
CREATE TABLE by_customer (customer_id BIGINT, n BIGINT, total DECIMAL(38, 2))
  WITH ('connector' = 'blackhole');
CREATE TABLE windows (window_start TIMESTAMP(3), n BIGINT) WITH ('connector' = 'blackhole');
CREATE TABLE reasons (reason STRING, n BIGINT) WITH ('connector' = 'blackhole');
)sql";

struct Signed {
  CompiledScript compiled;
  std::vector<OperatorSignatureWithUid> ops;

  // The uid of the only operator of `kind` (fails if there are several).
  std::string UidOf(const std::string& kind) const {
    std::string uid;
    int n = 0;
    for (const auto& op : ops) {
      if (op.signature.kind == kind) {
        uid = op.uid;
        ++n;
      }
    }
    EXPECT_EQ(n, 1) << kind;
    return uid;
  }
  std::vector<std::string> UidsOf(const std::string& kind) const {
    std::vector<std::string> out;
    for (const auto& op : ops) {
      if (op.signature.kind == kind) out.push_back(op.uid);
    }
    return out;
  }
  std::vector<SavedOperator> Saved() const {
    std::vector<SavedOperator> out;
    for (const auto& op : ops) out.push_back(ToSavedOperator(op));
    return out;
  }
};

Signed Sign(const std::string& statements) {
  auto compiled = CompileScript(std::string(kTables) + statements);
  EXPECT_TRUE(compiled.ok()) << compiled.status().ToString();
  Signed out;
  if (!compiled.ok()) return out;
  out.compiled = std::move(*compiled);
  out.ops = SignOperators(StatefulNodesInSqlOrder(out.compiled.plan));
  return out;
}

// The DROPPED line of a report (exactly one expected).
std::string DroppedLine(const StateCompatReport& report) {
  std::string found;
  for (const auto& line : report.lines) {
    if (line.rfind("DROPPED ", 0) == 0) {
      EXPECT_TRUE(found.empty()) << report.ToString();
      found = line;
    }
  }
  EXPECT_FALSE(found.empty()) << report.ToString();
  return found;
}

constexpr const char* kByStatus =
    "INSERT INTO by_status SELECT status, COUNT(*), SUM(amount) FROM orders GROUP BY status;";

TEST(OperatorSignatureSqlTest, SameSqlPlannedTwiceGivesTheSameUids) {
  Signed a = Sign(kByStatus);
  Signed b = Sign(kByStatus);
  ASSERT_EQ(a.ops.size(), 3u);  // Scan, GroupAggregate, Sink
  ASSERT_EQ(a.ops.size(), b.ops.size());
  for (size_t i = 0; i < a.ops.size(); ++i) {
    EXPECT_NE(a.ops[i].node, b.ops[i].node);  // other objects, same meaning
    EXPECT_EQ(a.ops[i].uid, b.ops[i].uid) << CanonicalJson(a.ops[i].signature);
    EXPECT_EQ(CanonicalJson(a.ops[i].signature), CanonicalJson(b.ops[i].signature));
  }
  StateCompatReport r = Compare(a.Saved(), b.ops);
  EXPECT_FALSE(r.has_unmatched_old_state) << r.ToString();
  EXPECT_EQ(r.restored_uids.size(), 3u);
  EXPECT_TRUE(r.new_uids.empty());
}

TEST(OperatorSignatureSqlTest, ReorderedOrRenamedProjectionUpstreamKeepsTheAggregateUid) {
  Signed plain = Sign(kByStatus);
  Signed reordered = Sign(
      "INSERT INTO by_status SELECT st, COUNT(*), SUM(money) FROM "
      "(SELECT amount AS money, order_id, status AS st FROM orders) GROUP BY st;");
  Signed view = Sign(
      "CREATE VIEW v AS SELECT ts, amount AS a, customer_id, status AS s FROM orders;"
      "INSERT INTO by_status SELECT s, COUNT(*), SUM(a) FROM v GROUP BY s;");
  EXPECT_EQ(plain.UidOf("GroupAggregate"), reordered.UidOf("GroupAggregate"));
  EXPECT_EQ(plain.UidOf("GroupAggregate"), view.UidOf("GroupAggregate"));
  EXPECT_EQ(plain.UidOf("Scan"), reordered.UidOf("Scan"));
  EXPECT_EQ(plain.UidOf("Sink"), view.UidOf("Sink"));
}

TEST(OperatorSignatureSqlTest, ChangedGroupByKeyIsAnotherOperatorAndTheReportSaysWhy) {
  Signed old_plan = Sign(kByStatus);
  Signed new_plan = Sign(
      "INSERT INTO by_status SELECT CAST(customer_id AS STRING), COUNT(*), SUM(amount) "
      "FROM orders GROUP BY CAST(customer_id AS STRING);");
  EXPECT_NE(old_plan.UidOf("GroupAggregate"), new_plan.UidOf("GroupAggregate"));
  EXPECT_EQ(old_plan.UidOf("Scan"), new_plan.UidOf("Scan"));
  EXPECT_EQ(old_plan.UidOf("Sink"), new_plan.UidOf("Sink"));

  StateCompatReport r = Compare(old_plan.Saved(), new_plan.ops);
  EXPECT_TRUE(r.has_unmatched_old_state);
  EXPECT_EQ(DroppedLine(r), "DROPPED GroupAggregate " +
                                old_plan.UidOf("GroupAggregate").substr(0, 8) + " closest " +
                                new_plan.UidOf("GroupAggregate").substr(0, 8) +
                                ": keys [status] -> [CAST(customer_id AS STRING)]");
  EXPECT_NE(
      std::find(r.lines.begin(), r.lines.end(),
                "new (empty) GroupAggregate " + new_plan.UidOf("GroupAggregate").substr(0, 8)),
      r.lines.end())
      << r.ToString();
}

TEST(OperatorSignatureSqlTest, ChangedWindowSizeIsAnotherOperator) {
  auto tumble = [](const char* size) {
    return std::string(
               "INSERT INTO windows SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE orders, "
               "DESCRIPTOR(ts), INTERVAL '") +
           size + "' MINUTE)) GROUP BY window_start, window_end;";
  };
  Signed one = Sign(tumble("1"));
  Signed again = Sign(tumble("1"));
  Signed five = Sign(tumble("5"));
  EXPECT_EQ(one.UidOf("WindowAggregate"), again.UidOf("WindowAggregate"));
  EXPECT_NE(one.UidOf("WindowAggregate"), five.UidOf("WindowAggregate"));
  StateCompatReport r = Compare(one.Saved(), five.ops);
  EXPECT_TRUE(r.has_unmatched_old_state);
  EXPECT_NE(DroppedLine(r).find(": window Tumble(size=1 min) -> Tumble(size=5 min)"),
            std::string::npos)
      << r.ToString();

  // The legacy GROUP BY TUMBLE(...) form plans the same window aggregate.
  Signed legacy = Sign(
      "INSERT INTO windows SELECT TUMBLE_START(ts, INTERVAL '1' MINUTE), COUNT(*) FROM orders "
      "GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE);");
  EXPECT_EQ(one.UidOf("WindowAggregate"), legacy.UidOf("WindowAggregate"))
      << CanonicalJson(one.ops[1].signature) << "\n"
      << CanonicalJson(legacy.ops[1].signature);
}

TEST(OperatorSignatureSqlTest, ChangedFilterIsAnotherOperator) {
  auto filtered = [](const char* where) {
    return std::string(
               "INSERT INTO by_status SELECT status, COUNT(*), SUM(amount) FROM orders "
               "WHERE ") +
           where + " GROUP BY status;";
  };
  Signed ten = Sign(filtered("amount > 10"));
  Signed twenty = Sign(filtered("amount > 20"));
  Signed both = Sign(filtered("amount > 10 AND status <> 'x'"));
  Signed swapped = Sign(filtered("status <> 'x' AND amount > 10"));
  Signed none = Sign(kByStatus);
  EXPECT_NE(ten.UidOf("GroupAggregate"), twenty.UidOf("GroupAggregate"));
  EXPECT_NE(ten.UidOf("GroupAggregate"), none.UidOf("GroupAggregate"));
  EXPECT_EQ(both.UidOf("GroupAggregate"), swapped.UidOf("GroupAggregate"));

  StateCompatReport r = Compare(ten.Saved(), twenty.ops);
  EXPECT_NE(DroppedLine(r).find(": filters [(amount > 10)] -> [(amount > 20)]"), std::string::npos)
      << r.ToString();
  StateCompatReport added = Compare(none.Saved(), ten.ops);
  EXPECT_NE(DroppedLine(added).find(": filters [] -> [(amount > 10)]"), std::string::npos)
      << added.ToString();
}

TEST(OperatorSignatureSqlTest, IdenticalAggregatesInOneStatementSetGetDistinctStableUids) {
  const char* twice = R"sql(
EXECUTE STATEMENT SET BEGIN
  INSERT INTO by_status SELECT status, COUNT(*), SUM(amount) FROM orders GROUP BY status;
  INSERT INTO by_status SELECT status, COUNT(*), SUM(amount) FROM orders GROUP BY status;
END;)sql";
  Signed a = Sign(twice);
  Signed b = Sign(twice);
  std::vector<std::string> aggs = a.UidsOf("GroupAggregate");
  ASSERT_EQ(aggs.size(), 2u);
  EXPECT_NE(aggs[0], aggs[1]);
  EXPECT_EQ(aggs, b.UidsOf("GroupAggregate"));
  std::vector<std::string> sinks = a.UidsOf("Sink");
  ASSERT_EQ(sinks.size(), 2u);
  EXPECT_NE(sinks[0], sinks[1]);
  // The first of them is the operator a single INSERT would have.
  EXPECT_EQ(aggs[0], Sign(kByStatus).UidOf("GroupAggregate"));
}

TEST(OperatorSignatureSqlTest, AddingAnUnrelatedInsertBeforeKeepsExistingUids) {
  Signed before = Sign(kByStatus);
  Signed after = Sign(
      "INSERT INTO reasons SELECT reason, COUNT(*) FROM returns GROUP BY reason;"
      "INSERT INTO by_customer SELECT customer_id, COUNT(*), SUM(amount) FROM orders "
      "WHERE amount > 0 GROUP BY customer_id;" +
      std::string(kByStatus));
  ASSERT_EQ(before.ops.size(), 3u);
  for (const auto& op : before.ops) {
    bool kept = false;
    for (const auto& now : after.ops) kept |= now.uid == op.uid;
    EXPECT_TRUE(kept) << op.signature.kind << " " << CanonicalJson(op.signature);
  }
  // Node ids (plan numbering) did shift: that is why they are not used for state.
  const PlanNode* agg_before = before.ops[1].node;
  const PlanNode* agg_after = nullptr;
  for (const auto& op : after.ops) {
    if (op.uid == before.ops[1].uid) agg_after = op.node;
  }
  ASSERT_NE(agg_after, nullptr);
  EXPECT_NE(agg_before->id, agg_after->id);

  StateCompatReport r = Compare(before.Saved(), after.ops);
  EXPECT_FALSE(r.has_unmatched_old_state) << r.ToString();
  EXPECT_EQ(r.restored_uids.size(), 3u);
  EXPECT_EQ(r.new_uids.size(), after.ops.size() - 3);
}

TEST(OperatorSignatureSqlTest, SignaturePartsReadOverSourceColumns) {
  Signed s = Sign(
      "INSERT INTO by_customer SELECT c, COUNT(*), SUM(a) FROM "
      "(SELECT customer_id AS c, amount * 2 AS a FROM orders WHERE status = 'paid') "
      "GROUP BY c;");
  const OperatorSignature* agg = nullptr;
  for (const auto& op : s.ops) {
    if (op.signature.kind == "GroupAggregate") agg = &op.signature;
  }
  ASSERT_NE(agg, nullptr);
  EXPECT_EQ(agg->semantics.at("keys").ToString(), "[customer_id]");
  EXPECT_EQ(agg->semantics.at("aggregates").ToString(), "[COUNT(*), SUM((amount * 2))]");
  EXPECT_EQ(agg->lineage.at("filters").ToString(), "[(status = 'paid')]");
  EXPECT_EQ(agg->lineage.at("sources").ToString(), "[orders (kafka, topic=orders)]");
  EXPECT_EQ(agg->state_schema.at("input").ToString(), "append-only");
}

}  // namespace
}  // namespace sluice::sql
