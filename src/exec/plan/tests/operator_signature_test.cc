// Operator signatures, uids and the compatibility report on hand-built plans (plans from SQL
// text: src/sql/planner/tests/operator_signature_sql_test.cc). Uids are never compared with
// fixed numbers: the tests check stability properties, and that the hash is the published FNV-1a.

#include "exec/plan/operator_signature.h"

#include <gtest/gtest.h>

#include "exec/plan/operator_signature_json.h"
#include "exec/plan/state_compat.h"
#include "types/time_format.h"

namespace sluice {
namespace {

// orders(order_id BIGINT, customer_id BIGINT, status STRING, amount DECIMAL(10, 2),
//        ts TIMESTAMP(3), amount_cents AS amount * 100)
std::shared_ptr<TableDef> Orders(Options options = {}) {
  auto t = std::make_shared<TableDef>();
  t->name = "orders";
  t->columns = {{{"order_id", LogicalType::Bigint()}},
                {{"customer_id", LogicalType::Bigint()}},
                {{"status", LogicalType::Varchar()}},
                {{"amount", LogicalType::Decimal(10, 2)}},
                {{"ts", LogicalType::Timestamp(3)}}};
  ColumnDef cents{{"amount_cents", LogicalType::Decimal(13, 2)}};
  cents.computed = BoundExpr::Call("*", LogicalType::Decimal(13, 2),
                                   {BoundExpr::ColumnRef(3, LogicalType::Decimal(10, 2), "amount"),
                                    BoundExpr::Literal(Value::Int(100))});
  t->columns.push_back(cents);
  t->options = {{"connector", "kafka"},
                {"topic", "orders"},
                {"properties.bootstrap.servers", "127.0.0.1:9092"},
                {"format", "json"}};
  for (auto& [k, v] : options) t->options[k] = v;
  return t;
}

PlanNodePtr Scan(std::shared_ptr<const TableDef> table) {
  auto scan = std::make_shared<ScanNode>();
  scan->table = table;
  scan->output_schema = table->FullSchema();
  scan->id = "Scan-1";
  return scan;
}

ExprPtr Ref(const PlanNode& input, int column) {
  const Field& f = input.output_schema[column];
  return BoundExpr::ColumnRef(column, f.type, f.name);
}

// Calc(input) projecting `columns` of the input under `names`, with an optional filter.
PlanNodePtr Project(PlanNodePtr input, std::vector<int> columns, std::vector<std::string> names,
                    ExprPtr filter = nullptr) {
  auto calc = std::make_shared<CalcNode>();
  calc->filter = filter;
  for (size_t i = 0; i < columns.size(); ++i) {
    calc->projections.push_back(Ref(*input, columns[i]));
    calc->output_schema.fields.push_back({names[i], input->output_schema[columns[i]].type});
  }
  calc->inputs = {input};
  return calc;
}

AggregateCall Sum(const PlanNode& input, int column, std::string name) {
  AggregateCall a;
  a.kind = AggregateKind::kSum;
  a.argument = column;
  a.argument_type = input.output_schema[column].type;
  a.result_type = *AggregateResultType(a.kind, a.argument_type);
  a.name = std::move(name);
  return a;
}

AggregateCall CountStar() {
  AggregateCall a;
  a.result_type = LogicalType::Bigint();
  a.name = "n";
  return a;
}

std::shared_ptr<GroupAggregateNode> GroupBy(PlanNodePtr input, std::vector<int> keys,
                                            std::vector<AggregateCall> aggs) {
  auto agg = std::make_shared<GroupAggregateNode>();
  agg->group_keys = std::move(keys);
  agg->aggregates = std::move(aggs);
  for (int k : agg->group_keys) agg->output_schema.fields.push_back(input->output_schema[k]);
  for (const auto& a : agg->aggregates)
    agg->output_schema.fields.push_back({a.name, a.result_type});
  agg->changelog = ChangelogMode::kUpdating;
  agg->inputs = {input};
  agg->id = "GroupAggregate-3";
  return agg;
}

// SELECT status, SUM(amount) FROM (SELECT status AS s, amount AS a ...) in two projection
// orders and spellings: the aggregate sees the same source columns.
TEST(OperatorSignatureTest, ProjectionOrderAndNamesDoNotMatter) {
  auto scan = Scan(Orders());
  auto calc1 = Project(scan, {2, 3}, {"s", "a"});
  auto agg1 = GroupBy(calc1, {0}, {Sum(*calc1, 1, "total"), CountStar()});
  auto calc2 = Project(scan, {3, 0, 2}, {"money", "id", "state"});
  auto agg2 = GroupBy(calc2, {2}, {Sum(*calc2, 0, "sum_money"), CountStar()});
  agg2->id = "GroupAggregate-7";  // numbering is not part of the signature

  OperatorSignature s1 = Signature(*agg1), s2 = Signature(*agg2);
  EXPECT_EQ(CanonicalJson(s1), CanonicalJson(s2));
  EXPECT_EQ(Uid(s1), Uid(s2));
  EXPECT_EQ(s1.semantics.at("keys").ToString(), "[status]");
  EXPECT_EQ(s1.semantics.at("aggregates").ToString(), "[SUM(amount), COUNT(*)]");
  EXPECT_EQ(s1.state_schema.at("key_types").ToString(), "[STRING]");
  EXPECT_EQ(s1.state_schema.at("accumulators").ToString(),
            "[SUM(DECIMAL(10, 2)) DECIMAL(38, 2), COUNT(*) BIGINT]");
  EXPECT_EQ(s1.lineage.at("sources").ToString(), "[orders (kafka, topic=orders)]");

  // Grouping on another column is another operator.
  auto agg3 = GroupBy(calc1, {1}, {Sum(*calc1, 1, "total"), CountStar()});
  EXPECT_NE(Uid(Signature(*agg3)), Uid(s1));
}

TEST(OperatorSignatureTest, ComputedColumnsResolveToTheirExpression) {
  auto scan = Scan(Orders());
  auto calc = Project(scan, {5, 2}, {"cents", "status"});
  auto agg = GroupBy(calc, {1}, {Sum(*calc, 0, "total")});
  EXPECT_EQ(Signature(*agg).semantics.at("aggregates").ToString(), "[SUM((amount * 100))]");

  // The same table with the computed column renamed gives the same signature.
  auto renamed = Orders();
  renamed->columns[5].field.name = "in_cents";
  auto scan2 = Scan(renamed);
  auto calc2 = Project(scan2, {5, 2}, {"c", "s"});
  auto agg2 = GroupBy(calc2, {1}, {Sum(*calc2, 0, "total")});
  EXPECT_EQ(Uid(Signature(*agg)), Uid(Signature(*agg2)));
}

TEST(OperatorSignatureTest, FiltersAreCanonicalConjunctsOverSourceColumns) {
  auto scan = Scan(Orders());
  auto gt = [&](const PlanNode& in, int col, int v) {
    return BoundExpr::Call(">", LogicalType::Boolean(),
                           {Ref(in, col), BoundExpr::Literal(Value::Int(v))});
  };
  auto eq = [&](const PlanNode& in, int col, const char* v) {
    return BoundExpr::Call("=", LogicalType::Boolean(),
                           {Ref(in, col), BoundExpr::Literal(Value::Varchar(v))});
  };
  auto both = [](ExprPtr a, ExprPtr b) {
    return BoundExpr::Call("and", LogicalType::Boolean(), {a, b});
  };
  auto calc1 = Project(scan, {2, 3}, {"s", "a"}, both(gt(*scan, 3, 10), eq(*scan, 2, "paid")));
  auto calc2 = Project(scan, {2, 3}, {"s", "a"}, both(eq(*scan, 2, "paid"), gt(*scan, 3, 10)));
  auto agg1 = GroupBy(calc1, {0}, {CountStar()});
  auto agg2 = GroupBy(calc2, {0}, {CountStar()});
  EXPECT_EQ(Uid(Signature(*agg1)), Uid(Signature(*agg2)));
  EXPECT_EQ(Signature(*agg1).lineage.at("filters").ToString(),
            "[(amount > 10), (status = 'paid')]");

  // The binder's widening casts under a comparison read as written; a narrowing one stays.
  auto widened = BoundExpr::Call(
      ">", LogicalType::Boolean(),
      {BoundExpr::Cast(Ref(*scan, 3), LogicalType::Decimal(12, 2)),
       BoundExpr::Cast(BoundExpr::Literal(Value::Int(10)), LogicalType::Decimal(12, 2))});
  auto narrowed = BoundExpr::Call(
      ">", LogicalType::Boolean(),
      {BoundExpr::Cast(Ref(*scan, 3), LogicalType::Int()), BoundExpr::Literal(Value::Int(10))});
  auto calc4 = Project(scan, {2}, {"s"},
                       BoundExpr::Call("and", LogicalType::Boolean(), {widened, narrowed}));
  EXPECT_EQ(Signature(*GroupBy(calc4, {0}, {CountStar()})).lineage.at("filters").ToString(),
            "[(CAST(amount AS INT) > 10), (amount > 10)]");

  auto calc3 = Project(scan, {2, 3}, {"s", "a"}, gt(*scan, 3, 20));
  auto agg3 = GroupBy(calc3, {0}, {CountStar()});
  EXPECT_NE(Uid(Signature(*agg1)), Uid(Signature(*agg3)));
}

TEST(OperatorSignatureTest, OptionsThatDoNotChangeStateAreLeftOut) {
  auto base = Orders();
  auto other_servers = Orders({{"properties.bootstrap.servers", "kafka:29092"},
                               {"format", "csv"},
                               {"scan.startup.mode", "earliest-offset"},
                               {"properties.group.id", "g2"}});
  auto other_topic = Orders({{"topic", "orders-v2"}});
  auto scan_sig = [](std::shared_ptr<TableDef> t) { return Uid(Signature(*Scan(t))); };
  EXPECT_EQ(scan_sig(base), scan_sig(other_servers));
  EXPECT_NE(scan_sig(base), scan_sig(other_topic));

  auto agg_sig = [](std::shared_ptr<TableDef> t) {
    auto calc = Project(Scan(t), {2}, {"status"});
    return Uid(Signature(*GroupBy(calc, {0}, {CountStar()})));
  };
  EXPECT_EQ(agg_sig(base), agg_sig(other_servers));
  EXPECT_NE(agg_sig(base), agg_sig(other_topic));

  // A topic list reads the same data in any order.
  EXPECT_EQ(scan_sig(Orders({{"topic", "a;b"}})), scan_sig(Orders({{"topic", "b; a"}})));
}

TEST(OperatorSignatureTest, WindowAggregateParts) {
  auto scan = Scan(Orders());
  auto calc = Project(scan, {2, 3, 4}, {"status", "amount", "ts"});
  auto win = std::make_shared<WindowAggregateNode>();
  win->window.kind = WindowKind::kHop;
  win->window.time_column = 2;
  win->window.size_micros = 10 * kMicrosPerMinute;
  win->window.slide_micros = kMicrosPerMinute;
  win->group_keys = {0};
  win->aggregates = {Sum(*calc, 1, "total")};
  win->allowed_lateness_micros = 30 * kMicrosPerSecond;
  win->inputs = {calc};
  win->output_schema.fields = {{"status", LogicalType::Varchar()},
                               {"total", LogicalType::Decimal(38, 2)},
                               {"window_start", LogicalType::Timestamp(3)},
                               {"window_end", LogicalType::Timestamp(3)},
                               {"window_time", LogicalType::Timestamp(3)}};
  OperatorSignature sig = Signature(*win);
  EXPECT_EQ(sig.kind, "WindowAggregate");
  EXPECT_EQ(sig.state_schema.at("window_kind").ToString(), "Hop");
  EXPECT_EQ(sig.semantics.at("window").ToString(), "Hop(size=10 min, slide=1 min)");
  EXPECT_EQ(sig.semantics.at("time").ToString(), "ts");
  EXPECT_EQ(sig.semantics.at("allowed_lateness").ToString(), "30 s");
  EXPECT_EQ(sig.semantics.at("keys").ToString(), "[status]");

  std::string before = Uid(sig);
  win->window.size_micros = 5 * kMicrosPerMinute;
  EXPECT_NE(Uid(Signature(*win)), before);
  win->window.size_micros = 10 * kMicrosPerMinute;
  win->allowed_lateness_micros = 0;
  EXPECT_NE(Uid(Signature(*win)), before);
  win->allowed_lateness_micros = 30 * kMicrosPerSecond;
  EXPECT_EQ(Uid(Signature(*win)), before);

  // An aggregate over the window's output names the window columns and the upstream window.
  auto outer = GroupBy(win, {1, 2}, {CountStar()});  // GROUP BY total, window_start
  OperatorSignature o = Signature(*outer);
  EXPECT_EQ(o.semantics.at("keys").ToString(), "[SUM(amount), window_start]");
  EXPECT_EQ(o.lineage.at("upstream").ToString(),
            "[WindowAggregate(Hop(size=10 min, slide=1 min), time=ts, keys=[status], "
            "aggs=[SUM(amount)], lateness=30 s)]");
}

TEST(OperatorSignatureTest, SinksAndNormalize) {
  auto out = std::make_shared<TableDef>();
  out->name = "totals";
  out->columns = {{{"status", LogicalType::Varchar()}}, {{"n", LogicalType::Bigint()}}};
  out->options = {{"connector", "kafka"},
                  {"topic", "totals"},
                  {"properties.bootstrap.servers", "b:9092"},
                  {"format", "json"}};
  auto sink = std::make_shared<SinkNode>();
  sink->table = out;
  sink->output_schema = out->FullSchema();
  sink->inputs = {GroupBy(Project(Scan(Orders()), {2}, {"status"}), {0}, {CountStar()})};
  OperatorSignature sig = Signature(*sink);
  EXPECT_EQ(sig.kind, "Sink");
  EXPECT_EQ(sig.state_schema.at("connector").ToString(), "kafka");
  EXPECT_EQ(sig.state_schema.at("columns").ToString(), "[status STRING, n BIGINT]");
  EXPECT_EQ(sig.lineage.at("table").ToString(), "totals");
  EXPECT_EQ(sig.lineage.at("target").ToString(), "[topic=totals]");
  EXPECT_TRUE(sig.semantics.empty());

  auto scan = Scan(Orders({{"connector", "upsert-kafka"}}));
  auto norm = std::make_shared<ChangelogNormalizeNode>();
  norm->keys = {0};
  norm->output_schema = scan->output_schema;
  norm->inputs = {scan};
  OperatorSignature n = Signature(*norm);
  EXPECT_EQ(n.semantics.at("keys").ToString(), "[order_id]");
  EXPECT_EQ(n.state_schema.at("key_types").ToString(), "[BIGINT]");
  EXPECT_EQ(n.lineage.at("sources").ToString(), "[orders (upsert-kafka, topic=orders)]");

  auto calc = Project(scan, {0}, {"x"});
  EXPECT_FALSE(HasOperatorState(*calc));
  EXPECT_TRUE(HasOperatorState(*norm));
}

TEST(OperatorSignatureTest, IdenticalOperatorsGetOrdinalsInSqlOrder) {
  auto scan = Scan(Orders());
  auto calc = Project(scan, {2, 3}, {"status", "amount"});
  auto a = GroupBy(calc, {0}, {CountStar()});
  auto b = GroupBy(calc, {0}, {CountStar()});
  auto c = GroupBy(calc, {0}, {Sum(*calc, 1, "x")});  // another signature: its own ordinal 0
  std::vector<const PlanNode*> order = {scan.get(), a.get(), b.get(), c.get(), a.get()};
  auto ops = SignOperators(order);
  ASSERT_EQ(ops.size(), 4u);  // `a` listed twice is signed once
  EXPECT_EQ(ops[1].signature.ordinal, 0);
  EXPECT_EQ(ops[2].signature.ordinal, 1);
  EXPECT_EQ(ops[3].signature.ordinal, 0);
  EXPECT_NE(ops[1].uid, ops[2].uid);
  EXPECT_EQ(ops[2].node, b.get());

  auto uids = AssignUids(order);
  EXPECT_EQ(uids.size(), 4u);
  EXPECT_EQ(uids[a.get()], ops[1].uid);
  EXPECT_EQ(uids[b.get()], ops[2].uid);
  EXPECT_EQ(AssignUids(order), uids);  // stable
}

TEST(OperatorSignatureTest, StatefulNodesInSqlOrderSkipsCalcsAndVisitsSharedNodesOnce) {
  auto scan = Scan(Orders());
  auto agg = GroupBy(Project(scan, {2}, {"status"}), {0}, {CountStar()});
  PipelinePlan plan;
  for (PlanNodePtr input : {PlanNodePtr(agg), PlanNodePtr(Project(scan, {0}, {"id"}))}) {
    auto sink = std::make_shared<SinkNode>();
    sink->table = Orders();
    sink->inputs = {input};
    plan.sinks.push_back(sink);
  }
  std::vector<const PlanNode*> nodes = StatefulNodesInSqlOrder(plan);
  std::vector<const PlanNode*> expected = {scan.get(), agg.get(), plan.sinks[0].get(),
                                           plan.sinks[1].get()};
  EXPECT_EQ(nodes, expected);
}

// FNV-1a 64 test vectors published with the algorithm (Fowler/Noll/Vo, "FNV hash" test suite).
TEST(OperatorSignatureTest, HashIsPublishedFnv1a64) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ULL);
  // Bytes above 0x7f are hashed as unsigned (char signedness must not matter).
  std::string high = "\xff";
  EXPECT_EQ(Fnv1a64(high), (0xcbf29ce484222325ULL ^ 0xffULL) * 1099511628211ULL);

  OperatorSignature sig = Signature(*Scan(Orders()));
  std::string uid = Uid(sig);
  ASSERT_EQ(uid.size(), 16u);
  EXPECT_EQ(std::stoull(uid, nullptr, 16), Fnv1a64(CanonicalJson(sig)));
  EXPECT_EQ(uid.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(OperatorSignatureTest, CanonicalJsonRoundTrips) {
  auto calc = Project(Scan(Orders()), {2, 3}, {"s", "a"});
  OperatorSignature sig = Signature(*GroupBy(calc, {0}, {Sum(*calc, 1, "t")}));
  sig.ordinal = 3;
  sig.semantics["odd"] = SignatureField::Text("quote \" backslash \\ tab \t nl \n \x01 é");
  sig.lineage["empty"] = SignatureField::List({});
  std::string json = CanonicalJson(sig);
  EXPECT_EQ(json.rfind("{\"sig_version\":1,\"kind\":\"GroupAggregate\",\"state_schema\":{", 0), 0u)
      << json;
  auto back = SignatureFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, sig);
  EXPECT_EQ(CanonicalJson(*back), json);

  // Whitespace, member order and \u escapes are accepted.
  auto spaced = SignatureFromJson(
      " { \"ordinal\" : 2 , \"kind\" : \"Sink\" , \"sig_version\" : 1 ,\n"
      "   \"lineage\" : { \"table\" : \"t\\u00e9\\ud83d\\ude00\" , \"target\" : [ ] } } ");
  ASSERT_TRUE(spaced.ok()) << spaced.status().ToString();
  EXPECT_EQ(spaced->ordinal, 2);
  EXPECT_EQ(spaced->lineage.at("table").values[0], "t\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_TRUE(spaced->lineage.at("target").is_list);

  for (const char* bad : {"", "{", "{\"kind\":\"Scan\"}", "{\"sig_version\":1,\"kind\":1}",
                          "{\"sig_version\":1,\"kind\":\"Scan\",\"extra\":{}}",
                          "{\"sig_version\":1,\"kind\":\"Scan\",\"lineage\":{\"a\":[1]}}",
                          "{\"sig_version\":1,\"kind\":\"Scan\"} x"}) {
    EXPECT_FALSE(SignatureFromJson(bad).ok()) << bad;
  }
}

std::vector<SavedOperator> Saved(const std::vector<OperatorSignatureWithUid>& ops) {
  std::vector<SavedOperator> out;
  for (const auto& op : ops) out.push_back(ToSavedOperator(op));
  return out;
}

TEST(StateCompatTest, ReportsRestoredNewAndDroppedWithTheChange) {
  auto scan = Scan(Orders());
  auto calc = Project(scan, {2, 1}, {"status", "customer_id"});
  auto by_status = GroupBy(calc, {0}, {CountStar()});
  auto by_customer = GroupBy(calc, {1}, {CountStar()});
  auto old_ops = SignOperators({scan.get(), by_status.get()});
  auto new_ops = SignOperators({scan.get(), by_customer.get()});

  StateCompatReport same = Compare(Saved(old_ops), old_ops);
  EXPECT_FALSE(same.has_unmatched_old_state);
  EXPECT_EQ(same.restored_uids.size(), 2u);
  EXPECT_EQ(same.lines[1], "restored GroupAggregate " + old_ops[1].uid.substr(0, 8));

  StateCompatReport r = Compare(Saved(old_ops), new_ops);
  EXPECT_TRUE(r.has_unmatched_old_state);
  ASSERT_EQ(r.lines.size(), 3u) << r.ToString();
  EXPECT_EQ(r.lines[0], "restored Scan " + new_ops[0].uid.substr(0, 8));
  EXPECT_EQ(r.lines[1], "new (empty) GroupAggregate " + new_ops[1].uid.substr(0, 8));
  EXPECT_EQ(r.lines[2], "DROPPED GroupAggregate " + old_ops[1].uid.substr(0, 8) + " closest " +
                            new_ops[1].uid.substr(0, 8) +
                            ": keys [status] -> [customer_id]; key_types [STRING] -> [BIGINT]");
  EXPECT_EQ(r.dropped_uids, std::vector<std::string>{old_ops[1].uid});
  EXPECT_EQ(r.new_uids, std::vector<std::string>{new_ops[1].uid});

  // Dropping an aggregate altogether: no closest operator of its kind.
  StateCompatReport gone = Compare(Saved(old_ops), SignOperators({scan.get()}));
  EXPECT_EQ(gone.lines.back(), "DROPPED GroupAggregate " + old_ops[1].uid.substr(0, 8) +
                                   ": no GroupAggregate in the new plan");

  // A manifest entry that does not parse is still reported (and still refuses).
  std::vector<SavedOperator> broken = {{"0123456789abcdef", "GroupAggregate", "{nope", 0}};
  StateCompatReport b = Compare(broken, new_ops);
  EXPECT_TRUE(b.has_unmatched_old_state);
  EXPECT_EQ(b.lines.back().rfind("DROPPED GroupAggregate 01234567: signature unreadable (", 0), 0u)
      << b.lines.back();
}

TEST(StateCompatTest, RemovingOneOfTwoIdenticalOperatorsShowsTheOrdinal) {
  auto calc = Project(Scan(Orders()), {2}, {"status"});
  auto a = GroupBy(calc, {0}, {CountStar()});
  auto b = GroupBy(calc, {0}, {CountStar()});
  auto old_ops = SignOperators({a.get(), b.get()});
  auto new_ops = SignOperators({a.get()});
  StateCompatReport r = Compare(Saved(old_ops), new_ops);
  EXPECT_TRUE(r.has_unmatched_old_state);
  EXPECT_EQ(r.lines.back(), "DROPPED GroupAggregate " + old_ops[1].uid.substr(0, 8) + " closest " +
                                new_ops[0].uid.substr(0, 8) + ": ordinal 1 -> 0");
}

TEST(StateCompatTest, GeneratorSourcesCannotChangeParallelism) {
  auto datagen = std::make_shared<TableDef>();
  datagen->name = "gen";
  datagen->columns = {{{"x", LogicalType::Bigint()}}};
  datagen->options = {{"connector", "datagen"}, {"rows-per-second", "10"}};
  auto scan = Scan(datagen);
  auto old_ops = SignOperators({scan.get()});
  old_ops[0].parallelism = 2;
  auto new_ops = SignOperators({scan.get()});
  new_ops[0].parallelism = 4;
  StateCompatReport r = Compare(Saved(old_ops), new_ops);
  EXPECT_TRUE(r.has_rescale_conflict);
  EXPECT_FALSE(r.has_unmatched_old_state);
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[1].rfind("CANNOT RESCALE Scan " + new_ops[0].uid.substr(0, 8) +
                                 ": a datagen source restores only at its old parallelism 2, "
                                 "not 4",
                             0),
            0u)
      << r.lines[1];

  // Kafka sources redistribute partitions: no conflict.
  auto kafka = Scan(Orders());
  auto k_old = SignOperators({kafka.get()});
  k_old[0].parallelism = 2;
  auto k_new = SignOperators({kafka.get()});
  k_new[0].parallelism = 4;
  EXPECT_FALSE(Compare(Saved(k_old), k_new).has_rescale_conflict);
}

}  // namespace
}  // namespace sluice
