// The 'avro-confluent' format against an in-memory schema registry.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "formats/avro/avro_binary.h"
#include "formats/avro/avro_schema.h"
#include "formats/avro_confluent/avro_confluent_format.h"
#include "formats/avro_confluent/schema_registry_client.h"
#include "formats/format.h"

namespace sluice {
namespace {

constexpr const char* kOrderEvent =
    R"({"type":"record","name":"OrderEvent","fields":[{"name":"order_id","type":"string"},)"
    R"({"name":"customer_id","type":"string"},{"name":"amount","type":"double"},)"
    R"({"name":"status","type":"string"},)"
    R"({"name":"timestamp","type":"long","logicalType":"timestamp-millis"}]})";

Schema OrderTable() {
  return Schema{{{"order_id", LogicalType::Varchar()},
                 {"customer_id", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()},
                 {"status", LogicalType::Varchar()},
                 {"timestamp", LogicalType::Bigint()}}};
}

std::string Header(int32_t id) {
  std::string h(1, '\0');
  h.push_back(static_cast<char>((id >> 24) & 0xff));
  h.push_back(static_cast<char>((id >> 16) & 0xff));
  h.push_back(static_cast<char>((id >> 8) & 0xff));
  h.push_back(static_cast<char>(id & 0xff));
  return h;
}

std::string OrderRecord(int32_t id, int i) {
  std::string r = Header(id);
  AppendAvroBytes("ord-" + std::to_string(i), &r);
  AppendAvroBytes("cust-" + std::to_string(i % 10), &r);
  AppendAvroDouble(i + 0.5, &r);
  AppendAvroBytes("completed", &r);
  AppendAvroLong(1767225600000 + i, &r);
  return r;
}

struct Decoded {
  Batch batch;
  DecodeResult result;
  Status status;
};

Decoded DecodeAll(RecordDecoder& decoder, const std::vector<std::string>& records) {
  auto owned = std::make_shared<std::vector<std::string>>(records);
  std::vector<std::string_view> views(owned->begin(), owned->end());
  Decoded d;
  d.status = decoder.Decode({views, owned, false}, &d.batch, &d.result);
  return d;
}

AvroConfluentOptions MemOptions(const std::string& url = "mem://registry") {
  AvroConfluentOptions o;
  o.registry.url = url;
  return o;
}

class AvroConfluentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = std::make_shared<InMemorySchemaRegistry>();
    auto registry = registry_;
    SetSchemaRegistryFactoryForTesting(
        [registry](const SchemaRegistryConfig&) -> std::shared_ptr<SchemaRegistry> {
          return registry;
        });
  }
  void TearDown() override { SetSchemaRegistryFactoryForTesting(nullptr); }

  std::shared_ptr<InMemorySchemaRegistry> registry_;
};

TEST_F(AvroConfluentTest, DecodesTheSeedOrderEvents) {
  registry_->Put(42, kOrderEvent);
  auto decoder =
      kAvroConfluentFormat.make_decoder(OrderTable(), {{"avro-confluent.url", "mem://registry"}});
  ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
  std::vector<std::string> records;
  for (int i = 0; i < 100; ++i) records.push_back(OrderRecord(42, i));
  Decoded d = DecodeAll(**decoder, records);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.batch.num_rows(), 100u);
  EXPECT_EQ(d.batch.RowToString(3), "+I[ord-3, cust-3, 3.5, completed, 1767225600003]");
  EXPECT_EQ(registry_->lookups(), 1);
  // A second decoder (another partition) shares the process-wide cache.
  auto second =
      kAvroConfluentFormat.make_decoder(OrderTable(), {{"avro-confluent.url", "mem://registry"}});
  ASSERT_TRUE(second.ok());
  d = DecodeAll(**second, records);
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(registry_->lookups(), 1);
}

TEST_F(AvroConfluentTest, RoundTripsThroughTheRegistry) {
  Schema table{{{"id", LogicalType::Int(), false},
                {"name", LogicalType::Varchar()},
                {"price", LogicalType::Decimal(10, 2)},
                {"ts", LogicalType::Timestamp(3)}}};
  auto encoder = kAvroConfluentFormat.make_encoder(
      table, {{"avro-confluent.url", "mem://registry"}, {"avro-confluent.subject", "t-value"}});
  ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
  BatchBuilder b(table);
  b.AppendRow({Value::Int(1), Value::Varchar("a"), Value::Decimal(1050, 10, 2),
               Value::Timestamp(1704067205120000, 3)});
  b.AppendRow({Value::Int(2), Value::Null(LogicalType::Varchar()),
               Value::Null(LogicalType::Decimal(10, 2)), Value::Null(LogicalType::Timestamp(3))});
  Batch rows = b.Finish();
  std::string bytes;
  std::vector<size_t> ends;
  ASSERT_TRUE((*encoder)->Encode(rows, 0, 2, &bytes, &ends).ok());
  ASSERT_TRUE((*encoder)->Encode(rows, 0, 2, &bytes, &ends).ok());
  EXPECT_EQ(registry_->registrations(), 1);  // once, at first use
  ASSERT_EQ(ends.size(), 4u);
  EXPECT_EQ(bytes.substr(0, 5), Header(1));
  auto registered = registry_->SchemaById(1);
  ASSERT_TRUE(registered.ok());
  EXPECT_EQ(
      registered->substr(0, 87),
      R"({"type":"record","name":"record","namespace":"org.apache.flink.avro.generated","fields")");

  std::vector<std::string> records;
  size_t start = 0;
  for (size_t end : ends) {
    records.push_back(bytes.substr(start, end - start));
    start = end;
  }
  auto decoder =
      kAvroConfluentFormat.make_decoder(table, {{"avro-confluent.url", "mem://registry"}});
  ASSERT_TRUE(decoder.ok());
  Decoded d = DecodeAll(**decoder, records);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.batch.num_rows(), 4u);
  EXPECT_EQ(d.batch.RowToString(0), rows.RowToString(0));
  EXPECT_EQ(d.batch.RowToString(1), rows.RowToString(1));
}

TEST_F(AvroConfluentTest, BadRecordsAreRecordErrors) {
  registry_->Put(42, kOrderEvent);
  registry_->Put(7, R"({"type":"record","name":"Other","fields":[{"name":"x","type":"int"}]})");
  registry_->Put(8,
                 R"({"type":"record","name":"Bad","fields":[{"name":"amount","type":"string"}]})");
  auto decoder = MakeAvroConfluentRecordDecoder(OrderTable(), MemOptions());
  ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
  struct Case {
    std::string record;
    std::string error;
  };
  std::string truncated = OrderRecord(42, 1);
  truncated.resize(truncated.size() - 3);
  const std::vector<Case> cases = {
      {"{\"order_id\":1}", "wrong magic byte 0x7b (not Confluent wire format)"},
      {std::string("\0\0\0", 3),
       "record too short for the Confluent header (3 bytes, the header has 5)"},
      {"", "empty record (not Confluent wire format)"},
      {Header(99) + "x", "unknown schema id 99 (registry mem://registry: 404 Schema not found)"},
      {truncated, "truncated Avro body (ends inside field 'timestamp')"},
      {Header(8) + "x",
       "writer schema id 8 cannot be read into the table: Avro field 'amount' of type string "
       "cannot be read into column 'amount' of type DOUBLE"},
  };
  for (const Case& c : cases) {
    Decoded d = DecodeAll(**decoder, {OrderRecord(42, 0), c.record, OrderRecord(42, 2)});
    EXPECT_EQ(d.status.code(), ErrorCode::kDecodeError) << c.error;
    EXPECT_EQ(d.status.message(), c.error);
    EXPECT_EQ(d.result.consumed, 1u);
    EXPECT_EQ(d.batch.num_rows(), 1u);
  }
  // Schema 7 has none of the table's fields: every column is NULL (all nullable).
  Decoded other = DecodeAll(**decoder, {Header(7) + std::string("\x02", 1)});
  ASSERT_TRUE(other.status.ok()) << other.status.ToString();
  EXPECT_EQ(other.batch.RowToString(0), "+I[null, null, null, null, null]");

  AvroConfluentOptions skip = MemOptions();
  skip.ignore_parse_errors = true;
  auto skipping = MakeAvroConfluentRecordDecoder(OrderTable(), skip);
  ASSERT_TRUE(skipping.ok());
  std::vector<std::string> records = {OrderRecord(42, 0)};
  for (const Case& c : cases) records.push_back(c.record);
  records.push_back(OrderRecord(42, 9));
  Decoded d = DecodeAll(**skipping, records);
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.batch.num_rows(), 2u);
  ASSERT_EQ(d.result.skipped.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(d.result.skipped[i].record, i + 1);
    EXPECT_EQ(d.result.skipped[i].reason, cases[i].error);
  }
  EXPECT_EQ(d.batch.RowToString(1), "+I[ord-9, cust-9, 9.5, completed, 1767225600009]");
  // The unknown id was asked for once per decoder, not per record.
  int lookups = registry_->lookups();
  DecodeAll(**skipping, {Header(99) + "x", Header(99) + "y", Header(99) + "z"});
  EXPECT_EQ(registry_->lookups(), lookups);
}

TEST_F(AvroConfluentTest, UnreachableRegistryStopsWithARetryableError) {
  registry_->Put(42, kOrderEvent);
  registry_->SetUnreachable(true);
  auto decoder = MakeAvroConfluentRecordDecoder(OrderTable(), MemOptions());
  ASSERT_TRUE(decoder.ok());
  Decoded d = DecodeAll(**decoder, {OrderRecord(42, 0), OrderRecord(42, 1)});
  EXPECT_EQ(d.status.code(), ErrorCode::kIoError);
  EXPECT_TRUE(d.status.retryable());
  EXPECT_EQ(d.result.consumed, 0u);
  EXPECT_NE(d.status.message().find("mem://registry"), std::string::npos);
  registry_->SetUnreachable(false);
  d = DecodeAll(**decoder, {OrderRecord(42, 0), OrderRecord(42, 1)});
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.batch.num_rows(), 2u);

  auto encoder = MakeAvroConfluentRecordEncoder(OrderTable(), [] {
    AvroConfluentOptions o = MemOptions();
    o.subject = "orders-value";
    return o;
  }());
  ASSERT_TRUE(encoder.ok());
  registry_->SetUnreachable(true);
  BatchBuilder b(OrderTable());
  b.AppendRow({Value::Varchar("o"), Value::Varchar("c"), Value::Double(1), Value::Varchar("s"),
               Value::Bigint(1)});
  std::string out;
  Status st = (*encoder)->Encode(b.Finish(), 0, 1, &out);
  EXPECT_EQ(st.code(), ErrorCode::kIoError);
  EXPECT_NE(st.message().find("subject 'orders-value'"), std::string::npos) << st.message();
}

TEST_F(AvroConfluentTest, SchemaEvolutionAcrossIds) {
  // v1 lacks 'status'; v2 has it with an enum; both read into the same table.
  registry_->Put(1, R"({"type":"record","name":"E","fields":[{"name":"order_id","type":"string"},
      {"name":"amount","type":"float"}]})");
  registry_->Put(2, R"({"type":"record","name":"E","fields":[{"name":"order_id","type":"string"},
      {"name":"amount","type":"double"},{"name":"status","type":{"type":"enum","name":"S",
      "symbols":["NEW","DONE"]}},{"name":"timestamp","type":"int"}]})");
  auto decoder = MakeAvroConfluentRecordDecoder(OrderTable(), MemOptions());
  ASSERT_TRUE(decoder.ok());
  std::string v1 = Header(1);
  AppendAvroBytes("a", &v1);
  AppendAvroFloat(2.5f, &v1);
  std::string v2 = Header(2);
  AppendAvroBytes("b", &v2);
  AppendAvroDouble(3.5, &v2);
  AppendAvroLong(1, &v2);
  AppendAvroLong(99, &v2);
  Decoded d = DecodeAll(**decoder, {v1, v2, v1});
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.batch.RowToString(0), "+I[a, null, 2.5, null, null]");
  EXPECT_EQ(d.batch.RowToString(1), "+I[b, null, 3.5, DONE, 99]");
  EXPECT_EQ(d.batch.RowToString(2), "+I[a, null, 2.5, null, null]");
}

TEST_F(AvroConfluentTest, ExplicitSchemaOption) {
  const std::string schema = kOrderEvent;
  Schema table = OrderTable();
  for (Field& f : table.fields) f.nullable = false;
  auto encoder =
      kAvroConfluentFormat.make_encoder(table, {{"avro-confluent.url", "mem://registry"},
                                                {"avro-confluent.subject", "orders-value"},
                                                {"avro-confluent.schema", schema}});
  ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
  BatchBuilder b(table);
  b.AppendRow({Value::Varchar("o"), Value::Varchar("c"), Value::Double(1), Value::Varchar("s"),
               Value::Bigint(5)});
  std::string out;
  ASSERT_TRUE((*encoder)->Encode(b.Finish(), 0, 1, &out).ok());
  EXPECT_EQ(*registry_->SchemaById(1), schema);  // registered as given
  std::string expected = Header(1);
  AppendAvroBytes("o", &expected);
  AppendAvroBytes("c", &expected);
  AppendAvroDouble(1, &expected);
  AppendAvroBytes("s", &expected);
  AppendAvroLong(5, &expected);
  EXPECT_EQ(out, expected);

  auto bad = kAvroConfluentFormat.make_decoder(
      table, {{"avro-confluent.url", "mem://registry"},
              {"avro-confluent.schema", R"({"type":"record","name":"R","fields":[)"
                                        R"({"name":"amount","type":"string"}]})"}});
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidOption);
  EXPECT_NE(bad.status().message().find("does not match the table"), std::string::npos);
  auto not_json = kAvroConfluentFormat.make_decoder(
      table, {{"avro-confluent.url", "mem://registry"}, {"avro-confluent.schema", "{"}});
  EXPECT_EQ(not_json.status().code(), ErrorCode::kInvalidOption);
}

TEST_F(AvroConfluentTest, OptionsAreChecked) {
  auto no_url = kAvroConfluentFormat.make_decoder(OrderTable(), {});
  EXPECT_EQ(no_url.status().code(), ErrorCode::kInvalidOption);
  EXPECT_NE(no_url.status().message().find("'avro-confluent.url'"), std::string::npos);
  auto no_subject =
      kAvroConfluentFormat.make_encoder(OrderTable(), {{"avro-confluent.url", "mem://r"}});
  EXPECT_EQ(no_subject.status().code(), ErrorCode::kInvalidOption);
  EXPECT_NE(no_subject.status().message().find("'avro-confluent.subject'"), std::string::npos);
  auto fallback = kAvroConfluentFormat.make_decoder(
      OrderTable(), {{"avro-confluent.schema-registry.url", "mem://r"}});
  EXPECT_TRUE(fallback.ok());
  auto sasl =
      ParseAvroConfluentOptions({{"avro-confluent.url", "http://x"},
                                 {"avro-confluent.basic-auth.credentials-source", "SASL_INHERIT"}});
  EXPECT_EQ(sasl.status().code(), ErrorCode::kUnsupported);
  auto user =
      ParseAvroConfluentOptions({{"avro-confluent.url", "http://x"},
                                 {"avro-confluent.basic-auth.credentials-source", "USER_INFO"},
                                 {"avro-confluent.basic-auth.user-info", "u:p"}});
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->registry.basic_auth_user_info, "u:p");
  auto jks = ParseAvroConfluentOptions(
      {{"avro-confluent.url", "http://x"}, {"avro-confluent.ssl.truststore.location", "/t.jks"}});
  EXPECT_EQ(jks.status().code(), ErrorCode::kUnsupported);
  auto bearer = ParseAvroConfluentOptions(
      {{"avro-confluent.url", "http://x"},
       {"avro-confluent.bearer-auth.credentials-source", "STATIC_TOKEN"}});
  EXPECT_EQ(bearer.status().code(), ErrorCode::kInvalidOption);
  auto spec = FindFormat("avro-confluent");
  ASSERT_TRUE(spec.ok());
  EXPECT_TRUE((*spec)->framed_by_transport);
}

TEST_F(AvroConfluentTest, SharedCacheIsThreadSafe) {
  for (int id = 1; id <= 8; ++id) registry_->Put(id, kOrderEvent);
  std::vector<std::thread> threads;
  std::atomic<int> rows{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&rows, t] {
      auto decoder = MakeAvroConfluentRecordDecoder(OrderTable(), MemOptions());
      if (!decoder.ok()) return;
      std::vector<std::string> records;
      for (int i = 0; i < 64; ++i) records.push_back(OrderRecord(1 + (i + t) % 8, i));
      Decoded d = DecodeAll(**decoder, records);
      rows += static_cast<int>(d.batch.num_rows());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(rows.load(), 4 * 64);
  EXPECT_LE(registry_->lookups(), 8 * 4);
}

// The HTTP client against a port nothing listens on: bounded retries, a clear error.
TEST(SchemaRegistryClientTest, UnreachableRegistryIsARetryableIoError) {
  SchemaRegistryConfig config;
  config.url = "http://127.0.0.1:9/apis/ccompat/v7/";
  config.max_attempts = 2;
  config.connect_timeout_ms = 500;
  auto client = MakeHttpSchemaRegistry(config);
  EXPECT_EQ(client->Describe(), "http://127.0.0.1:9/apis/ccompat/v7");
  auto schema = client->SchemaById(1);
  ASSERT_FALSE(schema.ok());
  EXPECT_EQ(schema.status().code(), ErrorCode::kIoError);
  EXPECT_TRUE(schema.status().retryable());
  EXPECT_NE(schema.status().message().find("http://127.0.0.1:9/apis/ccompat/v7"), std::string::npos)
      << schema.status().message();
  EXPECT_NE(schema.status().message().find("after 2 attempts"), std::string::npos)
      << schema.status().message();
}

// Against the real registry that scripts/test.sh starts before the unit tests (by hand:
// `bash scripts/services.sh up registry`); SLUICE_TEST_SCHEMA_REGISTRY points elsewhere.
TEST(SchemaRegistryClientTest, RealRegistry) {
  const char* env = std::getenv("SLUICE_TEST_SCHEMA_REGISTRY");
  std::string url = env ? env : "http://127.0.0.1:8085/apis/ccompat/v7";
  SchemaRegistryConfig config;
  config.url = url;
  config.max_attempts = 1;
  config.connect_timeout_ms = 300;
  auto client = MakeHttpSchemaRegistry(config);
  std::string subject = "sluice-avro-unit-test-value";
  auto id = client->Register(subject, kOrderEvent);
  ASSERT_TRUE(id.ok()) << id.status().ToString()
                       << " (is the registry running? bash scripts/services.sh up registry)";
  auto again = client->Register(subject, kOrderEvent);  // already registered: same id
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *id);
  auto text = client->SchemaById(*id);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  auto parsed = AvroSchema::Parse(*text);
  ASSERT_TRUE(parsed.ok()) << *text;
  EXPECT_EQ(parsed->root().short_name(), "OrderEvent");
  auto missing = client->SchemaById(987654321);
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound) << missing.status().ToString();
  EXPECT_NE(missing.status().message().find("unknown schema id 987654321"), std::string::npos);

  // The format end to end: the table's derived schema registered, written, read back.
  Schema table{{{"id", LogicalType::Int(), false},
                {"name", LogicalType::Varchar()},
                {"price", LogicalType::Decimal(10, 2)},
                {"ts", LogicalType::Timestamp(3)}}};
  Options options{{"avro-confluent.url", url}, {"avro-confluent.subject", "sluice-avro-unit-rows"}};
  auto encoder = kAvroConfluentFormat.make_encoder(table, options);
  ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
  BatchBuilder b(table);
  b.AppendRow({Value::Int(1), Value::Varchar("a"), Value::Decimal(1050, 10, 2),
               Value::Timestamp(1704067205120000, 3)});
  b.AppendRow({Value::Int(2), Value::Null(LogicalType::Varchar()),
               Value::Null(LogicalType::Decimal(10, 2)), Value::Null(LogicalType::Timestamp(3))});
  Batch rows = b.Finish();
  std::string bytes;
  std::vector<size_t> ends;
  ASSERT_TRUE((*encoder)->Encode(rows, 0, 2, &bytes, &ends).ok());
  auto decoder = kAvroConfluentFormat.make_decoder(table, options);
  ASSERT_TRUE(decoder.ok());
  Decoded d = DecodeAll(**decoder, {bytes.substr(0, ends[0]), bytes.substr(ends[0])});
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.batch.RowToString(0), rows.RowToString(0));
  EXPECT_EQ(d.batch.RowToString(1), rows.RowToString(1));
}

}  // namespace
}  // namespace sluice
