#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "connectors/datagen/datagen_connector.h"
#include "connectors/datagen/rate_limiter.h"
#include "connectors/tests/test_tables.h"

namespace sluice {
namespace {

using testing::DrainSplit;
using testing::MakeContext;
using testing::MakeTable;

std::unique_ptr<Source> MakeSource(const Schema& schema, Options options) {
  options["connector"] = "datagen";
  auto source = kDatagenConnector.make_source(MakeContext(MakeTable("gen", schema, options)));
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  return source.ok() ? std::move(source).value() : nullptr;
}

Status MakeError(const Schema& schema, Options options) {
  return kDatagenConnector.make_source(MakeContext(MakeTable("gen", schema, options))).status();
}

std::vector<std::string> ReadAll(Source& source, int parallelism, size_t max_rows = 1000) {
  auto splits = source.ListSplits(parallelism);
  EXPECT_TRUE(splits.ok());
  std::vector<std::string> rows;
  for (const SourceSplit& split : *splits) {
    auto part = DrainSplit(source, split, max_rows);
    rows.insert(rows.end(), part.begin(), part.end());
  }
  return rows;
}

Schema RandomSchema() {
  return Schema{{{"i", LogicalType::Int()},
                 {"b", LogicalType::Bigint()},
                 {"d", LogicalType::Double()},
                 {"p", LogicalType::Decimal(6, 2)},
                 {"s", LogicalType::Varchar()},
                 {"f", LogicalType::Boolean()}}};
}

Options RandomOptions() {
  return {{"rows-per-second", "unlimited"}, {"number-of-rows", "2000"},
          {"fields.i.min", "-5"},           {"fields.i.max", "5"},
          {"fields.b.min", "100"},          {"fields.b.max", "100"},
          {"fields.d.min", "1.5"},          {"fields.d.max", "2.5"},
          {"fields.p.min", "-1.25"},        {"fields.p.max", "1.25"},
          {"fields.s.length", "7"},         {"fields.f.null-rate", "0.25"}};
}

TEST(DatagenTest, RandomValuesStayInBoundsAndAreDeterministic) {
  auto source = MakeSource(RandomSchema(), RandomOptions());
  ASSERT_TRUE(source);
  EXPECT_TRUE(source->IsBounded());
  auto splits = source->ListSplits(1);
  auto reader = source->CreateReader((*splits)[0]);
  ASSERT_TRUE((*reader)->Open().ok());
  bool end = false;
  size_t rows = 0, nulls = 0;
  std::set<int32_t> ints;
  while (!end) {
    auto batch = (*reader)->Poll(333, &end);
    ASSERT_TRUE(batch.ok());
    for (size_t r = 0; r < batch->num_rows(); ++r, ++rows) {
      int32_t i = batch->column(0)->Get<int32_t>(r);
      EXPECT_GE(i, -5);
      EXPECT_LE(i, 5);
      ints.insert(i);
      EXPECT_EQ(batch->column(1)->Get<int64_t>(r), 100);
      double d = batch->column(2)->Get<double>(r);
      EXPECT_GE(d, 1.5);
      EXPECT_LE(d, 2.5);
      int128_t p = batch->column(3)->Get<int128_t>(r);
      EXPECT_TRUE(p >= -125 && p <= 125);
      std::string_view s = batch->column(4)->GetString(r);
      EXPECT_EQ(s.size(), 7u);
      EXPECT_EQ(s.find_first_not_of("0123456789abcdef"), std::string_view::npos);
      nulls += batch->column(5)->IsNull(r);
    }
  }
  EXPECT_EQ(rows, 2000u);
  EXPECT_EQ(ints.size(), 11u);  // every value of the range shows up
  EXPECT_NEAR(nulls / 2000.0, 0.25, 0.05);

  // Same seed: same rows, whatever the batch size. Another seed: other rows.
  auto again = MakeSource(RandomSchema(), RandomOptions());
  Options other_seed = RandomOptions();
  other_seed["sluice.seed"] = "7";
  auto other = MakeSource(RandomSchema(), other_seed);
  EXPECT_EQ(ReadAll(*again, 1, 1000), ReadAll(*MakeSource(RandomSchema(), RandomOptions()), 1, 7));
  EXPECT_NE(ReadAll(*again, 1), ReadAll(*other, 1));
}

TEST(DatagenTest, SequencesAreDividedIntoContiguousShares) {
  Schema schema{{{"id", LogicalType::Bigint()}, {"name", LogicalType::Varchar()}}};
  auto source = MakeSource(schema, {{"rows-per-second", "-1"},
                                    {"fields.id.kind", "sequence"},
                                    {"fields.id.start", "10"},
                                    {"fields.id.end", "19"},
                                    {"fields.name.kind", "sequence"},
                                    {"fields.name.start", "100"},
                                    {"fields.name.end", "200"}});
  ASSERT_TRUE(source);
  EXPECT_TRUE(source->IsBounded());
  auto splits = source->ListSplits(3);
  ASSERT_EQ(splits->size(), 3u);
  EXPECT_EQ((*splits)[1].id, "datagen:1/3");
  // 10 rows (the shorter sequence) over 3 splits: 4, 3, 3 contiguous values.
  EXPECT_EQ(DrainSplit(*source, (*splits)[0], 2),
            (std::vector<std::string>{"+I[10, 100]", "+I[11, 101]", "+I[12, 102]", "+I[13, 103]"}));
  EXPECT_EQ(DrainSplit(*source, (*splits)[1]),
            (std::vector<std::string>{"+I[14, 104]", "+I[15, 105]", "+I[16, 106]"}));
  EXPECT_EQ(DrainSplit(*source, (*splits)[2]),
            (std::vector<std::string>{"+I[17, 107]", "+I[18, 108]", "+I[19, 109]"}));
}

TEST(DatagenTest, NumberOfRowsIsDividedAmongSplits) {
  Schema schema{{{"x", LogicalType::Int()}}};
  auto source = MakeSource(schema, {{"rows-per-second", "unlimited"}, {"number-of-rows", "11"}});
  auto splits = source->ListSplits(4);
  std::vector<size_t> sizes;
  for (const auto& split : *splits) sizes.push_back(DrainSplit(*source, split).size());
  EXPECT_EQ(sizes, (std::vector<size_t>{3, 3, 3, 2}));
  // Splits have their own random streams.
  EXPECT_NE(DrainSplit(*source, (*splits)[0]), DrainSplit(*source, (*splits)[1]));
}

TEST(DatagenTest, UnboundedWithoutRowsOrSequences) {
  Schema schema{{{"x", LogicalType::Int()}}};
  auto source = MakeSource(schema, {{"rows-per-second", "unlimited"}});
  EXPECT_FALSE(source->IsBounded());
  auto splits = source->ListSplits(1);
  auto reader = source->CreateReader((*splits)[0]);
  ASSERT_TRUE((*reader)->Open().ok());
  bool end = false;
  for (int i = 0; i < 3; ++i) {
    auto batch = (*reader)->Poll(100, &end);
    ASSERT_TRUE(batch.ok());
    EXPECT_EQ(batch->num_rows(), 100u);
    EXPECT_FALSE(end);
  }
  EXPECT_EQ((*reader)->Position(), "row 300");
}

TEST(DatagenTest, RateLimitIsSharedBySplitsAndPollsStayShort) {
  Schema schema{{{"x", LogicalType::Int()}}};
  // 400 rows/s over 2 splits: 200 rows/s each.
  auto source = MakeSource(schema, {{"rows-per-second", "400"}});
  auto splits = source->ListSplits(2);
  auto reader = source->CreateReader((*splits)[0]);
  ASSERT_TRUE((*reader)->Open().ok());
  auto start = std::chrono::steady_clock::now();
  size_t rows = 0;
  bool end = false;
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500)) {
    auto poll_start = std::chrono::steady_clock::now();
    auto batch = (*reader)->Poll(4096, &end);
    ASSERT_TRUE(batch.ok());
    EXPECT_LT(std::chrono::steady_clock::now() - poll_start, std::chrono::milliseconds(80));
    rows += batch->num_rows();
  }
  EXPECT_GE(rows, 80u);
  EXPECT_LE(rows, 120u);
}

TEST(DatagenTest, TimestampsAreRecentAndStringsCanVaryInLength) {
  Schema schema{{{"ts", LogicalType::Timestamp(3)},
                 {"ltz", LogicalType::TimestampLtz(3)},
                 {"s", LogicalType::Varchar()}}};
  auto source = MakeSource(schema, {{"rows-per-second", "unlimited"},
                                    {"number-of-rows", "500"},
                                    {"fields.ts.max-past", "10 s"},
                                    {"fields.s.length", "5"},
                                    {"fields.s.var-len", "true"}});
  auto splits = source->ListSplits(1);
  auto reader = source->CreateReader((*splits)[0]);
  ASSERT_TRUE((*reader)->Open().ok());
  bool end = false;
  auto batch = (*reader)->Poll(500, &end);
  ASSERT_TRUE(batch.ok());
  const int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  std::set<size_t> lengths;
  for (size_t r = 0; r < batch->num_rows(); ++r) {
    int64_t ts = batch->column(0)->Get<int64_t>(r);  // UTC session: wall clock = instant
    EXPECT_LE(ts, now);
    EXPECT_GE(ts, now - 11'000'000);
    EXPECT_EQ(ts % 1000, 0);                                        // millisecond precision
    EXPECT_LE(now - batch->column(1)->Get<int64_t>(r), 1'000'000);  // max-past 0: now
    lengths.insert(batch->column(2)->GetString(r).size());
  }
  EXPECT_EQ(lengths, (std::set<size_t>{1, 2, 3, 4, 5}));
}

TEST(DatagenTest, RejectsBadOptions) {
  Schema schema{{{"id", LogicalType::Int()}, {"s", LogicalType::Varchar()}}};
  EXPECT_EQ(MakeError(schema, {{"fields.id.kind", "sequense"}}).message(),
            "option 'fields.id.kind' expects 'random' or 'sequence', got 'sequense'");
  EXPECT_EQ(MakeError(schema, {{"fields.id.kind", "sequence"}, {"fields.id.start", "1"}}).message(),
            "sequence field 'id' needs options 'fields.id.start' and 'fields.id.end'");
  EXPECT_EQ(MakeError(schema, {{"fields.s.min", "1"}}).message(),
            "option 'fields.s.min' does not apply to random field 's' of type STRING");
  EXPECT_EQ(MakeError(schema, {{"fields.id.min", "9"}, {"fields.id.max", "1"}}).message(),
            "option 'fields.id.min' is greater than 'fields.id.max'");
  EXPECT_EQ(MakeError(schema, {{"fields.id.max", "3000000000"}}).code(), ErrorCode::kInvalidOption);
  EXPECT_EQ(MakeError(schema, {{"rows-per-second", "0"}}).message(),
            "option 'rows-per-second' expects a positive whole number, or 'unlimited' (or -1) "
            "for as fast as possible, got '0'");
  EXPECT_EQ(MakeError(schema, {{"number-of-rows", "ten"}}).message(),
            "option 'number-of-rows' expects a whole number, got 'ten'");
  EXPECT_EQ(MakeError(Schema{{{"i", LogicalType::Interval()}}}, {}).code(),
            ErrorCode::kUnsupported);
}

TEST(RateLimiterTest, UnlimitedNeverWaits) {
  RateLimiter limiter(0);
  EXPECT_TRUE(limiter.unlimited());
  EXPECT_EQ(limiter.Acquire(12345), 12345u);
}

}  // namespace
}  // namespace sluice
