#include "runtime/late_row_recorder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "runtime/tests/test_sources.h"

namespace sluice {
namespace {

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("sluice_late_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(LateRowRecorderTest, WritesOneJsonLinePerRowAndCounts) {
  std::string dir = TempDir("json") + "/nested";
  JobMetrics metrics;
  metrics.OperatorLateRows("window-1");
  auto recorder = LateRowRecorder::Create(dir, &metrics, TimeZone::Utc());
  ASSERT_TRUE(recorder.ok()) << recorder.status().ToString();

  Schema schema;
  schema.fields = {{"id", LogicalType::Bigint()},
                   {"name", LogicalType::Varchar()},
                   {"ts", LogicalType::Timestamp(3)},
                   {"price", LogicalType::Decimal(10, 2)},
                   {"ok", LogicalType::Boolean()}};
  BatchBuilder builder(schema);
  builder.AppendRow({Value::Bigint(7), Value::Varchar("a \"q\"\n"), Value::Timestamp(1'500'000),
                     Value::Decimal(1250, 10, 2), Value::Boolean(true)});
  builder.AppendRow({Value::Bigint(8), Value::Null(LogicalType::Varchar()), Value::Timestamp(0),
                     Value::Decimal(-5, 10, 2), Value::Boolean(false)});
  ASSERT_TRUE((*recorder)->OnLateRows("window-1", schema, builder.Finish(), 2'000'000).ok());
  ASSERT_TRUE((*recorder)->Close().ok());

  auto lines = ReadLines(dir + "/late-rows.jsonl");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "{\"operator\": \"window-1\", \"watermark\": \"1970-01-01 00:00:02.000\", \"row\": "
            "{\"id\": 7, \"name\": \"a \\\"q\\\"\\n\", \"ts\": \"1970-01-01 00:00:01.500\", "
            "\"price\": 12.50, \"ok\": true}}");
  EXPECT_NE(lines[1].find("\"name\": null"), std::string::npos);
  EXPECT_NE(lines[1].find("\"price\": -0.05"), std::string::npos);
  auto snapshot = metrics.Read();
  EXPECT_EQ(snapshot.total_late, 2u);
  ASSERT_EQ(snapshot.late_rows.size(), 1u);
  EXPECT_EQ(snapshot.late_rows[0].first, "window-1");
  std::filesystem::remove_all(TempDir("json"));
}

TEST(LateRowRecorderTest, WithoutDirectoryRowsAreCountedPerOperator) {
  JobMetrics metrics;
  auto recorder = LateRowRecorder::Create(std::nullopt, &metrics, TimeZone::Utc());
  ASSERT_TRUE(recorder.ok());
  EXPECT_EQ((*recorder)->path(), "");
  auto rows = testkit::IdTsRows({{1, 1}, {2, 2}, {3, 3}});
  // Concurrent callers from several task threads; an operator id never registered still counts.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        ASSERT_TRUE((*recorder)->OnLateRows("unregistered", testkit::IdTsSchema(), rows, 0).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  auto snapshot = metrics.Read();
  EXPECT_EQ(snapshot.total_late, 1200u);
  EXPECT_NE(metrics.Summary().find("unregistered: 1,200"), std::string::npos) << metrics.Summary();
}

TEST(LateRowRecorderTest, UnwritableDirectoryIsAnIoError) {
  auto recorder =
      LateRowRecorder::Create(std::string("/proc/sluice-no-such-dir"), nullptr, TimeZone::Utc());
  EXPECT_FALSE(recorder.ok());
  EXPECT_EQ(recorder.status().code(), ErrorCode::kIoError);
}

TEST(JobMetricsTest, StatusLineAndSummaryShowCounters) {
  JobMetrics metrics;
  metrics.SourceRows("orders")->fetch_add(1234567);
  metrics.SinkRows("out")->fetch_add(42);
  auto* watermark = metrics.AddSinkWatermark();
  metrics.AddSinkWatermark()->store(60'000'000);
  watermark->store(1'000'000);
  metrics.Start();
  metrics.Stop();
  std::string line = metrics.StatusLine();
  EXPECT_NE(line.find("read 1.2 M rows"), std::string::npos) << line;
  EXPECT_NE(line.find("written 42"), std::string::npos) << line;
  EXPECT_NE(line.find("watermark 1970-01-01 00:00:01.000"), std::string::npos) << line;
  std::string summary = metrics.Summary();
  EXPECT_NE(summary.find("read    orders: 1,234,567 rows"), std::string::npos) << summary;
  EXPECT_NE(summary.find("written out: 42 rows"), std::string::npos) << summary;
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(1000), "1,000");
}

}  // namespace
}  // namespace sluice
