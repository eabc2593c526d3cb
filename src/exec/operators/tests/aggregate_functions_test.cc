// Every aggregate over every supported type, through a TUMBLE window without keys: results,
// NULL handling, overflow, integer/decimal AVG and DISTINCT.

#include <gtest/gtest.h>

#include <limits>

#include "exec/operators/tests/operator_harness.h"

namespace sluice::testing {
namespace {

using K = AggregateKind;

// One value column plus the event time; every row falls into the window [00:00, 00:01).
Strings AggregateOne(LogicalType type, const std::vector<Value>& values,
                     std::vector<AggregateCall> calls) {
  std::vector<Field> input = {F("v", type), F("ts", LogicalType::Timestamp(3))};
  auto node = WindowNode(InputNode(input), Tumble(1, Minutes(1)), {}, std::move(calls));
  Harness h(*node);
  std::vector<std::vector<Value>> rows;
  for (const Value& v : values) rows.push_back({v, Value::Timestamp(Ts("2024-01-01 00:00:10"))});
  h.Process(testing::Rows(Schema{input}, rows));
  return h.Finish();
}

std::string Row(const std::string& aggregates) {
  return "+I[" + aggregates + ", 2024-01-01T00:00, 2024-01-01T00:01, 2024-01-01T00:00:59.999]";
}

std::vector<AggregateCall> AllOf(LogicalType type) {
  return {Agg(K::kCount, 0, type), Agg(K::kSum, 0, type), Agg(K::kAvg, 0, type),
          Agg(K::kMin, 0, type), Agg(K::kMax, 0, type)};
}

TEST(AggregateFunctionsTest, Int) {
  const LogicalType t = LogicalType::Int();
  EXPECT_EQ(
      AggregateOne(t, {Value::Int(1), Value::Int(2), Value::Null(t), Value::Int(4)}, AllOf(t)),
      Strings{Row("3, 7, 2, 1, 4")});
  // AVG truncates towards zero, as Java's long division.
  EXPECT_EQ(AggregateOne(t, {Value::Int(-3), Value::Int(-4)}, AllOf(t)),
            Strings{Row("2, -7, -3, -4, -3")});
}

TEST(AggregateFunctionsTest, IntSumWrapsAroundButAverageDoesNot) {
  const LogicalType t = LogicalType::Int();
  const int32_t max = std::numeric_limits<int32_t>::max();
  EXPECT_EQ(AggregateOne(t, {Value::Int(max), Value::Int(1)}, {Agg(K::kSum, 0, t)}),
            Strings{Row("-2147483648")});
  EXPECT_EQ(AggregateOne(t, {Value::Int(max), Value::Int(max)}, {Agg(K::kAvg, 0, t)}),
            Strings{Row("2147483647")});
}

TEST(AggregateFunctionsTest, Bigint) {
  const LogicalType t = LogicalType::Bigint();
  EXPECT_EQ(AggregateOne(t, {Value::Bigint(10), Value::Null(t), Value::Bigint(-4)}, AllOf(t)),
            Strings{Row("2, 6, 3, -4, 10")});
  const int64_t max = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(AggregateOne(t, {Value::Bigint(max), Value::Bigint(1)}, {Agg(K::kSum, 0, t)}),
            Strings{Row("-9223372036854775808")});
}

TEST(AggregateFunctionsTest, Double) {
  const LogicalType t = LogicalType::Double();
  EXPECT_EQ(AggregateOne(t, {Value::Double(1.5), Value::Double(2.25), Value::Null(t)}, AllOf(t)),
            Strings{Row("2, 3.75, 1.875, 1.5, 2.25")});
}

TEST(AggregateFunctionsTest, Decimal) {
  const LogicalType t = LogicalType::Decimal(10, 2);
  // SUM is DECIMAL(38, 2), AVG DECIMAL(38, 6).
  EXPECT_EQ(AggregateOne(t,
                         {Value::Decimal(125, 10, 2), Value::Decimal(250, 10, 2),
                          Value::Decimal(1, 10, 2), Value::Null(t)},
                         AllOf(t)),
            Strings{Row("3, 3.76, 1.253333, 0.01, 2.50")});
}

TEST(AggregateFunctionsTest, DecimalAverageRoundsHalfUp) {
  const LogicalType t = LogicalType::Decimal(10, 2);
  // 0.01 / 32 = 0.0003125 -> 0.000313; the negative mirror rounds away from zero too.
  for (int sign : {1, -1}) {
    std::vector<Value> values(31, Value::Decimal(0, 10, 2));
    values.push_back(Value::Decimal(sign, 10, 2));
    EXPECT_EQ(AggregateOne(t, values, {Agg(K::kAvg, 0, t)}),
              Strings{Row(sign > 0 ? "0.000313" : "-0.000313")});
  }
}

TEST(AggregateFunctionsTest, MinMaxOfStringsTimestampsBooleansAndDates) {
  const LogicalType s = LogicalType::Varchar();
  // Bytes order: "ä" (0xC3 0xA4) sorts after every ASCII string.
  EXPECT_EQ(AggregateOne(s,
                         {Value::Varchar("b"), Value::Varchar("ä"), Value::Varchar("a"),
                          Value::Varchar("ab"), Value::Null(s)},
                         {Agg(K::kMin, 0, s), Agg(K::kMax, 0, s), Agg(K::kCount, 0, s)}),
            Strings{Row("a, ä, 4")});
  const LogicalType ts = LogicalType::Timestamp(3);
  EXPECT_EQ(AggregateOne(ts,
                         {Value::Timestamp(Ts("2024-05-01 10:00:00")),
                          Value::Timestamp(Ts("2023-05-01 10:00:00.5"))},
                         {Agg(K::kMin, 0, ts), Agg(K::kMax, 0, ts)}),
            Strings{Row("2023-05-01T10:00:00.500, 2024-05-01T10:00")});
  const LogicalType b = LogicalType::Boolean();
  EXPECT_EQ(AggregateOne(b, {Value::Boolean(true), Value::Boolean(false), Value::Null(b)},
                         {Agg(K::kMin, 0, b), Agg(K::kMax, 0, b)}),
            Strings{Row("false, true")});
  const LogicalType d = LogicalType::Date();
  EXPECT_EQ(AggregateOne(d, {Value::Date(19000), Value::Date(-5)},
                         {Agg(K::kMin, 0, d), Agg(K::kMax, 0, d)}),
            Strings{Row("1969-12-27, 2022-01-08")});
}

TEST(AggregateFunctionsTest, MinMaxOfDoublesFollowsJavaCompare) {
  const LogicalType t = LogicalType::Double();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(
      AggregateOne(
          t, {Value::Double(0.0), Value::Double(-0.0), Value::Double(nan), Value::Double(-1e300)},
          {Agg(K::kMin, 0, t), Agg(K::kMax, 0, t)}),
      Strings{Row("-1.0E300, NaN")});
}

TEST(AggregateFunctionsTest, OnlyNullsGiveNullExceptCount) {
  for (LogicalType t : {LogicalType::Int(), LogicalType::Bigint(), LogicalType::Double(),
                        LogicalType::Decimal(10, 2)}) {
    EXPECT_EQ(AggregateOne(t, {Value::Null(t), Value::Null(t)}, AllOf(t)),
              Strings{Row("0, null, null, null, null")})
        << t.ToString();
  }
  const LogicalType s = LogicalType::Varchar();
  EXPECT_EQ(
      AggregateOne(s, {Value::Null(s)}, {CountStar(), Agg(K::kMin, 0, s), Agg(K::kMax, 0, s)}),
      Strings{Row("1, null, null")});
}

TEST(AggregateFunctionsTest, Distinct) {
  const LogicalType t = LogicalType::Int();
  EXPECT_EQ(
      AggregateOne(t,
                   {Value::Int(1), Value::Int(1), Value::Int(2), Value::Null(t), Value::Int(2),
                    Value::Int(6)},
                   {Agg(K::kCount, 0, t, true), Agg(K::kSum, 0, t, true), Agg(K::kAvg, 0, t, true),
                    Agg(K::kMax, 0, t, true), Agg(K::kCount, 0, t)}),
      Strings{Row("3, 9, 3, 6, 5")});
  const LogicalType s = LogicalType::Varchar();
  EXPECT_EQ(
      AggregateOne(
          s, {Value::Varchar("x"), Value::Varchar("y"), Value::Varchar("x"), Value::Varchar("")},
          {Agg(K::kCount, 0, s, true)}),
      Strings{Row("3")});
  // Java's Double.equals: -0.0 differs from 0.0, NaN equals NaN.
  const LogicalType d = LogicalType::Double();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(AggregateOne(d,
                         {Value::Double(0.0), Value::Double(-0.0), Value::Double(nan),
                          Value::Double(nan), Value::Double(0.0)},
                         {Agg(K::kCount, 0, d, true)}),
            Strings{Row("3")});
  const LogicalType dec = LogicalType::Decimal(10, 2);
  EXPECT_EQ(
      AggregateOne(
          dec, {Value::Decimal(150, 10, 2), Value::Decimal(150, 10, 2), Value::Decimal(50, 10, 2)},
          {Agg(K::kSum, 0, dec, true), Agg(K::kAvg, 0, dec, true)}),
      Strings{Row("2.00, 1.000000")});
}

TEST(AggregateFunctionsTest, CountAcceptsAnyArgumentType) {
  const LogicalType t = LogicalType::Interval();
  EXPECT_EQ(AggregateOne(t, {Value::Interval(5), Value::Null(t)},
                         {Agg(K::kCount, 0, t), CountStar(), Agg(K::kMax, 0, t)}),
            Strings{Row("1, 2, 0 ms")});
}

TEST(AggregateFunctionsTest, UnsupportedCombinationsAreErrors) {
  std::vector<Field> input = {F("v", LogicalType::Varchar()), F("ts", LogicalType::Timestamp(3))};
  AggregateCall sum_of_string = Agg(K::kSum, 0, LogicalType::Varchar());
  sum_of_string.result_type = LogicalType::Varchar();
  auto node = WindowNode(InputNode(input), Tumble(1, Minutes(1)), {}, {sum_of_string});
  EXPECT_FALSE(CreateOperator(*node).ok());
}

}  // namespace
}  // namespace sluice::testing
