#include <gtest/gtest.h>

#include "formats/csv/csv_format.h"
#include "formats/format.h"

namespace sluice {
namespace {

Schema Sample() {
  return Schema{{{"id", LogicalType::Int()},
                 {"name", LogicalType::Varchar()},
                 {"price", LogicalType::Decimal(10, 2)},
                 {"ts", LogicalType::Timestamp(3)}}};
}

struct Decoded {
  Batch batch;
  DecodeResult result;
  Status status;
  std::vector<std::string_view> records;
};

Decoded DecodeCsv(const std::string& text, Options options = {}, Schema schema = Sample()) {
  Decoded d;
  auto decoder = kCsvFormat.make_decoder(schema, options);
  EXPECT_TRUE(decoder.ok()) << decoder.status().ToString();
  size_t used = (*decoder)->SplitRecords(text, /*at_end=*/true, SIZE_MAX, &d.records);
  EXPECT_EQ(used, text.size());
  d.status = (*decoder)->Decode({d.records, nullptr, false}, &d.batch, &d.result);
  return d;
}

TEST(CsvTest, DecodesQuotesEscapedQuotesAndEmbeddedNewlines) {
  Decoded d = DecodeCsv(
      "1,plain,12.50,2024-01-01 00:00:05.120\n"
      "2,\"with, comma\",1,2024-01-01T00:00:05Z\r\n"
      "3,\"say \"\"hi\"\"\nsecond line\",-0.5,2024-01-01 00:00:00\n"
      "\n"
      "4,,,\n");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.batch.num_rows(), 4u);
  EXPECT_EQ(d.batch.RowToString(0), "+I[1, plain, 12.50, 2024-01-01T00:00:05.120]");
  EXPECT_EQ(d.batch.RowToString(1), "+I[2, with, comma, 1.00, 2024-01-01T00:00:05]");
  EXPECT_EQ(d.batch.column(1)->GetString(2), "say \"hi\"\nsecond line");
  // Empty fields: '' for STRING, NULL for the others.
  EXPECT_EQ(d.batch.column(1)->GetString(3), "");
  EXPECT_FALSE(d.batch.column(1)->IsNull(3));
  EXPECT_TRUE(d.batch.column(2)->IsNull(3));
  EXPECT_TRUE(d.batch.column(3)->IsNull(3));
}

TEST(CsvTest, SplitRecordsWaitsForTheClosingQuote) {
  auto decoder = kCsvFormat.make_decoder(Sample(), {});
  ASSERT_TRUE(decoder.ok());
  std::string data = "1,a,1,2024-01-01\n2,\"multi\nline";
  std::vector<std::string_view> records;
  size_t used = (*decoder)->SplitRecords(data, /*at_end=*/false, 10, &records);
  EXPECT_EQ(records.size(), 1u);
  EXPECT_EQ(used, 17u);
  records.clear();
  used =
      (*decoder)->SplitRecords(std::string_view(data).substr(used), /*at_end=*/true, 10, &records);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0], "2,\"multi\nline");
}

TEST(CsvTest, OptionsDelimiterNullLiteralCommentsAndEscape) {
  Decoded d = DecodeCsv(
      "# a comment line\n"
      "1;N/A;2.5;2024-01-01 00:00:00\n"
      "2;x\\;y;N/A;2024-01-01 00:00:00\n",
      {{"csv.field-delimiter", ";"},
       {"csv.null-literal", "N/A"},
       {"csv.allow-comments", "true"},
       {"csv.escape-character", "\\"}});
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.batch.num_rows(), 2u);
  EXPECT_TRUE(d.batch.column(1)->IsNull(0));
  EXPECT_EQ(d.batch.column(1)->GetString(1), "x;y");
  EXPECT_TRUE(d.batch.column(2)->IsNull(1));

  Decoded tabs = DecodeCsv("1\t\"q\"\t1\t2024-01-01\n", {{"csv.field-delimiter", "\\t"},
                                                         {"csv.disable-quote-character", "true"}});
  ASSERT_TRUE(tabs.status.ok()) << tabs.status.ToString();
  EXPECT_EQ(tabs.batch.column(1)->GetString(0), "\"q\"");
}

TEST(CsvTest, ReportsBadRows) {
  EXPECT_EQ(DecodeCsv("1,a,2.5\n").status.message(), "expected 4 fields, got 3");
  EXPECT_EQ(DecodeCsv("x,a,2.5,2024-01-01\n").status.message(),
            "expected a number for column 'id', got \"x\"");
  EXPECT_EQ(DecodeCsv("1,a,123456789.5,2024-01-01\n").status.message(),
            "value 123456789.5 does not fit DECIMAL(10, 2) for column 'price'");
  EXPECT_EQ(DecodeCsv("1,a,1,noon\n").status.message(),
            "expected a timestamp like '2024-01-01 00:00:05.000' for column 'ts', got \"noon\"");
  EXPECT_EQ(DecodeCsv("1,\"a\"b,1,2024-01-01\n").status.message(),
            "unexpected character after a closing quote at position 6");
  EXPECT_EQ(DecodeCsv("1,\"open,1,2024-01-01").status.message(), "unterminated quoted field");
  EXPECT_EQ(DecodeCsv("99999999999,a,1,2024-01-01\n").status.message(),
            "value 99999999999 is out of range for column 'id' of type INT");
}

TEST(CsvTest, IgnoreParseErrorsSkipsBadRowsAndPadsShortOnes) {
  Decoded d =
      DecodeCsv("1,a,1,2024-01-01\nx,b,1,2024-01-01\n3,c\n", {{"csv.ignore-parse-errors", "true"}});
  ASSERT_TRUE(d.status.ok());
  ASSERT_EQ(d.batch.num_rows(), 2u);
  EXPECT_EQ(d.batch.RowToString(1), "+I[3, c, null, null]");
  ASSERT_EQ(d.result.skipped.size(), 1u);
  EXPECT_EQ(d.result.skipped[0].record, 1u);
}

TEST(CsvTest, EncoderQuotesOnlyWhenNeededAndRoundTrips) {
  BatchBuilder builder(Sample());
  builder.AppendRow({Value::Int(1), Value::Varchar("plain"), Value::Decimal(1250, 10, 2),
                     Value::Timestamp(1704067205120000)});
  builder.AppendRow({Value::Int(2), Value::Varchar("a,\"b\"\nc"),
                     Value::Null(LogicalType::Decimal(10, 2)),
                     Value::Null(LogicalType::Timestamp(3))});
  Batch batch = builder.Finish();
  auto encoder = kCsvFormat.make_encoder(Sample(), {});
  ASSERT_TRUE(encoder.ok());
  std::string out;
  ASSERT_TRUE((*encoder)->Encode(batch, 0, 2, &out).ok());
  EXPECT_EQ(out, "1,plain,12.50,2024-01-01 00:00:05.120\n2,\"a,\"\"b\"\"\nc\",,\n");
  Decoded back = DecodeCsv(out);
  ASSERT_TRUE(back.status.ok());
  ASSERT_EQ(back.batch.num_rows(), 2u);
  for (size_t r = 0; r < 2; ++r) EXPECT_EQ(back.batch.RowToString(r), batch.RowToString(r));

  auto with_null = kCsvFormat.make_encoder(Sample(), {{"csv.null-literal", "\\N"}});
  out.clear();
  ASSERT_TRUE((*with_null)->Encode(batch, 1, 2, &out).ok());
  EXPECT_EQ(out, "2,\"a,\"\"b\"\"\nc\",\\N,\\N\n");
}

TEST(CsvTest, RejectsContradictoryOptions) {
  EXPECT_EQ(kCsvFormat.make_decoder(Sample(), {{"csv.field-delimiter", ";;"}}).status().message(),
            "option 'csv.field-delimiter' expects a single character, got ';;'");
  EXPECT_EQ(kCsvFormat
                .make_decoder(Sample(), {{"csv.quote-character", "'"},
                                         {"csv.disable-quote-character", "true"}})
                .status()
                .code(),
            ErrorCode::kInvalidOption);
}

}  // namespace
}  // namespace sluice
