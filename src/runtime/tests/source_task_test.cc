#include "runtime/source_task.h"

#include <gtest/gtest.h>

#include <thread>

#include "runtime/tests/test_operators.h"
#include "runtime/tests/test_sources.h"

namespace sluice {
namespace {

using testkit::IdTsRows;
using testkit::RecordingOutput;
using testkit::Rows;
using testkit::ScriptedReader;
using testkit::ScriptStep;
using testkit::Watermark;

std::shared_ptr<const TableDef> EventsTable(std::optional<int64_t> delay) {
  auto table = std::make_shared<TableDef>();
  table->name = "events";
  for (const Field& f : testkit::IdTsSchema().fields)
    table->columns.push_back({f, nullptr, "", false});
  if (delay) {
    WatermarkDef wm;
    wm.rowtime_column = 1;
    wm.fixed_delay_micros = *delay;
    table->watermark = wm;
  }
  return table;
}

struct SourceHarness {
  std::unique_ptr<SourceTask> task;
  RecordingOutput* output = nullptr;
  std::atomic<uint64_t> rows_read{0};

  void Build(std::shared_ptr<const TableDef> table,
             std::vector<std::unique_ptr<SplitReader>> readers, int64_t idle_timeout_micros = 0,
             std::vector<ChainedOperator> ops = {}) {
    std::vector<SourceSplitReader> splits;
    for (size_t i = 0; i < readers.size(); ++i) {
      splits.push_back(
          {SourceSplit{"split-" + std::to_string(i), static_cast<int>(i)}, std::move(readers[i])});
    }
    auto out = std::make_unique<RecordingOutput>();
    output = out.get();
    auto chain = std::make_unique<OperatorChain>(std::move(ops), std::move(out), ChainContext{});
    SourceTaskOptions options;
    options.idle_timeout_micros = idle_timeout_micros;
    options.rows_read = &rows_read;
    auto created = SourceTask::Create("source task", std::move(table), std::move(splits),
                                      std::move(chain), options);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    task = std::move(created).value();
  }
};

std::unique_ptr<SplitReader> Script(std::vector<ScriptStep> steps, bool bounded = true) {
  return std::make_unique<ScriptedReader>(std::move(steps), bounded);
}

/// Waits (bounded) until `done` holds.
template <typename F>
bool WaitFor(F done, std::chrono::milliseconds limit = std::chrono::milliseconds(2000)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

TEST(SourceTaskTest, CutsBatchesAtPerRowWatermarksThenEndsWithMax) {
  SourceHarness h;
  std::vector<std::unique_ptr<SplitReader>> readers;
  readers.push_back(Script({Rows(IdTsRows({{1, 10}, {2, 20}, {3, 5}, {4, 30}, {5, 12}}))}));
  h.Build(EventsTable(0), std::move(readers));
  RunControl control;
  ASSERT_TRUE(h.task->Run(control).ok());
  EXPECT_EQ(h.output->events(),
            (std::vector<std::string>{"row 1", "row 2", "wm 20", "row 3", "row 4", "wm 30", "row 5",
                                      "wm max", "end"}));
  EXPECT_EQ(h.rows_read.load(), 5u);
}

TEST(SourceTaskTest, TaskWatermarkIsMinOverSplitsAndEndedSplitsStopCounting) {
  SourceHarness h;
  std::vector<std::unique_ptr<SplitReader>> readers;
  readers.push_back(Script({Rows(IdTsRows({{1, 100}})), Rows(IdTsRows({{2, 200}}))}));
  readers.push_back(Script({Rows(IdTsRows({{10, 50}}))}));
  h.Build(EventsTable(0), std::move(readers));
  RunControl control;
  ASSERT_TRUE(h.task->Run(control).ok());
  // Round 1: split 0 -> 100 (min still -inf), split 1 -> 50 (min 50), then split 1 ends (min =
  // split 0 = 100). Round 2: split 0 -> 200 and ends.
  EXPECT_EQ(h.output->events(), (std::vector<std::string>{"row 1", "row 10", "wm 50", "wm 100",
                                                          "row 2", "wm 200", "wm max", "end"}));
}

TEST(SourceTaskTest, ExplicitWatermarksAdvanceTheSplit) {
  SourceHarness h;
  std::vector<std::unique_ptr<SplitReader>> readers;
  readers.push_back(Script({Rows(IdTsRows({{1, 10}})), Watermark(25), Watermark(15),
                            Rows(IdTsRows({{2, 20}, {3, 40}}))}));
  h.Build(EventsTable(5), std::move(readers));
  RunControl control;
  ASSERT_TRUE(h.task->Run(control).ok());
  // ts 10 - 5 = 5; explicit 25; 15 is behind; row ts 20 may be late (already emitted, no cut).
  EXPECT_EQ(h.output->events(), (std::vector<std::string>{"row 1", "wm 5", "wm 25", "row 2",
                                                          "row 3", "wm 35", "wm max", "end"}));
}

TEST(SourceTaskTest, NullRowtimeFailsNamingTableAndSplit) {
  SourceHarness h;
  BatchBuilder builder(testkit::IdTsSchema());
  builder.AppendRow({Value::Bigint(1), Value::Null(LogicalType::Timestamp(3))});
  std::vector<std::unique_ptr<SplitReader>> readers;
  readers.push_back(Script({Rows(builder.Finish())}));
  h.Build(EventsTable(0), std::move(readers));
  RunControl control;
  Status status = h.task->Run(control);
  EXPECT_EQ(status.code(), ErrorCode::kRuntimeError);
  EXPECT_NE(status.message().find("events"), std::string::npos);
  EXPECT_NE(status.message().find("split-0"), std::string::npos);
}

TEST(SourceTaskTest, IdleSplitIsLeftOutAfterTheTimeout) {
  SourceHarness h;
  std::vector<std::unique_ptr<SplitReader>> readers;
  readers.push_back(Script({Rows(IdTsRows({{1, 1000}}))}, /*bounded=*/false));
  readers.push_back(Script({}, /*bounded=*/false));  // never produces anything
  h.Build(EventsTable(0), std::move(readers), /*idle_timeout_micros=*/30'000);
  RunControl control;
  Status status;
  std::thread runner([&] { status = h.task->Run(control); });
  bool advanced = WaitFor([&] { return h.output->Contains("wm 1000"); });
  bool idle = WaitFor([&] { return h.output->Contains("idle"); });
  control.RequestDrain();
  runner.join();
  EXPECT_TRUE(advanced) << "the idle split must not hold the watermark back";
  EXPECT_TRUE(idle) << "with every split idle the task must report idleness";
  EXPECT_TRUE(status.ok()) << status.ToString();
  auto events = h.output->events();
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[events.size() - 2], "wm max");
  EXPECT_EQ(events.back(), "end");
}

TEST(SourceTaskTest, WithoutIdleTimeoutASilentSplitHoldsTheWatermark) {
  SourceHarness h;
  std::vector<std::unique_ptr<SplitReader>> readers;
  readers.push_back(Script({Rows(IdTsRows({{1, 1000}}))}, /*bounded=*/false));
  readers.push_back(Script({}, /*bounded=*/false));
  h.Build(EventsTable(0), std::move(readers), /*idle_timeout_micros=*/0);
  RunControl control;
  Status status;
  std::thread runner([&] { status = h.task->Run(control); });
  ASSERT_TRUE(WaitFor([&] { return h.output->Contains("row 1"); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  control.RequestDrain();
  runner.join();
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(h.output->events(), (std::vector<std::string>{"row 1", "wm max", "end"}));
}

TEST(SourceTaskTest, DrainAndStopEndAnUnboundedSourceQuickly) {
  for (bool drain : {true, false}) {
    SourceHarness h;
    std::vector<std::unique_ptr<SplitReader>> readers;
    readers.push_back(Script({Rows(IdTsRows({{1, 5}}))}, /*bounded=*/false));
    std::vector<ChainedOperator> ops;
    ops.push_back({std::make_unique<testkit::HoldUntilWatermark>(), "hold"});
    h.Build(EventsTable(10), std::move(readers), 0, std::move(ops));
    RunControl control;
    Status status;
    std::thread runner([&] { status = h.task->Run(control); });
    ASSERT_TRUE(WaitFor([&] { return h.rows_read.load() == 1; }));
    auto start = std::chrono::steady_clock::now();
    if (drain) {
      control.RequestDrain();
    } else {
      control.RequestStop();
    }
    runner.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
    if (drain) {
      EXPECT_TRUE(status.ok());
      // The held row fires on the final watermark.
      EXPECT_EQ(h.output->events(), (std::vector<std::string>{"wm -5", "row 1", "wm max", "end"}));
    } else {
      EXPECT_EQ(status.code(), ErrorCode::kCancelled);
      EXPECT_FALSE(h.output->Contains("end"));
    }
  }
}

TEST(SourceTaskTest, NoSplitsEndsAtOnce) {
  SourceHarness h;
  h.Build(EventsTable(0), {});
  RunControl control;
  ASSERT_TRUE(h.task->Run(control).ok());
  EXPECT_EQ(h.output->events(), (std::vector<std::string>{"wm max", "end"}));
}

/// Keeps every batch a task emits, and its watermarks.
class BatchCapture : public TaskOutput {
 public:
  Status Collect(Batch batch) override {
    batches.push_back(std::move(batch));
    return Status::OK();
  }
  Status EmitWatermark(int64_t watermark) override {
    watermarks.push_back(watermark);
    return Status::OK();
  }
  Status EmitStatus(bool) override { return Status::OK(); }
  Status EmitEnd() override { return Status::OK(); }
  Status EmitBarrier(const Barrier&, TaskSnapshot*) override { return Status::OK(); }
  std::vector<Batch> batches;
  std::vector<int64_t> watermarks;
};

TEST(SourceTaskTest, ComputedColumnsAreEvaluatedAndCanCarryTheWatermark) {
  // (id BIGINT, ts TIMESTAMP(3), later AS ts + INTERVAL '10' SECOND,
  //  WATERMARK FOR later AS later - INTERVAL '0.000004' SECOND) -- the general expression path.
  auto table = std::make_shared<TableDef>();
  table->name = "events";
  for (const Field& f : testkit::IdTsSchema().fields)
    table->columns.push_back({f, nullptr, "", false});
  ExprPtr ts = BoundExpr::ColumnRef(1, LogicalType::Timestamp(3), "ts");
  table->columns.push_back({{"later", LogicalType::Timestamp(3)},
                            BoundExpr::Call("+", LogicalType::Timestamp(3),
                                            {ts, BoundExpr::Literal(Value::Interval(10))}),
                            "",
                            false});
  WatermarkDef wm;
  wm.rowtime_column = 2;
  wm.expression = BoundExpr::Call("-", LogicalType::Timestamp(3),
                                  {BoundExpr::ColumnRef(2, LogicalType::Timestamp(3), "later"),
                                   BoundExpr::Literal(Value::Interval(4))});
  table->watermark = wm;

  std::vector<SourceSplitReader> splits;
  splits.push_back(
      {SourceSplit{"only", 0}, Script({Rows(IdTsRows({{1, 100}, {2, 50}, {3, 200}}))})});
  auto out = std::make_unique<BatchCapture>();
  BatchCapture* capture = out.get();
  auto chain = std::make_unique<OperatorChain>(std::vector<ChainedOperator>{}, std::move(out),
                                               ChainContext{});
  auto task = SourceTask::Create("source", table, std::move(splits), std::move(chain), {});
  ASSERT_TRUE(task.ok()) << task.status().ToString();
  RunControl control;
  Status status = (*task)->Run(control);
  ASSERT_TRUE(status.ok()) << status.ToString();

  // Row 2 (later = 60) is behind the watermark 106 set by row 1: the batch is cut before it.
  ASSERT_EQ(capture->batches.size(), 2u);
  EXPECT_EQ(capture->batches[0].num_rows(), 1u);
  EXPECT_EQ(capture->batches[1].num_rows(), 2u);
  ASSERT_EQ(capture->batches[1].num_columns(), 3u);
  EXPECT_EQ(capture->batches[0].column(2)->Get<int64_t>(0), 110);
  EXPECT_EQ(capture->batches[1].column(2)->Get<int64_t>(0), 60);
  EXPECT_EQ(capture->batches[1].column(2)->Get<int64_t>(1), 210);
  EXPECT_EQ(capture->watermarks, (std::vector<int64_t>{106, 206, kMaxWatermark}));
}

TEST(SourceTaskTest, MetadataColumnsComeAfterPhysicalColumnsInTheProducedRow) {
  // Declared (offset METADATA, id, ts); the connector produces (id, ts, offset).
  auto table = std::make_shared<TableDef>();
  table->name = "events";
  table->columns.push_back({{"offset", LogicalType::Bigint()}, nullptr, "offset", false});
  table->columns.push_back({{"id", LogicalType::Bigint()}, nullptr, "", false});
  table->columns.push_back({{"ts", LogicalType::Timestamp(3)}, nullptr, "", false});
  WatermarkDef wm;
  wm.rowtime_column = 2;
  wm.fixed_delay_micros = 0;
  table->watermark = wm;
  Schema produced;
  produced.fields = {{"id", LogicalType::Bigint()},
                     {"ts", LogicalType::Timestamp(3)},
                     {"offset", LogicalType::Bigint()}};
  BatchBuilder builder(produced);
  builder.AppendRow({Value::Bigint(7), Value::Timestamp(1000), Value::Bigint(42)});
  SourceHarness h;
  std::vector<std::unique_ptr<SplitReader>> readers;
  readers.push_back(Script({Rows(builder.Finish())}));
  h.Build(table, std::move(readers));
  RunControl control;
  ASSERT_TRUE(h.task->Run(control).ok());
  // The recording output shows column 0 of the full row: the offset.
  EXPECT_EQ(h.output->events(), (std::vector<std::string>{"row 42", "wm 1000", "wm max", "end"}));
}

/// A reader over several streams (like a Kafka consumer's partitions): each step returns rows of
/// one stream, or ends a stream.
class StreamsReader : public SplitReader {
 public:
  struct Step {
    int64_t stream;
    Batch rows;  // empty with end_stream
    bool end_stream = false;
  };
  StreamsReader(std::vector<int64_t> announced, std::vector<Step> steps)
      : announced_(std::move(announced)), steps_(std::move(steps)) {}
  bool TakeAddedStream(int64_t* stream) override {
    if (announced_.empty()) return false;
    *stream = announced_.back();
    announced_.pop_back();
    return true;
  }
  Result<Batch> Poll(size_t, bool* end_of_split) override {
    if (next_ >= steps_.size()) {
      *end_of_split = true;
      return Batch();
    }
    Step& step = steps_[next_++];
    if (step.end_stream) {
      ended_ = step.stream;
      return Batch();
    }
    last_ = step.stream;
    return std::move(step.rows);
  }
  int64_t LastPollStream() const override { return last_; }
  bool TakeEndedStream(int64_t* stream) override {
    if (ended_ < 0) return false;
    *stream = ended_;
    ended_ = -1;
    return true;
  }

 private:
  std::vector<int64_t> announced_;
  std::vector<Step> steps_;
  size_t next_ = 0;
  int64_t last_ = 0;
  int64_t ended_ = -1;
};

TEST(SourceTaskTest, EachStreamHasItsOwnWatermarkAndEndedStreamsStopHoldingIt) {
  SourceHarness h;
  std::vector<StreamsReader::Step> steps;
  steps.push_back({0, IdTsRows({{1, 100}})});
  // Stream 1 is behind stream 0: with one watermark for the split, ts 50 would be late.
  steps.push_back({1, IdTsRows({{2, 50}})});
  steps.push_back({1, IdTsRows({{3, 60}})});
  steps.push_back({0, IdTsRows({{4, 110}})});
  steps.push_back({1, Batch(), true});  // stream 1 revoked: the split follows stream 0 alone
  steps.push_back({0, IdTsRows({{5, 120}})});
  std::vector<std::unique_ptr<SplitReader>> readers;
  // Both partitions are assigned before any rows arrive.
  readers.push_back(std::make_unique<StreamsReader>(std::vector<int64_t>{0, 1}, std::move(steps)));
  h.Build(EventsTable(0), std::move(readers));
  RunControl control;
  ASSERT_TRUE(h.task->Run(control).ok());
  EXPECT_EQ(h.output->events(),
            (std::vector<std::string>{"row 1", "row 2", "wm 50", "row 3", "wm 60", "row 4",
                                      "wm 110", "row 5", "wm 120", "wm max", "end"}));
}

}  // namespace
}  // namespace sluice
