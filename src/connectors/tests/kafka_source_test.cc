// The kafka source against librdkafka's mock cluster: startup and bounded modes, partitions as
// streams, consumer-group rebalances, keys, metadata columns, bad records, broker outages.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "connectors/kafka/kafka_connector.h"
#include "connectors/kafka/kafka_source.h"
#include "connectors/tests/kafka_test_util.h"
#include "connectors/tests/test_tables.h"

namespace sluice {
namespace {

using testing::KafkaMessage;
using testing::MakeContext;
using testing::MakeTable;
using testing::MockKafka;
using testing::Never;
using testing::PolledRows;
using testing::PollUntil;
using testing::RowCountAtLeast;
using testing::TempDir;

Schema OrderSchema() {
  return Schema{{{"id", LogicalType::Bigint()}, {"name", LogicalType::Varchar()}}};
}

std::string Order(int id, const std::string& name = "") {
  return "{\"id\": " + std::to_string(id) + ", \"name\": \"" +
         (name.empty() ? "n" + std::to_string(id) : name) + "\"}";
}

struct Table {
  TableContext context;
  std::unique_ptr<Source> source;
};

// A kafka source table over `topic`; `metadata` columns (name, key, type) follow the physical
// ones.
Table MakeSource(const MockKafka& kafka, const std::string& topic, Options options,
                 Schema schema = OrderSchema(),
                 std::vector<std::pair<std::string, MetadataDef>> metadata = {}) {
  options["connector"] = "kafka";
  options["topic"] = topic;
  options["properties.bootstrap.servers"] = kafka.bootstraps();
  if (!options.count("format") && !options.count("value.format")) options["format"] = "json";
  if (!options.count("scan.startup.mode")) options["scan.startup.mode"] = "earliest-offset";
  // The mock cluster waits for departed members up to their session timeout before a new member
  // may join (a real broker does not): keep it short.
  options.emplace("properties.session.timeout.ms", "6000");
  options.emplace("properties.heartbeat.interval.ms", "500");
  if (const char* debug = getenv("KAFKA_TEST_DEBUG")) options.emplace("properties.debug", debug);
  auto table = MakeTable("orders", schema, options);
  Table out;
  out.context = MakeContext(table);
  for (auto& [name, def] : metadata) {
    ColumnDef column;
    column.field = {name, def.type};
    column.metadata_key = std::string(def.key);
    table->columns.push_back(column);
    out.context.physical_schema.fields.push_back(column.field);
    out.context.metadata_keys.emplace_back(def.key);
  }
  out.context.errors = std::make_shared<SourceErrorCounters>();
  auto source = kKafkaConnector.make_source(out.context);
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  if (source.ok()) out.source = std::move(source).value();
  return out;
}

std::unique_ptr<SplitReader> OpenReader(Source& source, int index = 0, int parallelism = 1) {
  auto splits = source.ListSplits(parallelism);
  EXPECT_TRUE(splits.ok()) << splits.status().ToString();
  if (!splits.ok() || static_cast<int>(splits->size()) <= index) return nullptr;
  auto reader = source.CreateReader((*splits)[index]);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return nullptr;
  Status open = (*reader)->Open();
  EXPECT_TRUE(open.ok()) << open.ToString();
  return std::move(reader).value();
}

void ProduceOrders(MockKafka& kafka, const std::string& topic, int partition, int from, int to) {
  for (int i = from; i < to; ++i) {
    kafka.Produce(topic, partition, "k" + std::to_string(i), Order(i));
  }
  kafka.Flush();
}

std::multiset<std::string> AsSet(const std::vector<std::string>& rows) {
  return std::multiset<std::string>(rows.begin(), rows.end());
}

std::string Row(int id) {
  return "+I[" + std::to_string(id) + ", n" + std::to_string(id) + "]";
}

TEST(KafkaSourceTest, BoundedEarliestReadsEveryPartitionAsItsOwnStream) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 3);
  for (int p = 0; p < 3; ++p) ProduceOrders(kafka, "orders", p, p * 100, p * 100 + 10);
  auto table = MakeSource(kafka, "orders", {{"scan.bounded.mode", "latest-offset"}});
  ASSERT_TRUE(table.source);
  EXPECT_TRUE(table.source->IsBounded());
  auto splits = table.source->ListSplits(8);
  ASSERT_TRUE(splits.ok());
  ASSERT_EQ(splits->size(), 3u);  // no more readers than partitions
  EXPECT_EQ((*splits)[0].id, "kafka:orders#0/3");

  auto reader = OpenReader(*table.source);
  ASSERT_TRUE(reader);
  PolledRows polled = PollUntil(*reader, Never(), 20, /*max_rows=*/4);
  ASSERT_TRUE(polled.status.ok()) << polled.status.ToString();
  EXPECT_TRUE(polled.end_of_split);
  ASSERT_EQ(polled.rows.size(), 30u);
  // Rows of a partition come in offset order, each batch from one partition (stream).
  std::map<int64_t, std::vector<std::string>> by_stream;
  for (size_t i = 0; i < polled.rows.size(); ++i) {
    by_stream[polled.row_streams[i]].push_back(polled.rows[i]);
  }
  ASSERT_EQ(by_stream.size(), 3u);
  for (int p = 0; p < 3; ++p) {
    std::vector<std::string> expected;
    for (int i = p * 100; i < p * 100 + 10; ++i) expected.push_back(Row(i));
    EXPECT_EQ(by_stream[p], expected) << "partition " << p;  // topic index 0: stream = partition
  }
  EXPECT_EQ(std::set<int64_t>(polled.added.begin(), polled.added.end()),
            (std::set<int64_t>{0, 1, 2}));
  EXPECT_EQ(std::set<int64_t>(polled.ended.begin(), polled.ended.end()),
            (std::set<int64_t>{0, 1, 2}));
  EXPECT_EQ(reader->Position().rfind("orders[", 0), 0u) << reader->Position();
  EXPECT_TRUE(reader->Close().ok());
}

TEST(KafkaSourceTest, EmptyTopicWithBoundedModeEndsAtOnce) {
  MockKafka kafka;
  kafka.CreateTopic("empty", 2);
  auto table = MakeSource(kafka, "empty", {{"scan.bounded.mode", "latest-offset"}});
  auto reader = OpenReader(*table.source);
  ASSERT_TRUE(reader);
  PolledRows polled = PollUntil(*reader, Never(), 20);
  EXPECT_TRUE(polled.status.ok()) << polled.status.ToString();
  EXPECT_TRUE(polled.end_of_split);
  EXPECT_TRUE(polled.rows.empty());
}

TEST(KafkaSourceTest, LatestOffsetReadsOnlyNewRecords) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 1);
  ProduceOrders(kafka, "orders", 0, 0, 5);
  auto table = MakeSource(kafka, "orders", {{"scan.startup.mode", "latest-offset"}});
  auto reader = OpenReader(*table.source);
  ASSERT_TRUE(reader);
  // Let the reader join the group and resolve its start before producing more.
  PolledRows polled = PollUntil(*reader, Never(), 3);
  ASSERT_TRUE(polled.status.ok()) << polled.status.ToString();
  EXPECT_TRUE(polled.rows.empty());
  ProduceOrders(kafka, "orders", 0, 5, 8);
  polled = PollUntil(*reader, RowCountAtLeast(3), 20);
  EXPECT_EQ(polled.rows, (std::vector<std::string>{Row(5), Row(6), Row(7)}));
  EXPECT_FALSE(polled.end_of_split);
  EXPECT_TRUE(reader->Close().ok());
}

TEST(KafkaSourceTest, SpecificOffsetsStartAndEnd) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 2);
  ProduceOrders(kafka, "orders", 0, 0, 10);
  ProduceOrders(kafka, "orders", 1, 100, 110);
  auto table =
      MakeSource(kafka, "orders",
                 {{"scan.startup.mode", "specific-offsets"},
                  {"scan.startup.specific-offsets", "partition:0,offset:7"},
                  {"scan.bounded.mode", "specific-offsets"},
                  {"scan.bounded.specific-offsets", "partition:0,offset:9;partition:1,offset:3"}});
  auto reader = OpenReader(*table.source);
  ASSERT_TRUE(reader);
  PolledRows polled = PollUntil(*reader, Never(), 20);
  ASSERT_TRUE(polled.status.ok()) << polled.status.ToString();
  EXPECT_TRUE(polled.end_of_split);
  // Partition 0: offsets 7, 8 (end 9 exclusive); partition 1 has no start: earliest, up to 3.
  EXPECT_EQ(AsSet(polled.rows), AsSet({Row(7), Row(8), Row(100), Row(101), Row(102)}));
}

// Timestamp start and end modes need the broker's time index, which librdkafka 2.0's mock cluster
// lacks: test/e2e/test_kafka_connector.py covers them against a real broker.

TEST(KafkaSourceTest, GroupOffsetsResumeWhereTheGroupCommitted) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 2);
  ProduceOrders(kafka, "orders", 0, 0, 5);
  ProduceOrders(kafka, "orders", 1, 100, 105);
  {
    auto table = MakeSource(kafka, "orders",
                            {{"properties.group.id", "g1"},
                             {"scan.startup.mode", "group-offsets"},
                             {"properties.auto.offset.reset", "earliest"},
                             {"scan.bounded.mode", "latest-offset"}});
    auto reader = OpenReader(*table.source);
    ASSERT_TRUE(reader);
    PolledRows polled = PollUntil(*reader, Never(), 20);
    ASSERT_TRUE(polled.status.ok()) << polled.status.ToString();
    EXPECT_EQ(polled.rows.size(), 10u);
    EXPECT_TRUE(reader->Close().ok());  // commits
  }
  ProduceOrders(kafka, "orders", 0, 5, 7);
  ProduceOrders(kafka, "orders", 1, 105, 106);
  auto table = MakeSource(kafka, "orders",
                          {{"properties.group.id", "g1"},
                           {"scan.startup.mode", "group-offsets"},
                           {"scan.bounded.mode", "latest-offset"}});
  auto reader = OpenReader(*table.source);
  ASSERT_TRUE(reader);
  PolledRows polled = PollUntil(*reader, Never(), 20);
  ASSERT_TRUE(polled.status.ok()) << polled.status.ToString();
  EXPECT_EQ(AsSet(polled.rows), AsSet({Row(5), Row(6), Row(105)}));
}

TEST(KafkaSourceTest, GroupOffsetsWithoutCommitFailLikeFlink) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 1);
  ProduceOrders(kafka, "orders", 0, 0, 3);
  auto table = MakeSource(
      kafka, "orders", {{"properties.group.id", "fresh"}, {"scan.startup.mode", "group-offsets"}});
  auto reader = OpenReader(*table.source);
  ASSERT_TRUE(reader);
  PolledRows polled = PollUntil(*reader, Never(), 10);
  ASSERT_FALSE(polled.status.ok());
  EXPECT_NE(polled.status.message().find("orders[0] has no committed offset in group 'fresh'"),
            std::string::npos)
      << polled.status.message();
  EXPECT_NE(polled.status.message().find("'properties.auto.offset.reset'"), std::string::npos);
}

TEST(KafkaSourceTest, TwoReadersSplitThePartitionsAndTheSurvivorTakesOver) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 4);
  for (int p = 0; p < 4; ++p) ProduceOrders(kafka, "orders", p, p * 100, p * 100 + 5);
  auto table = MakeSource(kafka, "orders", {{"properties.group.id", "pair"}});
  auto a = OpenReader(*table.source, 0, 2);
  auto b = OpenReader(*table.source, 1, 2);
  ASSERT_TRUE(a && b);
  PolledRows from_a, from_b;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (from_a.rows.size() + from_b.rows.size() < 20 &&
         std::chrono::steady_clock::now() < deadline) {
    from_a = PollUntil(*a, Never(), 0.2, 1000, from_a);
    from_b = PollUntil(*b, Never(), 0.2, 1000, from_b);
    ASSERT_TRUE(from_a.status.ok() && from_b.status.ok());
  }
  ASSERT_EQ(from_a.rows.size() + from_b.rows.size(), 20u);
  std::set<int64_t> streams_a(from_a.row_streams.begin(), from_a.row_streams.end());
  std::set<int64_t> streams_b(from_b.row_streams.begin(), from_b.row_streams.end());
  // After the group settled each reader holds two partitions (rows read before B joined may
  // have come from any partition, so only the final split is checked below).
  EXPECT_FALSE(streams_a.empty());
  EXPECT_FALSE(streams_b.empty());

  // A goes away: its partitions move to B, which continues after what A handed out.
  ASSERT_TRUE(a->Close().ok());
  for (int p = 0; p < 4; ++p) ProduceOrders(kafka, "orders", p, p * 100 + 5, p * 100 + 7);
  PolledRows more = PollUntil(*b, RowCountAtLeast(8), 30);
  ASSERT_TRUE(more.status.ok()) << more.status.ToString();
  std::multiset<std::string> all = AsSet(from_a.rows);
  for (const auto& r : from_b.rows) all.insert(r);
  for (const auto& r : more.rows) all.insert(r);
  for (int p = 0; p < 4; ++p) {
    for (int i = p * 100; i < p * 100 + 7; ++i) EXPECT_EQ(all.count(Row(i)), 1u) << Row(i);
  }
  EXPECT_EQ(std::set<int64_t>(more.row_streams.begin(), more.row_streams.end()),
            (std::set<int64_t>{0, 1, 2, 3}));
  EXPECT_TRUE(b->Close().ok());
}

TEST(KafkaSourceTest, BoundedReadersOfOneSourceEndTogether) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 3);
  for (int p = 0; p < 3; ++p) ProduceOrders(kafka, "orders", p, p * 100, p * 100 + 4);
  auto table = MakeSource(kafka, "orders", {{"scan.bounded.mode", "latest-offset"}});
  auto a = OpenReader(*table.source, 0, 2);
  auto b = OpenReader(*table.source, 1, 2);
  ASSERT_TRUE(a && b);
  PolledRows from_a, from_b;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!(from_a.end_of_split && from_b.end_of_split) &&
         std::chrono::steady_clock::now() < deadline) {
    if (!from_a.end_of_split) from_a = PollUntil(*a, Never(), 0.2, 1000, from_a);
    if (from_a.end_of_split && a) {
      ASSERT_TRUE(a->Close().ok());
      a.reset();
    }
    if (!from_b.end_of_split) from_b = PollUntil(*b, Never(), 0.2, 1000, from_b);
    ASSERT_TRUE(from_a.status.ok() && from_b.status.ok());
  }
  EXPECT_TRUE(from_a.end_of_split);
  EXPECT_TRUE(from_b.end_of_split);
  std::multiset<std::string> all = AsSet(from_a.rows);
  for (const auto& r : from_b.rows) all.insert(r);
  EXPECT_EQ(all.size(), 12u);  // the group generated for the source: no duplicates in-process
}

TEST(KafkaSourceTest, KeyFieldsMetadataColumnsAndTombstones) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 1);
  kafka.Produce("orders", 0, "{\"id\": 7}", "{\"name\": \"a\"}", 1700000000123);
  kafka.Produce("orders", 0, "{\"id\": 8}", std::nullopt);  // tombstone: skipped
  kafka.Produce("orders", 0, std::nullopt, "{\"name\": \"b\"}", 1700000000456);
  kafka.Produce("orders", 0, "", "{\"name\": \"c\"}", 1700000000789);
  kafka.Flush();
  Schema schema{{{"id", LogicalType::Bigint()}, {"name", LogicalType::Varchar()}}};
  std::vector<std::pair<std::string, MetadataDef>> metadata;
  for (const MetadataDef& def : kKafkaConnector.metadata) {
    metadata.push_back({"m_" + std::string(def.key), def});
  }
  auto table = MakeSource(kafka, "orders",
                          {{"key.format", "json"},
                           {"key.fields", "id"},
                           {"value.format", "json"},
                           {"value.fields-include", "EXCEPT_KEY"},
                           {"key.json.ignore-parse-errors", "false"},
                           {"scan.bounded.mode", "latest-offset"}},
                          schema, metadata);
  ASSERT_TRUE(table.source);
  auto reader = OpenReader(*table.source);
  ASSERT_TRUE(reader);
  PolledRows polled = PollUntil(*reader, Never(), 20);
  ASSERT_TRUE(polled.status.ok()) << polled.status.ToString();
  EXPECT_EQ(polled.rows,
            (std::vector<std::string>{
                "+I[7, a, orders, 0, 0, 2023-11-14T22:13:20.123, CreateTime, null]",
                "+I[null, b, orders, 0, 2, 2023-11-14T22:13:20.456, CreateTime, null]",
                "+I[null, c, orders, 0, 3, 2023-11-14T22:13:20.789, CreateTime, null]"}));
}

TEST(KafkaSourceTest, KeyFieldsWithPrefix) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 1);
  kafka.Produce("orders", 0, "{\"id\": 7}", "{\"name\": \"a\"}");
  kafka.Produce("orders", 0, std::nullopt, "{\"name\": \"b\"}");
  kafka.Flush();
  Schema schema{{{"k_id", LogicalType::Bigint()}, {"name", LogicalType::Varchar()}}};
  auto table = MakeSource(kafka, "orders",
                          {{"key.format", "json"},
                           {"key.fields", "k_id"},
                           {"key.fields-prefix", "k_"},
                           {"value.format", "json"},
                           {"value.fields-include", "EXCEPT_KEY"},
                           {"scan.bounded.mode", "latest-offset"}},
                          schema);
  auto reader = OpenReader(*table.source);
  ASSERT_TRUE(reader);
  PolledRows polled = PollUntil(*reader, Never(), 20);
  ASSERT_TRUE(polled.status.ok()) << polled.status.ToString();
  EXPECT_EQ(polled.rows, (std::vector<std::string>{"+I[7, a]", "+I[null, b]"}));
}

TEST(KafkaSourceTest, UpsertKafkaReadsUpsertsAndTombstonesAsAChangelog) {
  MockKafka kafka;
  kafka.CreateTopic("users", 1);
  kafka.Produce("users", 0, "{\"id\": 1}", "{\"id\": 1, \"name\": \"a\"}");
  kafka.Produce("users", 0, "{\"id\": 2}", "{\"id\": 2, \"name\": \"b\"}");
  kafka.Produce("users", 0, "{\"id\": 1}", "{\"id\": 1, \"name\": \"c\"}");
  kafka.Produce("users", 0, "{\"id\": 2}", std::nullopt);
  kafka.Produce("users", 0, std::nullopt, std::nullopt);  // no key, no value: nothing to say
  kafka.Flush();
  Options options = {{"connector", "upsert-kafka"},
                     {"topic", "users"},
                     {"properties.bootstrap.servers", kafka.bootstraps()},
                     {"properties.session.timeout.ms", "6000"},
                     {"key.format", "json"},
                     {"value.format", "json"},
                     {"scan.bounded.mode", "latest-offset"}};
  TableContext context = MakeContext(MakeTable("users", OrderSchema(), options, {0}));
  context.errors = std::make_shared<SourceErrorCounters>();
  ASSERT_TRUE(kUpsertKafkaConnector.changelog_source);
  auto source = kUpsertKafkaConnector.make_source(context);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  auto reader = OpenReader(**source);
  ASSERT_TRUE(reader);
  PolledRows polled = PollUntil(*reader, Never(), 20);
  ASSERT_TRUE(polled.status.ok()) << polled.status.ToString();
  EXPECT_TRUE(polled.end_of_split);
  EXPECT_EQ(polled.rows,
            (std::vector<std::string>{"+U[1, a]", "+U[2, b]", "+U[1, c]", "-D[2, null]"}));
}

TEST(KafkaSourceTest, BadRecordNamesTopicPartitionAndOffset) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 1);
  kafka.Produce("orders", 0, std::nullopt, Order(1));
  kafka.Produce("orders", 0, std::nullopt, "{\"id\": \"x\"}");
  kafka.Flush();
  auto table = MakeSource(kafka, "orders", {{"scan.bounded.mode", "latest-offset"}});
  auto reader = OpenReader(*table.source);
  ASSERT_TRUE(reader);
  PolledRows polled = PollUntil(*reader, Never(), 20);
  ASSERT_FALSE(polled.status.ok());
  EXPECT_EQ(polled.status.code(), ErrorCode::kDecodeError);
  EXPECT_EQ(polled.status.message().rfind("topic 'orders' partition 0 offset 1: ", 0), 0u)
      << polled.status.message();
  EXPECT_EQ(reader->Position(), "orders[0]@0");  // nothing of the failed batch was handed out
}

TEST(KafkaSourceTest, IgnoreParseErrorsCountsSkippedRecords) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 1);
  kafka.Produce("orders", 0, std::nullopt, Order(1));
  kafka.Produce("orders", 0, std::nullopt, "not json");
  kafka.Produce("orders", 0, std::nullopt, Order(2));
  kafka.Flush();
  auto table =
      MakeSource(kafka, "orders",
                 {{"scan.bounded.mode", "latest-offset"}, {"json.ignore-parse-errors", "true"}});
  auto reader = OpenReader(*table.source);
  ASSERT_TRUE(reader);
  PolledRows polled = PollUntil(*reader, Never(), 20);
  ASSERT_TRUE(polled.status.ok()) << polled.status.ToString();
  EXPECT_EQ(polled.rows, (std::vector<std::string>{Row(1), Row(2)}));
  EXPECT_EQ(table.context.errors->skipped.load(), 1u);
}

TEST(KafkaSourceTest, BadRecordsGoToTheDeadLetterTopic) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 1);
  kafka.CreateTopic("orders.dlq", 1);
  kafka.Produce("orders", 0, std::nullopt, Order(1));
  kafka.Produce("orders", 0, "key-2", "{\"id\": \"x\"}");
  kafka.Produce("orders", 0, std::nullopt, Order(3));
  kafka.Produce("orders", 0, std::nullopt, "{broken");
  kafka.Flush();
  auto table =
      MakeSource(kafka, "orders",
                 {{"scan.bounded.mode", "latest-offset"}, {"dead-letter.topic", "orders.dlq"}});
  auto reader = OpenReader(*table.source);
  ASSERT_TRUE(reader);
  PolledRows polled = PollUntil(*reader, Never(), 20);
  ASSERT_TRUE(polled.status.ok()) << polled.status.ToString();
  EXPECT_EQ(polled.rows, (std::vector<std::string>{Row(1), Row(3)}));
  ASSERT_TRUE(reader->Close().ok());  // flushes the dead letters
  EXPECT_EQ(table.context.errors->dead_letters.load(), 2u);
  std::vector<KafkaMessage> letters = kafka.ReadAll("orders.dlq", 1);
  ASSERT_EQ(letters.size(), 2u);
  EXPECT_EQ(letters[0].key, "key-2");
  EXPECT_EQ(letters[0].value, "{\"id\": \"x\"}");
  EXPECT_EQ(letters[0].headers["sluice.source.topic"], "orders");
  EXPECT_EQ(letters[0].headers["sluice.source.partition"], "0");
  EXPECT_EQ(letters[0].headers["sluice.source.offset"], "1");
  EXPECT_EQ(letters[0].headers["sluice.table"], "orders");
  EXPECT_FALSE(letters[0].headers["sluice.error"].empty());
  EXPECT_EQ(letters[0].headers["sluice.time"].size(), 24u) << letters[0].headers["sluice.time"];
  EXPECT_EQ(letters[1].key, std::nullopt);
  EXPECT_EQ(letters[1].value, "{broken");
  EXPECT_EQ(letters[1].headers["sluice.source.offset"], "3");
}

TEST(KafkaSourceTest, BadRecordsGoToADeadLetterFile) {
  MockKafka kafka;
  TempDir dir;
  kafka.CreateTopic("orders", 1);
  kafka.Produce("orders", 0, std::nullopt, "{\"id\": \"x\"}");
  kafka.Produce("orders", 0, std::nullopt, Order(2));
  kafka.Flush();
  auto table = MakeSource(
      kafka, "orders",
      {{"scan.bounded.mode", "latest-offset"}, {"dead-letter.path", dir.File("dlq.jsonl")}});
  auto reader = OpenReader(*table.source);
  ASSERT_TRUE(reader);
  PolledRows polled = PollUntil(*reader, Never(), 20);
  ASSERT_TRUE(polled.status.ok()) << polled.status.ToString();
  EXPECT_EQ(polled.rows, (std::vector<std::string>{Row(2)}));
  ASSERT_TRUE(reader->Close().ok());
  std::string text = testing::ReadFile(dir.File("dlq.jsonl"));
  EXPECT_NE(text.find("\"source\":\"orders\",\"partition\":0,\"offset\":0"), std::string::npos)
      << text;
}

TEST(KafkaSourceTest, TopicListAndPatternGetOneStreamPerTopicPartition) {
  MockKafka kafka;
  kafka.CreateTopic("events.a", 1);
  kafka.CreateTopic("events.b", 2);
  kafka.CreateTopic("other", 1);
  ProduceOrders(kafka, "events.a", 0, 0, 2);
  ProduceOrders(kafka, "events.b", 1, 10, 12);
  ProduceOrders(kafka, "other", 0, 20, 22);
  for (bool pattern : {false, true}) {
    Options options = {{"scan.bounded.mode", "latest-offset"}};
    std::string topic = "events.a;events.b";
    if (pattern) {
      options["topic-pattern"] = "events\\..*";
      topic = "";
    }
    auto table = MakeSource(kafka, topic, options);
    ASSERT_TRUE(table.source);
    auto reader = OpenReader(*table.source);
    ASSERT_TRUE(reader);
    PolledRows polled = PollUntil(*reader, Never(), 20);
    ASSERT_TRUE(polled.status.ok()) << polled.status.ToString();
    EXPECT_TRUE(polled.end_of_split) << pattern;
    EXPECT_EQ(AsSet(polled.rows), AsSet({Row(0), Row(1), Row(10), Row(11)})) << pattern;
    std::set<int64_t> streams(polled.row_streams.begin(), polled.row_streams.end());
    EXPECT_EQ(streams.size(), 2u);
    for (int64_t s : streams) EXPECT_TRUE((s & 0xffffffff) == 0 || (s & 0xffffffff) == 1);
  }
}

TEST(KafkaSourceTest, MissingTopicIsReportedWhenListingSplits) {
  MockKafka kafka;
  auto table = MakeSource(kafka, "nope", {});
  ASSERT_TRUE(table.source);
  auto splits = table.source->ListSplits(2);
  ASSERT_FALSE(splits.ok());
  EXPECT_NE(splits.status().message().find("Kafka topic 'nope' does not exist"), std::string::npos)
      << splits.status().message();
}

TEST(KafkaSourceTest, KeepsReadingAcrossABrokerOutage) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 2);
  ProduceOrders(kafka, "orders", 0, 0, 3);
  auto table = MakeSource(kafka, "orders", {{"properties.group.id", "outage"}});
  auto reader = OpenReader(*table.source);
  ASSERT_TRUE(reader);
  PolledRows polled = PollUntil(*reader, RowCountAtLeast(3), 20);
  ASSERT_EQ(polled.rows.size(), 3u) << polled.status.ToString();
  ASSERT_EQ(rd_kafka_mock_broker_set_down(kafka.cluster(), 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  polled = PollUntil(*reader, Never(), 3, 1000, polled);  // no rows, no error: retrying
  EXPECT_TRUE(polled.status.ok()) << polled.status.ToString();
  EXPECT_EQ(polled.rows.size(), 3u);
  ASSERT_EQ(rd_kafka_mock_broker_set_up(kafka.cluster(), 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  ProduceOrders(kafka, "orders", 1, 100, 102);
  polled = PollUntil(*reader, RowCountAtLeast(5), 30, 1000, polled);
  EXPECT_TRUE(polled.status.ok()) << polled.status.ToString();
  EXPECT_EQ(AsSet(polled.rows), AsSet({Row(0), Row(1), Row(2), Row(100), Row(101)}));
  EXPECT_TRUE(reader->Close().ok());
}

TEST(KafkaSourceTest, OptionErrorsAreUserErrors) {
  MockKafka kafka;
  auto make = [&](Options options) {
    options["connector"] = "kafka";
    options["properties.bootstrap.servers"] = kafka.bootstraps();
    if (!options.count("topic") && !options.count("topic-pattern")) options["topic"] = "t";
    if (!options.count("format")) options["format"] = "json";
    return kKafkaConnector.make_source(MakeContext(MakeTable("t", OrderSchema(), options)))
        .status();
  };
  EXPECT_NE(make({}).message().find("'group-offsets' (Flink's default) needs "
                                    "'properties.group.id'"),
            std::string::npos)
      << make({}).message();
  EXPECT_EQ(make({{"scan.startup.mode", "earliest"}}).message(),
            "option 'scan.startup.mode' expects one of 'earliest-offset', 'latest-offset', "
            "'group-offsets', 'timestamp', 'specific-offsets', got 'earliest'");
  EXPECT_EQ(make({{"scan.startup.mode", "specific-offsets"},
                  {"scan.startup.specific-offsets", "partition:0;offset:1"}})
                .message(),
            "option 'scan.startup.specific-offsets' should look like "
            "'partition:0,offset:42;partition:1,offset:300', got 'partition:0;offset:1'");
  EXPECT_EQ(make({{"scan.startup.mode", "earliest-offset"}, {"key.format", "json"}}).message(),
            "option 'key.format' needs the key's columns in 'key.fields' ('a;b')");
  EXPECT_EQ(
      make(
          {{"scan.startup.mode", "earliest-offset"}, {"key.format", "json"}, {"key.fields", "idd"}})
          .message(),
      "option 'key.fields': 'idd' is not a physical column of table 't', did you mean "
      "'id'?");
  EXPECT_EQ(make({{"scan.startup.mode", "earliest-offset"},
                  {"key.format", "json"},
                  {"key.fields", "id"},
                  {"key.fields-prefix", "k_"}})
                .message(),
            "option 'key.fields-prefix' needs 'value.fields-include' = 'EXCEPT_KEY' (with 'ALL' "
            "the key and value fields would overlap)");
  EXPECT_EQ(
      make({{"scan.startup.mode", "earliest-offset"}, {"topic", "a"}, {"topic-pattern", "b.*"}})
          .message(),
      "options 'topic' and 'topic-pattern' cannot both be set");
  EXPECT_EQ(make({{"scan.startup.mode", "earliest-offset"}, {"properties.no.such", "1"}}).message(),
            "option 'properties.no.such': No such configuration property: \"no.such\"");
  EXPECT_EQ(make({{"scan.startup.mode", "earliest-offset"}, {"value.format", "json"}}).message(),
            "options 'format' and 'value.format' cannot both be set");
}

}  // namespace
}  // namespace sluice
