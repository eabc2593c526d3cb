// HOP and CUMULATE windows: slice merging checked against per-row window assignment.

#include <gtest/gtest.h>

#include <random>

#include "exec/operators/slicing_window_operator.h"
#include "exec/operators/tests/operator_harness.h"
#include "exec/operators/tests/window_reference.h"

namespace sluice::testing {
namespace {

using K = AggregateKind;

const std::vector<Field> kInput = {F("k", LogicalType::Varchar()), F("v", LogicalType::Int()),
                                   F("ts", LogicalType::Timestamp(3))};

std::vector<AggregateCall> ReferenceAggregates() {
  const LogicalType t = LogicalType::Int();
  return {CountStar(), Agg(K::kSum, 1, t), Agg(K::kMin, 1, t), Agg(K::kMax, 1, t),
          Agg(K::kCount, 1, t, /*distinct=*/true)};
}

Batch Input(const std::vector<ReferenceRow>& rows) {
  std::vector<std::vector<Value>> values;
  for (const ReferenceRow& r : rows) {
    values.push_back({Value::Varchar(r.key), Value::Int(r.value), Value::Timestamp(r.ts)});
  }
  return testing::Rows(Schema{kInput}, values);
}

Strings Sorted(Strings rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(HopWindowTest, MatchesPerRowWindowAssignment) {
  // Size 5 min, slide 2 min: slices are gcd = 1 min wide and a row is in 2 or 3 windows.
  const int64_t slide = Minutes(2);
  const int64_t size = Minutes(5);
  auto node = WindowNode(InputNode(kInput), Hop(2, slide, size), {0}, ReferenceAggregates());
  Harness h(*node);
  EXPECT_EQ(h.op().Name(), "HopWindow");
  WindowReference reference([&](int64_t ts) { return HopWindowsOf(ts, slide, size); });

  const int64_t base = Ts("2024-01-01 00:00:00");
  std::vector<ReferenceRow> rows = {{"a", 1, base + Seconds(10)},  {"b", 2, base + Seconds(70)},
                                    {"a", 3, base + Seconds(130)}, {"a", 3, base + Seconds(190)},
                                    {"c", 7, base + Seconds(290)}, {"b", 1, base + Seconds(299)},
                                    {"a", 5, base + Seconds(300)}, {"b", 4, base - Seconds(50)}};
  h.Process(Input(rows));
  reference.Add(rows);
  for (int minute = 1; minute <= 12; ++minute) {
    const int64_t watermark = base + Minutes(minute) - kMicrosPerMilli;
    EXPECT_EQ(Sorted(h.Watermark(watermark)), reference.Advance(watermark)) << minute;
  }
  EXPECT_EQ(dynamic_cast<SlicingWindowOperator&>(h.op()).slice_count(), 0u);
}

TEST(HopWindowTest, EmitsWindowsInEndOrderAndDistinctSpansSlices) {
  auto node = WindowNode(InputNode(kInput), Hop(2, Minutes(1), Minutes(2)), {},
                         {CountStar(), Agg(K::kCount, 1, LogicalType::Int(), true)});
  Harness h(*node);
  h.Process(Input({{"a", 1, Ts("2024-01-01 00:00:30")}, {"a", 1, Ts("2024-01-01 00:01:30")}}));
  EXPECT_EQ(h.Finish(),
            (Strings{"+I[1, 1, 2023-12-31T23:59, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
                     "+I[2, 1, 2024-01-01T00:00, 2024-01-01T00:02, 2024-01-01T00:01:59.999]",
                     "+I[1, 1, 2024-01-01T00:01, 2024-01-01T00:03, 2024-01-01T00:02:59.999]"}));
}

TEST(HopWindowTest, MergesEveryAggregateKindAcrossSlices) {
  const LogicalType s = LogicalType::Varchar();
  const LogicalType t = LogicalType::Int();
  auto node = WindowNode(InputNode(kInput), Hop(2, Minutes(1), Minutes(2)), {},
                         {Agg(K::kMin, 0, s), Agg(K::kMax, 0, s), Agg(K::kAvg, 1, t),
                          Agg(K::kSum, 1, t, /*distinct=*/true), Agg(K::kCount, 0, s, true)});
  Harness h(*node);
  h.Process(Input({{"m", 4, Ts("2024-01-01 00:00:10")},
                   {"z", 3, Ts("2024-01-01 00:00:20")},
                   {"b", 4, Ts("2024-01-01 00:01:10")},
                   {"m", 9, Ts("2024-01-01 00:01:20")}}));
  EXPECT_EQ(
      h.Finish(),
      (Strings{"+I[m, z, 3, 7, 2, 2023-12-31T23:59, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
               "+I[b, z, 5, 16, 3, 2024-01-01T00:00, 2024-01-01T00:02, 2024-01-01T00:01:59.999]",
               "+I[b, m, 6, 13, 2, 2024-01-01T00:01, 2024-01-01T00:03, 2024-01-01T00:02:59.999]"}));
}

TEST(CumulateWindowTest, GrowsWindowsStepByStepUpToMaxSize) {
  auto node = WindowNode(InputNode(kInput), Cumulate(2, Minutes(1), Minutes(3)), {0},
                         {CountStar(), Agg(K::kSum, 1, LogicalType::Int())});
  Harness h(*node);
  EXPECT_EQ(h.op().Name(), "CumulateWindow");
  h.Process(Input({{"a", 1, Ts("2024-01-01 00:00:30")},
                   {"a", 2, Ts("2024-01-01 00:01:30")},
                   {"b", 3, Ts("2024-01-01 00:02:30")},
                   {"a", 4, Ts("2024-01-01 00:03:10")}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:02:00")),
            (Strings{"+I[a, 1, 1, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
                     "+I[a, 2, 3, 2024-01-01T00:00, 2024-01-01T00:02, 2024-01-01T00:01:59.999]"}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:05:00")),
            (Strings{"+I[a, 2, 3, 2024-01-01T00:00, 2024-01-01T00:03, 2024-01-01T00:02:59.999]",
                     "+I[b, 1, 3, 2024-01-01T00:00, 2024-01-01T00:03, 2024-01-01T00:02:59.999]",
                     "+I[a, 1, 4, 2024-01-01T00:03, 2024-01-01T00:04, 2024-01-01T00:03:59.999]",
                     "+I[a, 1, 4, 2024-01-01T00:03, 2024-01-01T00:05, 2024-01-01T00:04:59.999]"}));
  EXPECT_EQ(dynamic_cast<SlicingWindowOperator&>(h.op()).slice_count(), 1u);  // [00:03, 00:06)
}

TEST(CumulateWindowTest, MatchesPerRowWindowAssignment) {
  const int64_t step = Minutes(2);
  const int64_t max_size = Minutes(6);
  auto node =
      WindowNode(InputNode(kInput), Cumulate(2, step, max_size), {0}, ReferenceAggregates());
  Harness h(*node);
  WindowReference reference([&](int64_t ts) { return CumulateWindowsOf(ts, step, max_size); });
  std::mt19937 random(7);
  const int64_t base = Ts("2024-01-01 00:00:00");
  for (int batch = 0; batch < 20; ++batch) {
    std::vector<ReferenceRow> rows;
    for (int i = 0; i < 50; ++i) {
      rows.push_back({std::string(1, static_cast<char>('a' + random() % 4)),
                      static_cast<int32_t>(random() % 10),
                      base + Minutes(batch) + static_cast<int64_t>(random() % 90'000'000)});
    }
    h.Process(Input(rows));
    reference.Add(rows);
    const int64_t watermark = base + Minutes(batch);
    EXPECT_EQ(Sorted(h.Watermark(watermark)), reference.Advance(watermark)) << batch;
  }
  EXPECT_EQ(Sorted(h.Watermark(kMaxWatermark)), reference.Advance(kMaxWatermark));
  EXPECT_EQ(h.metrics().late_rows, 0u);
}

TEST(CumulateWindowTest, RejectsMaxSizeThatIsNoMultipleOfStep) {
  auto node = WindowNode(InputNode(kInput), Cumulate(2, Minutes(2), Minutes(5)), {}, {CountStar()});
  EXPECT_FALSE(CreateOperator(*node).ok());
}

}  // namespace
}  // namespace sluice::testing
