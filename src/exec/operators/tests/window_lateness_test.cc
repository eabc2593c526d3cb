// Late rows (counted and handed to the LateRowHandler) and allowed lateness (re-firing windows
// with -U/+U) for the slicing windows.

#include <gtest/gtest.h>

#include "exec/operators/slicing_window_operator.h"
#include "exec/operators/tests/operator_harness.h"

namespace sluice::testing {
namespace {

using K = AggregateKind;

const std::vector<Field> kInput = {F("user", LogicalType::Varchar()),
                                   F("amount", LogicalType::Int()),
                                   F("ts", LogicalType::Timestamp(3))};

Batch Input(const std::vector<std::tuple<std::string, int, std::optional<std::string>>>& rows) {
  std::vector<std::vector<Value>> values;
  for (const auto& [user, amount, ts] : rows) {
    values.push_back({Value::Varchar(user), Value::Int(amount),
                      ts ? Value::Timestamp(Ts(*ts)) : Value::Null(LogicalType::Timestamp(3))});
  }
  return testing::Rows(Schema{kInput}, values);
}

std::vector<AggregateCall> CountSum() {
  return {CountStar(), Agg(K::kSum, 1, LogicalType::Int())};
}

TEST(WindowLatenessTest, LateRowsAreCountedAndHandedOver) {
  Harness h(*WindowNode(InputNode(kInput), Tumble(2, Minutes(1)), {0}, CountSum()));
  h.Process(Input({{"a", 1, "2024-01-01 00:00:10"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:01:00")).size(), 1u);
  EXPECT_TRUE(h.Process(Input({{"a", 2, "2024-01-01 00:00:20"},
                               {"a", 3, "2024-01-01 00:01:05"},
                               {"b", 4, std::nullopt}}))
                  .empty());
  EXPECT_EQ(h.metrics().late_rows, 2u);
  ASSERT_EQ(h.late().rows, (Strings{"+I[a, 2, 2024-01-01T00:00:20]", "+I[b, 4, null]"}));
  EXPECT_EQ(h.late().operator_ids, Strings{"window-1"});
  EXPECT_EQ(h.late().watermarks, std::vector<int64_t>{Ts("2024-01-01 00:01:00")});
  ASSERT_EQ(h.late().schemas.size(), 1u);
  EXPECT_EQ(h.late().schemas[0].ToString(), Schema{kInput}.ToString());
  // The late row did not reopen its window; the on-time one is aggregated normally.
  EXPECT_EQ(h.Finish(),
            (Strings{"+I[a, 1, 3, 2024-01-01T00:01, 2024-01-01T00:02, 2024-01-01T00:01:59.999]"}));
}

TEST(WindowLatenessTest, RowsAtTheWatermarkOfTheirWindowMaxTimestampAreLate) {
  Harness h(*WindowNode(InputNode(kInput), Tumble(2, Minutes(1)), {}, CountSum()));
  h.Watermark(Ts("2024-01-01 00:00:59.999"));
  h.Process(Input({{"a", 1, "2024-01-01 00:00:59.999"}, {"a", 1, "2024-01-01 00:01:00"}}));
  EXPECT_EQ(h.metrics().late_rows, 1u);
}

TEST(WindowLatenessTest, HopRowUpdatesTheWindowsThatHaveNotFired) {
  Harness h(*WindowNode(InputNode(kInput), Hop(2, Minutes(1), Minutes(2)), {}, CountSum()));
  h.Process(Input({{"a", 1, "2024-01-01 00:00:30"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:01:00")),
            (Strings{"+I[1, 1, 2023-12-31T23:59, 2024-01-01T00:01, 2024-01-01T00:00:59.999]"}));
  // Its first window fired already; the second still takes it, as Flink's slicing does.
  h.Process(Input({{"a", 5, "2024-01-01 00:00:40"}}));
  EXPECT_EQ(h.metrics().late_rows, 0u);
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:02:00")),
            (Strings{"+I[2, 6, 2024-01-01T00:00, 2024-01-01T00:02, 2024-01-01T00:01:59.999]"}));
  h.Process(Input({{"a", 7, "2024-01-01 00:00:50"}}));
  EXPECT_EQ(h.metrics().late_rows, 1u);
  EXPECT_TRUE(h.Finish().empty());
}

TEST(WindowLatenessTest, AllowedLatenessRefiresWithUpdates) {
  Harness h(*WindowNode(InputNode(kInput), Tumble(2, Minutes(1)), {0}, CountSum(), Minutes(1)));
  auto& op = dynamic_cast<SlicingWindowOperator&>(h.op());
  h.Process(Input({{"a", 1, "2024-01-01 00:00:10"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:01:00")),
            (Strings{"+I[a, 1, 1, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]"}));
  EXPECT_EQ(op.slice_count(), 1u);  // kept for the allowed lateness
  h.Process(Input({{"a", 5, "2024-01-01 00:00:20"}, {"b", 2, "2024-01-01 00:00:30"}}));
  EXPECT_EQ(h.metrics().late_rows, 0u);
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:01:30")),
            (Strings{"-U[a, 1, 1, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
                     "+U[a, 2, 6, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
                     "+I[b, 1, 2, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]"}));
  // Nothing changed since: the next watermark re-fires nothing.
  EXPECT_TRUE(h.Watermark(Ts("2024-01-01 00:01:40")).empty());
  // Past end - 1 ms + lateness the window is gone and its rows are late.
  EXPECT_TRUE(h.Watermark(Ts("2024-01-01 00:02:00")).empty());
  EXPECT_EQ(op.slice_count(), 0u);
  h.Process(Input({{"a", 7, "2024-01-01 00:00:40"}}));
  EXPECT_EQ(h.metrics().late_rows, 1u);
  EXPECT_EQ(h.late().rows, (Strings{"+I[a, 7, 2024-01-01T00:00:40]"}));
  EXPECT_EQ(h.metrics().rows_out, 4u);
}

TEST(WindowLatenessTest, UnchangedResultsAreNotReemitted) {
  Harness h(*WindowNode(InputNode(kInput), Tumble(2, Minutes(1)), {0},
                        {Agg(K::kMax, 1, LogicalType::Int())}, Minutes(1)));
  h.Process(Input({{"a", 9, "2024-01-01 00:00:10"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:01:00")).size(), 1u);
  h.Process(Input({{"a", 3, "2024-01-01 00:00:20"}}));
  EXPECT_TRUE(h.Watermark(Ts("2024-01-01 00:01:10")).empty());
  h.Process(Input({{"a", 10, "2024-01-01 00:00:20"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:01:20")),
            (Strings{"-U[a, 9, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
                     "+U[a, 10, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]"}));
}

TEST(WindowLatenessTest, WindowWithoutRowsAtItsEndFiresOnceALateRowArrives) {
  Harness h(*WindowNode(InputNode(kInput), Tumble(2, Minutes(1)), {0}, CountSum(), Minutes(1)));
  h.Process(Input({{"a", 1, "2024-01-01 00:00:10"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:02:30")).size(), 1u);
  h.Process(Input({{"c", 3, "2024-01-01 00:01:30"}}));  // [00:01, 00:02) expires at 00:02:59.999
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:02:40")),
            (Strings{"+I[c, 1, 3, 2024-01-01T00:01, 2024-01-01T00:02, 2024-01-01T00:01:59.999]"}));
}

TEST(WindowLatenessTest, HopRefiresEveryUpdatedWindowInEndOrder) {
  Harness h(
      *WindowNode(InputNode(kInput), Hop(2, Minutes(1), Minutes(2)), {}, CountSum(), Minutes(2)));
  h.Process(Input({{"a", 1, "2024-01-01 00:00:30"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:02:00")).size(), 2u);
  h.Process(Input({{"a", 2, "2024-01-01 00:00:45"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:02:10")),
            (Strings{"-U[1, 1, 2023-12-31T23:59, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
                     "+U[2, 3, 2023-12-31T23:59, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
                     "-U[1, 1, 2024-01-01T00:00, 2024-01-01T00:02, 2024-01-01T00:01:59.999]",
                     "+U[2, 3, 2024-01-01T00:00, 2024-01-01T00:02, 2024-01-01T00:01:59.999]"}));
  EXPECT_TRUE(h.Finish().empty());
  EXPECT_EQ(dynamic_cast<SlicingWindowOperator&>(h.op()).slice_count(), 0u);
}

}  // namespace
}  // namespace sluice::testing
