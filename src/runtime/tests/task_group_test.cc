#include "runtime/task_group.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "runtime/exchange_output.h"
#include "runtime/operator_task.h"
#include "runtime/sink_output.h"
#include "runtime/source_task.h"
#include "runtime/tests/test_operators.h"
#include "runtime/tests/test_sources.h"

namespace sluice {
namespace {

using testkit::IdTsRows;

std::shared_ptr<const TableDef> EventsTable() {
  auto table = std::make_shared<TableDef>();
  table->name = "events";
  for (const Field& f : testkit::IdTsSchema().fields)
    table->columns.push_back({f, nullptr, "", false});
  WatermarkDef wm;
  wm.rowtime_column = 1;
  wm.fixed_delay_micros = 0;
  table->watermark = wm;
  return table;
}

/// Sources (2 tasks, 3 splits) -> hash on id -> keyed stage (3 tasks holding rows until the
/// watermark) -> collecting sink writers chained in the keyed stage.
struct Pipeline {
  TaskGroup group;
  std::shared_ptr<testkit::CollectedRows> collected = std::make_shared<testkit::CollectedRows>();
  std::atomic<uint64_t> rows_read{0};
  std::atomic<uint64_t> rows_written{0};

  void Build(bool bounded, std::vector<ChainedOperator> (*source_ops)() = nullptr) {
    constexpr int kSources = 2, kKeyed = 3, kSplits = 3;
    std::vector<Channel*> keyed_inputs;
    for (int i = 0; i < kKeyed; ++i) keyed_inputs.push_back(group.AddChannel(4, kSources));
    std::vector<std::vector<SourceSplitReader>> splits(kSources);
    for (int s = 0; s < kSplits; ++s) {
      std::vector<testkit::ScriptStep> steps;
      for (int b = 0; b < 20; ++b) {
        std::vector<std::pair<int64_t, int64_t>> rows;
        for (int r = 0; r < 50; ++r) {
          int64_t seq = b * 50 + r;
          rows.emplace_back(s * 1'000'000 + seq, seq * 10 + (r % 7));  // a little out of order
        }
        steps.push_back(testkit::Rows(IdTsRows(rows)));
      }
      splits[s % kSources].push_back({SourceSplit{"s" + std::to_string(s), s},
                                      std::make_unique<testkit::ScriptedReader>(steps, bounded)});
    }
    for (int t = 0; t < kSources; ++t) {
      std::vector<int> producer(kKeyed, t);
      auto out = ExchangeOutput::Hash(keyed_inputs, producer, {0});
      auto chain = std::make_unique<OperatorChain>(
          source_ops ? source_ops() : std::vector<ChainedOperator>{}, std::move(out),
          ChainContext{t, kSources});
      SourceTaskOptions options;
      options.rows_read = &rows_read;
      auto task = SourceTask::Create("source " + std::to_string(t), EventsTable(),
                                     std::move(splits[t]), std::move(chain), options);
      ASSERT_TRUE(task.ok());
      group.AddTask(std::move(task).value());
    }
    for (int k = 0; k < kKeyed; ++k) {
      auto sink = std::make_unique<SinkOutput>(
          "out", std::make_unique<testkit::CollectingWriter>(collected, k),
          std::chrono::microseconds(1000), &rows_written, nullptr);
      std::vector<ChainedOperator> ops;
      ops.push_back({std::make_unique<testkit::HoldUntilWatermark>(), "hold"});
      auto chain =
          std::make_unique<OperatorChain>(std::move(ops), std::move(sink), ChainContext{k, kKeyed});
      group.AddTask(std::make_unique<OperatorTask>("keyed " + std::to_string(k), keyed_inputs[k],
                                                   std::move(chain)));
    }
  }
};

TEST(TaskGroupTest, BoundedPipelineDeliversEveryRowOnceWithKeysOnOneInstance) {
  Pipeline p;
  p.Build(/*bounded=*/true);
  ASSERT_TRUE(p.group.Run().ok());
  EXPECT_EQ(p.rows_read.load(), 3000u);
  EXPECT_EQ(p.rows_written.load(), 3000u);
  auto rows = p.collected->Sorted();
  ASSERT_EQ(rows.size(), 3000u);
  EXPECT_EQ(std::unique(rows.begin(), rows.end()), rows.end());
  EXPECT_EQ(p.collected->closes, 3);
  EXPECT_GE(p.collected->flushes, 3);
}

TEST(TaskGroupTest, FirstErrorCancelsEveryTaskAndIsReturned) {
  Pipeline p;
  p.Build(/*bounded=*/false, [] {
    std::vector<ChainedOperator> ops;
    ops.push_back({std::make_unique<testkit::FailOnId>(1'000'500), "fail"});
    return ops;
  });
  auto start = std::chrono::steady_clock::now();
  Status status = p.group.Run();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(status.code(), ErrorCode::kRuntimeError);
  EXPECT_NE(status.message().find("boom at id 1000500"), std::string::npos) << status.message();
}

TEST(TaskGroupTest, CancelStopsAnUnboundedJobPromptly) {
  for (bool drain : {true, false}) {
    Pipeline p;
    p.Build(/*bounded=*/false);
    Status status;
    std::thread runner([&] { status = p.group.Run(); });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (p.rows_read.load() < 3000 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    auto start = std::chrono::steady_clock::now();
    p.group.Cancel(drain);
    runner.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
    if (drain) {
      EXPECT_TRUE(status.ok()) << status.ToString();
      // Draining fires everything held: every row read is written.
      EXPECT_EQ(p.rows_written.load(), p.rows_read.load());
      EXPECT_EQ(p.collected->closes, 3);
    } else {
      EXPECT_EQ(status.code(), ErrorCode::kCancelled);
    }
  }
}

}  // namespace
}  // namespace sluice
