#include "formats/raw/raw_format.h"

#include <gtest/gtest.h>

#include "formats/format.h"

namespace sluice {
namespace {

struct Decoded {
  Batch batch;
  DecodeResult result;
  Status status;
};

Decoded DecodeRecords(const Schema& schema, const std::vector<std::string_view>& records,
                      Options options = {}, std::shared_ptr<const void> owner = nullptr) {
  auto format = FindFormat("raw");
  EXPECT_TRUE(format.ok());
  auto decoder = (*format)->make_decoder(schema, options);
  EXPECT_TRUE(decoder.ok()) << decoder.status().ToString();
  Decoded d;
  d.status = (*decoder)->Decode({records, owner, false}, &d.batch, &d.result);
  return d;
}

std::string Encode(const Schema& schema, const Batch& batch, std::vector<size_t>* ends,
                   Options options = {}) {
  auto encoder = kRawFormat.make_encoder(schema, options);
  EXPECT_TRUE(encoder.ok()) << encoder.status().ToString();
  std::string out;
  EXPECT_TRUE((*encoder)->Encode(batch, 0, batch.num_rows(), &out, ends).ok());
  return out;
}

TEST(RawFormatTest, IsRegisteredAndFramedByTheTransport) {
  auto format = FindFormat("raw");
  ASSERT_TRUE(format.ok());
  EXPECT_TRUE((*format)->framed_by_transport);
  EXPECT_FALSE((*format)->produces_changelog);
  Schema schema{{{"line", LogicalType::Varchar()}}};
  auto decoder = kRawFormat.make_decoder(schema, {});
  ASSERT_TRUE(decoder.ok());
  std::vector<std::string_view> records;
  EXPECT_EQ((*decoder)->SplitRecords("a\nb\n", true, 10, &records), 0u);
  EXPECT_TRUE(records.empty());
}

TEST(RawFormatTest, StringsNullMessagesAndZeroCopy) {
  Schema schema{{{"line", LogicalType::Varchar()}}};
  auto owner = std::make_shared<std::string>("hello");
  std::string_view hello(*owner);
  std::vector<std::string_view> records{hello, std::string_view(), std::string_view("", 0),
                                        "caf\xc3\xa9"};
  Decoded d = DecodeRecords(schema, records, {}, owner);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.batch.num_rows(), 4u);
  EXPECT_EQ(d.batch.column(0)->GetString(0).data(), owner->data());  // points into the input
  EXPECT_EQ(d.batch.RowToString(0), "+I[hello]");
  EXPECT_TRUE(d.batch.column(0)->IsNull(1));  // a null message (tombstone)
  EXPECT_FALSE(d.batch.column(0)->IsNull(2));
  EXPECT_EQ(d.batch.column(0)->GetString(2), "");
  EXPECT_EQ(d.batch.column(0)->GetString(3), "caf\xc3\xa9");
  EXPECT_EQ(d.result.consumed, 4u);
  EXPECT_EQ(d.result.rows, 4u);
}

TEST(RawFormatTest, InvalidUtf8IsReplaced) {
  std::string out;
  AppendUtf8Replacing(
      "a\xff"
      "b\xc3"
      "c\xe2\x82"
      "d\xed\xa0\x80"
      "e\xf0\x9f\x98\x80",
      &out);
  EXPECT_EQ(out,
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c\xEF\xBF\xBD"
            "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
            "e\xf0\x9f\x98\x80");
  Schema schema{{{"line", LogicalType::Varchar()}}};
  Decoded d = DecodeRecords(schema, {"x\xff"});
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.batch.column(0)->GetString(0), "x\xEF\xBF\xBD");
}

TEST(RawFormatTest, NumbersInEitherByteOrderRoundTrip) {
  for (const char* endianness : {"big-endian", "little-endian"}) {
    Options options{{"raw.endianness", endianness}};
    Schema bigint{{{"v", LogicalType::Bigint()}}};
    BatchBuilder builder(bigint);
    builder.AppendRow({Value::Bigint(0x0102030405060708)});
    builder.AppendRow({Value::Null(LogicalType::Bigint())});
    builder.AppendRow({Value::Bigint(-2)});
    Batch batch = builder.Finish();
    std::vector<size_t> ends;
    std::string bytes = Encode(bigint, batch, &ends, options);
    ASSERT_EQ(ends, (std::vector<size_t>{8, 8, 16}));
    if (std::string(endianness) == "big-endian") {
      EXPECT_EQ(bytes.substr(0, 8), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
    } else {
      EXPECT_EQ(bytes.substr(0, 8), std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8));
    }
    Decoded d = DecodeRecords(
        bigint, {std::string_view(bytes.data(), 8), std::string_view(), bytes.substr(8, 8)},
        options);
    ASSERT_TRUE(d.status.ok()) << d.status.ToString();
    EXPECT_EQ(d.batch.RowToString(0), "+I[72623859790382856]");
    EXPECT_EQ(d.batch.RowToString(1), "+I[null]");
    EXPECT_EQ(d.batch.RowToString(2), "+I[-2]");
  }
  Schema types{{{"v", LogicalType::Double()}}};
  Decoded d = DecodeRecords(types, {std::string_view("\x3f\xf8\0\0\0\0\0\0", 8)});
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.batch.column(0)->Get<double>(0), 1.5);
  Schema ints{{{"v", LogicalType::Int()}}};
  d = DecodeRecords(ints, {std::string_view("\0\0\1\0", 4)}, {{"raw.endianness", "little-endian"}});
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.batch.column(0)->Get<int32_t>(0), 65536);
  Schema flags{{{"v", LogicalType::Boolean()}}};
  d = DecodeRecords(flags, {std::string_view("\0", 1), "\x02"});
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.batch.RowToString(0), "+I[false]");
  EXPECT_EQ(d.batch.RowToString(1), "+I[true]");
}

TEST(RawFormatTest, WrongSizeIsARecordError) {
  Schema schema{{{"v", LogicalType::Int()}}};
  Decoded d = DecodeRecords(schema, {std::string_view("\0\0\0\1", 4), "abc", "abcd"});
  ASSERT_FALSE(d.status.ok());
  EXPECT_EQ(d.status.code(), ErrorCode::kDecodeError);
  EXPECT_EQ(d.status.message(), "expected 4 bytes for column 'v' of type INT, got 3");
  EXPECT_EQ(d.result.consumed, 1u);
  EXPECT_EQ(d.result.rows, 1u);
  EXPECT_EQ(d.batch.num_rows(), 1u);
}

TEST(RawFormatTest, RejectsBadSchemasAndOptions) {
  Schema two{{{"a", LogicalType::Varchar()}, {"b", LogicalType::Varchar()}}};
  EXPECT_EQ(kRawFormat.make_decoder(two, {}).status().message(),
            "the raw format needs exactly one physical column, but the table has 2 (a, b)");
  Schema date{{{"d", LogicalType::Date()}}};
  auto bad_type = kRawFormat.make_encoder(date, {});
  EXPECT_EQ(bad_type.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(bad_type.status().message().find("no BYTES type"), std::string::npos);
  Schema text{{{"s", LogicalType::Varchar()}}};
  EXPECT_EQ(kRawFormat.make_decoder(text, {{"raw.charset", "ISO-8859-1"}}).status().message(),
            "option 'raw.charset': only 'UTF-8' is supported, got 'ISO-8859-1'");
  EXPECT_TRUE(kRawFormat.make_decoder(text, {{"raw.charset", "utf-8"}}).ok());
  EXPECT_EQ(kRawFormat.make_decoder(text, {{"raw.endianness", "middle"}}).status().code(),
            ErrorCode::kInvalidOption);
}

TEST(RawFormatTest, StringsEncodeAsTheirBytes) {
  Schema schema{{{"s", LogicalType::Varchar()}}};
  BatchBuilder builder(schema);
  builder.AppendRow({Value::Varchar("one")});
  builder.AppendRow({Value::Null(LogicalType::Varchar())});
  builder.AppendRow({Value::Varchar("three\n")});
  std::vector<size_t> ends;
  EXPECT_EQ(Encode(schema, builder.Finish(), &ends), "onethree\n");
  EXPECT_EQ(ends, (std::vector<size_t>{3, 3, 9}));
}

}  // namespace
}  // namespace sluice
