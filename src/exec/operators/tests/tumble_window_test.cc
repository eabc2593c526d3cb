// TUMBLE window aggregation: grouping, firing on the watermark, ordering, NULLs, state cleanup.

#include <gtest/gtest.h>

#include "exec/operators/slicing_window_operator.h"
#include "exec/operators/tests/operator_harness.h"

namespace sluice::testing {
namespace {

const std::vector<Field> kInput = {F("user", LogicalType::Varchar()),
                                   F("amount", LogicalType::Int()),
                                   F("ts", LogicalType::Timestamp(3))};

Batch Input(
    const std::vector<std::tuple<std::optional<std::string>, std::optional<int>, std::string>>&
        rows) {
  Schema schema{kInput};
  std::vector<std::vector<Value>> values;
  for (const auto& [user, amount, ts] : rows) {
    values.push_back({user ? Value::Varchar(*user) : Value::Null(LogicalType::Varchar()),
                      amount ? Value::Int(*amount) : Value::Null(LogicalType::Int()),
                      Value::Timestamp(Ts(ts))});
  }
  return testing::Rows(schema, values);
}

std::shared_ptr<WindowAggregateNode> CountSumByUser(std::vector<int> keys = {0}) {
  return WindowNode(InputNode(kInput), Tumble(2, Minutes(1)), keys,
                    {CountStar(), Agg(AggregateKind::kSum, 1, LogicalType::Int())});
}

TEST(TumbleWindowTest, GroupsByKeyAndFiresWhenWatermarkPassesWindowEnd) {
  Harness h(*CountSumByUser());
  EXPECT_EQ(h.op().Name(), "TumbleWindow");
  EXPECT_TRUE(h.Process(Input({{"a", 1, "2024-01-01 00:00:10"},
                               {"b", 2, "2024-01-01 00:00:20"},
                               {"a", 3, "2024-01-01 00:00:50"},
                               {"a", 4, "2024-01-01 00:01:10"}}))
                  .empty());
  // The window's max timestamp is end - 1 ms: one microsecond earlier nothing fires.
  EXPECT_TRUE(h.Watermark(Ts("2024-01-01 00:00:59.999") - 1).empty());
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:00:59.999")),
            (Strings{"+I[a, 2, 4, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
                     "+I[b, 1, 2, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]"}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:05:00")),
            (Strings{"+I[a, 1, 4, 2024-01-01T00:01, 2024-01-01T00:02, 2024-01-01T00:01:59.999]"}));
  EXPECT_EQ(h.metrics().rows_in, 4u);
  EXPECT_EQ(h.metrics().rows_out, 3u);
  EXPECT_EQ(h.metrics().watermark, Ts("2024-01-01 00:05:00"));
  EXPECT_EQ(h.metrics().late_rows, 0u);
}

TEST(TumbleWindowTest, WithoutKeysAggregatesTheWholeWindow) {
  Harness h(*CountSumByUser({}));
  h.Process(Input({{"a", 1, "2024-01-01 00:00:10"}, {"b", 2, "2024-01-01 00:00:20"}}));
  h.Process(Input({{"c", 5, "2024-01-01 00:00:30"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:01:00")),
            (Strings{"+I[3, 8, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]"}));
}

TEST(TumbleWindowTest, EmptyWindowsEmitNothing) {
  Harness h(*CountSumByUser({}));
  h.Process(Input({{"a", 1, "2024-01-01 00:00:10"}, {"a", 1, "2024-01-01 00:05:10"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:10:00")),
            (Strings{"+I[1, 1, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
                     "+I[1, 1, 2024-01-01T00:05, 2024-01-01T00:06, 2024-01-01T00:05:59.999]"}));
  EXPECT_TRUE(h.Watermark(Ts("2024-01-01 00:20:00")).empty());
}

TEST(TumbleWindowTest, NullKeysFormOneGroupAndNullValuesAreSkipped) {
  auto node = WindowNode(InputNode(kInput), Tumble(2, Minutes(1)), {0},
                         {CountStar(), Agg(AggregateKind::kCount, 1, LogicalType::Int()),
                          Agg(AggregateKind::kSum, 1, LogicalType::Int()),
                          Agg(AggregateKind::kMax, 1, LogicalType::Int())});
  Harness h(*node);
  h.Process(Input({{std::nullopt, 1, "2024-01-01 00:00:10"},
                   {"a", std::nullopt, "2024-01-01 00:00:11"},
                   {std::nullopt, 2, "2024-01-01 00:00:12"},
                   {std::nullopt, std::nullopt, "2024-01-01 00:00:13"}}));
  EXPECT_EQ(
      h.Watermark(Ts("2024-01-01 00:01:00")),
      (Strings{"+I[null, 3, 2, 3, 2, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
               "+I[a, 1, 0, null, null, 2024-01-01T00:00, 2024-01-01T00:01, "
               "2024-01-01T00:00:59.999]"}));
}

TEST(TumbleWindowTest, OneWatermarkFiresWindowsByEndThenKeyArrival) {
  Harness h(*CountSumByUser());
  h.Process(Input({{"b", 1, "2024-01-01 00:01:30"},
                   {"a", 1, "2024-01-01 00:00:30"},
                   {"a", 1, "2024-01-01 00:01:10"},
                   {"c", 1, "2024-01-01 00:00:40"}}));
  h.Process(Input({{"d", 1, "2024-01-01 00:00:05"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:02:00")),
            (Strings{"+I[a, 1, 1, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
                     "+I[c, 1, 1, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
                     "+I[d, 1, 1, 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]",
                     "+I[b, 1, 1, 2024-01-01T00:01, 2024-01-01T00:02, 2024-01-01T00:01:59.999]",
                     "+I[a, 1, 1, 2024-01-01T00:01, 2024-01-01T00:02, 2024-01-01T00:01:59.999]"}));
}

TEST(TumbleWindowTest, AlignsBeforeTheEpochAndWithOffset) {
  Harness floor(*CountSumByUser({}));
  floor.Process(Input({{"a", 1, "1969-12-31 23:59:30"}}));
  EXPECT_EQ(floor.Finish(),
            (Strings{"+I[1, 1, 1969-12-31T23:59, 1970-01-01T00:00, 1969-12-31T23:59:59.999]"}));

  auto node = WindowNode(InputNode(kInput), Tumble(2, Minutes(10), Minutes(3)), {}, {CountStar()});
  Harness offset(*node);
  offset.Process(Input({{"a", 1, "2024-01-01 00:02:00"}, {"a", 1, "2024-01-01 00:03:00"}}));
  EXPECT_EQ(offset.Finish(),
            (Strings{"+I[1, 2023-12-31T23:53, 2024-01-01T00:03, 2024-01-01T00:02:59.999]",
                     "+I[1, 2024-01-01T00:03, 2024-01-01T00:13, 2024-01-01T00:12:59.999]"}));
}

TEST(TumbleWindowTest, FreesStateOfFiredWindows) {
  Harness h(*CountSumByUser());
  auto& op = dynamic_cast<SlicingWindowOperator&>(h.op());
  h.Process(Input({{"a", 1, "2024-01-01 00:00:10"}, {"a", 1, "2024-01-01 00:03:10"}}));
  EXPECT_EQ(op.slice_count(), 2u);
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:01:00")).size(), 1u);
  EXPECT_EQ(op.slice_count(), 1u);
  EXPECT_EQ(h.Finish().size(), 1u);
  EXPECT_EQ(op.slice_count(), 0u);
}

TEST(TumbleWindowTest, ManyKeysSurviveHashTableGrowth) {
  Harness h(*CountSumByUser());
  std::vector<std::tuple<std::optional<std::string>, std::optional<int>, std::string>> rows;
  for (int i = 0; i < 5000; ++i) {
    rows.push_back({"user" + std::to_string(i % 1000), i % 7, "2024-01-01 00:00:10"});
  }
  h.Process(Input(rows));
  Strings out = h.Watermark(Ts("2024-01-01 00:01:00"));
  ASSERT_EQ(out.size(), 1000u);
  // Keys come out in first-arrival order; user7 got rows 7, 1007, ..., 4007 with i % 7 summed.
  int sum = 0;
  for (int i = 7; i < 5000; i += 1000) sum += i % 7;
  EXPECT_EQ(out[7], "+I[user7, 5, " + std::to_string(sum) +
                        ", 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]");
}

TEST(TumbleWindowTest, RejectsBadNodes) {
  auto node = CountSumByUser();
  node->window.size_micros = 0;
  EXPECT_FALSE(CreateOperator(*node).ok());
  auto wrong_schema = CountSumByUser();
  wrong_schema->output_schema.fields.pop_back();
  EXPECT_FALSE(CreateOperator(*wrong_schema).ok());
  auto wrong_type = CountSumByUser();
  wrong_type->output_schema.fields[2].type = LogicalType::Bigint();  // SUM(INT) is INT
  EXPECT_FALSE(CreateOperator(*wrong_type).ok());
}

TEST(TumbleWindowTest, RejectsRetractionsAndMistypedColumns) {
  Harness h(*CountSumByUser());
  Batch retract = Input({{"a", 1, "2024-01-01 00:00:10"}});
  retract.set_row_kinds({RowKind::kDelete});
  RowCollector out;
  EXPECT_FALSE(h.op().Process(retract, out).ok());
  Schema wrong{{F("user", LogicalType::Varchar()), F("amount", LogicalType::Bigint()),
                F("ts", LogicalType::Timestamp(3))}};
  Batch mistyped = testing::Rows(wrong, {{Value::Varchar("a"), Value::Bigint(1),
                                          Value::Timestamp(Ts("2024-01-01 00:00:10"))}});
  EXPECT_FALSE(h.op().Process(mistyped, out).ok());
}

}  // namespace
}  // namespace sluice::testing
