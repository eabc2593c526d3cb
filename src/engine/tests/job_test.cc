#include "engine/job.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "engine/tests/test_plans.h"
#include "types/time_format.h"

namespace sluice {
namespace {

using namespace testkit;  // NOLINT: test helpers

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kMilli = 1'000;

/// 4 splits x 500 rows, users u0..u9, timestamps ~50 ms apart with up to +-1 s of disorder.
SourceScript EventScript(bool bounded) {
  SourceScript script;
  script.bounded = bounded;
  for (int k = 0; k < 4; ++k) {
    std::vector<ScriptStep> steps;
    for (int b = 0; b < 5; ++b) {
      std::vector<std::tuple<int64_t, std::string, int64_t, int64_t>> rows;
      for (int r = 0; r < 100; ++r) {
        int j = b * 100 + r;
        int64_t jitter = ((j * 37 + k) % 21 - 10) * 100 * kMilli;
        rows.emplace_back(k * 100'000 + j, "u" + std::to_string((j * 7 + k) % 10),
                          (j * 13 + k) % 100, j * 50 * kMilli + jitter + 2 * kSecond);
      }
      steps.push_back(Rows(EventRows(rows)));
    }
    script.splits.push_back(std::move(steps));
  }
  return script;
}

/// "user|window_start|cnt|total" for every (user, 10 s window) of rows with amount > 5.
std::vector<std::string> ExpectedWindows(const SourceScript& script) {
  std::map<std::pair<std::string, int64_t>, std::pair<int64_t, int64_t>> groups;
  for (const auto& split : script.splits) {
    for (const auto& step : split) {
      const Batch& b = *step.rows;
      for (size_t r = 0; r < b.num_rows(); ++r) {
        int64_t amount = b.column(2)->Get<int64_t>(r);
        if (amount <= 5) continue;
        int64_t start = b.column(3)->Get<int64_t>(r) / (10 * kSecond) * (10 * kSecond);
        auto& g = groups[{std::string(b.column(1)->GetString(r)), start}];
        g.first += 1;
        g.second += amount;
      }
    }
  }
  std::vector<std::string> out;
  for (const auto& [key, agg] : groups) {
    out.push_back(key.first + "|" + FormatTimestampIso(key.second) + "|" +
                  std::to_string(agg.first) + "|" + std::to_string(agg.second));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> CollectedWindows(CollectedRows& rows) {
  std::lock_guard<std::mutex> lock(rows.mutex);
  std::vector<std::string> out;
  for (const auto& v : rows.values) {
    out.push_back(v[0].GetString() + "|" + v[3].ToString() + "|" + v[1].ToString() + "|" +
                  v[2].ToString());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Scan -> Calc(WHERE amount > 5; user, amount, ts) -> TUMBLE(10 s) GROUP BY user -> Calc -> sink.
PipelinePlan WindowPipeline(const std::string& script, const std::string& into,
                            int64_t delay = 3 * kSecond) {
  auto scan = Scan(EventsTable("events", script, delay), "Scan-0");
  ExprPtr filter =
      BoundExpr::Call(">", LogicalType::Boolean(),
                      {Col(scan->output_schema, 2), BoundExpr::Literal(Value::Bigint(5))});
  auto calc = Project(scan, {1, 2, 3}, "Calc-1", filter);
  auto window = Tumble(calc, 2, 10 * kSecond, {0}, 1, "TumbleWindow-2");
  auto after = Project(window, {0, 1, 2, 3, 4}, "Calc-3");
  PipelinePlan plan;
  plan.sinks.push_back(CollectSink(after, "out", into));
  return plan;
}

JobOptions Options(int parallelism) {
  JobOptions options;
  options.parallelism = parallelism;
  options.extra_connectors = TestConnectors();
  return options;
}

TEST(JobTest, WindowPipelineGivesTheSameResultsAtParallelism1And4) {
  SourceScript script = EventScript(true);
  RegisterScript("window-events", script);
  std::vector<std::string> expected = ExpectedWindows(script);
  ASSERT_GT(expected.size(), 20u);
  for (int parallelism : {1, 4}) {
    auto rows = NewCollection("window-out");
    auto job = Job::Create(WindowPipeline("window-events", "window-out"), SessionConfig(),
                           Options(parallelism));
    ASSERT_TRUE(job.ok()) << job.status().ToString();
    EXPECT_EQ((*job)->physical_plan().stages.size(), 2u);
    Status status = (*job)->Run();
    ASSERT_TRUE(status.ok()) << status.ToString();
    EXPECT_EQ(CollectedWindows(*rows), expected) << "parallelism " << parallelism;
    auto metrics = (*job)->metrics().Read();
    EXPECT_EQ(metrics.total_read, 2000u);
    EXPECT_EQ(metrics.total_written, expected.size());
    EXPECT_EQ(metrics.total_late, 0u);
    EXPECT_EQ(metrics.sink_watermark, kMaxWatermark);
    EXPECT_NE((*job)->Summary().find("read    events: 2,000 rows"), std::string::npos)
        << (*job)->Summary();
  }
}

TEST(JobTest, SharedSourceFeedsEverySinkOfAStatementSet) {
  RegisterScript("shared-events", EventScript(true));
  auto a = NewCollection("shared-a");
  auto b = NewCollection("shared-b");
  auto scan = Scan(EventsTable("events", "shared-events", 0), "Scan-0");
  PipelinePlan plan;
  plan.sinks.push_back(CollectSink(Project(scan, {0, 1}, "Calc-1"), "a", "shared-a"));
  plan.sinks.push_back(CollectSink(Project(scan, {0, 2}, "Calc-2"), "b", "shared-b"));
  auto job = Job::Create(std::move(plan), SessionConfig(), Options(2));
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ((*job)->physical_plan().stages.size(), 3u);
  ASSERT_TRUE((*job)->Run().ok());
  EXPECT_EQ(a->size(), 2000u);
  EXPECT_EQ(b->size(), 2000u);
  auto sorted = a->Sorted();
  EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end());
}

TEST(JobTest, SinkWithOneWriterGetsEveryRowThroughItsOwnStage) {
  RegisterScript("single-writer", EventScript(true));
  auto rows = NewCollection("single-writer-out");
  auto scan = Scan(EventsTable("events", "single-writer", 0), "Scan-0");
  PipelinePlan plan;
  plan.sinks.push_back(CollectSink(scan, "out", "single-writer-out", /*max_writers=*/1));
  auto job = Job::Create(std::move(plan), SessionConfig(), Options(4));
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  ASSERT_EQ((*job)->physical_plan().stages.size(), 2u);
  EXPECT_EQ((*job)->physical_plan().stages[1].parallelism, 1);
  ASSERT_TRUE((*job)->Run().ok());
  EXPECT_EQ(rows->size(), 2000u);
  std::lock_guard<std::mutex> lock(rows->mutex);
  for (int writer : rows->writer_of_row) ASSERT_EQ(writer, 0);
  EXPECT_EQ(rows->closes, 1);
}

TEST(JobTest, UnionOfTwoSourcesReachesOneSink) {
  RegisterScript("union-a", EventScript(true));
  RegisterScript("union-b", EventScript(true));
  auto rows = NewCollection("union-out");
  auto a = Scan(EventsTable("a", "union-a", 0), "Scan-a");
  auto b = Scan(EventsTable("b", "union-b", 0), "Scan-b");
  PipelinePlan plan;
  plan.sinks.push_back(CollectSink(UnionOf({a, b}, "Union-1"), "out", "union-out"));
  auto job = Job::Create(std::move(plan), SessionConfig(), Options(3));
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  ASSERT_TRUE((*job)->Run().ok());
  EXPECT_EQ(rows->size(), 4000u);
}

TEST(JobTest, CancelEndsAnUnboundedJobWithinASecond) {
  for (bool drain : {true, false}) {
    RegisterScript("unbounded", EventScript(false));
    auto rows = NewCollection("unbounded-out");
    auto job =
        Job::Create(WindowPipeline("unbounded", "unbounded-out"), SessionConfig(), Options(2));
    ASSERT_TRUE(job.ok()) << job.status().ToString();
    Status status;
    std::thread runner([&] { status = (*job)->Run(); });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while ((*job)->metrics().Read().total_read < 2000 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    auto start = std::chrono::steady_clock::now();
    (*job)->Cancel(drain);
    runner.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
    if (drain) {
      // Draining acts as the end of a bounded input: every window fires and is written.
      EXPECT_TRUE(status.ok()) << status.ToString();
      EXPECT_EQ(CollectedWindows(*rows), ExpectedWindows(EventScript(false)));
    } else {
      EXPECT_EQ(status.code(), ErrorCode::kCancelled) << status.ToString();
    }
  }
}

TEST(JobTest, OperatorErrorCancelsTheJobAndIsReturned) {
  RegisterScript("div-zero", EventScript(false));
  NewCollection("div-zero-out");
  auto scan = Scan(EventsTable("events", "div-zero", 0), "Scan-0");
  auto calc = std::make_shared<CalcNode>();
  calc->id = "Calc-1";
  calc->projections = {
      BoundExpr::Call("/", LogicalType::Bigint(),
                      {Col(scan->output_schema, 0), BoundExpr::Literal(Value::Bigint(0))})};
  calc->output_schema.fields = {{"q", LogicalType::Bigint()}};
  calc->inputs = {scan};
  PipelinePlan plan;
  plan.sinks.push_back(CollectSink(calc, "out", "div-zero-out"));
  auto job = Job::Create(std::move(plan), SessionConfig(), Options(2));
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  auto start = std::chrono::steady_clock::now();
  Status status = (*job)->Run();  // the source is unbounded: only the error can end the job
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(status.code(), ErrorCode::kRuntimeError) << status.ToString();
  EXPECT_NE(status.message().find("Calc-1"), std::string::npos) << status.message();
}

TEST(JobTest, SourceErrorCancelsTheJobAndIsReturned) {
  SourceScript script = EventScript(false);
  script.bounded = true;
  script.fail_at_end = Status::IoError("disk on fire");
  RegisterScript("failing", script);
  NewCollection("failing-out");
  auto job = Job::Create(WindowPipeline("failing", "failing-out"), SessionConfig(), Options(4));
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  Status status = (*job)->Run();
  EXPECT_EQ(status.code(), ErrorCode::kIoError);
  EXPECT_NE(status.message().find("disk on fire"), std::string::npos);
  EXPECT_NE(status.message().find("scripted:0"), std::string::npos) << status.message();
}

TEST(JobTest, LateRowsAreCountedAndWrittenToTheLateRowFile) {
  auto dir =
      std::filesystem::temp_directory_path() / ("sluice_job_late_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  SourceScript script;
  script.splits.push_back({Rows(EventRows({{1, "a", 10, 1 * kSecond}, {2, "a", 20, 15 * kSecond}})),
                           Rows(EventRows({{3, "a", 30, 2 * kSecond}}))});
  RegisterScript("late", script);
  auto rows = NewCollection("late-out");
  SessionConfig session;
  session.Set("sluice.late-rows.path", dir.string());
  auto job = Job::Create(WindowPipeline("late", "late-out", /*delay=*/0), session, Options(1));
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  ASSERT_TRUE((*job)->Run().ok());
  auto metrics = (*job)->metrics().Read();
  EXPECT_EQ(metrics.total_late, 1u);
  ASSERT_EQ(metrics.late_rows.size(), 1u);
  EXPECT_EQ(metrics.late_rows[0].first, "TumbleWindow-2");
  std::ifstream in(dir / "late-rows.jsonl");
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_NE(line.find("\"operator\": \"TumbleWindow-2\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"amount\": 30"), std::string::npos) << line;
  EXPECT_FALSE(std::getline(in, line));
  // Windows [0, 10) (a: 1 row) and [10, 20) (a: 1 row).
  EXPECT_EQ(rows->size(), 2u);
  std::filesystem::remove_all(dir);
}

TEST(JobTest, ConfigurationErrorsSurfaceAtCreate) {
  RegisterScript("config", EventScript(true));
  NewCollection("config-out");
  SessionConfig bad_flush;
  bad_flush.Set("sluice.sink.flush-interval", "soon");
  auto job = Job::Create(WindowPipeline("config", "config-out"), bad_flush, Options(1));
  EXPECT_EQ(job.status().code(), ErrorCode::kInvalidOption);

  auto unknown = Job::Create(WindowPipeline("config", "config-out"), SessionConfig(), JobOptions{});
  EXPECT_EQ(unknown.status().code(), ErrorCode::kInvalidOption);  // 'scripted' not registered
  EXPECT_NE(unknown.status().message().find("scripted"), std::string::npos);

  auto missing =
      Job::Create(WindowPipeline("no-such-script", "config-out"), SessionConfig(), Options(1));
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace sluice
