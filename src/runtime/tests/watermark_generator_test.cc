#include "runtime/watermark_generator.h"

#include <gtest/gtest.h>

#include <random>

#include "runtime/operator.h"
#include "runtime/tests/test_sources.h"

namespace sluice {
namespace {

using testkit::IdTsRows;
using testkit::IdTsSchema;

TableDef EventsTable(std::optional<int64_t> fixed_delay, ExprPtr expression = nullptr) {
  TableDef table;
  table.name = "events";
  for (const Field& f : IdTsSchema().fields)
    table.columns.push_back(ColumnDef{f, nullptr, "", false});
  WatermarkDef wm;
  wm.rowtime_column = 1;
  wm.fixed_delay_micros = fixed_delay;
  wm.expression =
      expression ? expression
                 : BoundExpr::Call("-", LogicalType::Timestamp(3),
                                   {BoundExpr::ColumnRef(1, LogicalType::Timestamp(3), "ts"),
                                    BoundExpr::Literal(Value::Interval(fixed_delay.value_or(0)))});
  table.watermark = wm;
  return table;
}

Batch TimesBatch(const std::vector<int64_t>& times) {
  std::vector<std::pair<int64_t, int64_t>> rows;
  for (size_t i = 0; i < times.size(); ++i) rows.emplace_back(static_cast<int64_t>(i), times[i]);
  return IdTsRows(rows);
}

TEST(WatermarkGeneratorTest, CutsBeforeRowsThatMayBeLate) {
  auto gen = WatermarkGenerator::Create(EventsTable(0), EvalContext{});
  ASSERT_TRUE(gen.ok()) << gen.status().ToString();
  std::vector<WatermarkGenerator::Cut> cuts;
  ASSERT_TRUE((*gen)->Plan(TimesBatch({10, 20, 5, 30, 12}), &cuts).ok());
  // Row 2 (t=5) comes after watermark 20 and row 4 (t=12) after watermark 30.
  ASSERT_EQ(cuts.size(), 3u);
  EXPECT_EQ(cuts[0].end, 2u);
  EXPECT_EQ(cuts[0].watermark, 20);
  EXPECT_EQ(cuts[1].end, 4u);
  EXPECT_EQ(cuts[1].watermark, 30);
  EXPECT_EQ(cuts[2].end, 5u);
  EXPECT_EQ(cuts[2].watermark, 30);
  EXPECT_EQ((*gen)->current(), 30);
}

TEST(WatermarkGeneratorTest, InOrderRowsStayInOneRun) {
  auto gen = WatermarkGenerator::Create(EventsTable(5), EvalContext{});
  ASSERT_TRUE(gen.ok());
  std::vector<WatermarkGenerator::Cut> cuts;
  ASSERT_TRUE((*gen)->Plan(TimesBatch({10, 11, 11, 14, 40}), &cuts).ok());
  ASSERT_EQ(cuts.size(), 1u);
  EXPECT_EQ(cuts[0].end, 5u);
  EXPECT_EQ(cuts[0].watermark, 35);
  // The next batch starts with a row behind the emitted watermark: already emitted, no cut.
  ASSERT_TRUE((*gen)->Plan(TimesBatch({20, 50}), &cuts).ok());
  ASSERT_EQ(cuts.size(), 1u);
  EXPECT_EQ(cuts[0].watermark, 45);
}

TEST(WatermarkGeneratorTest, ExplicitWatermarkOnlyAdvances) {
  auto gen = WatermarkGenerator::Create(EventsTable(0), EvalContext{});
  ASSERT_TRUE(gen.ok());
  (*gen)->AdvanceTo(100);
  EXPECT_EQ((*gen)->current(), 100);
  (*gen)->AdvanceTo(50);
  EXPECT_EQ((*gen)->current(), 100);
  std::vector<WatermarkGenerator::Cut> cuts;
  ASSERT_TRUE((*gen)->Plan(TimesBatch({90, 120}), &cuts).ok());
  ASSERT_EQ(cuts.size(), 1u);
  EXPECT_EQ(cuts[0].watermark, 120);
}

TEST(WatermarkGeneratorTest, NullRowtimeIsARuntimeErrorNamingTheTable) {
  auto gen = WatermarkGenerator::Create(EventsTable(0), EvalContext{});
  ASSERT_TRUE(gen.ok());
  BatchBuilder builder(IdTsSchema());
  builder.AppendRow({Value::Bigint(1), Value::Timestamp(5)});
  builder.AppendRow({Value::Bigint(2), Value::Null(LogicalType::Timestamp(3))});
  std::vector<WatermarkGenerator::Cut> cuts;
  Status status = (*gen)->Plan(builder.Finish(), &cuts);
  EXPECT_EQ(status.code(), ErrorCode::kRuntimeError);
  EXPECT_NE(status.message().find("events"), std::string::npos);
  EXPECT_NE(status.message().find("ts"), std::string::npos);
}

TEST(WatermarkGeneratorTest, TableWithoutWatermarkNeverCuts) {
  TableDef table = EventsTable(0);
  table.watermark.reset();
  auto gen = WatermarkGenerator::Create(table, EvalContext{});
  ASSERT_TRUE(gen.ok());
  std::vector<WatermarkGenerator::Cut> cuts;
  ASSERT_TRUE((*gen)->Plan(TimesBatch({10, 5, 1}), &cuts).ok());
  ASSERT_EQ(cuts.size(), 1u);
  EXPECT_EQ(cuts[0].watermark, kMinWatermark);
}

// The batch-wise cuts must classify every row exactly as a watermark emitted after every row
// would: a row is late-capable iff rowtime <= the watermark emitted before it.
TEST(WatermarkGeneratorTest, MatchesPerRowWatermarksOnRandomInput) {
  std::mt19937_64 rng(42);
  for (int64_t delay : {0, 3, 17}) {
    auto gen = WatermarkGenerator::Create(EventsTable(delay), EvalContext{});
    ASSERT_TRUE(gen.ok());
    int64_t per_row_watermark = kMinWatermark;  // reference: advanced after every row
    int64_t emitted = kMinWatermark;            // what the cuts have emitted so far
    int64_t base = 0;
    for (int b = 0; b < 200; ++b) {
      std::vector<int64_t> times(1 + rng() % 20);
      for (auto& t : times) t = base + static_cast<int64_t>(rng() % 40) - 20;
      base += 5;
      std::vector<WatermarkGenerator::Cut> cuts;
      ASSERT_TRUE((*gen)->Plan(TimesBatch(times), &cuts).ok());
      size_t row = 0;
      for (const auto& cut : cuts) {
        for (; row < cut.end; ++row) {
          bool late_reference = times[row] <= per_row_watermark;
          bool late_batched = times[row] <= emitted;
          ASSERT_EQ(late_reference, late_batched) << "batch " << b << " row " << row;
          ASSERT_LE(emitted, per_row_watermark);
          per_row_watermark = std::max(per_row_watermark, times[row] - delay);
        }
        ASSERT_GE(cut.watermark, emitted);
        emitted = cut.watermark;
      }
      ASSERT_EQ(row, times.size());
      ASSERT_EQ(emitted, per_row_watermark);
    }
  }
}

// The general path (WATERMARK expression evaluated per batch) agrees with the fixed-delay path.
TEST(WatermarkGeneratorTest, ExpressionPathMatchesFixedDelay) {
  auto fixed = WatermarkGenerator::Create(EventsTable(4), EvalContext{});
  TableDef general_table = EventsTable(4);
  general_table.watermark->fixed_delay_micros.reset();
  auto general = WatermarkGenerator::Create(general_table, EvalContext{});
  ASSERT_TRUE(fixed.ok());
  ASSERT_TRUE(general.ok());
  std::vector<WatermarkGenerator::Cut> a, b;
  for (const auto& times : std::vector<std::vector<int64_t>>{{10, 3, 20}, {15, 16, 2, 30}}) {
    ASSERT_TRUE((*fixed)->Plan(TimesBatch(times), &a).ok());
    Status status = (*general)->Plan(TimesBatch(times), &b);
    ASSERT_TRUE(status.ok()) << status.ToString();
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].end, b[i].end);
      EXPECT_EQ(a[i].watermark, b[i].watermark);
    }
  }
}

}  // namespace
}  // namespace sluice
