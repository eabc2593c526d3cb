#include <gtest/gtest.h>

#include <climits>
#include <cmath>

#include "exec/expr/tests/eval_harness.h"

namespace sluice::testing {
namespace {

const LogicalType kString = LogicalType::Varchar();

TEST(CastTest, DoublesPrintLikeJava) {
  EXPECT_EQ(CastText(D(1.0), kString), "1.0");
  EXPECT_EQ(CastText(D(0.1), kString), "0.1");
  EXPECT_EQ(CastText(D(1.0e-5), kString), "1.0E-5");
  EXPECT_EQ(CastText(D(1.23456789e8), kString), "1.23456789E8");
  EXPECT_EQ(CastText(D(100.0), kString), "100.0");
  EXPECT_EQ(CastText(D(std::nan("")), kString), "NaN");
  EXPECT_EQ(CastText(D(HUGE_VAL), kString), "Infinity");
  EXPECT_EQ(CastText(D(-HUGE_VAL), kString), "-Infinity");
  EXPECT_EQ(CastText(D(-1234.5), kString), "-1234.5");
  EXPECT_EQ(CastText(D(1e21), kString), "1.0E21");
}

TEST(CastTest, OtherTypesToString) {
  EXPECT_EQ(CastText(I(-42), kString), "-42");
  EXPECT_EQ(CastText(L(LLONG_MIN), kString), std::to_string(LLONG_MIN));
  EXPECT_EQ(CastText(Dec("-0.05", 5, 2), kString), "-0.05");
  EXPECT_EQ(CastText(B(true), kString), "TRUE");
  EXPECT_EQ(CastText(Dt("2024-02-29"), kString), "2024-02-29");
  EXPECT_EQ(CastText(Ts("2024-01-01 00:00:00"), kString), "2024-01-01 00:00:00.000");
  EXPECT_EQ(CastText(Ts("2024-01-01 01:02:03.456789", 6), kString), "2024-01-01 01:02:03.456789");
  EXPECT_EQ(CastText(Ts("1969-12-31 23:59:59.5", 0), kString), "1969-12-31 23:59:59");
  EXPECT_EQ(CastText(Ltz("2024-01-01 00:00:00"), kString, false, Zone("Asia/Shanghai")),
            "2024-01-01 08:00:00.000");
  EXPECT_EQ(CastText(Iv(kMicrosPerDay + 2 * kMicrosPerHour + 500000), kString), "+1 02:00:00.500");
  EXPECT_EQ(CastText(Null(LogicalType::Int()), kString), "NULL");
}

TEST(CastTest, NumericConversions) {
  EXPECT_EQ(CastText(D(2.9), LogicalType::Int()), "2");
  EXPECT_EQ(CastText(D(-2.9), LogicalType::Bigint()), "-2");
  EXPECT_EQ(CastText(I(7), LogicalType::Double()), "7.0");
  EXPECT_EQ(CastText(I(7), LogicalType::Decimal(5, 2)), "7.00");
  EXPECT_EQ(CastText(Dec("12.345", 5, 3), LogicalType::Decimal(4, 2)), "12.35");
  EXPECT_EQ(CastText(Dec("-12.345", 5, 3), LogicalType::Decimal(4, 2)), "-12.35");
  EXPECT_EQ(CastText(Dec("12.99", 4, 2), LogicalType::Int()), "12");
  EXPECT_EQ(CastText(Dec("-12.99", 4, 2), LogicalType::Int()), "-12");
  EXPECT_EQ(CastText(Dec("1.5", 2, 1), LogicalType::Double()), "1.5");
  EXPECT_EQ(CastText(D(0.125), LogicalType::Decimal(5, 2)), "0.13");
  EXPECT_EQ(CastText(L(3000000000), LogicalType::Double()), "3.0E9");
  EXPECT_EQ(CastText(I(0), LogicalType::Boolean()), "false");
  EXPECT_EQ(CastText(L(-5), LogicalType::Boolean()), "true");
  EXPECT_EQ(CastText(B(true), LogicalType::Int()), "1");
  EXPECT_EQ(CastText(B(true), LogicalType::Decimal(3, 1)), "1.0");
}

TEST(CastTest, OverflowFailsCastAndNullsTryCast) {
  Result<Value> r = EvalCast(L(3000000000), LogicalType::Int());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kRuntimeError);
  EXPECT_EQ(r.status().message(), "cannot cast 3000000000 to INT");
  EXPECT_EQ(CastText(L(3000000000), LogicalType::Int(), true), "NULL");
  EXPECT_EQ(EvalCast(D(1e20), LogicalType::Bigint()).status().message(),
            "cannot cast 1.0E20 to BIGINT");
  EXPECT_EQ(CastText(D(std::nan("")), LogicalType::Int(), true), "NULL");
  EXPECT_EQ(EvalCast(Dec("123.45", 5, 2), LogicalType::Decimal(4, 2)).status().message(),
            "cannot cast 123.45 to DECIMAL(4, 2)");
  EXPECT_EQ(CastText(I(100000), LogicalType::Decimal(5, 2), true), "NULL");
}

TEST(CastTest, StringsToNumbers) {
  EXPECT_EQ(CastText(S(" 42 "), LogicalType::Int()), "42");
  EXPECT_EQ(CastText(S("-7"), LogicalType::Bigint()), "-7");
  EXPECT_EQ(CastText(S("12.9"), LogicalType::Int()), "12");  // fraction dropped, as Flink
  EXPECT_EQ(CastText(S("1.5e3"), LogicalType::Double()), "1500.0");
  EXPECT_EQ(CastText(S("12.345"), LogicalType::Decimal(5, 2)), "12.35");
  Result<Value> r = EvalCast(S("abc"), LogicalType::Int());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "cannot cast 'abc' to INT");
  EXPECT_EQ(CastText(S("abc"), LogicalType::Int(), true), "NULL");
  EXPECT_EQ(CastText(S("99999999999"), LogicalType::Int(), true), "NULL");
  EXPECT_EQ(CastText(S(""), LogicalType::Double(), true), "NULL");
  EXPECT_EQ(EvalCast(S("1x"), LogicalType::Decimal(5, 2)).status().message(),
            "cannot cast '1x' to DECIMAL(5, 2)");
}

TEST(CastTest, StringsToBooleans) {
  EXPECT_EQ(CastText(S("TRUE"), LogicalType::Boolean()), "true");
  EXPECT_EQ(CastText(S("false"), LogicalType::Boolean()), "false");
  EXPECT_EQ(CastText(S(" Yes "), LogicalType::Boolean()), "true");
  EXPECT_EQ(CastText(S("0"), LogicalType::Boolean()), "false");
  EXPECT_EQ(CastText(S("maybe"), LogicalType::Boolean(), true), "NULL");
  EXPECT_FALSE(EvalCast(S("maybe"), LogicalType::Boolean()).ok());
}

TEST(CastTest, StringsToDatesAndTimestamps) {
  EXPECT_EQ(CastText(S("2024-02-29"), LogicalType::Date()), "2024-02-29");
  EXPECT_EQ(CastText(S("2024-02-29 10:00:00"), LogicalType::Date()), "2024-02-29");
  EXPECT_EQ(CastText(S("2024-01-01 10:20:30.5"), LogicalType::Timestamp(3)),
            "2024-01-01T10:20:30.500");
  EXPECT_EQ(CastText(S("1960-06-01T00:00:00"), LogicalType::Timestamp(3)), "1960-06-01T00:00");
  // Text without an offset is a wall-clock time in the session zone.
  EXPECT_EQ(CastText(S("2024-01-01 08:00:00"), LogicalType::TimestampLtz(3), false,
                     Zone("Asia/Shanghai")),
            "2024-01-01T00:00");
  EXPECT_EQ(CastText(S("2024-01-01T08:00:00Z"), LogicalType::TimestampLtz(3), false,
                     Zone("Asia/Shanghai")),
            "2024-01-01T08:00");
  Result<Value> r = EvalCast(S("2024-13-01"), LogicalType::Date());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "cannot cast '2024-13-01' to DATE");
  EXPECT_EQ(CastText(S("not a time"), LogicalType::Timestamp(3), true), "NULL");
}

TEST(CastTest, TemporalConversionsUseTheSessionZone) {
  TimeZone shanghai = Zone("Asia/Shanghai");
  EXPECT_EQ(CastText(Ltz("2024-01-01 20:00:00"), LogicalType::Timestamp(3), false, shanghai),
            "2024-01-02T04:00");
  EXPECT_EQ(CastText(Ts("2024-01-02 04:00:00"), LogicalType::TimestampLtz(3), false, shanghai),
            "2024-01-01T20:00");
  EXPECT_EQ(CastText(Ltz("2024-01-01 20:00:00"), LogicalType::Date(), false, shanghai),
            "2024-01-02");
  EXPECT_EQ(CastText(Dt("2024-01-02"), LogicalType::TimestampLtz(3), false, shanghai),
            "2024-01-01T16:00");
  EXPECT_EQ(CastText(Dt("1969-12-31"), LogicalType::Timestamp(3)), "1969-12-31T00:00");
  EXPECT_EQ(CastText(Ts("1969-12-31 23:00:00"), LogicalType::Date()), "1969-12-31");
  EXPECT_EQ(CastText(Ts("2024-01-01 00:00:00.123456", 6), LogicalType::Timestamp(3)),
            "2024-01-01T00:00:00.123");
  // New York wall clock across the spring-forward gap.
  EXPECT_EQ(CastText(Ts("2024-03-10 02:30:00"), LogicalType::TimestampLtz(3), false,
                     Zone("America/New_York")),
            "2024-03-10T07:30");
}

TEST(CastTest, EpochSecondsAndLtz) {
  EXPECT_EQ(CastText(L(86400), LogicalType::TimestampLtz(3)), "1970-01-02T00:00");
  EXPECT_EQ(CastText(D(1.5), LogicalType::TimestampLtz(3)), "1970-01-01T00:00:01.500");
  EXPECT_EQ(CastText(Ltz("1970-01-02 00:00:00"), LogicalType::Bigint()), "86400");
  EXPECT_EQ(CastText(Ltz("1969-12-31 23:59:59.5"), LogicalType::Bigint()), "-1");
}

TEST(CastTest, NullCastsToAnything) {
  EXPECT_EQ(CastText(Null(), LogicalType::Decimal(10, 2)), "NULL");
  EXPECT_EQ(CastText(Null(), LogicalType::TimestampLtz(3)), "NULL");
  Result<Value> r = EvalCast(Null(), LogicalType::Varchar());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type().id, TypeId::kVarchar);
}

}  // namespace
}  // namespace sluice::testing
