// The kafka and upsert-kafka sinks against librdkafka's mock cluster.

#include <gtest/gtest.h>

#include <set>

#include "connectors/kafka/kafka_connector.h"
#include "connectors/tests/kafka_test_util.h"
#include "connectors/tests/test_tables.h"

namespace sluice {
namespace {

using testing::KafkaMessage;
using testing::MakeContext;
using testing::MakeTable;
using testing::MockKafka;

Schema OrderSchema() {
  return Schema{{{"id", LogicalType::Bigint()},
                 {"name", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()}}};
}

Result<std::unique_ptr<Sink>> MakeSink(const MockKafka& kafka, Options options, bool upsert = false,
                                       bool updating = false, Schema schema = OrderSchema(),
                                       std::vector<int> primary_key = {},
                                       bool timestamp_metadata = false) {
  options["connector"] = upsert ? "upsert-kafka" : "kafka";
  if (!options.count("topic")) options["topic"] = "out";
  options["properties.bootstrap.servers"] = kafka.bootstraps();
  auto table = MakeTable("out", schema, options, primary_key);
  TableContext context = MakeContext(table, updating);
  if (timestamp_metadata) {
    ColumnDef column;
    column.field = {"ts", LogicalType::TimestampLtz(3)};
    column.metadata_key = "timestamp";
    table->columns.push_back(column);
    context.physical_schema.fields.push_back(column.field);
    context.metadata_keys.push_back("timestamp");
  }
  const ConnectorSpec& spec = upsert ? kUpsertKafkaConnector : kKafkaConnector;
  return spec.make_sink(context);
}

std::unique_ptr<SinkWriter> OpenWriter(Sink& sink, int instance = 0, int parallelism = 1) {
  auto writer = sink.CreateWriter(instance, parallelism);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  if (!writer.ok()) return nullptr;
  Status open = (*writer)->Open();
  EXPECT_TRUE(open.ok()) << open.ToString();
  return open.ok() ? std::move(writer).value() : nullptr;
}

Batch Orders(const std::vector<std::tuple<int64_t, std::string, double>>& rows,
             std::vector<RowKind> kinds = {}) {
  BatchBuilder builder(OrderSchema());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& [id, name, amount] = rows[i];
    builder.AppendRow({Value::Bigint(id), Value::Varchar(name), Value::Double(amount)},
                      kinds.empty() ? RowKind::kInsert : kinds[i]);
  }
  return builder.Finish();
}

TEST(KafkaSinkTest, WritesOneMessagePerRowWithoutTheLineEnd) {
  MockKafka kafka;
  kafka.CreateTopic("out", 1);
  auto sink = MakeSink(kafka, {{"format", "json"}});
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  auto writer = OpenWriter(**sink);
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->Write(Orders({{1, "a", 1.5}, {2, "b", 2.5}})).ok());
  ASSERT_TRUE(writer->Flush().ok());
  ASSERT_TRUE(writer->Close().ok());
  std::vector<KafkaMessage> messages = kafka.ReadAll("out", 1);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].value, "{\"id\":1,\"name\":\"a\",\"amount\":1.5}");
  EXPECT_EQ(messages[0].key, std::nullopt);
  EXPECT_EQ(messages[1].value, "{\"id\":2,\"name\":\"b\",\"amount\":2.5}");
}

TEST(KafkaSinkTest, KeyFieldsAndTimestampMetadata) {
  MockKafka kafka;
  kafka.CreateTopic("out", 3);
  Schema schema = OrderSchema();
  auto sink = MakeSink(kafka,
                       {{"key.format", "json"},
                        {"key.fields", "id"},
                        {"value.format", "csv"},
                        {"value.fields-include", "EXCEPT_KEY"}},
                       false, false, schema, {}, /*timestamp_metadata=*/true);
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  auto writer = OpenWriter(**sink);
  ASSERT_TRUE(writer);
  Schema with_ts = schema;
  with_ts.fields.push_back({"ts", LogicalType::TimestampLtz(3)});
  BatchBuilder builder(with_ts);
  builder.AppendRow({Value::Bigint(1), Value::Varchar("a"), Value::Double(1),
                     Value::TimestampLtz(1700000000123000)});
  builder.AppendRow({Value::Bigint(1), Value::Varchar("b"), Value::Double(2),
                     Value::Null(LogicalType::TimestampLtz(3))});
  ASSERT_TRUE(writer->Write(builder.Finish()).ok());
  ASSERT_TRUE(writer->Close().ok());
  std::vector<KafkaMessage> messages = kafka.ReadAll("out", 3);
  ASSERT_EQ(messages.size(), 2u);
  // Same key, same partition (murmur2), in order.
  EXPECT_EQ(messages[0].partition, messages[1].partition);
  EXPECT_EQ(messages[0].key, "{\"id\":1}");
  EXPECT_EQ(messages[0].value, "a,1.0");
  EXPECT_EQ(messages[0].timestamp_ms, 1700000000123);
  EXPECT_GT(messages[1].timestamp_ms, 1700000000123);  // NULL: the time it was produced
}

TEST(KafkaSinkTest, DefaultPartitionerIsMurmur2OfTheKey) {
  MockKafka kafka;
  kafka.CreateTopic("out", 6);
  auto sink = MakeSink(kafka, {{"key.format", "raw"}, {"key.fields", "name"}, {"format", "json"}});
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  auto writer = OpenWriter(**sink);
  ASSERT_TRUE(writer);
  std::vector<std::tuple<int64_t, std::string, double>> rows;
  for (int i = 0; i < 60; ++i) rows.push_back({i, "key" + std::to_string(i % 10), 0});
  ASSERT_TRUE(writer->Write(Orders(rows)).ok());
  ASSERT_TRUE(writer->Close().ok());
  std::vector<KafkaMessage> messages = kafka.ReadAll("out", 6);
  ASSERT_EQ(messages.size(), 60u);
  // librdkafka's murmur2 partitioner is the Java client's (same hash, same partition).
  for (const KafkaMessage& m : messages) {
    ASSERT_TRUE(m.key);
    int32_t expected = rd_kafka_msg_partitioner_murmur2(nullptr, m.key->data(), m.key->size(), 6,
                                                        nullptr, nullptr);
    EXPECT_EQ(m.partition, expected) << *m.key;
  }
}

TEST(KafkaSinkTest, FixedAndRoundRobinPartitioners) {
  MockKafka kafka;
  kafka.CreateTopic("fixed", 3);
  kafka.CreateTopic("rr", 3);
  {
    auto sink =
        MakeSink(kafka, {{"topic", "fixed"}, {"format", "json"}, {"sink.partitioner", "fixed"}});
    ASSERT_TRUE(sink.ok()) << sink.status().ToString();
    auto writer = OpenWriter(**sink, /*instance=*/4, /*parallelism=*/5);
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->Write(Orders({{1, "a", 1}, {2, "b", 2}, {3, "c", 3}})).ok());
    ASSERT_TRUE(writer->Close().ok());
    for (const KafkaMessage& m : kafka.ReadAll("fixed", 3)) EXPECT_EQ(m.partition, 1);  // 4 % 3
  }
  {
    auto sink =
        MakeSink(kafka, {{"topic", "rr"}, {"format", "json"}, {"sink.partitioner", "round-robin"}});
    ASSERT_TRUE(sink.ok()) << sink.status().ToString();
    auto writer = OpenWriter(**sink);
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->Write(Orders({{1, "a", 1}, {2, "b", 2}, {3, "c", 3}, {4, "d", 4}})).ok());
    ASSERT_TRUE(writer->Close().ok());
    std::map<int, int> per_partition;
    for (const KafkaMessage& m : kafka.ReadAll("rr", 3)) ++per_partition[m.partition];
    EXPECT_EQ(per_partition, (std::map<int, int>{{0, 2}, {1, 1}, {2, 1}}));
  }
}

TEST(KafkaSinkTest, RejectsUpdatesExactlyOnceAndCustomPartitioners) {
  MockKafka kafka;
  auto updating = MakeSink(kafka, {{"format", "json"}}, false, /*updating=*/true);
  ASSERT_FALSE(updating.ok());
  EXPECT_EQ(updating.status().message(),
            "table 'out' (kafka) only accepts inserts, but the query produces updates; write it "
            "to an 'upsert-kafka' table with a PRIMARY KEY");
  // Exactly-once is accepted, but a job without checkpoints cannot create its writers.
  auto exactly = MakeSink(kafka, {{"format", "json"}, {"sink.delivery-guarantee", "exactly-once"}});
  ASSERT_TRUE(exactly.ok()) << exactly.status().ToString();
  auto writer = (*exactly)->CreateWriter(0, 1);
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.status().message().find("'execution.checkpointing.interval'"), std::string::npos)
      << writer.status().message();
  auto custom = MakeSink(kafka, {{"format", "json"}, {"sink.partitioner", "com.acme.Part"}});
  ASSERT_FALSE(custom.ok());
  EXPECT_EQ(custom.status().code(), ErrorCode::kUnsupported);
  auto pattern = MakeSink(kafka, {{"format", "json"}, {"topic", "a;b"}});
  ASSERT_FALSE(pattern.ok());
  EXPECT_NE(pattern.status().message().find("a sink needs exactly one 'topic'"), std::string::npos);
}

TEST(KafkaSinkTest, MissingTopicFailsOpen) {
  MockKafka kafka;
  auto sink = MakeSink(kafka, {{"format", "json"}, {"topic", "missing"}});
  ASSERT_TRUE(sink.ok());
  auto writer = (*sink)->CreateWriter(0, 1);
  ASSERT_TRUE(writer.ok());
  Status open = (*writer)->Open();
  // The mock cluster auto-creates topics like a default broker, else this names the topic.
  if (!open.ok()) {
    EXPECT_NE(open.message().find("'missing'"), std::string::npos) << open.message();
  }
}

TEST(KafkaSinkTest, UpsertKafkaWritesKeysValuesAndTombstones) {
  MockKafka kafka;
  kafka.CreateTopic("out", 2);
  auto sink = MakeSink(kafka, {{"key.format", "json"}, {"value.format", "json"}},
                       /*upsert=*/true, /*updating=*/true, OrderSchema(), {0});
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  auto writer = OpenWriter(**sink);
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer
                  ->Write(Orders({{1, "a", 1}, {1, "a", 1}, {1, "b", 2}, {2, "c", 3}, {2, "c", 3}},
                                 {RowKind::kInsert, RowKind::kUpdateBefore, RowKind::kUpdateAfter,
                                  RowKind::kInsert, RowKind::kDelete}))
                  .ok());
  ASSERT_TRUE(writer->Close().ok());
  std::vector<KafkaMessage> messages = kafka.ReadAll("out", 2);
  std::vector<std::pair<std::string, std::string>> seen;
  std::map<std::string, std::vector<std::string>> by_key;
  for (const KafkaMessage& m : messages) {
    ASSERT_TRUE(m.key);
    by_key[*m.key].push_back(m.value ? *m.value : "<tombstone>");
  }
  EXPECT_EQ(by_key["{\"id\":1}"],
            (std::vector<std::string>{"{\"id\":1,\"name\":\"a\",\"amount\":1.0}",
                                      "{\"id\":1,\"name\":\"b\",\"amount\":2.0}"}));
  EXPECT_EQ(by_key["{\"id\":2}"],
            (std::vector<std::string>{"{\"id\":2,\"name\":\"c\",\"amount\":3.0}", "<tombstone>"}));
}

TEST(KafkaSinkTest, UpsertKafkaNeedsAPrimaryKeyAndAKeyFormat) {
  MockKafka kafka;
  auto no_key = MakeSink(kafka, {{"key.format", "json"}, {"value.format", "json"}}, true, true);
  ASSERT_FALSE(no_key.ok());
  EXPECT_NE(no_key.status().message().find("needs a PRIMARY KEY"), std::string::npos);
  auto no_format = MakeSink(kafka, {{"value.format", "json"}}, true, true, OrderSchema(), {0});
  ASSERT_FALSE(no_format.ok());
  EXPECT_EQ(no_format.status().message(), "connector 'upsert-kafka' needs option 'key.format'");
}

TEST(KafkaSinkTest, WaitsOutABrokerOutage) {
  MockKafka kafka;
  kafka.CreateTopic("out", 1);
  auto sink = MakeSink(kafka, {{"format", "json"}});
  ASSERT_TRUE(sink.ok());
  auto writer = OpenWriter(**sink);
  ASSERT_TRUE(writer);
  ASSERT_EQ(rd_kafka_mock_broker_set_down(kafka.cluster(), 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_TRUE(writer->Write(Orders({{1, "a", 1}})).ok());
  std::thread restore([&] {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    rd_kafka_mock_broker_set_up(kafka.cluster(), 1);
  });
  Status flushed = writer->Flush();  // retried until the broker is back
  restore.join();
  EXPECT_TRUE(flushed.ok()) << flushed.ToString();
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(kafka.ReadAll("out", 1).size(), 1u);
}

TEST(KafkaSinkTest, UndeliveredMessagesFailTheFlush) {
  MockKafka kafka;
  kafka.CreateTopic("out", 1);
  auto sink = MakeSink(kafka, {{"format", "json"}, {"properties.message.timeout.ms", "1000"}});
  ASSERT_TRUE(sink.ok());
  auto writer = OpenWriter(**sink);
  ASSERT_TRUE(writer);
  ASSERT_EQ(rd_kafka_mock_broker_set_down(kafka.cluster(), 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_TRUE(writer->Write(Orders({{1, "a", 1}, {2, "b", 2}})).ok());
  auto start = std::chrono::steady_clock::now();
  Status flushed = writer->Flush();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  ASSERT_FALSE(flushed.ok());
  EXPECT_EQ(flushed.code(), ErrorCode::kSinkError);
  EXPECT_NE(
      flushed.message().find("kafka sink 'out': 2 messages were not delivered, first: out[0]"),
      std::string::npos)
      << flushed.message();
  rd_kafka_mock_broker_set_up(kafka.cluster(), 1);
}

}  // namespace
}  // namespace sluice
