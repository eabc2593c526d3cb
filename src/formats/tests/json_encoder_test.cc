#include "formats/json/json_encoder.h"

#include <gtest/gtest.h>

#include <cmath>

#include "formats/format.h"

namespace sluice {
namespace {

Schema AllTypes() {
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

Batch SampleRows() {
  BatchBuilder builder(AllTypes());
  builder.AppendRow({Value::Int(1), Value::Varchar("a \"quoted\"\nline\\ \x01"),
                     Value::Double(12.5), Value::Decimal(1999, 10, 2), Value::Boolean(true),
                     Value::Timestamp(1704067205120000), Value::TimestampLtz(1704067205000000),
                     Value::Date(19723), Value::Bigint(-9)});
  builder.AppendRow({Value::Int(2), Value::Null(LogicalType::Varchar()), Value::Double(1e10),
                     Value::Decimal(-5, 10, 2), Value::Boolean(false),
                     Value::Null(LogicalType::Timestamp(3)),
                     Value::Null(LogicalType::TimestampLtz(3)), Value::Null(LogicalType::Date()),
                     Value::Null(LogicalType::Bigint())});
  return builder.Finish();
}

std::string Encode(const Batch& batch, Options options = {}) {
  auto encoder =
      kJsonFormat.make_encoder(batch.num_columns() == 9 ? AllTypes() : Schema{}, options);
  EXPECT_TRUE(encoder.ok());
  std::string out;
  EXPECT_TRUE((*encoder)->Encode(batch, 0, batch.num_rows(), &out).ok());
  return out;
}

TEST(JsonEncoderTest, WritesFlinkJsonLines) {
  EXPECT_EQ(Encode(SampleRows()),
            R"({"id":1,"name":"a \"quoted\"\nline\\ \u0001","amount":12.5,"price":19.99,)"
            R"("ok":true,"ts":"2024-01-01 00:00:05.120","ltz":"2024-01-01 00:00:05.000Z",)"
            R"("day":"2024-01-01","big":-9})"
            "\n"
            R"({"id":2,"name":null,"amount":1.0E10,"price":-0.05,"ok":false,"ts":null,)"
            R"("ltz":null,"day":null,"big":null})"
            "\n");
}

TEST(JsonEncoderTest, IsoTimestampsAndIgnoredNulls) {
  std::string out = Encode(SampleRows(), {{"json.timestamp-format.standard", "ISO-8601"},
                                          {"json.encode.ignore-null-fields", "true"}});
  EXPECT_NE(out.find(R"("ts":"2024-01-01T00:00:05.120","ltz":"2024-01-01T00:00:05.000Z")"),
            std::string::npos);
  EXPECT_NE(out.find(R"({"id":2,"amount":1.0E10,"price":-0.05,"ok":false})"), std::string::npos);
}

TEST(JsonEncoderTest, NonFiniteDoublesAreStringsAndRowEndsAreReported) {
  Schema schema{{{"d", LogicalType::Double()}}};
  BatchBuilder builder(schema);
  builder.AppendRow({Value::Double(NAN)});
  builder.AppendRow({Value::Double(-INFINITY)});
  Batch batch = builder.Finish();
  auto encoder = kJsonFormat.make_encoder(schema, {});
  std::string out;
  std::vector<size_t> ends;
  ASSERT_TRUE((*encoder)->Encode(batch, 0, 2, &out, &ends).ok());
  EXPECT_EQ(out, "{\"d\":\"NaN\"}\n{\"d\":\"-Infinity\"}\n");
  EXPECT_EQ(ends, (std::vector<size_t>{12, 30}));
}

TEST(JsonEncoderTest, RoundTripsThroughTheDecoder) {
  Batch original = SampleRows();
  std::string text = Encode(original);
  auto decoder = kJsonFormat.make_decoder(AllTypes(), {});
  ASSERT_TRUE(decoder.ok());
  std::vector<std::string_view> records;
  (*decoder)->SplitRecords(text, true, SIZE_MAX, &records);
  Batch decoded;
  DecodeResult result;
  ASSERT_TRUE((*decoder)->Decode({records, nullptr, false}, &decoded, &result).ok());
  ASSERT_EQ(decoded.num_rows(), original.num_rows());
  for (size_t r = 0; r < original.num_rows(); ++r) {
    EXPECT_EQ(decoded.RowToString(r), original.RowToString(r));
  }
}

}  // namespace
}  // namespace sluice
