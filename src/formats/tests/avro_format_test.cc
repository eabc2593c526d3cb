// The 'avro' format, and Avro schema resolution (writer schema -> table columns).

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "formats/avro/avro_binary.h"
#include "formats/avro/avro_format.h"
#include "formats/avro/avro_row_decoder.h"
#include "formats/avro/avro_row_encoder.h"
#include "formats/avro/avro_schema.h"
#include "formats/format.h"
#include "types/time_format.h"

namespace sluice {
namespace {

struct Decoded {
  Batch batch;
  DecodeResult result;
  Status status;
};

// Decodes `records` (kept alive as the batch's owner) with `decoder`.
Decoded DecodeAll(RecordDecoder& decoder, const std::vector<std::string>& records,
                  bool with_owner = true) {
  auto owned = std::make_shared<std::vector<std::string>>(records);
  std::vector<std::string_view> views(owned->begin(), owned->end());
  Decoded d;
  RecordInput input{views, with_owner ? std::shared_ptr<const void>(owned) : nullptr, false};
  d.status = decoder.Decode(input, &d.batch, &d.result);
  return d;
}

std::vector<std::string> EncodeAll(RecordEncoder& encoder, const Batch& batch) {
  std::string bytes;
  std::vector<size_t> ends;
  Status st = encoder.Encode(batch, 0, batch.num_rows(), &bytes, &ends);
  EXPECT_TRUE(st.ok()) << st.ToString();
  std::vector<std::string> records;
  size_t start = 0;
  for (size_t end : ends) {
    records.push_back(bytes.substr(start, end - start));
    start = end;
  }
  return records;
}

Schema EveryType() {
  return Schema{{{"id", LogicalType::Int(), /*nullable=*/false},
                 {"name", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()},
                 {"price", LogicalType::Decimal(10, 2)},
                 {"ok", LogicalType::Boolean()},
                 {"ts", LogicalType::Timestamp(3)},
                 {"ts6", LogicalType::Timestamp(6)},
                 {"ltz", LogicalType::TimestampLtz(3)},
                 {"day", LogicalType::Date()},
                 {"big", LogicalType::Bigint()}}};
}

Batch EveryTypeRows() {
  BatchBuilder builder(EveryType());
  builder.AppendRow({Value::Int(7), Value::Varchar("caf\xc3\xa9"), Value::Double(12.5),
                     Value::Decimal(1999, 10, 2), Value::Boolean(true),
                     Value::Timestamp(1704067205120000, 3), Value::Timestamp(1704067205123456, 6),
                     Value::TimestampLtz(1704067205000000, 3), Value::Date(19782),
                     Value::Bigint(-5)});
  builder.AppendRow({Value::Int(-1), Value::Null(LogicalType::Varchar()),
                     Value::Null(LogicalType::Double()), Value::Null(LogicalType::Decimal(10, 2)),
                     Value::Null(LogicalType::Boolean()), Value::Null(LogicalType::Timestamp(3)),
                     Value::Null(LogicalType::Timestamp(6)),
                     Value::Null(LogicalType::TimestampLtz(3)), Value::Null(LogicalType::Date()),
                     Value::Null(LogicalType::Bigint())});
  builder.AppendRow({Value::Int(INT32_MIN), Value::Varchar(""), Value::Double(-0.0),
                     Value::Decimal(-99999999, 10, 2), Value::Boolean(false),
                     Value::Timestamp(-1000, 3), Value::Timestamp(-1, 6), Value::TimestampLtz(0, 3),
                     Value::Date(-719162), Value::Bigint(INT64_MIN)});
  return builder.Finish();
}

TEST(AvroFormatTest, RoundTripsEveryTypeWithNulls) {
  Schema schema = EveryType();
  Batch rows = EveryTypeRows();
  auto encoder = kAvroFormat.make_encoder(schema, {});
  ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
  auto records = EncodeAll(**encoder, rows);
  ASSERT_EQ(records.size(), 3u);
  for (bool with_owner : {true, false}) {
    auto decoder = kAvroFormat.make_decoder(schema, {});
    ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
    Decoded d = DecodeAll(**decoder, records, with_owner);
    ASSERT_TRUE(d.status.ok()) << d.status.ToString();
    ASSERT_EQ(d.batch.num_rows(), 3u);
    for (size_t r = 0; r < 3; ++r) {
      EXPECT_EQ(d.batch.RowToString(r), rows.RowToString(r)) << r;
    }
  }
  EXPECT_TRUE(kAvroFormat.framed_by_transport);
}

TEST(AvroFormatTest, WireBytesMatchAvroBinaryEncoding) {
  Schema schema{{{"a", LogicalType::Int(), false},
                 {"b", LogicalType::Varchar()},
                 {"c", LogicalType::Bigint()}}};
  BatchBuilder builder(schema);
  builder.AppendRow({Value::Int(-2), Value::Varchar("hi"), Value::Null(LogicalType::Bigint())});
  builder.AppendRow({Value::Int(64), Value::Null(LogicalType::Varchar()), Value::Bigint(1)});
  auto encoder = kAvroFormat.make_encoder(schema, {});
  ASSERT_TRUE(encoder.ok());
  auto records = EncodeAll(**encoder, builder.Finish());
  // -2 -> zigzag 3; union branch 1 -> 0x02; "hi" -> len 2 (0x04); null branch 0.
  EXPECT_EQ(records[0], std::string("\x03\x02\x04hi\x00", 6));
  // 64 -> zigzag 128 -> 0x80 0x01.
  EXPECT_EQ(records[1], std::string("\x80\x01\x00\x02\x02", 5));
}

TEST(AvroFormatTest, OptionsAreChecked) {
  EXPECT_TRUE(kAvroFormat.make_decoder(EveryType(), {{"avro.codec", "snappy"}}).ok());
  auto codec = kAvroFormat.make_decoder(EveryType(), {{"avro.codec", "lz4"}});
  EXPECT_EQ(codec.status().code(), ErrorCode::kInvalidOption);
  auto json = kAvroFormat.make_decoder(EveryType(), {{"avro.encoding", "json"}});
  EXPECT_EQ(json.status().code(), ErrorCode::kUnsupported);
  auto legacy = kAvroFormat.make_encoder(EveryType(), {{"avro.timestamp_mapping.legacy", "maybe"}});
  EXPECT_EQ(legacy.status().code(), ErrorCode::kInvalidOption);
  auto interval = kAvroFormat.make_decoder(Schema{{{"i", LogicalType::Interval()}}}, {});
  EXPECT_EQ(interval.status().code(), ErrorCode::kUnsupported);
  auto spec = FindFormat("avro");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(*spec, &kAvroFormat);
}

TEST(AvroFormatTest, NonLegacyTimestampMappingRoundTrips) {
  Schema schema = EveryType();
  Options options{{"avro.timestamp_mapping.legacy", "false"}};
  auto encoder = kAvroFormat.make_encoder(schema, options);
  auto decoder = kAvroFormat.make_decoder(schema, options);
  ASSERT_TRUE(encoder.ok() && decoder.ok());
  Batch rows = EveryTypeRows();
  Decoded d = DecodeAll(**decoder, EncodeAll(**encoder, rows));
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.batch.RowToString(0), rows.RowToString(0));
}

TEST(AvroFormatTest, BadRecordsStopOrAreSkipped) {
  Schema schema{{{"a", LogicalType::Int(), false}, {"b", LogicalType::Varchar(), false}}};
  std::vector<std::string> records = {std::string("\x02\x02x", 3), std::string("\x02\x08x", 3),
                                      std::string("\x04\x00", 2)};
  auto decoder = kAvroFormat.make_decoder(schema, {});
  ASSERT_TRUE(decoder.ok());
  Decoded d = DecodeAll(**decoder, records);
  EXPECT_EQ(d.status.code(), ErrorCode::kDecodeError);
  EXPECT_EQ(d.result.consumed, 1u);
  EXPECT_EQ(d.result.rows, 1u);
  EXPECT_NE(d.status.message().find("truncated Avro body"), std::string::npos)
      << d.status.message();
  EXPECT_NE(d.status.message().find("'b'"), std::string::npos) << d.status.message();

  AvroFormatOptions options;
  options.ignore_parse_errors = true;
  auto skipping = MakeAvroRecordDecoder(schema, options);
  ASSERT_TRUE(skipping.ok());
  d = DecodeAll(**skipping, records);
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.batch.num_rows(), 2u);
  ASSERT_EQ(d.result.skipped.size(), 1u);
  EXPECT_EQ(d.result.skipped[0].record, 1u);
  EXPECT_EQ(d.batch.RowToString(1), "+I[2, ]");
}

// ---- schema resolution -------------------------------------------------------------------------

AvroSchema ParseOrDie(std::string_view json) {
  auto s = AvroSchema::Parse(json);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

// Encodes `rows` (columns named like the writer's fields) with `writer_json`.
std::vector<std::string> WriteWith(std::string_view writer_json, const Batch& rows,
                                   const Schema& row_schema) {
  AvroSchema writer = ParseOrDie(writer_json);
  auto w = AvroRowWriter::Make(writer, row_schema);
  EXPECT_TRUE(w.ok()) << w.status().ToString();
  std::vector<std::string> out;
  for (size_t r = 0; r < rows.num_rows(); ++r) {
    std::string bytes;
    Status st = (*w)->AppendRow(rows, r, &bytes);
    EXPECT_TRUE(st.ok()) << st.ToString();
    out.push_back(bytes);
  }
  return out;
}

struct ReadResult {
  Status status;
  Batch batch;
  std::string error;  // first record error
};

// Reads `records` written with `writer_json` into `table` (derived reader schema unless given).
ReadResult ReadWith(std::string_view writer_json, const Schema& table,
                    const std::vector<std::string>& records, std::string_view reader_json = "") {
  ReadResult out;
  AvroSchema writer = ParseOrDie(writer_json);
  AvroSchema reader = reader_json.empty() ? *AvroSchemaFromTable(table) : ParseOrDie(reader_json);
  auto program = AvroRowProgram::Compile(writer, table, reader);
  if (!program.ok()) {
    out.status = program.status();
    return out;
  }
  AvroRowSink sink;
  out.status = sink.Begin(table, &out.batch, records.size(), false);
  size_t row = 0;
  for (const std::string& r : records) {
    if ((*program)->DecodeRecord(reinterpret_cast<const uint8_t*>(r.data()), r.size(), &sink,
                                 row)) {
      ++row;
    } else {
      if (out.error.empty()) out.error = sink.reason();
      sink.UndoRow(row);
    }
  }
  sink.End(&out.batch, row, nullptr);
  return out;
}

TEST(AvroResolutionTest, AddedFieldWithDefaultAndRemovedField) {
  // Writer v1 has 'old' (not in the table) and lacks 'added' (in the reader, with a default).
  Schema v1{{{"id", LogicalType::Bigint()}, {"old", LogicalType::Varchar()}}};
  BatchBuilder b(v1);
  b.AppendRow({Value::Bigint(1), Value::Varchar("gone")});
  auto records = WriteWith(R"({"type":"record","name":"R","fields":[
      {"name":"id","type":"long"},{"name":"old","type":"string"}]})",
                           b.Finish(), v1);
  Schema table{{{"id", LogicalType::Bigint()},
                {"added", LogicalType::Varchar(), false},
                {"maybe", LogicalType::Int()},
                {"n", LogicalType::Int(), false}}};
  ReadResult r = ReadWith(R"({"type":"record","name":"R","fields":[
      {"name":"id","type":"long"},{"name":"old","type":"string"}]})",
                          table, records, R"({"type":"record","name":"R","fields":[
      {"name":"id","type":["null","long"],"default":null},
      {"name":"added","type":"string","default":"none"},
      {"name":"maybe","type":["null","int"],"default":null},
      {"name":"n","type":"int","default":42}]})");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.batch.num_rows(), 1u) << r.error;
  EXPECT_EQ(r.batch.RowToString(0), "+I[1, none, null, 42]");

  // A NOT NULL column missing from the writer without a default cannot be read.
  Schema strict{{{"id", LogicalType::Bigint()}, {"added", LogicalType::Varchar(), false}}};
  ReadResult bad = ReadWith(R"({"type":"record","name":"R","fields":[
      {"name":"id","type":"long"}]})",
                            strict, {});
  EXPECT_EQ(bad.status.code(), ErrorCode::kTypeError);
  EXPECT_NE(bad.status.message().find("'added' is NOT NULL"), std::string::npos)
      << bad.status.message();
}

TEST(AvroResolutionTest, NumericPromotions) {
  Schema w{{{"i", LogicalType::Int()},
            {"j", LogicalType::Int()},
            {"l", LogicalType::Bigint()},
            {"f", LogicalType::Double()},
            {"k", LogicalType::Bigint()}}};
  BatchBuilder b(w);
  b.AppendRow({Value::Int(-3), Value::Int(5), Value::Bigint(1LL << 40), Value::Double(1.5),
               Value::Bigint(12)});
  auto records = WriteWith(R"({"type":"record","name":"R","fields":[
      {"name":"i","type":"int"},{"name":"j","type":"int"},{"name":"l","type":"long"},
      {"name":"f","type":"float"},{"name":"k","type":"long"}]})",
                           b.Finish(), w);
  Schema table{{{"i", LogicalType::Bigint()},
                {"j", LogicalType::Double()},
                {"l", LogicalType::Double()},
                {"f", LogicalType::Double()},
                {"k", LogicalType::Int()}}};
  ReadResult r = ReadWith(R"({"type":"record","name":"R","fields":[
      {"name":"i","type":"int"},{"name":"j","type":"int"},{"name":"l","type":"long"},
      {"name":"f","type":"float"},{"name":"k","type":"long"}]})",
                          table, records);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.batch.num_rows(), 1u) << r.error;
  EXPECT_EQ(r.batch.column(0)->Get<int64_t>(0), -3);
  EXPECT_EQ(r.batch.column(1)->Get<double>(0), 5.0);
  EXPECT_EQ(r.batch.column(2)->Get<double>(0), static_cast<double>(1LL << 40));
  EXPECT_EQ(r.batch.column(3)->Get<double>(0), 1.5);
  EXPECT_EQ(r.batch.column(4)->Get<int32_t>(0), 12);

  // A long that does not fit the INT column is a record error.
  BatchBuilder big(w);
  big.AppendRow({Value::Int(0), Value::Int(0), Value::Bigint(0), Value::Double(0),
                 Value::Bigint(3000000000LL)});
  auto big_records = WriteWith(R"({"type":"record","name":"R","fields":[
      {"name":"i","type":"int"},{"name":"j","type":"int"},{"name":"l","type":"long"},
      {"name":"f","type":"float"},{"name":"k","type":"long"}]})",
                               big.Finish(), w);
  ReadResult overflow = ReadWith(R"({"type":"record","name":"R","fields":[
      {"name":"i","type":"int"},{"name":"j","type":"int"},{"name":"l","type":"long"},
      {"name":"f","type":"float"},{"name":"k","type":"long"}]})",
                                 table, big_records);
  EXPECT_EQ(overflow.batch.num_rows(), 0u);
  EXPECT_EQ(overflow.error, "value 3000000000 of field 'k' does not fit column type INT");
}

TEST(AvroResolutionTest, UnionsInAnyOrderAndBranchDispatch) {
  const char* writer = R"({"type":"record","name":"R","fields":[
      {"name":"a","type":["string","null"]},
      {"name":"b","type":["null","int","long"]},
      {"name":"c","type":["null","string","long"]}]})";
  Schema w{
      {{"a", LogicalType::Varchar()}, {"b", LogicalType::Bigint()}, {"c", LogicalType::Varchar()}}};
  BatchBuilder b(w);
  b.AppendRow({Value::Varchar("x"), Value::Bigint(9), Value::Varchar("s")});
  b.AppendRow({Value::Null(LogicalType::Varchar()), Value::Null(LogicalType::Bigint()),
               Value::Null(LogicalType::Varchar())});
  auto records = WriteWith(writer, b.Finish(), w);
  // Hand-made: b takes the int branch (1), c takes the long branch (2).
  records.push_back(std::string("\x00\x02x\x02\x0e\x04\x0c", 7));
  Schema table{
      {{"a", LogicalType::Varchar()}, {"b", LogicalType::Bigint()}, {"c", LogicalType::Varchar()}}};
  ReadResult r = ReadWith(writer, table, records);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.batch.num_rows(), 2u);
  EXPECT_EQ(r.batch.RowToString(0), "+I[x, 9, s]");
  EXPECT_EQ(r.batch.RowToString(1), "+I[null, null, null]");
  // The long branch of 'c' cannot be read into STRING: an error for that record only.
  EXPECT_EQ(r.error,
            "union branch long of field 'c' cannot be read into column 'c' of type STRING");

  // A union with no branch the column can take is a compile error.
  ReadResult none = ReadWith(R"({"type":"record","name":"R","fields":[
      {"name":"a","type":["null","boolean"]}]})",
                             Schema{{{"a", LogicalType::Date()}}}, {});
  EXPECT_EQ(none.status.code(), ErrorCode::kTypeError);
  EXPECT_NE(none.status.message().find("cannot be read into column 'a' of type DATE"),
            std::string::npos)
      << none.status.message();
}

TEST(AvroResolutionTest, NullIntoNotNullColumnIsARecordError) {
  Schema w{{{"a", LogicalType::Int()}}};
  BatchBuilder b(w);
  b.AppendRow({Value::Null(LogicalType::Int())});
  b.AppendRow({Value::Int(1)});
  const char* writer =
      R"({"type":"record","name":"R","fields":[{"name":"a","type":["null","int"]}]})";
  ReadResult r = ReadWith(writer, Schema{{{"a", LogicalType::Int(), false}}},
                          WriteWith(writer, b.Finish(), w));
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.batch.num_rows(), 1u);
  EXPECT_EQ(r.error, "null value in field 'a' for a NOT NULL column");
}

TEST(AvroResolutionTest, EnumToString) {
  Schema w{{{"status", LogicalType::Varchar()}}};
  BatchBuilder b(w);
  b.AppendRow({Value::Varchar("DONE")});
  b.AppendRow({Value::Varchar("NEW")});
  const char* writer = R"({"type":"record","name":"R","fields":[{"name":"status","type":
      {"type":"enum","name":"S","symbols":["NEW","DONE"]}}]})";
  auto records = WriteWith(writer, b.Finish(), w);
  EXPECT_EQ(records[0], std::string("\x02", 1));
  records.push_back(std::string("\x06", 1));  // index 3 of 2 symbols
  ReadResult r = ReadWith(writer, w, records);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.batch.num_rows(), 2u);
  EXPECT_EQ(r.batch.RowToString(0), "+I[DONE]");
  EXPECT_EQ(r.batch.RowToString(1), "+I[NEW]");
  EXPECT_EQ(r.error, "enum index 3 out of range (2 symbols) in field 'status'");
}

TEST(AvroResolutionTest, EnumSymbolsOutliveTheProgram) {
  Schema table{{{"status", LogicalType::Varchar()}}};
  Batch batch;
  {
    AvroSchema writer = ParseOrDie(R"({"type":"record","name":"R","fields":[{"name":"status",
        "type":{"type":"enum","name":"S","symbols":["NEW","A_RATHER_LONG_SYMBOL_NAME_HERE"]}}]})");
    auto program = AvroRowProgram::Compile(writer, table, *AvroSchemaFromTable(table));
    ASSERT_TRUE(program.ok());
    AvroRowSink sink;
    ASSERT_TRUE(sink.Begin(table, &batch, 1, true).ok());
    const uint8_t record[] = {0x02};
    ASSERT_TRUE((*program)->DecodeRecord(record, 1, &sink, 0));
    sink.End(&batch, 1, nullptr);
  }  // program and its symbols released; the column keeps them
  EXPECT_EQ(batch.column(0)->GetString(0), "A_RATHER_LONG_SYMBOL_NAME_HERE");
}

TEST(AvroResolutionTest, TimestampLogicalTypes) {
  const char* writer = R"({"type":"record","name":"R","fields":[
      {"name":"a","type":{"type":"long","logicalType":"timestamp-millis"}},
      {"name":"b","type":{"type":"long","logicalType":"timestamp-micros"}},
      {"name":"c","type":{"type":"long","logicalType":"local-timestamp-millis"}},
      {"name":"d","type":{"type":"long","logicalType":"local-timestamp-micros"}},
      {"name":"e","type":"long"},
      {"name":"f","type":{"type":"long","logicalType":"timestamp-nanos"}}]})";
  // 2024-01-01 00:00:05.123456 UTC
  const int64_t micros = 1704067205123456;
  std::string record;
  AppendAvroLong(micros / 1000, &record);
  AppendAvroLong(micros, &record);
  AppendAvroLong(micros / 1000, &record);
  AppendAvroLong(micros, &record);
  AppendAvroLong(micros / 1000, &record);
  AppendAvroLong(micros * 1000 + 789, &record);
  Schema table{{{"a", LogicalType::Timestamp(3)},
                {"b", LogicalType::TimestampLtz(3)},
                {"c", LogicalType::TimestampLtz(3)},
                {"d", LogicalType::Timestamp(6)},
                {"e", LogicalType::Timestamp(3)},
                {"f", LogicalType::TimestampLtz(6)}}};
  ReadResult r = ReadWith(writer, table, {record});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.batch.num_rows(), 1u) << r.error;
  const int64_t millis_part = micros / 1000 * 1000;
  EXPECT_EQ(r.batch.column(0)->Get<int64_t>(0), millis_part);
  EXPECT_EQ(r.batch.column(1)->Get<int64_t>(0), millis_part);  // truncated to precision 3
  EXPECT_EQ(r.batch.column(2)->Get<int64_t>(0), millis_part);
  EXPECT_EQ(r.batch.column(3)->Get<int64_t>(0), micros);
  EXPECT_EQ(r.batch.column(4)->Get<int64_t>(0), millis_part);  // plain long: millis (p <= 3)
  EXPECT_EQ(r.batch.column(5)->Get<int64_t>(0), micros);
  EXPECT_EQ(r.batch.RowToString(0),
            "+I[2024-01-01T00:00:05.123, 2024-01-01T00:00:05.123, 2024-01-01T00:00:05.123, "
            "2024-01-01T00:00:05.123456, 2024-01-01T00:00:05.123, 2024-01-01T00:00:05.123456]");
}

TEST(AvroResolutionTest, DecimalsAreRescaledAndChecked) {
  const char* writer = R"({"type":"record","name":"R","fields":[
      {"name":"a","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":3}},
      {"name":"b","type":{"type":"fixed","name":"F","size":5,"logicalType":"decimal",
                          "precision":10,"scale":1}},
      {"name":"c","type":"int"}]})";
  std::string record;
  AppendDecimalBytes(123456, &record);               // 123.456
  ASSERT_TRUE(AppendDecimalFixed(-55, 5, &record));  // -5.5
  AppendAvroLong(7, &record);
  Schema table{{{"a", LogicalType::Decimal(10, 2)},
                {"b", LogicalType::Decimal(10, 2)},
                {"c", LogicalType::Decimal(5, 2)}}};
  ReadResult r = ReadWith(writer, table, {record});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.batch.num_rows(), 1u) << r.error;
  EXPECT_EQ(r.batch.RowToString(0), "+I[123.46, -5.50, 7.00]");

  // Too many digits for the column.
  Schema narrow{{{"a", LogicalType::Decimal(4, 2)},
                 {"b", LogicalType::Decimal(10, 2)},
                 {"c", LogicalType::Decimal(5, 2)}}};
  ReadResult bad = ReadWith(writer, narrow, {record});
  EXPECT_EQ(bad.batch.num_rows(), 0u);
  EXPECT_EQ(bad.error, "value 123.456 of field 'a' does not fit column type DECIMAL(4, 2)");
}

TEST(AvroResolutionTest, SkipsNestedFieldsTheTableLacks) {
  const char* writer = R"({"type":"record","name":"R","fields":[
      {"name":"id","type":"int"},
      {"name":"tags","type":{"type":"array","items":"string"}},
      {"name":"attrs","type":{"type":"map","values":["null","double"]}},
      {"name":"inner","type":{"type":"record","name":"In","fields":[
        {"name":"x","type":"float"},{"name":"h","type":{"type":"fixed","name":"H","size":3}},
        {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},
        {"name":"n","type":"null"},{"name":"ok","type":"boolean"}]}},
      {"name":"list","type":["null",{"type":"record","name":"Node","fields":[
        {"name":"v","type":"bytes"},{"name":"next","type":["null","Node"]}]}]},
      {"name":"name","type":"string"}]})";
  std::string record;
  AppendAvroLong(5, &record);  // id
  AppendAvroLong(2, &record);  // tags: block of 2
  AppendAvroBytes("a", &record);
  AppendAvroBytes("bc", &record);
  AppendAvroLong(-1, &record);  // block of 1 with byte size
  AppendAvroLong(2, &record);
  AppendAvroBytes("d", &record);
  AppendAvroLong(0, &record);
  AppendAvroLong(1, &record);  // attrs: 1 entry
  AppendAvroBytes("k", &record);
  AppendAvroLong(1, &record);
  AppendAvroDouble(2.5, &record);
  AppendAvroLong(0, &record);
  AppendAvroFloat(1.0f, &record);  // inner.x
  record += "xyz";                 // inner.h
  AppendAvroLong(1, &record);      // inner.e
  record.push_back(1);             // inner.ok
  AppendAvroLong(1, &record);      // list: Node
  AppendAvroBytes("v1", &record);
  AppendAvroLong(1, &record);  // next: Node
  AppendAvroBytes("v2", &record);
  AppendAvroLong(0, &record);       // next: null
  AppendAvroBytes("end", &record);  // name
  Schema table{{{"name", LogicalType::Varchar()}, {"id", LogicalType::Int()}}};
  ReadResult r = ReadWith(writer, table, {record});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.batch.num_rows(), 1u) << r.error;
  EXPECT_EQ(r.batch.RowToString(0), "+I[end, 5]");
}

TEST(AvroResolutionTest, MatchesNamesCaseInsensitivelyAsAFallback) {
  const char* writer = R"({"type":"record","name":"R","fields":[
      {"name":"OrderId","type":"string"},{"name":"orderid","type":"int"}]})";
  std::string record;
  AppendAvroBytes("X", &record);
  AppendAvroLong(4, &record);
  // Exact matches win over case-insensitive ones.
  ReadResult exact = ReadWith(writer, Schema{{{"orderid", LogicalType::Int()}}}, {record});
  ASSERT_TRUE(exact.status.ok()) << exact.status.ToString();
  EXPECT_EQ(exact.batch.RowToString(0), "+I[4]");
  ReadResult folded = ReadWith(writer, Schema{{{"ORDERID", LogicalType::Varchar()}}}, {record});
  ASSERT_TRUE(folded.status.ok()) << folded.status.ToString();
  EXPECT_EQ(folded.batch.RowToString(0), "+I[X]");
}

TEST(AvroResolutionTest, SeedOrderEventSchema) {
  // logicalType sits on the field: 'timestamp' is a plain long, read into a BIGINT column.
  const char* writer =
      R"({"type":"record","name":"OrderEvent","fields":[{"name":"order_id","type":"string"},)"
      R"({"name":"customer_id","type":"string"},{"name":"amount","type":"double"},)"
      R"({"name":"status","type":"string"},)"
      R"({"name":"timestamp","type":"long","logicalType":"timestamp-millis"}]})";
  std::string record;
  AppendAvroBytes("ord-1", &record);
  AppendAvroBytes("cust-7", &record);
  AppendAvroDouble(19.99, &record);
  AppendAvroBytes("completed", &record);
  AppendAvroLong(1767225600000, &record);
  Schema table{{{"order_id", LogicalType::Varchar()},
                {"customer_id", LogicalType::Varchar()},
                {"amount", LogicalType::Double()},
                {"status", LogicalType::Varchar()},
                {"timestamp", LogicalType::Bigint()}}};
  ReadResult r = ReadWith(writer, table, {record});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.batch.num_rows(), 1u) << r.error;
  EXPECT_EQ(r.batch.RowToString(0), "+I[ord-1, cust-7, 19.99, completed, 1767225600000]");
  // The same long read into TIMESTAMP_LTZ(3) is milliseconds.
  Schema as_ts = table;
  as_ts.fields[4].type = LogicalType::TimestampLtz(3);
  ReadResult ts = ReadWith(writer, as_ts, {record});
  ASSERT_TRUE(ts.status.ok());
  EXPECT_EQ(ts.batch.column(4)->Get<int64_t>(0), 1767225600000000);
}

TEST(AvroResolutionTest, IncompatibleFieldTypesAreCompileErrors) {
  ReadResult r = ReadWith(R"({"type":"record","name":"R","fields":[
      {"name":"a","type":{"type":"array","items":"int"}}]})",
                          Schema{{{"a", LogicalType::Varchar()}}}, {});
  EXPECT_EQ(r.status.code(), ErrorCode::kTypeError);
  EXPECT_EQ(r.status.message(),
            "Avro field 'a' of type array cannot be read into column 'a' of type STRING");
  ReadResult not_record = ReadWith(R"("int")", Schema{{{"a", LogicalType::Int()}}}, {});
  EXPECT_NE(not_record.status.message().find("not a record"), std::string::npos);
}

TEST(AvroResolutionTest, MalformedInputIsARecordErrorWithAReason) {
  const char* writer = R"({"type":"record","name":"R","fields":[
      {"name":"n","type":"long"},{"name":"s","type":"string"},{"name":"u","type":["null","int"]},
      {"name":"b","type":"boolean"}]})";
  Schema table{{{"n", LogicalType::Bigint()},
                {"s", LogicalType::Varchar()},
                {"u", LogicalType::Int()},
                {"b", LogicalType::Boolean()}}};
  auto error_of = [&](std::string record) { return ReadWith(writer, table, {record}).error; };
  EXPECT_EQ(error_of(""), "truncated Avro body (ends inside field 'n')");
  EXPECT_EQ(error_of(std::string(11, '\xff')), "malformed Avro varint in field 'n'");
  EXPECT_EQ(error_of(std::string("\x02\x03", 2)), "negative length -2 in field 's'");
  EXPECT_EQ(error_of(std::string("\x02\x0a"
                                 "ab",
                                 4)),
            "truncated Avro body (field 's' needs 5 bytes, 2 left)");
  EXPECT_EQ(error_of(std::string("\x02\x00\x04", 3)),
            "union index 2 out of range (2 branches) in field 'u'");
  EXPECT_EQ(error_of(std::string("\x02\x00\x00\x07", 4)),
            "malformed Avro boolean byte 7 in field 'b'");
  // Bytes after the record are ignored, as Flink does.
  ReadResult trailing = ReadWith(writer, table, {std::string("\x02\x00\x00\x01garbage", 11)});
  EXPECT_EQ(trailing.batch.num_rows(), 1u);
}

// Random truncations and bit flips of valid records never crash (run under ASan/UBSan too).
TEST(AvroResolutionTest, CorruptInputNeverCrashes) {
  const char* writer = R"({"type":"record","name":"R","fields":[
      {"name":"id","type":"int"},
      {"name":"name","type":["null","string"]},
      {"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
      {"name":"fx","type":{"type":"fixed","name":"F","size":9,"logicalType":"decimal",
                           "precision":20,"scale":2}},
      {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}},
      {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B","C"]}},
      {"name":"tags","type":{"type":"array","items":["null","string",{"type":"map","values":"long"}]}},
      {"name":"deep","type":["null",{"type":"record","name":"Node","fields":[
        {"name":"v","type":"double"},{"name":"next","type":["null","Node"]}]}]},
      {"name":"u","type":["null","long","string","float"]},
      {"name":"d","type":"double"}]})";
  Schema table{{{"id", LogicalType::Int()},
                {"name", LogicalType::Varchar()},
                {"price", LogicalType::Decimal(10, 2)},
                {"fx", LogicalType::Decimal(20, 2)},
                {"ts", LogicalType::TimestampLtz(3)},
                {"e", LogicalType::Varchar()},
                {"u", LogicalType::Double()},
                {"d", LogicalType::Double()},
                {"missing", LogicalType::Int()}}};
  std::vector<std::string> valid;
  for (int i = 0; i < 4; ++i) {
    std::string r;
    AppendAvroLong(i * 1000 - 7, &r);
    if (i % 2) {
      AppendAvroLong(0, &r);
    } else {
      AppendAvroLong(1, &r);
      AppendAvroBytes("name-" + std::to_string(i), &r);
    }
    AppendDecimalBytes(12345 * (i + 1), &r);
    ASSERT_TRUE(AppendDecimalFixed(int128_t{-987654321} * (i + 1), 9, &r));
    AppendAvroLong(1704067205000 + i, &r);
    AppendAvroLong(i % 3, &r);
    AppendAvroLong(3, &r);  // tags: null, "x", {"k": 5}
    AppendAvroLong(0, &r);
    AppendAvroLong(1, &r);
    AppendAvroBytes("x", &r);
    AppendAvroLong(2, &r);
    AppendAvroLong(1, &r);
    AppendAvroBytes("k", &r);
    AppendAvroLong(5, &r);
    AppendAvroLong(0, &r);
    AppendAvroLong(0, &r);
    for (int depth = 0; depth < i; ++depth) {  // a chain of i nodes
      AppendAvroLong(1, &r);
      AppendAvroDouble(depth, &r);
    }
    AppendAvroLong(0, &r);
    AppendAvroLong(i % 4, &r);  // u: null, long, string (a record error), float
    if (i % 4 == 1) AppendAvroLong(77, &r);
    if (i % 4 == 2) AppendAvroBytes("s", &r);
    if (i % 4 == 3) AppendAvroFloat(0.5f, &r);
    AppendAvroDouble(3.25, &r);
    valid.push_back(r);
  }
  ReadResult clean = ReadWith(writer, table, valid);
  ASSERT_TRUE(clean.status.ok()) << clean.status.ToString();
  EXPECT_EQ(clean.batch.num_rows(), 3u) << clean.error;  // record 2 takes the string branch

  std::mt19937_64 rng(12345);
  size_t decoded = 0, failed = 0;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string r = valid[rng() % valid.size()];
    switch (rng() % 4) {
      case 0:
        r.resize(rng() % (r.size() + 1));
        break;
      case 1:
        for (int flips = 1 + rng() % 3; flips > 0; --flips) {
          r[rng() % r.size()] ^= static_cast<char>(1 << (rng() % 8));
        }
        break;
      case 2:
        r[rng() % r.size()] = static_cast<char>(rng());
        r.resize(rng() % (r.size() + 1));
        break;
      case 3:
        for (char& c : r) {
          if (rng() % 8 == 0) c = static_cast<char>(rng());
        }
        break;
    }
    ReadResult out = ReadWith(writer, table, {r});
    if (out.batch.num_rows() == 1) {
      ++decoded;
    } else {
      ++failed;
      EXPECT_FALSE(out.error.empty());
    }
  }
  EXPECT_GT(failed, 0u);
  EXPECT_GT(decoded, 0u);
}

TEST(AvroEncoderTest, WritesExplicitSchemasWithUnionsEnumsAndDefaults) {
  const char* writer = R"({"type":"record","name":"R","fields":[
      {"name":"id","type":["null","string","long"]},
      {"name":"status","type":{"type":"enum","name":"S","symbols":["NEW","DONE"]}},
      {"name":"extra","type":{"type":"array","items":"int"},"default":[1,2]},
      {"name":"price","type":{"type":"fixed","name":"F","size":4,"logicalType":"decimal",
                              "precision":8,"scale":3}},
      {"name":"when","type":{"type":"long","logicalType":"timestamp-micros"}}]})";
  Schema table{{{"id", LogicalType::Bigint()},
                {"status", LogicalType::Varchar()},
                {"price", LogicalType::Decimal(6, 2)},
                {"when", LogicalType::Timestamp(3)}}};
  BatchBuilder b(table);
  b.AppendRow({Value::Bigint(3), Value::Varchar("DONE"), Value::Decimal(-150, 6, 2),
               Value::Timestamp(1704067205120000, 3)});
  b.AppendRow({Value::Null(LogicalType::Bigint()), Value::Varchar("LOST"), Value::Decimal(0, 6, 2),
               Value::Timestamp(0, 3)});
  Batch rows = b.Finish();
  AvroSchema schema = ParseOrDie(writer);
  auto w = AvroRowWriter::Make(schema, table);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  std::string bytes;
  ASSERT_TRUE((*w)->AppendRow(rows, 0, &bytes).ok());
  std::string expected;
  AppendAvroLong(2, &expected);  // the long branch
  AppendAvroLong(3, &expected);
  AppendAvroLong(1, &expected);  // DONE
  AppendAvroLong(2, &expected);  // default [1, 2]
  AppendAvroLong(1, &expected);
  AppendAvroLong(2, &expected);
  AppendAvroLong(0, &expected);
  ASSERT_TRUE(AppendDecimalFixed(-1500, 4, &expected));  // -1.50 at scale 3
  AppendAvroLong(1704067205120000, &expected);
  EXPECT_EQ(bytes, expected);
  std::string more;
  Status unknown = (*w)->AppendRow(rows, 1, &more);
  EXPECT_EQ(unknown.code(), ErrorCode::kSinkError);
  EXPECT_NE(unknown.message().find("'LOST'"), std::string::npos) << unknown.message();

  // Reading it back with the same schema.
  Schema read_table{{{"id", LogicalType::Bigint()},
                     {"status", LogicalType::Varchar()},
                     {"price", LogicalType::Decimal(6, 2)},
                     {"when", LogicalType::Timestamp(3)},
                     {"extra", LogicalType::Int()}}};
  // 'extra' is an array: not readable into INT; a table without it reads fine.
  ReadResult back = ReadWith(writer, table, {bytes});
  ASSERT_TRUE(back.status.ok()) << back.status.ToString();
  EXPECT_EQ(back.batch.RowToString(0), rows.RowToString(0));
  EXPECT_EQ(ReadWith(writer, read_table, {}).status.code(), ErrorCode::kTypeError);

  // A field without a column and without a default cannot be written.
  auto missing = AvroRowWriter::Make(ParseOrDie(R"({"type":"record","name":"R","fields":[
      {"name":"zz","type":"int"}]})"),
                                     table);
  EXPECT_EQ(missing.status().code(), ErrorCode::kTypeError);
  // NULL into a non-nullable field is a row error.
  Schema nullable{{{"a", LogicalType::Int()}}};
  BatchBuilder nb(nullable);
  nb.AppendRow({Value::Null(LogicalType::Int())});
  auto strict = AvroRowWriter::Make(
      ParseOrDie(R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"}]})"), nullable);
  ASSERT_TRUE(strict.ok());
  std::string out;
  Status st = (*strict)->AppendRow(nb.Finish(), 0, &out);
  EXPECT_EQ(st.code(), ErrorCode::kSinkError);
  EXPECT_EQ(st.message(), "column 'a' is NULL but Avro field 'a' is not nullable");
}

TEST(AvroBinaryTest, DecimalBytesAndVarints) {
  for (int128_t v :
       {int128_t(0), int128_t(1), int128_t(-1), int128_t(127), int128_t(128), int128_t(-128),
        int128_t(-129), int128_t(255), Pow10I128(38) - 1, -(Pow10I128(38) - 1)}) {
    std::string bytes;
    AppendDecimalBytes(v, &bytes);
    const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
    int64_t len = 0;
    ASSERT_EQ(ReadAvroLong(p, p + bytes.size(), &len), AvroRead::kOk);
    int128_t back;
    ASSERT_TRUE(DecimalFromBytes(p, static_cast<size_t>(len), &back));
    EXPECT_TRUE(back == v);
  }
  std::string one;
  AppendDecimalBytes(128, &one);
  EXPECT_EQ(one, std::string("\x04\x00\x80", 3));  // BigInteger(128).toByteArray() = 00 80
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1}, int64_t{63}, int64_t{-64}, int64_t{64},
                    INT64_MAX, INT64_MIN}) {
    std::string bytes;
    AppendAvroLong(v, &bytes);
    const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
    int64_t back;
    ASSERT_EQ(ReadAvroLong(p, p + bytes.size(), &back), AvroRead::kOk);
    EXPECT_EQ(back, v);
    EXPECT_EQ(p, reinterpret_cast<const uint8_t*>(bytes.data()) + bytes.size());
  }
  const uint8_t eleven[11] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
  const uint8_t* p = eleven;
  int64_t v;
  EXPECT_EQ(ReadAvroLong(p, eleven + 11, &v), AvroRead::kBadVarint);
  p = eleven;
  EXPECT_EQ(ReadAvroLong(p, eleven + 3, &v), AvroRead::kTruncated);
  int128_t rounded;
  ASSERT_TRUE(RescaleDecimal(-125, 2, 1, &rounded));
  EXPECT_TRUE(rounded == -13);  // half-up, away from zero
}

}  // namespace
}  // namespace sluice
