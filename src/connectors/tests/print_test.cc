#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

#include "connectors/blackhole/blackhole_connector.h"
#include "connectors/print/print_connector.h"
#include "connectors/print/print_sink.h"
#include "connectors/tests/test_tables.h"

namespace sluice {
namespace {

Batch SampleRows() {
  Schema schema{{{"id", LogicalType::Int()},
                 {"name", LogicalType::Varchar()},
                 {"ts", LogicalType::Timestamp(3)}}};
  BatchBuilder builder(schema);
  builder.AppendRow({Value::Int(1), Value::Varchar("abc"), Value::Timestamp(1704067260000000)});
  builder.AppendRow(
      {Value::Int(2), Value::Null(LogicalType::Varchar()), Value::Timestamp(1704067205120000)},
      RowKind::kUpdateAfter);
  return builder.Finish();
}

std::string ReadBack(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), file)) > 0) text.append(buf, n);
  return text;
}

TEST(PrintSinkTest, PrintsRowsInFlinkFormat) {
  std::FILE* out = std::tmpfile();
  PrintSink sink("", out);
  auto writer = sink.CreateWriter(0, 1);
  ASSERT_TRUE((*writer)->Write(SampleRows()).ok());
  ASSERT_TRUE((*writer)->Flush().ok());
  EXPECT_EQ(ReadBack(out),
            "+I[1, abc, 2024-01-01T00:01]\n"
            "+U[2, null, 2024-01-01T00:00:05.120]\n");
  std::fclose(out);
}

TEST(PrintSinkTest, PrefixesFollowFlink) {
  EXPECT_EQ(PrintPrefix("", 0, 1), "");
  EXPECT_EQ(PrintPrefix("", 2, 4), "3> ");
  EXPECT_EQ(PrintPrefix("sink", 0, 1), "sink> ");
  EXPECT_EQ(PrintPrefix("sink", 1, 2), "sink:2> ");

  std::FILE* out = std::tmpfile();
  PrintSink sink("orders", out);
  auto writer = sink.CreateWriter(1, 2);
  ASSERT_TRUE((*writer)->Write(SampleRows()).ok());
  std::string text = ReadBack(out);
  EXPECT_EQ(text.substr(0, text.find('\n')), "orders:2> +I[1, abc, 2024-01-01T00:01]");
  std::fclose(out);
}

TEST(PrintSinkTest, ParallelWritersNeverInterleaveLines) {
  std::FILE* out = std::tmpfile();
  PrintSink sink("", out);
  Schema schema{{{"text", LogicalType::Varchar()}}};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto writer = sink.CreateWriter(t, 4);
      BatchBuilder builder(schema);
      for (int i = 0; i < 50; ++i) {
        builder.AppendRow({Value::Varchar(std::string(200, static_cast<char>('a' + t)))});
      }
      Batch batch = builder.Finish();
      for (int round = 0; round < 20; ++round) ASSERT_TRUE((*writer)->Write(batch).ok());
    });
  }
  for (auto& thread : threads) thread.join();
  std::string text = ReadBack(out);
  size_t lines = 0;
  for (size_t pos = 0; pos < text.size(); ++lines) {
    size_t end = text.find('\n', pos);
    ASSERT_NE(end, std::string::npos);
    std::string line = text.substr(pos, end - pos);
    // "N> +I[" followed by 200 copies of one letter and "]".
    ASSERT_EQ(line.size(), 3u + 3u + 200u + 1u) << line;
    char letter = line[6];
    EXPECT_EQ(line[0], '1' + (letter - 'a'));
    EXPECT_EQ(line.find_first_not_of(letter, 6), line.size() - 1);
    pos = end + 1;
  }
  EXPECT_EQ(lines, 4u * 50u * 20u);
  std::fclose(out);
}

TEST(PrintSinkTest, ConnectorOptions) {
  auto table = testing::MakeTable("t", Schema{{{"x", LogicalType::Int()}}},
                                  {{"connector", "print"}, {"standard-error", "maybe"}});
  EXPECT_EQ(kPrintConnector.make_sink(testing::MakeContext(table)).status().message(),
            "option 'standard-error' expects 'true' or 'false', got 'maybe'");
}

TEST(BlackholeSinkTest, CountsRowsOfAllWriters) {
  BlackholeSink sink;
  auto a = sink.CreateWriter(0, 2);
  auto b = sink.CreateWriter(1, 2);
  ASSERT_TRUE((*a)->Write(SampleRows()).ok());
  ASSERT_TRUE((*b)->Write(SampleRows()).ok());
  ASSERT_TRUE((*a)->Flush().ok());
  EXPECT_EQ(sink.rows(), 4u);
}

}  // namespace
}  // namespace sluice
