// orders checkpoints: rows before a snapshot + rows after restoring it == an uninterrupted run;
// 'now' start times and the raw file survive the restart; other parallelisms are refused.

#include <gtest/gtest.h>

#include <algorithm>

#include "connectors/orders/orders_connector.h"
#include "connectors/orders/orders_options.h"
#include "connectors/orders/orders_source.h"
#include "connectors/tests/test_tables.h"

namespace sluice {
namespace {

using testing::MakeContext;
using testing::MakeTable;
using testing::TempDir;

Schema OrderSchema() {
  return Schema{{{"order_id", LogicalType::Varchar()},
                 {"customer_id", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()},
                 {"status", LogicalType::Varchar()},
                 {"timestamp", LogicalType::Bigint()}}};
}

Options BaseOptions() {
  return {{"rows-per-second", "unlimited"},
          {"orders.max-out-of-orderness", "3 s"},
          {"orders.late-ratio", "0.1"}};
}

// The source over `options`, with 'now' meaning `now_ms`.
std::unique_ptr<Source> MakeSource(const Options& options, int64_t now_ms = 0) {
  auto config = ParseOrdersConfig(options, now_ms);
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  auto source = std::make_unique<OrdersSource>(OrderSchema(), *config);
  EXPECT_TRUE(source->EnableCheckpointing().ok());
  return source;
}

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

SplitRows ReadAll(Source& source, int parallelism, size_t rows, size_t max_rows) {
  auto splits = source.ListSplits(parallelism);
  SplitRows out(splits->size());
  for (const SourceSplit& split : *splits) {
    auto reader = std::move(source.CreateReader(split)).value();
    EXPECT_TRUE(reader->Open().ok());
    ReadRows(*reader, rows, max_rows, &out[split.index]);
    EXPECT_TRUE(reader->Close().ok());
  }
  return out;
}

// `cut` rows per split, snapshot, a new source (its 'now' at `restart_now_ms`) restored from
// it, then up to `total` rows per split in all.
SplitRows ReadWithRestore(const Options& options, int parallelism, size_t cut, size_t total,
                          int64_t now_ms = 0, int64_t restart_now_ms = 0) {
  auto first = MakeSource(options, now_ms);
  auto splits = first->ListSplits(parallelism);
  SplitRows rows(splits->size());
  std::vector<StreamPosition> positions;
  for (const SourceSplit& split : *splits) {
    auto reader = std::move(first->CreateReader(split)).value();
    EXPECT_TRUE(reader->Open().ok());
    ReadRows(*reader, cut, 7, &rows[split.index]);
    EXPECT_TRUE(reader->SnapshotPositions(&positions).ok());
    EXPECT_EQ(reader->StreamName(0), split.id);
    // Rows after the checkpoint that the crash loses (they reach the raw file too).
    std::vector<std::string> lost;
    ReadRows(*reader, 5, 5, &lost);
    EXPECT_TRUE(reader->Close().ok());
  }
  auto second = MakeSource(options, restart_now_ms);
  auto new_splits = second->ListSplits(parallelism);
  for (const SourceSplit& split : *new_splits) {
    auto reader = std::move(second->CreateReader(split)).value();
    Status restored = reader->RestorePositions(positions);
    EXPECT_TRUE(restored.ok()) << restored.ToString();
    Status opened = reader->Open();
    EXPECT_TRUE(opened.ok()) << opened.ToString();
    std::vector<std::string>& out = rows[split.index];
    ReadRows(*reader, total - std::min(total, out.size()), 13, &out);
    EXPECT_TRUE(reader->Close().ok());
  }
  return rows;
}

TEST(OrdersCheckpointTest, BoundedRowsResumeExactly) {
  Options options = BaseOptions();
  options["number-of-rows"] = "200";
  auto whole_source = MakeSource(options);
  const SplitRows whole = ReadAll(*whole_source, 3, SIZE_MAX, 1000);
  ASSERT_EQ(whole[0].size(), 67u);
  ASSERT_EQ(whole[2].size(), 66u);
  for (size_t cut : {0, 1, 30, 66, 67}) {
    EXPECT_EQ(ReadWithRestore(options, 3, cut, SIZE_MAX), whole) << "cut " << cut;
  }
}

TEST(OrdersCheckpointTest, UnboundedRowsResumeExactly) {
  auto whole_source = MakeSource(BaseOptions());
  const SplitRows whole = ReadAll(*whole_source, 2, 150, 1000);
  ASSERT_EQ(whole[1].size(), 150u);
  EXPECT_EQ(ReadWithRestore(BaseOptions(), 2, 61, 150), whole);
}

TEST(OrdersCheckpointTest, StartTimeNowIsKeptAcrossARestore) {
  Options options = BaseOptions();
  options["orders.start-time"] = "now";
  auto whole_source = MakeSource(options, /*now_ms=*/1'000'000);
  const SplitRows whole = ReadAll(*whole_source, 1, 40, 1000);
  // Restarted an hour later: the event times still continue the first run's.
  EXPECT_EQ(ReadWithRestore(options, 1, 20, 40, 1'000'000, 1'000'000 + 3'600'000), whole);
  // Without the saved start time the restarted run's rows would differ.
  auto later = MakeSource(options, 1'000'000 + 3'600'000);
  EXPECT_NE(ReadAll(*later, 1, 40, 1000), whole);
}

TEST(OrdersCheckpointTest, RawFileListsExactlyTheRowsEmittedAcrossARestart) {
  TempDir dir;
  Options options = BaseOptions();
  options["number-of-rows"] = "90";
  options["orders.raw-path"] = dir.File("once");
  auto whole_source = MakeSource(options);
  ReadAll(*whole_source, 2, SIZE_MAX, 1000);
  options["orders.raw-path"] = dir.File("restarted");
  ReadWithRestore(options, 2, 20, SIZE_MAX);
  for (const std::string split : {"/split-0.jsonl", "/split-1.jsonl"}) {
    const std::string once = testing::ReadFile(dir.File("once") + split);
    EXPECT_EQ(std::count(once.begin(), once.end(), '\n'), 45);
    EXPECT_EQ(testing::ReadFile(dir.File("restarted") + split), once) << split;
  }
}

TEST(OrdersCheckpointTest, FinishedSplitSnapshotAfterCloseKeepsItsRawFile) {
  TempDir dir;
  Options options = BaseOptions();
  options["number-of-rows"] = "12";
  options["orders.raw-path"] = dir.File("raw.jsonl");
  auto source = MakeSource(options);
  auto splits = source->ListSplits(1);
  std::vector<StreamPosition> positions;
  {
    auto reader = std::move(source->CreateReader((*splits)[0])).value();
    ASSERT_TRUE(reader->Open().ok());
    std::vector<std::string> rows;
    ASSERT_TRUE(ReadRows(*reader, SIZE_MAX, 5, &rows));
    ASSERT_TRUE(reader->Close().ok());
    ASSERT_TRUE(reader->SnapshotPositions(&positions).ok());
  }
  const std::string raw = testing::ReadFile(dir.File("raw.jsonl"));
  ASSERT_EQ(std::count(raw.begin(), raw.end(), '\n'), 12);
  EXPECT_NE(positions[0].state.find("\"raw_bytes\":" + std::to_string(raw.size())),
            std::string::npos)
      << positions[0].state;
  auto restored = MakeSource(options);
  auto new_splits = restored->ListSplits(1);
  auto reader = std::move(restored->CreateReader((*new_splits)[0])).value();
  ASSERT_TRUE(reader->RestorePositions(positions).ok());
  ASSERT_TRUE(reader->Open().ok());
  std::vector<std::string> rows;
  EXPECT_TRUE(ReadRows(*reader, SIZE_MAX, 5, &rows));
  EXPECT_TRUE(rows.empty());
  ASSERT_TRUE(reader->Close().ok());
  EXPECT_EQ(testing::ReadFile(dir.File("raw.jsonl")), raw);
}

TEST(OrdersCheckpointTest, PositionSaysNextStartTimeAndEnd) {
  Options options = BaseOptions();
  options["number-of-rows"] = "10";
  auto source = MakeSource(options);
  auto splits = source->ListSplits(2);
  auto reader = std::move(source->CreateReader((*splits)[1])).value();
  ASSERT_TRUE(reader->Open().ok());
  std::vector<std::string> rows;
  std::vector<StreamPosition> positions;
  ReadRows(*reader, 3, 3, &rows);
  ASSERT_TRUE(reader->SnapshotPositions(&positions).ok());
  EXPECT_EQ(rows[0].substr(0, 15), "+I[ord-00000001");  // split 1 of 2: events 1, 3, 5, ...
  ReadRows(*reader, 100, 100, &rows);
  ASSERT_TRUE(reader->SnapshotPositions(&positions).ok());
  ASSERT_EQ(positions.size(), 2u);
  EXPECT_EQ(positions[0].stream, "orders:1/2");
  EXPECT_EQ(positions[0].state, "{\"next\":3,\"start_time_ms\":1767225600000}");
  EXPECT_EQ(positions[1].state, "{\"next\":5,\"start_time_ms\":1767225600000,\"ended\":true}");
}

TEST(OrdersCheckpointTest, OtherParallelismIsRefusedNamingBoth) {
  auto first = MakeSource(BaseOptions());
  auto splits = first->ListSplits(2);
  std::vector<StreamPosition> positions;
  for (const SourceSplit& split : *splits) {
    auto reader = std::move(first->CreateReader(split)).value();
    ASSERT_TRUE(reader->Open().ok());
    std::vector<std::string> rows;
    ReadRows(*reader, 5, 5, &rows);
    ASSERT_TRUE(reader->SnapshotPositions(&positions).ok());
  }
  auto second = MakeSource(BaseOptions());
  auto more = second->ListSplits(4);
  auto reader = std::move(second->CreateReader((*more)[3])).value();
  Status restored = reader->RestorePositions(positions);
  EXPECT_EQ(restored.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(restored.message().find("taken at parallelism 2"), std::string::npos)
      << restored.ToString();
  EXPECT_NE(restored.message().find("now runs at parallelism 4"), std::string::npos)
      << restored.ToString();
}

TEST(OrdersCheckpointTest, RegisteredConnectorTakesPartInCheckpoints) {
  Options options = BaseOptions();
  options["connector"] = "orders";
  auto source =
      kOrdersConnector.make_source(MakeContext(MakeTable("orders", OrderSchema(), options)));
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_TRUE((*source)->EnableCheckpointing().ok());
}

}  // namespace
}  // namespace sluice
