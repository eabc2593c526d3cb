#include <gtest/gtest.h>

#include <filesystem>

#include "common/memory_size.h"
#include "connectors/filesystem/file_source.h"
#include "connectors/filesystem/filesystem_connector.h"
#include "connectors/tests/test_tables.h"
#include "formats/csv/csv_format.h"
#include "formats/json/json_format.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::DrainSplit;
using testing::MakeContext;
using testing::MakeTable;
using testing::TempDir;

Schema OrderSchema() {
  return Schema{{{"id", LogicalType::Int()},
                 {"name", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()}}};
}

std::unique_ptr<Source> MakeSource(const std::string& path, Options options = {},
                                   Schema schema = OrderSchema()) {
  options["connector"] = "filesystem";
  options["path"] = path;
  if (!options.count("format")) options["format"] = "json";
  auto source = kFilesystemConnector.make_source(MakeContext(MakeTable("t", schema, options)));
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  return source.ok() ? std::move(source).value() : nullptr;
}

std::vector<std::string> Files(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(FilesystemSourceTest, ReadsEveryVisibleFileOfADirectoryAsASplit) {
  TempDir dir;
  dir.Write("b.json", "{\"id\": 3, \"name\": \"c\", \"amount\": 3.5}\n");
  dir.Write("a.json",
            "{\"id\": 1, \"name\": \"a\", \"amount\": 1}\n\n{\"id\": 2, \"name\": \"b\"}");
  dir.Write("c.json", "");
  dir.Write(".part-x.inprogress", "{\"id\": 99}\n");
  dir.Write("_SUCCESS", "");
  fs::create_directories(dir.path() / "nested");
  auto source = MakeSource(dir.path().string());
  ASSERT_TRUE(source);
  EXPECT_TRUE(source->IsBounded());
  auto splits = source->ListSplits(8);
  ASSERT_TRUE(splits.ok());
  ASSERT_EQ(splits->size(), 3u);
  EXPECT_EQ((*splits)[0].id, "file:" + dir.File("a.json"));
  EXPECT_EQ(DrainSplit(*source, (*splits)[0]),
            (std::vector<std::string>{"+I[1, a, 1.0]", "+I[2, b, null]"}));
  EXPECT_EQ(DrainSplit(*source, (*splits)[1]), (std::vector<std::string>{"+I[3, c, 3.5]"}));
  EXPECT_TRUE(DrainSplit(*source, (*splits)[2]).empty());
}

TEST(FilesystemSourceTest, RecordsSpanBlocksAndPositionIsAByteOffset) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 500; ++i) {
    text += "{\"id\": " + std::to_string(i) + ", \"name\": \"" + std::string(i % 37, 'x') +
            "\", \"amount\": " + std::to_string(i) + ".25}\n";
  }
  dir.Write("big.json", text);
  auto decoder = kJsonFormat.make_decoder(OrderSchema(), {});
  // 100-byte blocks: most records straddle two blocks; long ones need a bigger block.
  auto reader = MakeFileSplitReader(dir.File("big.json"), std::move(decoder).value(), 100);
  ASSERT_TRUE((*reader)->Open().ok());
  EXPECT_EQ((*reader)->Position(), "0");
  std::vector<Batch> batches;
  bool end = false;
  size_t rows = 0;
  while (!end) {
    auto batch = (*reader)->Poll(64, &end);
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    ASSERT_LE(batch->num_rows(), 64u);
    rows += batch->num_rows();
    batches.push_back(std::move(batch).value());
  }
  EXPECT_EQ(rows, 500u);
  EXPECT_EQ((*reader)->Position(), std::to_string(text.size()));
  // Strings point into blocks the batches keep alive, after the reader is gone.
  reader->reset();
  size_t i = 0;
  for (const Batch& batch : batches) {
    for (size_t r = 0; r < batch.num_rows(); ++r, ++i) {
      EXPECT_EQ(batch.column(0)->Get<int32_t>(r), static_cast<int32_t>(i));
      EXPECT_EQ(batch.column(1)->GetString(r), std::string(i % 37, 'x'));
    }
  }
}

TEST(FilesystemSourceTest, ErrorsNameTheFileAndLine) {
  TempDir dir;
  dir.Write("orders.json",
            "{\"id\": 1, \"amount\": 1}\n\n{\"id\": 2, \"amount\": 2}\n{\"id\": 3, \"amount\": "
            "\"lots\"}\n");
  auto source = MakeSource(dir.File("orders.json"));
  auto splits = source->ListSplits(1);
  auto reader = source->CreateReader((*splits)[0]);
  ASSERT_TRUE((*reader)->Open().ok());
  bool end = false;
  auto batch = (*reader)->Poll(100, &end);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), ErrorCode::kDecodeError);
  EXPECT_EQ(batch.status().message(),
            "orders.json line 4: expected a number for column 'amount', got \"lots\"");
  // Position() points at the bad record.
  EXPECT_EQ((*reader)->Position(), std::to_string(std::string("{\"id\": 1, \"amount\": 1}\n\n"
                                                              "{\"id\": 2, \"amount\": 2}\n")
                                                      .size()));
}

TEST(FilesystemSourceTest, IgnoreParseErrorsSkipsBadLines) {
  TempDir dir;
  dir.Write("x.json", "{\"id\": 1}\n{oops\n{\"id\": 3}\n");
  auto source = MakeSource(dir.File("x.json"), {{"json.ignore-parse-errors", "true"}});
  auto splits = source->ListSplits(1);
  EXPECT_EQ(DrainSplit(*source, (*splits)[0]),
            (std::vector<std::string>{"+I[1, null, null]", "+I[3, null, null]"}));
}

TEST(FilesystemSourceTest, CsvWithQuotedLineBreaksAcrossBlocks) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 50; ++i) {
    text += std::to_string(i) + ",\"line one\nline \"\"two\"\"\"," + std::to_string(i) + ".5\n";
  }
  dir.Write("x.csv", text);
  auto decoder = kCsvFormat.make_decoder(OrderSchema(), {});
  auto reader = MakeFileSplitReader(dir.File("x.csv"), std::move(decoder).value(), 64);
  ASSERT_TRUE((*reader)->Open().ok());
  bool end = false;
  size_t rows = 0;
  while (!end) {
    auto batch = (*reader)->Poll(7, &end);
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    for (size_t r = 0; r < batch->num_rows(); ++r, ++rows) {
      EXPECT_EQ(batch->column(0)->Get<int32_t>(r), static_cast<int32_t>(rows));
      EXPECT_EQ(batch->column(1)->GetString(r), "line one\nline \"two\"");
    }
  }
  EXPECT_EQ(rows, 50u);
}

TEST(FilesystemSourceTest, MissingPathIsNotFound) {
  auto source = MakeSource("/nonexistent/sluice/dir");
  auto splits = source->ListSplits(1);
  EXPECT_EQ(splits.status().code(), ErrorCode::kNotFound);
}

Batch Rows(int first, int count) {
  BatchBuilder builder(OrderSchema());
  for (int i = first; i < first + count; ++i) {
    builder.AppendRow(
        {Value::Int(i), Value::Varchar("n" + std::to_string(i)), Value::Double(i + 0.5)});
  }
  return builder.Finish();
}

TEST(FilesystemSinkTest, PartsBecomeVisibleAtFlushAndRollBySize) {
  TempDir dir;
  const std::string out = dir.File("out");
  Options options{{"connector", "filesystem"},
                  {"path", out},
                  {"format", "json"},
                  {"sink.rolling-policy.file-size", "1kb"}};
  auto sink = kFilesystemConnector.make_sink(MakeContext(MakeTable("t", OrderSchema(), options)));
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  auto writer = (*sink)->CreateWriter(/*instance=*/1, /*parallelism=*/2);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Open().ok());
  ASSERT_TRUE((*writer)->Write(Rows(0, 5)).ok());
  // Written but not flushed: nothing visible.
  for (const std::string& name : Files(out)) EXPECT_EQ(name[0], '.') << name;

  ASSERT_TRUE((*writer)->Flush().ok());
  std::vector<std::string> files = Files(out);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].substr(0, 5), "part-");
  EXPECT_EQ(files[0].substr(files[0].size() - 9), "-1-0.json");
  EXPECT_EQ(testing::ReadFile(out + "/" + files[0]).substr(0, 42),
            "{\"id\":0,\"name\":\"n0\",\"amount\":0.5}\n{\"id\":1,");

  // ~40 bytes a row: 100 rows roll about four 1 KB parts.
  ASSERT_TRUE((*writer)->Write(Rows(5, 100)).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  files = Files(out);
  EXPECT_GE(files.size(), 4u);
  for (const std::string& name : files) EXPECT_EQ(name.substr(0, 5), "part-") << name;

  // Everything written reads back, in order, through the filesystem source.
  auto source = MakeSource(out);
  auto splits = source->ListSplits(1);
  std::vector<std::string> rows;
  for (const auto& split : *splits) {
    auto part = DrainSplit(*source, split);
    rows.insert(rows.end(), part.begin(), part.end());
  }
  ASSERT_EQ(rows.size(), 105u);
  EXPECT_EQ(rows[104], "+I[104, n104, 104.5]");
}

TEST(FilesystemSinkTest, CsvPartsAndUpdatingResultsAreRejected) {
  TempDir dir;
  Options options{{"connector", "filesystem"}, {"path", dir.File("csv")}, {"format", "csv"}};
  auto table = MakeTable("report", OrderSchema(), options);
  auto sink = kFilesystemConnector.make_sink(MakeContext(table));
  auto writer = (*sink)->CreateWriter(0, 1);
  ASSERT_TRUE((*writer)->Open().ok());
  ASSERT_TRUE((*writer)->Write(Rows(0, 2)).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  std::vector<std::string> files = Files(dir.File("csv"));
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].substr(files[0].size() - 4), ".csv");
  EXPECT_EQ(testing::ReadFile(dir.File("csv") + "/" + files[0]), "0,n0,0.5\n1,n1,1.5\n");

  auto updating = kFilesystemConnector.make_sink(MakeContext(table, /*updating=*/true));
  EXPECT_EQ(updating.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(updating.status().message().find("'report' (filesystem) only accepts inserts"),
            std::string::npos);
}

TEST(MemorySizeTest, ParsesFlinkMemorySizes) {
  EXPECT_EQ(*ParseMemorySize("128MB"), 128LL << 20);
  EXPECT_EQ(*ParseMemorySize("64 kb"), 64LL << 10);
  EXPECT_EQ(*ParseMemorySize("1g"), 1LL << 30);
  EXPECT_EQ(*ParseMemorySize("100"), 100);
  EXPECT_EQ(ParseMemorySize("12 parsecs").status().code(), ErrorCode::kInvalidOption);
  EXPECT_EQ(ParseMemorySize("mb").status().code(), ErrorCode::kInvalidOption);
}

}  // namespace
}  // namespace sluice
