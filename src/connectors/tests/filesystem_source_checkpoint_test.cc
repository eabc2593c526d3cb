// File source checkpoints: a reader snapshotted anywhere and restored in a new source goes on
// with exactly the rows an uninterrupted read would have returned.

#include <gtest/gtest.h>

#include <filesystem>

#include "connectors/filesystem/file_source.h"
#include "connectors/filesystem/filesystem_connector.h"
#include "connectors/tests/test_tables.h"
#include "formats/json/json_format.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::DrainSplit;
using testing::MakeContext;
using testing::MakeTable;
using testing::TempDir;

Schema RowSchema() {
  return Schema{{{"id", LogicalType::Int()},
                 {"name", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()}}};
}

std::unique_ptr<Source> MakeSource(const std::string& path, const std::string& format) {
  Options options = {{"connector", "filesystem"}, {"path", path}, {"format", format}};
  auto source = kFilesystemConnector.make_source(MakeContext(MakeTable("t", RowSchema(), options)));
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  if (!source.ok()) return nullptr;
  EXPECT_TRUE((*source)->EnableCheckpointing().ok());
  return std::move(source).value();
}

// Polls `reader` (max_rows at a time) until at least `rows` rows or the end; true at the end.
bool ReadRows(SplitReader& reader, size_t rows, size_t max_rows, std::vector<std::string>* out) {
  bool end = false;
  size_t got = 0;
  for (int polls = 0; !end && got < rows && polls < 100000; ++polls) {
    auto batch = reader.Poll(max_rows, &end);
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok()) return true;
    for (size_t r = 0; r < batch->num_rows(); ++r) out->push_back(batch->RowToString(r));
    got += batch->num_rows();
  }
  return end;
}

// Blank lines, CRLF, a record longer than the others, no newline at the very end.
void WriteJsonFiles(const TempDir& dir) {
  dir.Write("a.json",
            "{\"id\": 1, \"name\": \"a\", \"amount\": 1.5}\n\n"
            "{\"id\": 2, \"name\": \"bb\", \"amount\": 2}\r\n"
            "{\"id\": 3, \"name\": \"" +
                std::string(300, 'c') +
                "\", \"amount\": 3}\n"
                "   \n"
                "{\"id\": 4, \"name\": \"d\"}\n"
                "{\"id\": 5, \"name\": \"e\", \"amount\": 5.25}");
  dir.Write("b.json", "{\"id\": 10, \"name\": \"x\", \"amount\": 0}\n");
  std::string many;
  for (int i = 0; i < 9; ++i) {
    many += "{\"id\": " + std::to_string(100 + i) + ", \"name\": \"n" + std::to_string(i) +
            "\", \"amount\": " + std::to_string(i) + "}\n";
  }
  dir.Write("c.json", many);
}

// Quoted separators, a quoted newline, doubled quotes, CRLF, blank lines, no final newline.
void WriteCsvFiles(const TempDir& dir) {
  dir.Write("a.csv",
            "1,\"a, with comma\",1.5\n"
            "2,\"two\nlines\",2\n"
            "\n"
            "3,plain,3\r\n"
            "4,\"say \"\"hi\"\"\",4\n"
            "5,e,5");
  dir.Write("b.csv", "10,x,0\n11,y,1\n");
  std::string many;
  for (int i = 0; i < 9; ++i) many += std::to_string(100 + i) + ",n" + std::to_string(i) + ",1\n";
  dir.Write("c.csv", many);
}

// Every cut point: read `cut` rows of each file, snapshot, restore all positions into a new
// source listed with another parallelism hint, read the rest. Prefix + rest == the whole file.
void CheckEveryCutPoint(const std::string& dir, const std::string& format) {
  auto whole_source = MakeSource(dir, format);
  ASSERT_TRUE(whole_source);
  auto whole_splits = whole_source->ListSplits(1);
  ASSERT_TRUE(whole_splits.ok());
  ASSERT_EQ(whole_splits->size(), 3u);
  std::vector<std::vector<std::string>> whole;
  for (const SourceSplit& split : *whole_splits) whole.push_back(DrainSplit(*whole_source, split));
  ASSERT_EQ(whole[0].size(), 5u);
  ASSERT_EQ(whole[2].size(), 9u);

  for (size_t max_rows : {1, 2, 4}) {
    for (size_t cut = 0; cut <= 10; ++cut) {
      SCOPED_TRACE(format + " cut " + std::to_string(cut) + " max_rows " +
                   std::to_string(max_rows));
      auto first = MakeSource(dir, format);
      auto splits = first->ListSplits(1);
      ASSERT_TRUE(splits.ok());
      std::vector<std::vector<std::string>> rows(splits->size());
      std::vector<StreamPosition> positions;
      for (const SourceSplit& split : *splits) {
        auto reader = first->CreateReader(split);
        ASSERT_TRUE(reader.ok());
        ASSERT_TRUE((*reader)->Open().ok());
        ReadRows(**reader, cut, max_rows, &rows[split.index]);
        ASSERT_TRUE((*reader)->SnapshotPositions(&positions).ok());
        EXPECT_EQ((*reader)->StreamName(0), split.id);
        ASSERT_TRUE((*reader)->Close().ok());
      }
      ASSERT_EQ(positions.size(), splits->size());

      auto second = MakeSource(dir, format);
      auto new_splits = second->ListSplits(4);  // the hint changes nothing: one split per file
      ASSERT_TRUE(new_splits.ok());
      ASSERT_EQ(new_splits->size(), splits->size());
      for (const SourceSplit& split : *new_splits) {
        auto reader = second->CreateReader(split);
        ASSERT_TRUE(reader.ok());
        ASSERT_TRUE((*reader)->RestorePositions(positions).ok());
        ASSERT_TRUE((*reader)->Open().ok());
        EXPECT_TRUE(ReadRows(**reader, SIZE_MAX, max_rows, &rows[split.index]));
        ASSERT_TRUE((*reader)->Close().ok());
      }
      EXPECT_EQ(rows, whole);
    }
  }
}

TEST(FileSourceCheckpointTest, JsonRestoresAtEveryCutPoint) {
  TempDir dir;
  WriteJsonFiles(dir);
  CheckEveryCutPoint(dir.path().string(), "json");
}

TEST(FileSourceCheckpointTest, CsvRestoresAtEveryCutPoint) {
  TempDir dir;
  WriteCsvFiles(dir);
  CheckEveryCutPoint(dir.path().string(), "csv");
}

TEST(FileSourceCheckpointTest, PositionIsOffsetAndLineAfterTheLastRowHandedOver) {
  TempDir dir;
  const std::string line = "{\"id\": 1, \"name\": \"a\", \"amount\": 1}\n";  // 36 bytes
  dir.Write("a.json", line + "\n" + line + line);
  auto source = MakeSource(dir.File("a.json"), "json");
  auto splits = source->ListSplits(1);
  auto reader = source->CreateReader((*splits)[0]);
  ASSERT_TRUE((*reader)->Open().ok());
  std::vector<StreamPosition> positions;
  ASSERT_TRUE((*reader)->SnapshotPositions(&positions).ok());
  std::vector<std::string> rows;
  ReadRows(**reader, 1, 1, &rows);
  ASSERT_TRUE((*reader)->SnapshotPositions(&positions).ok());
  ReadRows(**reader, 1, 1, &rows);  // the blank line is consumed with the row after it
  ASSERT_TRUE((*reader)->SnapshotPositions(&positions).ok());
  EXPECT_TRUE(ReadRows(**reader, 10, 10, &rows));
  ASSERT_TRUE((*reader)->SnapshotPositions(&positions).ok());
  ASSERT_EQ(positions.size(), 4u);
  const std::string stream = "file:" + dir.File("a.json");
  for (const StreamPosition& p : positions) EXPECT_EQ(p.stream, stream);
  const std::string n = std::to_string(line.size());
  EXPECT_EQ(positions[0].state, "{\"offset\":0,\"line\":0}");
  EXPECT_EQ(positions[1].state, "{\"offset\":" + n + ",\"line\":1}");
  EXPECT_EQ(positions[2].state,
            "{\"offset\":" + std::to_string(2 * line.size() + 1) + ",\"line\":3}");
  EXPECT_EQ(positions[3].state,
            "{\"offset\":" + std::to_string(3 * line.size() + 1) + ",\"line\":4,\"ended\":true}");
}

TEST(FileSourceCheckpointTest, RestoresAcrossBlockBoundaries) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 60; ++i) {
    text += "{\"id\": " + std::to_string(i) + ", \"name\": \"" + std::string(i % 23, 'x') +
            "\", \"amount\": " + std::to_string(i) + ".5}\n";
  }
  dir.Write("big.json", text);
  const std::string path = dir.File("big.json");
  auto make_reader = [&] {
    auto decoder = kJsonFormat.make_decoder(RowSchema(), {});
    return std::move(MakeFileSplitReader(path, std::move(decoder).value(), 64)).value();
  };
  std::vector<std::string> whole;
  {
    auto reader = make_reader();
    ASSERT_TRUE(reader->Open().ok());
    ASSERT_TRUE(ReadRows(*reader, SIZE_MAX, 7, &whole));
  }
  ASSERT_EQ(whole.size(), 60u);
  for (size_t cut : {1, 5, 13, 29, 59}) {
    std::vector<std::string> rows;
    std::vector<StreamPosition> positions;
    {
      auto reader = make_reader();
      ASSERT_TRUE(reader->Open().ok());
      ReadRows(*reader, cut, 1, &rows);
      ASSERT_TRUE(reader->SnapshotPositions(&positions).ok());
    }
    auto reader = make_reader();
    ASSERT_TRUE(reader->RestorePositions(positions).ok());
    ASSERT_TRUE(reader->Open().ok());
    ASSERT_TRUE(ReadRows(*reader, SIZE_MAX, 3, &rows));
    EXPECT_EQ(rows, whole) << "cut " << cut;
  }
}

TEST(FileSourceCheckpointTest, ErrorsAfterARestoreNameTheRightLine) {
  TempDir dir;
  dir.Write("a.json", "{\"id\": 1}\n{\"id\": 2}\n\n{\"id\": 3}\n{\"id\": \"oops\"}\n");
  auto source = MakeSource(dir.File("a.json"), "json");
  auto splits = source->ListSplits(1);
  std::vector<StreamPosition> positions;
  {
    auto reader = source->CreateReader((*splits)[0]);
    ASSERT_TRUE((*reader)->Open().ok());
    std::vector<std::string> rows;
    ReadRows(**reader, 2, 1, &rows);
    ASSERT_EQ(rows.size(), 2u);
    ASSERT_TRUE((*reader)->SnapshotPositions(&positions).ok());
  }
  auto reader = source->CreateReader((*splits)[0]);
  ASSERT_TRUE((*reader)->RestorePositions(positions).ok());
  ASSERT_TRUE((*reader)->Open().ok());
  bool end = false;
  auto batch = (*reader)->Poll(1, &end);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->RowToString(0), "+I[3, null, null]");
  batch = (*reader)->Poll(10, &end);
  ASSERT_FALSE(batch.ok());
  EXPECT_NE(batch.status().message().find("a.json line 5"), std::string::npos)
      << batch.status().ToString();
}

TEST(FileSourceCheckpointTest, EndedFileStaysEndedEvenWhenDeleted) {
  TempDir dir;
  dir.Write("a.json", "{\"id\": 1}\n");
  auto source = MakeSource(dir.path().string(), "json");
  auto splits = source->ListSplits(1);
  std::vector<StreamPosition> positions;
  {
    auto reader = source->CreateReader((*splits)[0]);
    ASSERT_TRUE((*reader)->Open().ok());
    std::vector<std::string> rows;
    ASSERT_TRUE(ReadRows(**reader, SIZE_MAX, 10, &rows));
    ASSERT_EQ(rows.size(), 1u);
    ASSERT_TRUE((*reader)->SnapshotPositions(&positions).ok());
  }
  ASSERT_EQ(positions.size(), 1u);
  EXPECT_NE(positions[0].state.find("\"ended\":true"), std::string::npos);
  fs::remove(dir.File("a.json"));
  auto reader = source->CreateReader((*splits)[0]);
  ASSERT_TRUE((*reader)->RestorePositions(positions).ok());
  ASSERT_TRUE((*reader)->Open().ok());
  bool end = false;
  auto batch = (*reader)->Poll(10, &end);
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(end);
  EXPECT_EQ(batch->num_rows(), 0u);
}

TEST(FileSourceCheckpointTest, FileWithoutAPositionIsReadFromItsStart) {
  TempDir dir;
  dir.Write("a.json", "{\"id\": 1}\n{\"id\": 2}\n");
  auto source = MakeSource(dir.path().string(), "json");
  auto splits = source->ListSplits(1);
  std::vector<StreamPosition> positions;
  {
    auto reader = source->CreateReader((*splits)[0]);
    ASSERT_TRUE((*reader)->Open().ok());
    std::vector<std::string> rows;
    ReadRows(**reader, 1, 1, &rows);
    ASSERT_TRUE((*reader)->SnapshotPositions(&positions).ok());
  }
  dir.Write("b.json", "{\"id\": 7}\n");  // appeared after the checkpoint
  auto restored = MakeSource(dir.path().string(), "json");
  auto new_splits = restored->ListSplits(2);
  ASSERT_EQ(new_splits->size(), 2u);
  std::vector<std::string> rows;
  for (const SourceSplit& split : *new_splits) {
    auto reader = restored->CreateReader(split);
    ASSERT_TRUE((*reader)->RestorePositions(positions).ok());
    ASSERT_TRUE((*reader)->Open().ok());
    ReadRows(**reader, SIZE_MAX, 10, &rows);
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"+I[2, null, null]", "+I[7, null, null]"}));
}

TEST(FileSourceCheckpointTest, ChangedFileIsRefused) {
  TempDir dir;
  dir.Write("a.json", "{\"id\": 1}\n{\"id\": 2}\n{\"id\": 3}\n");
  auto source = MakeSource(dir.File("a.json"), "json");
  auto splits = source->ListSplits(1);
  std::vector<StreamPosition> positions;
  {
    auto reader = source->CreateReader((*splits)[0]);
    ASSERT_TRUE((*reader)->Open().ok());
    std::vector<std::string> rows;
    ReadRows(**reader, 2, 1, &rows);
    ASSERT_TRUE((*reader)->SnapshotPositions(&positions).ok());
  }
  for (const std::string& text : {std::string("{\"id\": 1}\n"),  // shorter than the offset
                                  std::string("{\"id\": 1}\n{\"id\": 22}\n{\"id\": 3}\n")}) {
    dir.Write("a.json", text);
    auto reader = source->CreateReader((*splits)[0]);
    ASSERT_TRUE((*reader)->RestorePositions(positions).ok());
    Status opened = (*reader)->Open();
    ASSERT_FALSE(opened.ok());
    EXPECT_NE(opened.message().find("changed since the checkpoint"), std::string::npos)
        << opened.ToString();
  }
}

TEST(FileSourceCheckpointTest, BadPositionIsAnError) {
  TempDir dir;
  dir.Write("a.json", "{\"id\": 1}\n");
  auto source = MakeSource(dir.File("a.json"), "json");
  auto splits = source->ListSplits(1);
  auto reader = source->CreateReader((*splits)[0]);
  Status restored = (*reader)->RestorePositions({{(*splits)[0].id, "{\"next\":3}"}});
  EXPECT_EQ(restored.code(), ErrorCode::kInvalidArgument) << restored.ToString();
}

}  // namespace
}  // namespace sluice
