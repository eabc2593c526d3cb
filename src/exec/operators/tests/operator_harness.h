#pragma once
// Test harness for operators: builds plan nodes by hand, runs an operator and records what it
// emits (rows in Flink's print format, "+I[...]") and the late rows it hands over.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "exec/operators/operator_factory.h"
#include "exec/plan/plan_node.h"
#include "runtime/operator.h"
#include "runtime/session_config.h"
#include "types/time_format.h"

namespace sluice {
namespace testing {

/// Microseconds of "yyyy-MM-dd HH:mm:ss[.fff]".
inline int64_t Ts(const std::string& text) {
  std::optional<int64_t> micros = ParseTimestamp(text);
  EXPECT_TRUE(micros.has_value()) << text;
  return micros.value_or(0);
}
inline int64_t Minutes(int64_t n) {
  return n * kMicrosPerMinute;
}
inline int64_t Seconds(int64_t n) {
  return n * kMicrosPerSecond;
}

class RowCollector : public Collector {
 public:
  Status Collect(Batch batch) override {
    for (size_t i = 0; i < batch.num_rows(); ++i) rows_.push_back(batch.RowToString(i));
    batches_.push_back(std::move(batch));
    return Status::OK();
  }
  /// Rows collected since the last call.
  std::vector<std::string> Take() {
    std::vector<std::string> rows;
    rows.swap(rows_);
    return rows;
  }
  const std::vector<Batch>& batches() const { return batches_; }

 private:
  std::vector<std::string> rows_;
  std::vector<Batch> batches_;
};

class LateRowRecorder : public LateRowHandler {
 public:
  Status OnLateRows(const std::string& operator_id, const Schema& schema, const Batch& rows,
                    int64_t watermark) override {
    operator_ids.push_back(operator_id);
    schemas.push_back(schema);
    watermarks.push_back(watermark);
    for (size_t i = 0; i < rows.num_rows(); ++i) this->rows.push_back(rows.RowToString(i));
    return Status::OK();
  }
  std::vector<std::string> operator_ids;
  std::vector<Schema> schemas;
  std::vector<int64_t> watermarks;
  std::vector<std::string> rows;
};

/// Owns an operator with its context, session, metrics, collector and late-row recorder.
class Harness {
 public:
  explicit Harness(const PlanNode& node, const std::string& time_zone = "") {
    if (!time_zone.empty()) {
      session_.Set("table.local-time-zone", time_zone);
      EXPECT_TRUE(session_.Validate().ok());
    }
    context_.session = &session_;
    context_.metrics = &metrics_;
    context_.late_rows = &late_;
    auto created = CreateOperator(node);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    if (!created.ok()) return;
    operator_ = std::move(created).value();
    Status opened = operator_->Open(context_);
    EXPECT_TRUE(opened.ok()) << opened.ToString();
  }

  Operator& op() { return *operator_; }
  OperatorMetrics& metrics() { return metrics_; }
  LateRowRecorder& late() { return late_; }
  RowCollector& collector() { return out_; }

  /// Processes `batch` and returns the rows it emitted.
  std::vector<std::string> Process(Batch batch) {
    Status s = operator_->Process(std::move(batch), out_);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out_.Take();
  }
  /// Advances the watermark and returns the rows it fired.
  std::vector<std::string> Watermark(int64_t watermark) {
    Status s = operator_->OnWatermark(watermark, out_);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out_.Take();
  }
  std::vector<std::string> Finish() {
    Status s = operator_->Finish(out_);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out_.Take();
  }

 private:
  SessionConfig session_;
  OperatorMetrics metrics_;
  LateRowRecorder late_;
  OperatorContext context_;
  RowCollector out_;
  std::unique_ptr<Operator> operator_;
};

inline Field F(std::string name, LogicalType type) {
  return Field{std::move(name), type};
}

/// A stand-in input node carrying the input schema and changelog mode.
inline PlanNodePtr InputNode(std::vector<Field> fields,
                             ChangelogMode changelog = ChangelogMode::kAppendOnly) {
  auto node = std::make_shared<CalcNode>();
  node->id = "input";
  node->output_schema.fields = std::move(fields);
  node->changelog = changelog;
  return node;
}

inline AggregateCall Agg(AggregateKind kind, int argument, LogicalType argument_type,
                         bool distinct = false) {
  AggregateCall call;
  call.kind = kind;
  call.argument = argument;
  call.argument_type = argument_type;
  call.distinct = distinct;
  call.result_type = AggregateResultType(kind, argument_type).ValueOr(LogicalType::Bigint());
  call.name = call.ToString();
  return call;
}
inline AggregateCall CountStar() {
  AggregateCall call;
  call.result_type = LogicalType::Bigint();
  call.name = "cnt";
  return call;
}

/// A WindowAggregateNode over `input` with the output layout keys..., aggs..., window columns.
inline std::shared_ptr<WindowAggregateNode> WindowNode(PlanNodePtr input, WindowSpec window,
                                                       std::vector<int> keys,
                                                       std::vector<AggregateCall> aggs,
                                                       int64_t allowed_lateness = 0) {
  auto node = std::make_shared<WindowAggregateNode>();
  node->id = "window-1";
  node->window = window;
  node->group_keys = keys;
  node->aggregates = aggs;
  node->allowed_lateness_micros = allowed_lateness;
  node->inputs.push_back(input);
  const Schema& in = input->output_schema;
  for (int k : keys) node->output_schema.fields.push_back(in[k]);
  for (const AggregateCall& a : aggs)
    node->output_schema.fields.push_back(F(a.name, a.result_type));
  // Flink: window_start/window_end are TIMESTAMP(3) (wall clock), window_time keeps the time
  // attribute's type.
  const LogicalType rowtime =
      window.time_is_ltz ? LogicalType::TimestampLtz(3) : LogicalType::Timestamp(3);
  node->output_schema.fields.push_back(F("window_start", LogicalType::Timestamp(3)));
  node->output_schema.fields.push_back(F("window_end", LogicalType::Timestamp(3)));
  node->output_schema.fields.push_back(F("window_time", rowtime));
  node->rowtime_column = static_cast<int>(node->output_schema.size()) - 1;
  return node;
}

inline WindowSpec Tumble(int time_column, int64_t size, int64_t offset = 0) {
  WindowSpec w;
  w.kind = WindowKind::kTumble;
  w.time_column = time_column;
  w.size_micros = size;
  w.offset_micros = offset;
  return w;
}
inline WindowSpec Hop(int time_column, int64_t slide, int64_t size) {
  WindowSpec w;
  w.kind = WindowKind::kHop;
  w.time_column = time_column;
  w.slide_micros = slide;
  w.size_micros = size;
  return w;
}
inline WindowSpec Cumulate(int time_column, int64_t step, int64_t max_size) {
  WindowSpec w;
  w.kind = WindowKind::kCumulate;
  w.time_column = time_column;
  w.step_micros = step;
  w.size_micros = max_size;
  return w;
}
inline WindowSpec Session(int time_column, int64_t gap) {
  WindowSpec w;
  w.kind = WindowKind::kSession;
  w.time_column = time_column;
  w.gap_micros = gap;
  return w;
}

inline std::shared_ptr<GroupAggregateNode> GroupNode(PlanNodePtr input, std::vector<int> keys,
                                                     std::vector<AggregateCall> aggs) {
  auto node = std::make_shared<GroupAggregateNode>();
  node->id = "group-1";
  node->group_keys = keys;
  node->aggregates = aggs;
  node->changelog = ChangelogMode::kUpdating;
  node->inputs.push_back(input);
  for (int k : keys) node->output_schema.fields.push_back(input->output_schema[k]);
  for (const AggregateCall& a : aggs)
    node->output_schema.fields.push_back(F(a.name, a.result_type));
  return node;
}

/// Builds a batch of `schema` from rows of Values.
inline Batch Rows(const Schema& schema, const std::vector<std::vector<Value>>& rows,
                  const std::vector<RowKind>& kinds = {}) {
  BatchBuilder builder(schema);
  for (size_t i = 0; i < rows.size(); ++i) {
    builder.AppendRow(rows[i], kinds.empty() ? RowKind::kInsert : kinds[i]);
  }
  return builder.Finish();
}

using Strings = std::vector<std::string>;

}  // namespace testing
}  // namespace sluice
