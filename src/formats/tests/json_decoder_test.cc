#include "formats/json/json_decoder.h"

#include <gtest/gtest.h>

#include <cmath>

#include "formats/format.h"
#include "types/time_format.h"

namespace sluice {
namespace {

Schema OrderSchema() {
  return Schema{{{"id", LogicalType::Int()},
                 {"name", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()},
                 {"price", LogicalType::Decimal(10, 2)},
                 {"ok", LogicalType::Boolean()},
                 {"ts", LogicalType::Timestamp(3)},
                 {"ltz", LogicalType::TimestampLtz(3)},
                 {"day", LogicalType::Date()},
                 {"big", LogicalType::Bigint()}}};
}

std::unique_ptr<RecordDecoder> MakeDecoder(const Schema& schema, Options options = {}) {
  auto decoder = kJsonFormat.make_decoder(schema, options);
  EXPECT_TRUE(decoder.ok()) << decoder.status().ToString();
  return std::move(decoder).value();
}

// Frames `text` the way the filesystem source does (a padded block kept alive by the batch).
struct Decoded {
  Batch batch;
  DecodeResult result;
  Status status;
  std::shared_ptr<std::string> block;
  std::vector<std::string_view> records;
};

Decoded DecodeText(RecordDecoder& decoder, const std::string& text) {
  Decoded d;
  d.block = std::make_shared<std::string>(text);
  d.block->append(kRecordPadding, '\0');
  std::string_view data(d.block->data(), text.size());
  size_t used = decoder.SplitRecords(data, /*at_end=*/true, SIZE_MAX, &d.records);
  EXPECT_EQ(used, text.size());
  RecordInput input{d.records, d.block, /*padded=*/true};
  d.status = decoder.Decode(input, &d.batch, &d.result);
  return d;
}

std::string DecodeError(const std::string& line, const Schema& schema = OrderSchema()) {
  auto decoder = MakeDecoder(schema);
  Decoded d = DecodeText(*decoder, line);
  EXPECT_FALSE(d.status.ok()) << line;
  EXPECT_EQ(d.status.code(), ErrorCode::kDecodeError);
  EXPECT_EQ(d.result.consumed, 0u);
  return d.status.message();
}

TEST(JsonDecoderTest, DecodesEveryTypeByFieldName) {
  auto decoder = MakeDecoder(OrderSchema());
  Decoded d =
      DecodeText(*decoder, R"({"id": 7, "name": "caf\u00e9 \"x\"", "amount": 12.5, "price": 19.99,)"
                           R"( "ok": true, "ts": "2024-01-01 00:00:05.120",)"
                           R"( "ltz": "2024-01-01T00:00:05Z", "day": "2024-02-29", "big": -5})");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.batch.num_rows(), 1u);
  EXPECT_EQ(d.batch.column(0)->Get<int32_t>(0), 7);
  EXPECT_EQ(d.batch.column(1)->GetString(0), "caf\xc3\xa9 \"x\"");
  EXPECT_EQ(d.batch.column(2)->Get<double>(0), 12.5);
  EXPECT_TRUE(d.batch.column(3)->Get<int128_t>(0) == 1999);
  EXPECT_EQ(d.batch.column(4)->Get<uint8_t>(0), 1);
  EXPECT_EQ(d.batch.column(5)->Get<int64_t>(0), 1704067205120000);
  EXPECT_EQ(d.batch.column(6)->Get<int64_t>(0), 1704067205000000);
  EXPECT_EQ(d.batch.column(7)->Get<int32_t>(0), *ParseDate("2024-02-29"));
  EXPECT_EQ(d.batch.column(8)->Get<int64_t>(0), -5);
  EXPECT_EQ(d.batch.RowToString(0),
            "+I[7, caf\xc3\xa9 \"x\", 12.5, 19.99, true, 2024-01-01T00:00:05.120, "
            "2024-01-01T00:00:05, 2024-02-29, -5]");
}

TEST(JsonDecoderTest, MissingAndNullFieldsAreNullAndOrderDoesNotMatter) {
  auto decoder = MakeDecoder(OrderSchema());
  Decoded d = DecodeText(*decoder,
                         "{\"big\": 1, \"id\": 2, \"extra\": {\"nested\": [1, 2]}}\n"
                         "\n"
                         "{\"id\": null, \"name\": \"b\", \"id\": 3}\r\n"
                         "{\"name\": null}");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.batch.num_rows(), 3u);
  EXPECT_EQ(d.batch.RowToString(0), "+I[2, null, null, null, null, null, null, null, 1]");
  // A duplicate key: the last value wins.
  EXPECT_EQ(d.batch.RowToString(1), "+I[3, b, null, null, null, null, null, null, null]");
  EXPECT_EQ(d.batch.RowToString(2), "+I[null, null, null, null, null, null, null, null, null]");
}

TEST(JsonDecoderTest, AcceptsNumericStringsAndKeepsOtherJsonAsText) {
  Schema schema{{{"i", LogicalType::Int()},
                 {"d", LogicalType::Double()},
                 {"p", LogicalType::Decimal(5, 1)},
                 {"s", LogicalType::Varchar()},
                 {"t", LogicalType::Varchar()},
                 {"b", LogicalType::Boolean()}}};
  auto decoder = MakeDecoder(schema);
  Decoded d =
      DecodeText(*decoder, R"({"i": " 12 ", "d": "NaN", "p": "3.25", "s": {"a": [1, {"b": null}]},)"
                           R"( "t": 1.50, "b": "FALSE"})");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.batch.column(0)->Get<int32_t>(0), 12);
  EXPECT_TRUE(std::isnan(d.batch.column(1)->Get<double>(0)));
  EXPECT_TRUE(d.batch.column(2)->Get<int128_t>(0) == 33);  // 3.25 rounds half-up to 3.3
  EXPECT_EQ(d.batch.column(3)->GetString(0), R"({"a": [1, {"b": null}]})");
  EXPECT_EQ(d.batch.column(4)->GetString(0), "1.50");
  EXPECT_EQ(d.batch.column(5)->Get<uint8_t>(0), 0);
}

TEST(JsonDecoderTest, DecimalComesFromTheNumberTextExactly) {
  Schema schema{{{"p", LogicalType::Decimal(38, 18)}}};
  auto decoder = MakeDecoder(schema);
  Decoded d = DecodeText(*decoder, R"({"p": 12345678901234567890.123456789012345678})");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.batch.RowToString(0), "+I[12345678901234567890.123456789012345678]");
}

TEST(JsonDecoderTest, ReportsEveryKindOfBadRecord) {
  EXPECT_NE(DecodeError(R"({"id": 1, "name": )").find("malformed JSON"), std::string::npos);
  EXPECT_EQ(DecodeError("[1, 2]"), "malformed JSON: expected an object");
  EXPECT_EQ(DecodeError(R"({"id": 1} {"id": 2})"),
            "malformed JSON: unexpected content after the object");
  EXPECT_EQ(DecodeError(R"({"amount": "abc"})"),
            "expected a number for column 'amount', got \"abc\"");
  EXPECT_EQ(DecodeError(R"({"amount": true})"), "expected a number for column 'amount', got true");
  EXPECT_EQ(DecodeError(R"({"id": [1]})"), "expected a number for column 'id', got an array");
  EXPECT_EQ(DecodeError(R"({"id": 3000000000})"),
            "value 3000000000 is out of range for column 'id' of type INT");
  EXPECT_EQ(DecodeError(R"({"big": 92233720368547758070})"),
            "value 92233720368547758070 is out of range for column 'big' of type BIGINT");
  EXPECT_EQ(DecodeError(R"({"id": 1.5})"), "expected an integer for column 'id', got 1.5");
  EXPECT_EQ(DecodeError(R"({"price": 123456789.5})"),
            "value 123456789.5 does not fit DECIMAL(10, 2) for column 'price'");
  EXPECT_EQ(DecodeError(R"({"ok": 1})"), "expected a boolean for column 'ok', got 1");
  EXPECT_EQ(DecodeError(R"({"ts": "yesterday"})"),
            "expected a timestamp like '2024-01-01 00:00:05.000' for column 'ts', got "
            "\"yesterday\"");
  EXPECT_EQ(DecodeError(R"({"ts": "2024-13-01 00:00:00"})"),
            "expected a timestamp like '2024-01-01 00:00:05.000' for column 'ts', got "
            "\"2024-13-01 00:00:00\"");
  EXPECT_EQ(DecodeError(R"({"ts": 1704067200000})"),
            "expected a timestamp string for column 'ts', got the number 1704067200000 (for "
            "epoch values declare the column BIGINT and use TO_TIMESTAMP_LTZ(column, 3))");
  EXPECT_EQ(DecodeError(R"({"day": "2024-02-30"})"),
            "expected a date 'yyyy-MM-dd' for column 'day', got \"2024-02-30\"");
}

TEST(JsonDecoderTest, StopsAtTheFirstBadRecordAndKeepsTheRowsBefore) {
  auto decoder = MakeDecoder(OrderSchema());
  Decoded d = DecodeText(*decoder, "{\"id\": 1}\n{\"id\": 2}\n{\"id\": \"x\"}\n{\"id\": 4}\n");
  ASSERT_FALSE(d.status.ok());
  EXPECT_EQ(d.result.consumed, 2u);
  EXPECT_EQ(d.records[d.result.consumed], "{\"id\": \"x\"}");  // raw bytes for a dead letter
  EXPECT_EQ(d.result.rows, 2u);
  EXPECT_EQ(d.batch.num_rows(), 2u);
  EXPECT_EQ(d.batch.column(0)->Get<int32_t>(1), 2);
}

TEST(JsonDecoderTest, IgnoreParseErrorsSkipsAndReportsBadRecords) {
  auto decoder = MakeDecoder(OrderSchema(), {{"json.ignore-parse-errors", "true"}});
  Decoded d = DecodeText(*decoder,
                         "{\"id\": 1, \"name\": \"a\"}\n"
                         "{\"id\": \"x\", \"name\": null}\n"
                         "not json\n"
                         "{\"id\": 4, \"name\": \"d\"}\n");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.result.consumed, 4u);
  EXPECT_EQ(d.result.rows, 2u);
  ASSERT_EQ(d.result.skipped.size(), 2u);
  EXPECT_EQ(d.result.skipped[0].record, 1u);
  EXPECT_EQ(d.result.skipped[0].reason, "expected a number for column 'id', got \"x\"");
  EXPECT_EQ(d.result.skipped[1].record, 2u);
  EXPECT_NE(d.result.skipped[1].reason.find("malformed JSON"), std::string::npos);
  ASSERT_EQ(d.batch.num_rows(), 2u);
  // The skipped record's NULL 'name' must not leak into the row that reused its slot.
  EXPECT_EQ(d.batch.RowToString(1), "+I[4, d, null, null, null, null, null, null, null]");
}

TEST(JsonDecoderTest, FailOnMissingField) {
  Schema schema{{{"a", LogicalType::Int()}, {"b", LogicalType::Int()}}};
  auto decoder = MakeDecoder(schema, {{"json.fail-on-missing-field", "true"}});
  Decoded d = DecodeText(*decoder, R"({"a": 1})");
  EXPECT_EQ(d.status.message(), "missing field 'b'");
  auto both = kJsonFormat.make_decoder(
      schema, {{"json.fail-on-missing-field", "true"}, {"json.ignore-parse-errors", "true"}});
  EXPECT_EQ(both.status().code(), ErrorCode::kInvalidOption);
  auto bad = kJsonFormat.make_decoder(schema, {{"json.timestamp-format.standard", "RFC"}});
  EXPECT_EQ(bad.status().message(),
            "option 'json.timestamp-format.standard' expects 'SQL' or 'ISO-8601', got 'RFC'");
}

TEST(JsonDecoderTest, StringsPointIntoTheInputOnlyWhenItIsKeptAlive) {
  Schema schema{{{"s", LogicalType::Varchar()}, {"e", LogicalType::Varchar()}}};
  auto decoder = MakeDecoder(schema);
  std::string text = R"({"s": "plain", "e": "tab\there"})";
  std::vector<std::string_view> records{text};

  Batch shared;
  DecodeResult result;
  auto owner = std::make_shared<std::string>("owner");
  ASSERT_TRUE(decoder->Decode({records, owner, /*padded=*/false}, &shared, &result).ok());
  std::string_view plain = shared.column(0)->GetString(0);
  EXPECT_EQ(plain, "plain");
  EXPECT_TRUE(plain.data() >= text.data() && plain.data() < text.data() + text.size());
  EXPECT_EQ(shared.column(1)->GetString(0), "tab\there");  // unescaped, so copied

  Batch copied;
  ASSERT_TRUE(decoder->Decode({records, nullptr, /*padded=*/false}, &copied, &result).ok());
  std::string_view copy = copied.column(0)->GetString(0);
  EXPECT_EQ(copy, "plain");
  EXPECT_FALSE(copy.data() >= text.data() && copy.data() < text.data() + text.size());
}

TEST(JsonDecoderTest, SplitRecordsStopsAtIncompleteLinesAndMaxRecords) {
  auto decoder = MakeDecoder(OrderSchema());
  std::string data = "{\"id\":1}\n\n{\"id\":2}\n{\"id\":3}\n{\"id\"";
  std::vector<std::string_view> records;
  size_t used = decoder->SplitRecords(data, /*at_end=*/false, 2, &records);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1], "{\"id\":2}");
  EXPECT_EQ(used, data.find("{\"id\":3}"));
  records.clear();
  used = decoder->SplitRecords(data.substr(used), /*at_end=*/false, 10, &records);
  EXPECT_EQ(records.size(), 1u);
  EXPECT_EQ(used, 9u);  // the incomplete last line waits for more bytes
  records.clear();
  decoder->SplitRecords("{\"id\":4}", /*at_end=*/true, 10, &records);
  EXPECT_EQ(records.size(), 1u);
}

TEST(JsonDecoderTest, RejectsIntervalColumns) {
  Schema schema{{{"i", LogicalType::Interval()}}};
  auto decoder = kJsonFormat.make_decoder(schema, {});
  EXPECT_EQ(decoder.status().code(), ErrorCode::kUnsupported);
}

TEST(JsonDecoderTest, AppendsToAnExistingBatch) {
  Schema schema{{{"a", LogicalType::Int()}}};
  auto decoder = MakeDecoder(schema);
  Decoded first = DecodeText(*decoder, "{\"a\":1}\n{\"a\":2}");
  std::string second_text = "{\"a\":3}";
  std::vector<std::string_view> records{second_text};
  DecodeResult result;
  ASSERT_TRUE(decoder->Decode({records, nullptr, false}, &first.batch, &result).ok());
  ASSERT_EQ(first.batch.num_rows(), 3u);
  EXPECT_EQ(first.batch.column(0)->Get<int32_t>(2), 3);
}

}  // namespace
}  // namespace sluice
