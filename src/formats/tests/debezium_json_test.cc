#include "formats/debezium_json/debezium_json_format.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "formats/format.h"

namespace sluice {
namespace {

Schema ProductSchema() {
  return Schema{{{"id", LogicalType::Int()},
                 {"name", LogicalType::Varchar()},
                 {"weight", LogicalType::Double()}}};
}

std::unique_ptr<RecordDecoder> MakeDecoder(Options options = {},
                                           const Schema& schema = ProductSchema()) {
  auto format = FindFormat("debezium-json");
  EXPECT_TRUE(format.ok());
  auto decoder = (*format)->make_decoder(schema, options);
  EXPECT_TRUE(decoder.ok()) << decoder.status().ToString();
  return std::move(decoder).value();
}

struct Decoded {
  Batch batch;
  DecodeResult result;
  Status status;
  std::shared_ptr<std::string> block;

  std::vector<std::string> Rows() const {
    std::vector<std::string> rows;
    for (size_t i = 0; i < batch.num_rows(); ++i) rows.push_back(batch.RowToString(i));
    return rows;
  }
};

// One record per message (as from Kafka), unpadded and without an owner: strings are copied.
Decoded DecodeMessages(RecordDecoder& decoder, const std::vector<std::string_view>& messages) {
  Decoded d;
  d.status = decoder.Decode({messages, nullptr, false}, &d.batch, &d.result);
  return d;
}

// JSON lines framed by SplitRecords, as the filesystem source reads them (padded, kept alive).
Decoded DecodeLines(RecordDecoder& decoder, const std::string& text) {
  Decoded d;
  d.block = std::make_shared<std::string>(text);
  d.block->append(kRecordPadding, '\0');
  std::vector<std::string_view> records;
  size_t used =
      decoder.SplitRecords(std::string_view(d.block->data(), text.size()), true, 1000, &records);
  EXPECT_EQ(used, text.size());
  d.status = decoder.Decode({records, d.block, true}, &d.batch, &d.result);
  return d;
}

constexpr std::string_view kCreate =
    R"({"before":null,"after":{"id":101,"name":"scooter","weight":3.14},"source":{"db":"inv"},"op":"c","ts_ms":1589355606100})";
constexpr std::string_view kRead = R"({"op":"r","after":{"id":102,"name":"car battery"}})";
constexpr std::string_view kUpdate =
    R"({"before":{"id":101,"name":"scooter","weight":3.14},"after":{"id":101,"name":"scooter","weight":5.18},"op":"u"})";
constexpr std::string_view kDelete =
    R"({"before":{"id":102,"name":"car battery","weight":8.1},"after":null,"op":"d"})";

TEST(DebeziumJsonTest, IsAChangelogFormatFramedByTheTransport) {
  auto format = FindFormat("debezium-json");
  ASSERT_TRUE(format.ok());
  EXPECT_TRUE((*format)->produces_changelog);
  EXPECT_TRUE((*format)->framed_by_transport);
}

TEST(DebeziumJsonTest, OpsBecomeRowKinds) {
  auto decoder = MakeDecoder();
  // A delete is followed by a tombstone (a null message), which is skipped.
  Decoded d =
      DecodeMessages(*decoder, {kCreate, kRead, kUpdate, kDelete, std::string_view(), "  "});
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.result.consumed, 6u);
  EXPECT_EQ(d.result.rows, 5u);
  EXPECT_TRUE(d.result.skipped.empty());
  EXPECT_EQ(d.Rows(),
            (std::vector<std::string>{"+I[101, scooter, 3.14]", "+I[102, car battery, null]",
                                      "-U[101, scooter, 3.14]", "+U[101, scooter, 5.18]",
                                      "-D[102, car battery, 8.1]"}));
}

TEST(DebeziumJsonTest, AppendsToABatchAndKeepsItsRowKinds) {
  auto decoder = MakeDecoder();
  Batch batch;
  DecodeResult result;
  std::vector<std::string_view> first{kCreate};
  ASSERT_TRUE(decoder->Decode({first, nullptr, false}, &batch, &result).ok());
  std::vector<std::string_view> second{kDelete, kRead};
  ASSERT_TRUE(decoder->Decode({second, nullptr, false}, &batch, &result).ok());
  ASSERT_EQ(batch.num_rows(), 3u);
  EXPECT_EQ(batch.RowToString(0), "+I[101, scooter, 3.14]");
  EXPECT_EQ(batch.RowToString(1), "-D[102, car battery, 8.1]");
  EXPECT_EQ(batch.RowToString(2), "+I[102, car battery, null]");
}

TEST(DebeziumJsonTest, ReadsJsonLinesWithZeroCopyStrings) {
  auto decoder = MakeDecoder();
  std::string text =
      std::string(kCreate) + "\n\n" + std::string(kUpdate) + "\r\n" + std::string(kDelete);
  Decoded d = DecodeLines(*decoder, text);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.batch.num_rows(), 4u);
  EXPECT_EQ(d.batch.RowToString(3), "-D[102, car battery, 8.1]");
  std::string_view name = d.batch.column(1)->GetString(0);
  EXPECT_GE(name.data(), d.block->data());  // points into the block
  EXPECT_LT(name.data(), d.block->data() + d.block->size());
}

TEST(DebeziumJsonTest, SchemaIncludeReadsThePayload) {
  auto decoder = MakeDecoder({{"debezium-json.schema-include", "true"}});
  std::string message =
      R"({"schema":{"type":"struct","fields":[{"field":"before"}],"optional":false},)"
      R"("payload":)" +
      std::string(kUpdate) + "}";
  Decoded d = DecodeMessages(*decoder, {message});
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.Rows(),
            (std::vector<std::string>{"-U[101, scooter, 3.14]", "+U[101, scooter, 5.18]"}));
  // Without the payload wrapper the message is not what the option says.
  d = DecodeMessages(*decoder, {kCreate});
  EXPECT_EQ(d.status.message(), "no 'payload' field, but 'debezium-json.schema-include' is true");
  // And the other way round: a hint to set the option.
  auto plain = MakeDecoder();
  d = DecodeMessages(*plain, {message});
  EXPECT_EQ(d.status.message(),
            "no 'op' field: the message has a 'payload' wrapper; set "
            "'debezium-json.schema-include' = 'true'");
}

TEST(DebeziumJsonTest, UpdatesAndDeletesNeedTheOldRow) {
  auto decoder = MakeDecoder();
  Decoded d = DecodeMessages(*decoder, {R"({"before":null,"after":{"id":1},"op":"u"})"});
  ASSERT_FALSE(d.status.ok());
  EXPECT_EQ(d.status.code(), ErrorCode::kDecodeError);
  EXPECT_EQ(d.status.message(),
            "the 'before' field of an update ('u') message is null or missing; with Debezium's "
            "Postgres connector, set the table's REPLICA IDENTITY to FULL so that updates and "
            "deletes carry the old row");
  d = DecodeMessages(*decoder, {R"({"after":null,"op":"d"})"});
  EXPECT_NE(d.status.message().find("the 'before' field of a delete ('d') message"),
            std::string::npos);
  d = DecodeMessages(*decoder, {R"({"before":{"id":1},"op":"u"})"});
  EXPECT_EQ(d.status.message(), "the 'after' field of an update ('u') message is null or missing");
}

TEST(DebeziumJsonTest, MalformedEnvelopesAreRecordErrors) {
  auto error = [](std::string_view message) {
    auto decoder = MakeDecoder();
    Decoded d = DecodeMessages(*decoder, {kCreate, message, kCreate});
    EXPECT_EQ(d.status.code(), ErrorCode::kDecodeError) << message;
    EXPECT_EQ(d.result.consumed, 1u) << message;
    EXPECT_EQ(d.result.rows, 1u) << message;  // the message before it was decoded
    EXPECT_EQ(d.batch.num_rows(), 1u) << message;
    return d.status.message();
  };
  EXPECT_NE(error(R"({"op":"c","after":{"id":1})").find("malformed JSON"), std::string::npos);
  EXPECT_EQ(error("[1]"), "malformed JSON: expected an object");
  EXPECT_EQ(error("null"), "malformed JSON: expected an object");
  EXPECT_EQ(error(R"({"op":"c","after":{"id":1}} x)").rfind("malformed JSON: ", 0), 0u);
  EXPECT_EQ(error(R"({"after":{"id":1}})"), "no 'op' field: not a Debezium change event");
  EXPECT_EQ(error(R"({"op":"t","after":{"id":1}})"),
            "unknown 'op' value \"t\" (expected 'c', 'r', 'u' or 'd')");
  EXPECT_EQ(error(R"({"op":1,"after":{"id":1}})"), "the 'op' field must be a string, got 1");
  EXPECT_EQ(error(R"({"op":"c","after":[1]})"),
            "the 'after' field must be an object or null, got an array");
  EXPECT_EQ(error(R"({"op":"c","after":{"id":"x"}})"),
            "after: expected a number for column 'id', got \"x\"");
  EXPECT_EQ(error(R"({"op":"u","before":{"id":"x"},"after":{"id":2}})"),
            "before: expected a number for column 'id', got \"x\"");
}

TEST(DebeziumJsonTest, IgnoreParseErrorsSkipsWholeMessages) {
  auto decoder = MakeDecoder({{"debezium-json.ignore-parse-errors", "true"}});
  Decoded d = DecodeMessages(
      *decoder, {kCreate,
                 // The update's 'after' is bad: its good 'before' must not become a lone -U.
                 R"({"op":"u","before":{"id":7,"name":"a"},"after":{"id":"bad"}})", "not json",
                 kDelete, R"({"op":"x"})", kRead});
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.result.consumed, 6u);
  EXPECT_EQ(d.Rows(),
            (std::vector<std::string>{"+I[101, scooter, 3.14]", "-D[102, car battery, 8.1]",
                                      "+I[102, car battery, null]"}));
  ASSERT_EQ(d.result.skipped.size(), 3u);
  EXPECT_EQ(d.result.skipped[0].record, 1u);
  EXPECT_EQ(d.result.skipped[0].reason, "after: expected a number for column 'id', got \"bad\"");
  EXPECT_EQ(d.result.skipped[1].record, 2u);
  EXPECT_EQ(d.result.skipped[2].record, 4u);
}

TEST(DebeziumJsonTest, StopsAtTheFirstBadMessageEvenWhenALaterPartFailsFirst) {
  auto decoder = MakeDecoder();
  // Message 1's 'after' fails inside the row decoder; message 2's envelope is never looked at
  // further; rows of message 0 stay and nothing after message 1 is kept.
  Decoded d = DecodeMessages(
      *decoder, {kUpdate, R"({"op":"u","before":{"id":1},"after":{"id":"x"}})", kCreate});
  ASSERT_FALSE(d.status.ok());
  EXPECT_EQ(d.result.consumed, 1u);
  EXPECT_EQ(d.Rows(),
            (std::vector<std::string>{"-U[101, scooter, 3.14]", "+U[101, scooter, 5.18]"}));
}

TEST(DebeziumJsonTest, TimestampsAreReadAsTheJsonFormatReadsThem) {
  Schema schema{{{"id", LogicalType::Int()}, {"ts", LogicalType::Timestamp(3)}}};
  auto decoder = MakeDecoder({}, schema);
  Decoded d =
      DecodeMessages(*decoder, {R"({"op":"c","after":{"id":1,"ts":"2024-01-01 00:00:05.120"}})"});
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.batch.RowToString(0), "+I[1, 2024-01-01T00:00:05.120]");
  // Debezium's epoch-millis numbers need a BIGINT column, as in Flink.
  d = DecodeMessages(*decoder, {R"({"op":"c","after":{"id":1,"ts":1704067205120}})"});
  EXPECT_NE(d.status.message().find("expected a timestamp string for column 'ts'"),
            std::string::npos);
}

TEST(DebeziumJsonTest, OptionsAreChecked) {
  auto format = FindFormat("debezium-json");
  ASSERT_TRUE(format.ok());
  Schema schema = ProductSchema();
  EXPECT_EQ((*format)
                ->make_decoder(schema, {{"debezium-json.timestamp-format.standard", "RFC"}})
                .status()
                .code(),
            ErrorCode::kInvalidOption);
  EXPECT_TRUE((*format)->make_decoder(schema, {{"debezium-json.map-null-key.mode", "drop"}}).ok());
  EXPECT_EQ((*format)
                ->make_decoder(schema, {{"debezium-json.map-null-key.mode", "KEEP"}})
                .status()
                .code(),
            ErrorCode::kInvalidOption);
  EXPECT_EQ(
      (*format)->make_encoder(schema, {{"debezium-json.schema-include", "true"}}).status().code(),
      ErrorCode::kUnsupported);
  Schema interval{{{"i", LogicalType::Interval()}}};
  EXPECT_FALSE((*format)->make_decoder(interval, {}).ok());
}

TEST(DebeziumJsonTest, EncodesRowKindsAsOps) {
  Schema schema = ProductSchema();
  BatchBuilder builder(schema);
  builder.AppendRow({Value::Int(1), Value::Varchar("a"), Value::Double(1.5)}, RowKind::kInsert);
  builder.AppendRow({Value::Int(1), Value::Varchar("a"), Value::Double(1.5)},
                    RowKind::kUpdateBefore);
  builder.AppendRow({Value::Int(1), Value::Varchar("b"), Value::Null(LogicalType::Double())},
                    RowKind::kUpdateAfter);
  builder.AppendRow({Value::Int(1), Value::Varchar("b"), Value::Double(2)}, RowKind::kDelete);
  Batch batch = builder.Finish();
  auto encoder = kDebeziumJsonFormat.make_encoder(schema, {});
  ASSERT_TRUE(encoder.ok());
  std::string out;
  std::vector<size_t> ends;
  ASSERT_TRUE((*encoder)->Encode(batch, 0, 4, &out, &ends).ok());
  std::vector<std::string> messages;
  size_t start = 0;
  for (size_t end : ends) {
    messages.push_back(out.substr(start, end - start));
    start = end;
  }
  EXPECT_EQ(messages, (std::vector<std::string>{
                          R"({"before":null,"after":{"id":1,"name":"a","weight":1.5},"op":"c"})",
                          R"({"before":{"id":1,"name":"a","weight":1.5},"after":null,"op":"d"})",
                          R"({"before":null,"after":{"id":1,"name":"b","weight":null},"op":"c"})",
                          R"({"before":{"id":1,"name":"b","weight":2.0},"after":null,"op":"d"})"}));
  // What it writes, it reads back.
  auto decoder = MakeDecoder();
  std::vector<std::string_view> views(messages.begin(), messages.end());
  Decoded d = DecodeMessages(*decoder, views);
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.Rows(), (std::vector<std::string>{"+I[1, a, 1.5]", "-D[1, a, 1.5]", "+I[1, b, null]",
                                                "-D[1, b, 2.0]"}));
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

// Throughput on small change events (a mix of inserts, updates and deletes). Prints messages per
// second; run the Release build for meaningful numbers.
TEST(DebeziumJsonThroughputTest, SmallChangeEvents) {
  Schema schema{{{"order_id", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()},
                 {"status", LogicalType::Varchar()}}};
  constexpr size_t kMessages = 200'000;
  auto text = std::make_shared<std::string>();
  for (size_t i = 0; i < kMessages; ++i) {
    std::string row = R"({"order_id":"ord-)" + std::to_string(10000000 + i) + R"(","amount":)" +
                      std::to_string(i % 500) + R"(.25,"status":"paid"})";
    switch (i % 4) {
      case 0:
      case 1:
        *text += R"({"before":null,"after":)" + row +
                 R"(,"source":{"db":"shop","table":"orders"},"op":"c","ts_ms":1767225600000})";
        break;
      case 2:
        *text += R"({"before":)" + row + R"(,"after":)" + row +
                 R"(,"source":{"db":"shop","table":"orders"},"op":"u","ts_ms":1767225600000})";
        break;
      default:
        *text += R"({"before":)" + row +
                 R"(,"after":null,"source":{"db":"shop","table":"orders"},"op":"d","ts_ms":1})";
    }
    *text += "\n";
  }
  const size_t bytes = text->size();
  text->append(kRecordPadding, '\0');
  std::string_view data(text->data(), bytes);
  auto decoder = kDebeziumJsonFormat.make_decoder(schema, {});
  ASSERT_TRUE(decoder.ok());
  std::vector<std::string_view> records;
  size_t messages = 0, rows = 0;
  auto start = std::chrono::steady_clock::now();
  size_t pos = 0;
  while (pos < bytes) {
    records.clear();
    pos += (*decoder)->SplitRecords(data.substr(pos), true, 4096, &records);
    Batch batch;
    DecodeResult result;
    ASSERT_TRUE((*decoder)->Decode({records, text, true}, &batch, &result).ok());
    messages += records.size();
    rows += batch.num_rows();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(messages, kMessages);
  ASSERT_EQ(rows, kMessages / 4 * 5);
  std::printf("debezium-json decode: %zu messages (%.1f MB) in %.3f s = %.2f M messages/s\n",
              messages, bytes / 1e6, seconds, messages / seconds / 1e6);
}

}  // namespace
}  // namespace sluice
