#include <gtest/gtest.h>

#include "columnar/batch.h"
#include "columnar/hash.h"
#include "types/time_format.h"

namespace sluice {
namespace {

Schema TestSchema() {
  return Schema{{{"id", LogicalType::Int()},
                 {"name", LogicalType::Varchar()},
                 {"ts", LogicalType::Timestamp(3)},
                 {"price", LogicalType::Decimal(10, 2)}}};
}

TEST(BatchTest, BuildsRowsAndPrintsFlinkFormat) {
  BatchBuilder b(TestSchema());
  b.AppendRow({Value::Int(1), Value::Varchar("abc"),
               Value::Timestamp(*ParseTimestamp("2024-01-01 00:01:00")),
               Value::Decimal(1250, 10, 2)});
  b.AppendRow(
      {Value::Int(2), Value::Null(LogicalType::Varchar()),
       Value::Timestamp(*ParseTimestamp("2024-01-01 00:01:05.120")), Value::Decimal(-5, 10, 2)},
      RowKind::kDelete);
  Batch batch = b.Finish();
  ASSERT_EQ(batch.num_rows(), 2u);
  EXPECT_EQ(batch.RowToString(0), "+I[1, abc, 2024-01-01T00:01, 12.50]");
  EXPECT_EQ(batch.RowToString(1), "-D[2, null, 2024-01-01T00:01:05.120, -0.05]");
}

TEST(BatchTest, GatherSharesStringsAndKeepsKinds) {
  BatchBuilder b(TestSchema());
  for (int i = 0; i < 10; ++i) {
    b.AppendRow({Value::Int(i), Value::Varchar("row" + std::to_string(i)), Value::Timestamp(i),
                 Value::Decimal(i, 10, 2)},
                i % 2 ? RowKind::kUpdateAfter : RowKind::kInsert);
  }
  Batch gathered;
  {
    Batch batch = b.Finish();
    uint32_t rows[] = {9, 3, 3};
    gathered = batch.Gather(rows, 3);
  }  // the source batch is gone; gathered strings must stay valid
  EXPECT_EQ(gathered.RowToString(0), "+U[9, row9, 1970-01-01T00:00:00.000009, 0.09]");
  EXPECT_EQ(gathered.column(1)->GetString(1), "row3");
  EXPECT_EQ(gathered.row_kind(2), RowKind::kUpdateAfter);
}

TEST(BatchTest, AppendConcatenates) {
  BatchBuilder b(TestSchema());
  b.AppendRow({Value::Int(1), Value::Varchar("a"), Value::Timestamp(0), Value::Decimal(1, 10, 2)});
  Batch x = b.Finish();
  b.AppendRow({Value::Int(2), Value::Varchar("b"), Value::Timestamp(0), Value::Decimal(2, 10, 2)},
              RowKind::kDelete);
  Batch y = b.Finish();
  x.Append(y);
  ASSERT_EQ(x.num_rows(), 2u);
  EXPECT_EQ(x.RowToString(0), "+I[1, a, 1970-01-01T00:00, 0.01]");
  EXPECT_EQ(x.RowToString(1), "-D[2, b, 1970-01-01T00:00, 0.02]");
}

TEST(HashTest, EqualKeysHashEqualAndNullsAreStable) {
  BatchBuilder b(TestSchema());
  b.AppendRow({Value::Int(7), Value::Varchar("k"), Value::Timestamp(0), Value::Decimal(1, 10, 2)});
  b.AppendRow({Value::Int(7), Value::Varchar("k"), Value::Timestamp(5), Value::Decimal(2, 10, 2)});
  b.AppendRow({Value::Int(8), Value::Varchar("k"), Value::Timestamp(5), Value::Decimal(2, 10, 2)});
  b.AppendRow({Value::Null(LogicalType::Int()), Value::Varchar("k"), Value::Timestamp(5),
               Value::Decimal(2, 10, 2)});
  Batch batch = b.Finish();
  uint64_t h[4];
  HashRows(batch, {0, 1}, h);
  EXPECT_EQ(h[0], h[1]);
  EXPECT_NE(h[0], h[2]);
  EXPECT_NE(h[3], h[0]);
}

TEST(TimeFormatTest, ParsesAndFormats) {
  auto ts = ParseTimestamp("2024-02-29T23:59:59.5Z");
  ASSERT_TRUE(ts.has_value());
  EXPECT_EQ(FormatTimestampSql(*ts, 3), "2024-02-29 23:59:59.500");
  EXPECT_EQ(*ParseTimestamp("2024-01-01 08:00:00+08:00"), *ParseTimestamp("2024-01-01 00:00:00"));
  EXPECT_FALSE(ParseTimestamp("2023-02-29 00:00:00").has_value());
  EXPECT_FALSE(ParseTimestamp("2024-01-01 25:00:00").has_value());
  EXPECT_EQ(FormatTimestampIso(*ParseTimestamp("1969-12-31 23:59:59.999")),
            "1969-12-31T23:59:59.999");
  EXPECT_EQ(FormatDate(*ParseDate("1900-03-01")), "1900-03-01");
}

TEST(ValueTest, JavaDoubleFormatting) {
  EXPECT_EQ(FormatDoubleJava(1.0), "1.0");
  EXPECT_EQ(FormatDoubleJava(0.1), "0.1");
  EXPECT_EQ(FormatDoubleJava(100.0), "100.0");
  EXPECT_EQ(FormatDoubleJava(1e7), "1.0E7");
  EXPECT_EQ(FormatDoubleJava(1.23456789e8), "1.23456789E8");
  EXPECT_EQ(FormatDoubleJava(0.001), "0.001");
  EXPECT_EQ(FormatDoubleJava(1e-5), "1.0E-5");
  EXPECT_EQ(FormatDoubleJava(-2.5), "-2.5");
}

}  // namespace
}  // namespace sluice
