// The exactly-once Kafka sink's epoch log (format, damage detection) and committable encoding;
// no broker needed.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "connectors/kafka/kafka_epoch_log.h"
#include "connectors/tests/test_tables.h"

namespace sluice {
namespace {

using testing::TempDir;

struct OwnedRecord {
  int32_t partition;
  int64_t timestamp_ms;
  std::optional<std::string> key, value;
  std::vector<std::pair<std::string, std::optional<std::string>>> headers;
  bool operator==(const OwnedRecord&) const = default;
};

Status Append(KafkaEpochLogWriter& writer, const OwnedRecord& r) {
  KafkaLogRecord record;
  record.partition = r.partition;
  record.timestamp_ms = r.timestamp_ms;
  if (r.key) record.key = *r.key;
  if (r.value) record.value = *r.value;
  for (const auto& [name, value] : r.headers) {
    record.headers.emplace_back(name,
                                value ? std::optional<std::string_view>(*value) : std::nullopt);
  }
  return writer.Append(record);
}

Result<std::vector<OwnedRecord>> ReadAll(const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(auto reader, KafkaEpochLogReader::Open(path));
  std::vector<OwnedRecord> out;
  KafkaLogRecord record;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(bool more, reader->Next(&record));
    if (!more) break;
    OwnedRecord r{record.partition, record.timestamp_ms, {}, {}, {}};
    if (record.key) r.key = std::string(*record.key);
    if (record.value) r.value = std::string(*record.value);
    for (const auto& [name, value] : record.headers) {
      r.headers.emplace_back(
          std::string(name),
          value ? std::optional<std::string>(std::string(*value)) : std::nullopt);
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void Dump(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

TEST(KafkaSinkEpochLogTest, RoundTripsRecordsAcrossBlocks) {
  TempDir dir;
  const std::string writer_dir = dir.File("sinks/uid/3");
  KafkaEpochLogWriter writer(writer_dir, "run.inprogress");
  std::vector<OwnedRecord> records = {
      {2, 1700000000123, "k1", "v1", {}},
      {-1, 0, std::nullopt, "keyless", {}},
      {0, -5, "tomb", std::nullopt, {{"h", "x"}, {"empty", std::nullopt}}},
      {1, 7, std::string(), std::string(), {}},
  };
  // Enough bytes for several 256 KiB blocks.
  for (int i = 0; i < 3000; ++i) {
    records.push_back({i % 4, i, "key" + std::to_string(i), std::string(300, 'a' + i % 26), {}});
  }
  for (const OwnedRecord& r : records) ASSERT_TRUE(Append(writer, r).ok());
  EXPECT_TRUE(std::filesystem::exists(writer_dir + "/run.inprogress"));
  auto stats = writer.Finish("7.log");
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->records, static_cast<int64_t>(records.size()));
  EXPECT_EQ(stats->bytes, static_cast<int64_t>(std::filesystem::file_size(writer_dir + "/7.log")));
  EXPECT_FALSE(std::filesystem::exists(writer_dir + "/run.inprogress"));
  auto read = ReadAll(writer_dir + "/7.log");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, records);

  // The writer goes on with the next epoch in a new file.
  ASSERT_TRUE(Append(writer, {0, 1, "next", "epoch", {}}).ok());
  ASSERT_TRUE(writer.Finish("8.log").ok());
  read = ReadAll(writer_dir + "/8.log");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->size(), 1u);

  auto listing = ListKafkaWriterDir(writer_dir);
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ(listing->logs, (std::map<int64_t, std::string>{{7, "7.log"}, {8, "8.log"}}));
  EXPECT_TRUE(listing->others.empty());
  auto writers = ListKafkaWriterDirs(dir.File("sinks/uid"));
  ASSERT_TRUE(writers.ok());
  EXPECT_EQ(*writers, std::vector<int>{3});
}

TEST(KafkaSinkEpochLogTest, TruncationAndBitFlipsAreRefused) {
  TempDir dir;
  KafkaEpochLogWriter writer(dir.File("w"), "x.inprogress");
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(Append(writer, {0, i, "k", "value", {}}).ok());
  ASSERT_TRUE(writer.Finish("1.log").ok());
  const std::string path = dir.File("w/1.log");
  const std::string good = Slurp(path);

  for (size_t cut : {good.size() - 1, good.size() - 16, good.size() / 2, size_t{10}, size_t{3}}) {
    Dump(path, good.substr(0, cut));
    auto read = ReadAll(path);
    ASSERT_FALSE(read.ok()) << "cut at " << cut;
    EXPECT_NE(read.status().message().find("epoch log '" + path + "'"), std::string::npos)
        << read.status().message();
  }
  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x20;
  Dump(path, flipped);
  auto read = ReadAll(path);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("checksum does not match"), std::string::npos)
      << read.status().message();
  Dump(path, good + "x");
  read = ReadAll(path);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("bytes follow the trailer"), std::string::npos);
  Dump(path, good);
  EXPECT_TRUE(ReadAll(path).ok());
}

TEST(KafkaSinkEpochLogTest, AbandonRemovesTheOpenFile) {
  TempDir dir;
  KafkaEpochLogWriter writer(dir.File("w"), "x.inprogress");
  ASSERT_TRUE(Append(writer, {0, 1, "k", "v", {}}).ok());
  writer.Abandon();
  EXPECT_FALSE(std::filesystem::exists(dir.File("w/x.inprogress")));
  EXPECT_EQ(writer.records(), 0);
}

TEST(KafkaSinkEpochLogTest, CommittableRoundTrip) {
  KafkaEpochCommittable c{"sluice-p-abcdef12-3", "3/17.log", 42, 4096};
  const std::string data = EncodeKafkaCommittable(c);
  EXPECT_EQ(data,
            "kafka-epoch-log 1\ntid=sluice-p-abcdef12-3\npath=3/17.log\nrecords=42\nbytes=4096\n");
  auto back = DecodeKafkaCommittable(data);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->transactional_id, c.transactional_id);
  EXPECT_EQ(back->path, c.path);
  EXPECT_EQ(back->records, 42);
  EXPECT_EQ(back->bytes, 4096);
  EXPECT_FALSE(DecodeKafkaCommittable("kafka-epoch-log 2\ntid=a\n").ok());
  EXPECT_FALSE(DecodeKafkaCommittable("kafka-epoch-log 1\ntid=a\npath=1/1.log\n").ok());
  EXPECT_FALSE(
      DecodeKafkaCommittable("kafka-epoch-log 1\ntid=a\npath=/etc/x\nrecords=1\nbytes=1\n").ok());
}

TEST(KafkaSinkEpochLogTest, Crc32IsZlibs) {
  EXPECT_EQ(KafkaLogCrc32("123456789"), 0xcbf43926u);
  EXPECT_EQ(KafkaLogCrc32(""), 0u);
}

}  // namespace
}  // namespace sluice
