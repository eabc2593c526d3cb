// datagen checkpoints: rows before a snapshot + rows after restoring it == an uninterrupted run,
// row for row; other parallelisms are refused.

#include <gtest/gtest.h>

#include <algorithm>

#include "connectors/datagen/datagen_connector.h"
#include "connectors/tests/test_tables.h"

namespace sluice {
namespace {

using testing::MakeContext;
using testing::MakeTable;

std::unique_ptr<Source> MakeSource(const Schema& schema, Options options) {
  options["connector"] = "datagen";
  options["rows-per-second"] = "unlimited";
  auto source = kDatagenConnector.make_source(MakeContext(MakeTable("gen", schema, options)));
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  if (!source.ok()) return nullptr;
  EXPECT_TRUE((*source)->EnableCheckpointing().ok());
  return std::move(source).value();
}

// Random values whose draws per row vary (var-len strings, NULLs), so that restoring the row
// index alone would not do.
Schema RandomSchema() {
  return Schema{{{"i", LogicalType::Int()},
                 {"s", LogicalType::Varchar()},
                 {"d", LogicalType::Double()},
                 {"p", LogicalType::Decimal(10, 2)},
                 {"f", LogicalType::Boolean()},
                 {"b", LogicalType::Bigint()}}};
}

Options RandomOptions() {
  return {{"fields.i.min", "-50"},   {"fields.i.max", "50"},       {"fields.i.null-rate", "0.3"},
          {"fields.s.length", "40"}, {"fields.s.var-len", "true"}, {"fields.s.null-rate", "0.2"},
          {"fields.d.min", "0"},     {"fields.d.max", "1"},        {"fields.f.null-rate", "0.5"},
          {"sluice.seed", "42"}};
}

// Reads exactly `rows` rows (fewer at the end of the split) in polls of at most max_rows.
bool ReadRows(SplitReader& reader, size_t rows, size_t max_rows, std::vector<std::string>* out) {
  bool end = false;
  size_t got = 0;
  for (int polls = 0; !end && got < rows && polls < 100000; ++polls) {
    auto batch = reader.Poll(std::min(max_rows, rows - got), &end);
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok()) return true;
    for (size_t r = 0; r < batch->num_rows(); ++r) out->push_back(batch->RowToString(r));
    got += batch->num_rows();
  }
  return end;
}

using SplitRows = std::vector<std::vector<std::string>>;

// Every split of a fresh source: `rows` rows each (SIZE_MAX: to the end).
SplitRows ReadAll(Source& source, int parallelism, size_t rows, size_t max_rows) {
  auto splits = source.ListSplits(parallelism);
  EXPECT_TRUE(splits.ok());
  SplitRows out(splits->size());
  for (const SourceSplit& split : *splits) {
    auto reader = source.CreateReader(split);
    EXPECT_TRUE((*reader)->Open().ok());
    ReadRows(**reader, rows, max_rows, &out[split.index]);
  }
  return out;
}

// Reads `cut` rows of every split, snapshots them all, restores a new source from the snapshot
// and reads up to `total` rows per split in all.
SplitRows ReadWithRestore(const Schema& schema, const Options& options, int parallelism, size_t cut,
                          size_t total, size_t max_rows) {
  auto first = MakeSource(schema, options);
  auto splits = first->ListSplits(parallelism);
  SplitRows rows(splits->size());
  std::vector<StreamPosition> positions;
  for (const SourceSplit& split : *splits) {
    auto reader = first->CreateReader(split);
    EXPECT_TRUE((*reader)->Open().ok());
    ReadRows(**reader, cut, max_rows, &rows[split.index]);
    EXPECT_TRUE((*reader)->SnapshotPositions(&positions).ok());
    EXPECT_EQ((*reader)->StreamName(0), split.id);
  }
  EXPECT_EQ(positions.size(), splits->size());
  auto second = MakeSource(schema, options);
  auto new_splits = second->ListSplits(parallelism);
  for (const SourceSplit& split : *new_splits) {
    auto reader = second->CreateReader(split);
    Status restored = (*reader)->RestorePositions(positions);
    EXPECT_TRUE(restored.ok()) << restored.ToString();
    EXPECT_TRUE((*reader)->Open().ok());
    std::vector<std::string>& out = rows[split.index];
    ReadRows(**reader, total - std::min(total, out.size()), max_rows + 3, &out);
  }
  return rows;
}

TEST(DatagenCheckpointTest, BoundedRandomRowsResumeExactly) {
  Options options = RandomOptions();
  options["number-of-rows"] = "301";
  auto whole_source = MakeSource(RandomSchema(), options);
  const SplitRows whole = ReadAll(*whole_source, 3, SIZE_MAX, 1000);
  ASSERT_EQ(whole[0].size(), 101u);
  ASSERT_EQ(whole[2].size(), 100u);
  for (size_t cut : {0, 1, 17, 50, 100, 101}) {
    for (size_t max_rows : {1, 8, 64}) {
      EXPECT_EQ(ReadWithRestore(RandomSchema(), options, 3, cut, SIZE_MAX, max_rows), whole)
          << "cut " << cut << " max_rows " << max_rows;
    }
  }
}

TEST(DatagenCheckpointTest, UnboundedRowsAndSequencesResumeExactly) {
  Schema schema{{{"seq", LogicalType::Bigint()}, {"s", LogicalType::Varchar()}}};
  Options options{{"fields.seq.kind", "sequence"}, {"fields.seq.start", "1"},
                  {"fields.seq.end", "1000000"},   {"fields.s.var-len", "true"},
                  {"fields.s.length", "20"},       {"fields.s.null-rate", "0.1"}};
  auto whole_source = MakeSource(schema, options);
  const SplitRows whole = ReadAll(*whole_source, 2, 120, 11);
  ASSERT_EQ(whole[1].size(), 120u);
  EXPECT_EQ(whole[1][0].substr(0, 10), "+I[500001,");  // split 1 starts half way
  EXPECT_EQ(ReadWithRestore(schema, options, 2, 45, 120, 7), whole);

  Options unbounded = RandomOptions();
  auto unbounded_source = MakeSource(RandomSchema(), unbounded);
  ASSERT_FALSE(unbounded_source->IsBounded());
  const SplitRows endless = ReadAll(*unbounded_source, 4, 200, 33);
  EXPECT_EQ(ReadWithRestore(RandomSchema(), unbounded, 4, 77, 200, 9), endless);
}

TEST(DatagenCheckpointTest, PositionHoldsNextRowAndRandomStates) {
  Options options = RandomOptions();
  options["number-of-rows"] = "10";
  auto source = MakeSource(RandomSchema(), options);
  auto splits = source->ListSplits(1);
  auto reader = std::move(source->CreateReader((*splits)[0])).value();
  ASSERT_TRUE(reader->Open().ok());
  std::vector<std::string> rows;
  std::vector<StreamPosition> positions;
  ReadRows(*reader, 4, 4, &rows);
  ASSERT_TRUE(reader->SnapshotPositions(&positions).ok());
  ReadRows(*reader, 100, 100, &rows);
  ASSERT_TRUE(reader->SnapshotPositions(&positions).ok());
  ASSERT_EQ(positions.size(), 2u);
  EXPECT_EQ(positions[0].stream, "datagen:0/1");
  EXPECT_EQ(positions[0].state.substr(0, 21), "{\"next\":4,\"random\":[\"");
  EXPECT_EQ(std::count(positions[0].state.begin(), positions[0].state.end(), '"'),
            2 * 2 + 2 * 2 * 6);  // two keys, two 16-digit states per column
  EXPECT_EQ(positions[0].state.substr(positions[0].state.size() - 2), "]}");
  EXPECT_EQ(positions[1].state.substr(0, 10), "{\"next\":10");
  EXPECT_EQ(positions[1].state.substr(positions[1].state.size() - 15), "],\"ended\":true}");

  // Restored at its end: nothing more.
  auto again = std::move(source->CreateReader((*splits)[0])).value();
  ASSERT_TRUE(again->RestorePositions({positions[1]}).ok());
  ASSERT_TRUE(again->Open().ok());
  bool end = false;
  auto batch = again->Poll(100, &end);
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(end);
  EXPECT_EQ(batch->num_rows(), 0u);
}

TEST(DatagenCheckpointTest, OtherParallelismIsRefusedNamingBoth) {
  Options options = RandomOptions();
  options["number-of-rows"] = "100";
  auto first = MakeSource(RandomSchema(), options);
  auto splits = first->ListSplits(3);
  std::vector<StreamPosition> positions;
  for (const SourceSplit& split : *splits) {
    auto reader = std::move(first->CreateReader(split)).value();
    ASSERT_TRUE(reader->Open().ok());
    std::vector<std::string> rows;
    ReadRows(*reader, 5, 5, &rows);
    ASSERT_TRUE(reader->SnapshotPositions(&positions).ok());
  }
  auto second = MakeSource(RandomSchema(), options);
  auto fewer = second->ListSplits(2);
  auto reader = std::move(second->CreateReader((*fewer)[0])).value();
  Status restored = reader->RestorePositions(positions);
  EXPECT_EQ(restored.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(restored.message().find("taken at parallelism 3"), std::string::npos)
      << restored.ToString();
  EXPECT_NE(restored.message().find("now runs at parallelism 2"), std::string::npos)
      << restored.ToString();
}

TEST(DatagenCheckpointTest, PositionOfAnotherTableShapeIsRefused) {
  Options options = RandomOptions();
  auto source = MakeSource(RandomSchema(), options);
  auto splits = source->ListSplits(1);
  auto reader = std::move(source->CreateReader((*splits)[0])).value();
  Status restored =
      reader->RestorePositions({{"datagen:0/1", "{\"next\":3,\"random\":[\"00\",\"01\"]}"}});
  EXPECT_EQ(restored.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(restored.message().find("saved for 1 columns, the table has 6"), std::string::npos)
      << restored.ToString();
}

}  // namespace
}  // namespace sluice
