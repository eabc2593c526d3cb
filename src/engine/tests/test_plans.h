#pragma once
// Helpers for engine tests: plans built by hand from PlanNodes, and two in-test connectors —
// 'scripted' (a source replaying rows registered under a name, split by split) and 'collect' (a
// sink gathering every row, with an optional writer limit).

#include <climits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "connectors/connector.h"
#include "exec/plan/plan_node.h"
#include "runtime/tests/test_sources.h"

namespace sluice::testkit {

// ---- Scripted source -------------------------------------------------------------------------

/// What a 'scripted' table replays: one script per split. Unbounded scripts never end.
struct SourceScript {
  std::vector<std::vector<ScriptStep>> splits;
  bool bounded = true;
  /// When set, Poll() of split 0 fails with this error after its script ran out.
  std::optional<Status> fail_at_end;
};

inline std::mutex& RegistryMutex() {
  static std::mutex mutex;
  return mutex;
}
inline std::map<std::string, SourceScript>& Scripts() {
  static std::map<std::string, SourceScript> scripts;
  return scripts;
}
inline std::map<std::string, std::shared_ptr<CollectedRows>>& Collections() {
  static std::map<std::string, std::shared_ptr<CollectedRows>> collections;
  return collections;
}

inline void RegisterScript(const std::string& name, SourceScript script) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  Scripts()[name] = std::move(script);
}
inline std::shared_ptr<CollectedRows> NewCollection(const std::string& name) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  auto rows = std::make_shared<CollectedRows>();
  Collections()[name] = rows;
  return rows;
}

class FailingAtEndReader : public SplitReader {
 public:
  FailingAtEndReader(std::unique_ptr<SplitReader> inner, Status error)
      : inner_(std::move(inner)), error_(std::move(error)) {}
  Result<Batch> Poll(size_t max_rows, bool* end) override {
    auto batch = inner_->Poll(max_rows, end);
    if (batch.ok() && *end) return error_;
    return batch;
  }
  bool TakeWatermark(int64_t* watermark) override { return inner_->TakeWatermark(watermark); }

 private:
  std::unique_ptr<SplitReader> inner_;
  Status error_;
};

class ScriptedSource : public Source {
 public:
  explicit ScriptedSource(SourceScript script) : script_(std::move(script)) {}
  Result<std::vector<SourceSplit>> ListSplits(int parallelism) override {
    std::vector<SourceSplit> splits;
    for (size_t i = 0; i < script_.splits.size(); ++i) {
      splits.push_back({"scripted:" + std::to_string(i), static_cast<int>(i)});
    }
    return splits;
  }
  Result<std::unique_ptr<SplitReader>> CreateReader(const SourceSplit& split) override {
    std::unique_ptr<SplitReader> reader = std::make_unique<ScriptedReader>(
        script_.splits[static_cast<size_t>(split.index)], script_.bounded);
    if (split.index == 0 && script_.fail_at_end) {
      reader = std::make_unique<FailingAtEndReader>(std::move(reader), *script_.fail_at_end);
    }
    return reader;
  }
  bool IsBounded() const override { return script_.bounded; }

 private:
  SourceScript script_;
};

inline std::string Option(const TableContext& context, const std::string& key) {
  auto it = context.table->options.find(key);
  return it == context.table->options.end() ? "" : it->second;
}

inline Result<std::unique_ptr<Source>> MakeScriptedSource(const TableContext& context) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  auto it = Scripts().find(Option(context, "script"));
  if (it == Scripts().end())
    return Status::NotFound("no script '" + Option(context, "script") + "'");
  return std::unique_ptr<Source>(std::make_unique<ScriptedSource>(it->second));
}

inline const ConnectorSpec kScriptedConnector = {
    "scripted",
    "rows registered by the test, one script per split",
    {{"script", "", "name the test registered the script under", true}},
    &MakeScriptedSource,
    nullptr,
};

// ---- Collecting sink -------------------------------------------------------------------------

class CollectingSink : public Sink {
 public:
  CollectingSink(std::shared_ptr<CollectedRows> rows, int max_writers)
      : rows_(std::move(rows)), max_writers_(max_writers) {}
  Result<std::unique_ptr<SinkWriter>> CreateWriter(int instance, int parallelism) override {
    return std::unique_ptr<SinkWriter>(std::make_unique<CollectingWriter>(rows_, instance));
  }
  int MaxParallelism() const override { return max_writers_; }

 private:
  std::shared_ptr<CollectedRows> rows_;
  int max_writers_;
};

inline Result<std::unique_ptr<Sink>> MakeCollectingSink(const TableContext& context) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  auto it = Collections().find(Option(context, "into"));
  if (it == Collections().end())
    return Status::NotFound("no collection '" + Option(context, "into") + "'");
  std::string max = Option(context, "max-writers");
  return std::unique_ptr<Sink>(
      std::make_unique<CollectingSink>(it->second, max.empty() ? INT_MAX : std::stoi(max)));
}

inline const ConnectorSpec kCollectConnector = {
    "collect",
    "rows gathered in memory for the test",
    {{"into", "", "name of the collection", true},
     {"max-writers", "", "Sink::MaxParallelism()", false}},
    nullptr,
    &MakeCollectingSink,
};

inline std::vector<const ConnectorSpec*> TestConnectors() {
  return {&kScriptedConnector, &kCollectConnector};
}

// ---- Plans -----------------------------------------------------------------------------------

/// (id BIGINT, user STRING, amount BIGINT, ts TIMESTAMP(3)), WATERMARK ts - delay.
inline std::shared_ptr<TableDef> EventsTable(const std::string& name, const std::string& script,
                                             int64_t delay_micros) {
  auto table = std::make_shared<TableDef>();
  table->name = name;
  table->columns = {{{"id", LogicalType::Bigint()}, nullptr, "", false},
                    {{"user", LogicalType::Varchar()}, nullptr, "", false},
                    {{"amount", LogicalType::Bigint()}, nullptr, "", false},
                    {{"ts", LogicalType::Timestamp(3)}, nullptr, "", false}};
  WatermarkDef wm;
  wm.rowtime_column = 3;
  wm.fixed_delay_micros = delay_micros;
  wm.expression = BoundExpr::Call("-", LogicalType::Timestamp(3),
                                  {BoundExpr::ColumnRef(3, LogicalType::Timestamp(3), "ts"),
                                   BoundExpr::Literal(Value::Interval(delay_micros))});
  table->watermark = wm;
  table->options = {{"connector", "scripted"}, {"script", script}};
  return table;
}

inline Schema EventsSchema() {
  Schema s;
  s.fields = {{"id", LogicalType::Bigint()},
              {"user", LogicalType::Varchar()},
              {"amount", LogicalType::Bigint()},
              {"ts", LogicalType::Timestamp(3)}};
  return s;
}

inline Batch EventRows(
    const std::vector<std::tuple<int64_t, std::string, int64_t, int64_t>>& rows) {
  BatchBuilder builder(EventsSchema());
  for (const auto& [id, user, amount, ts] : rows) {
    builder.AppendRow(
        {Value::Bigint(id), Value::Varchar(user), Value::Bigint(amount), Value::Timestamp(ts)});
  }
  return builder.Finish();
}

inline std::shared_ptr<ScanNode> Scan(std::shared_ptr<const TableDef> table, std::string id) {
  auto node = std::make_shared<ScanNode>();
  node->id = std::move(id);
  node->table = table;
  node->output_schema = EventsSchema();
  node->rowtime_column = 3;
  return node;
}

inline ExprPtr Col(const Schema& schema, int index) {
  return BoundExpr::ColumnRef(index, schema[index].type, schema[index].name);
}

/// Calc selecting `columns` of its input, optionally filtered.
inline std::shared_ptr<CalcNode> Project(PlanNodePtr input, const std::vector<int>& columns,
                                         std::string id, ExprPtr filter = nullptr) {
  auto node = std::make_shared<CalcNode>();
  node->id = std::move(id);
  node->filter = std::move(filter);
  for (int c : columns) {
    node->projections.push_back(Col(input->output_schema, c));
    node->output_schema.fields.push_back(input->output_schema[c]);
    if (c == input->rowtime_column) {
      node->rowtime_column = static_cast<int>(node->output_schema.size()) - 1;
    }
  }
  node->changelog = input->changelog;
  node->inputs = {std::move(input)};
  return node;
}

/// TUMBLE(size) over `time_column`, GROUP BY `keys`, COUNT(*) AS cnt, SUM(sum_column) AS total.
inline std::shared_ptr<WindowAggregateNode> Tumble(PlanNodePtr input, int time_column,
                                                   int64_t size_micros, std::vector<int> keys,
                                                   int sum_column, std::string id) {
  auto node = std::make_shared<WindowAggregateNode>();
  node->id = std::move(id);
  node->window.kind = WindowKind::kTumble;
  node->window.time_column = time_column;
  node->window.size_micros = size_micros;
  node->group_keys = keys;
  const Schema& in = input->output_schema;
  for (int k : keys) node->output_schema.fields.push_back(in[k]);
  AggregateCall count;
  count.kind = AggregateKind::kCountStar;
  count.result_type = LogicalType::Bigint();
  count.name = "cnt";
  AggregateCall sum;
  sum.kind = AggregateKind::kSum;
  sum.argument = sum_column;
  sum.argument_type = in[sum_column].type;
  sum.result_type = LogicalType::Bigint();
  sum.name = "total";
  node->aggregates = {count, sum};
  node->output_schema.fields.push_back({"cnt", LogicalType::Bigint(), false});
  node->output_schema.fields.push_back({"total", LogicalType::Bigint()});
  node->output_schema.fields.push_back({"window_start", LogicalType::Timestamp(3), false});
  node->output_schema.fields.push_back({"window_end", LogicalType::Timestamp(3), false});
  node->output_schema.fields.push_back({"window_time", LogicalType::Timestamp(3), false});
  node->rowtime_column = static_cast<int>(node->output_schema.size()) - 1;
  node->inputs = {std::move(input)};
  return node;
}

inline std::shared_ptr<GroupAggregateNode> GroupCount(PlanNodePtr input, std::vector<int> keys,
                                                      std::string id) {
  auto node = std::make_shared<GroupAggregateNode>();
  node->id = std::move(id);
  node->group_keys = keys;
  for (int k : keys) node->output_schema.fields.push_back(input->output_schema[k]);
  AggregateCall count;
  count.kind = AggregateKind::kCountStar;
  count.result_type = LogicalType::Bigint();
  count.name = "cnt";
  node->aggregates = {count};
  node->output_schema.fields.push_back({"cnt", LogicalType::Bigint(), false});
  node->changelog = ChangelogMode::kUpdating;
  node->inputs = {std::move(input)};
  return node;
}

inline std::shared_ptr<UnionNode> UnionOf(std::vector<PlanNodePtr> inputs, std::string id) {
  auto node = std::make_shared<UnionNode>();
  node->id = std::move(id);
  node->output_schema = inputs[0]->output_schema;
  node->rowtime_column = inputs[0]->rowtime_column;
  node->inputs = std::move(inputs);
  return node;
}

/// A 'collect' sink table with the input's columns.
inline std::shared_ptr<SinkNode> CollectSink(PlanNodePtr input, const std::string& table_name,
                                             const std::string& into, int max_writers = 0) {
  auto table = std::make_shared<TableDef>();
  table->name = table_name;
  for (const Field& f : input->output_schema.fields)
    table->columns.push_back({f, nullptr, "", false});
  table->options = {{"connector", "collect"}, {"into", into}};
  if (max_writers > 0) table->options["max-writers"] = std::to_string(max_writers);
  auto node = std::make_shared<SinkNode>();
  node->id = "Sink-" + table_name;
  node->table = table;
  node->output_schema = input->output_schema;
  node->changelog = input->changelog;
  node->inputs = {std::move(input)};
  return node;
}

}  // namespace sluice::testkit
