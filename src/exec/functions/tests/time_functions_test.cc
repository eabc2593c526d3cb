#include <gtest/gtest.h>

#include "exec/expr/tests/eval_harness.h"

namespace sluice::testing {
namespace {

Arg Unit(const char* unit) {
  return Lit(S(unit));
}

TEST(TimeFunctionsTest, ExtractFromEachTemporalType) {
  Value ts = Ts("2024-08-15 13:45:30.123");
  EXPECT_EQ(EvalText("extract", {Unit("YEAR"), ts}), "2024");
  EXPECT_EQ(EvalText("extract", {Unit("QUARTER"), ts}), "3");
  EXPECT_EQ(EvalText("extract", {Unit("MONTH"), ts}), "8");
  EXPECT_EQ(EvalText("extract", {Unit("WEEK"), ts}), "33");
  EXPECT_EQ(EvalText("extract", {Unit("DAY"), ts}), "15");
  EXPECT_EQ(EvalText("extract", {Unit("DOW"), ts}), "5");
  EXPECT_EQ(EvalText("extract", {Unit("DOY"), ts}), "228");
  EXPECT_EQ(EvalText("extract", {Unit("HOUR"), ts}), "13");
  EXPECT_EQ(EvalText("extract", {Unit("MINUTE"), ts}), "45");
  EXPECT_EQ(EvalText("extract", {Unit("SECOND"), ts}), "30");
  EXPECT_EQ(EvalText("extract", {Unit("MILLISECOND"), ts}), "123");
  EXPECT_EQ(EvalText("extract", {Unit("DAY"), Dt("2024-02-29")}), "29");
  EXPECT_EQ(EvalText("extract", {Unit("HOUR"), Dt("2024-02-29")}), "0");
  EXPECT_EQ(EvalText("extract", {Unit("YEAR"), Null(LogicalType::Timestamp(3))}), "NULL");
  Result<Value> r = Eval("extract", {Unit("YEAR"), ts});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type().ToString(), "BIGINT");
}

TEST(TimeFunctionsTest, ExtractFromLtzReadsTheSessionZone) {
  Value instant = Ltz("2024-01-01 20:00:00");
  EXPECT_EQ(EvalText("extract", {Unit("DAY"), instant}), "1");
  EXPECT_EQ(EvalText("extract", {Unit("DAY"), instant}, Zone("Asia/Shanghai")), "2");
  EXPECT_EQ(EvalText("hour", {instant}, Zone("Asia/Shanghai")), "4");
  EXPECT_EQ(EvalText("hour", {instant}, Zone("America/New_York")), "15");
  EXPECT_EQ(EvalText("hour", {Ltz("2024-07-01 20:00:00")}, Zone("America/New_York")), "16");
  EXPECT_EQ(EvalText("hour", {instant}, Zone("+05:30")), "1");
}

TEST(TimeFunctionsTest, Shorthands) {
  Value ts = Ts("2024-08-15 13:45:30");
  EXPECT_EQ(EvalText("year", {ts}), "2024");
  EXPECT_EQ(EvalText("quarter", {ts}), "3");
  EXPECT_EQ(EvalText("month", {ts}), "8");
  EXPECT_EQ(EvalText("week", {ts}), "33");
  EXPECT_EQ(EvalText("dayofyear", {ts}), "228");
  EXPECT_EQ(EvalText("dayofmonth", {ts}), "15");
  EXPECT_EQ(EvalText("dayofweek", {ts}), "5");
  EXPECT_EQ(EvalText("hour", {ts}), "13");
  EXPECT_EQ(EvalText("minute", {ts}), "45");
  EXPECT_EQ(EvalText("second", {ts}), "30");
  EXPECT_EQ(EvalText("year", {Dt("1969-12-31")}), "1969");
  EXPECT_EQ(EvalText("second", {Ts("1969-12-31 23:59:58.5")}), "58");
}

TEST(TimeFunctionsTest, FloorAndCeil) {
  Value ts = Ts("2024-08-15 13:45:30.123");
  EXPECT_EQ(EvalText("timestamp_floor", {Unit("HOUR"), ts}), "2024-08-15T13:00");
  EXPECT_EQ(EvalText("timestamp_floor", {Unit("DAY"), ts}), "2024-08-15T00:00");
  EXPECT_EQ(EvalText("timestamp_floor", {Unit("WEEK"), ts}), "2024-08-11T00:00");
  EXPECT_EQ(EvalText("timestamp_floor", {Unit("MONTH"), ts}), "2024-08-01T00:00");
  EXPECT_EQ(EvalText("timestamp_floor", {Unit("MILLISECOND"), ts}), "2024-08-15T13:45:30.123");
  EXPECT_EQ(EvalText("timestamp_ceil", {Unit("MINUTE"), ts}), "2024-08-15T13:46");
  EXPECT_EQ(EvalText("timestamp_ceil", {Unit("YEAR"), ts}), "2025-01-01T00:00");
  EXPECT_EQ(EvalText("timestamp_floor", {Unit("MONTH"), Dt("2024-08-15")}), "2024-08-01");
  EXPECT_EQ(EvalText("timestamp_floor", {Unit("HOUR"), Ts("1969-12-31 23:30:00")}),
            "1969-12-31T23:00");
  // An LTZ value floors on its wall clock: 20:00 UTC is 04:00 next day in Shanghai.
  EXPECT_EQ(
      EvalText("timestamp_floor", {Unit("DAY"), Ltz("2024-01-01 20:00:00")}, Zone("Asia/Shanghai")),
      "2024-01-01T16:00");
  EXPECT_EQ(Eval("timestamp_floor", {Unit("DOW"), ts}).status().message(),
            "unsupported time unit 'DOW' for 'timestamp_floor'");
}

TEST(TimeFunctionsTest, TimestampAddAndDiff) {
  EXPECT_EQ(EvalText("timestampadd", {Unit("MONTH"), I(1), Ts("2024-01-31 10:00:00")}),
            "2024-02-29T10:00");
  EXPECT_EQ(EvalText("timestampadd", {Unit("MINUTE"), L(-90), Ts("2024-01-01 00:00:00")}),
            "2023-12-31T22:30");
  EXPECT_EQ(EvalText("timestampadd", {Unit("DAY"), I(1), Dt("2024-02-28")}), "2024-02-29");
  Result<Value> r = Eval("timestampadd", {Unit("HOUR"), I(1), Dt("2024-02-28")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type().ToString(), "TIMESTAMP(3)");
  EXPECT_EQ(r->ToString(), "2024-02-28T01:00");
  // Across New York's spring forward: a day keeps the wall clock, 24 hours do not.
  TimeZone ny = Zone("America/New_York");
  Value before = Ltz("2024-03-09 17:00:00");  // 12:00 EST
  EXPECT_EQ(EvalText("timestampadd", {Unit("DAY"), I(1), before}, ny), "2024-03-10T16:00");
  EXPECT_EQ(EvalText("timestampadd", {Unit("HOUR"), I(24), before}, ny), "2024-03-10T17:00");

  EXPECT_EQ(EvalText("timestampdiff",
                     {Unit("DAY"), Ts("2024-01-01 00:00:00"), Ts("2024-03-01 12:00:00")}),
            "60");
  EXPECT_EQ(EvalText("timestampdiff",
                     {Unit("MONTH"), Ts("2024-01-31 00:00:00"), Ts("2024-02-29 00:00:00")}),
            "0");
  EXPECT_EQ(EvalText("timestampdiff", {Unit("YEAR"), Dt("2020-02-29"), Dt("2024-02-28")}), "3");
  EXPECT_EQ(EvalText("timestampdiff", {Unit("HOUR"), Dt("2024-01-02"), Ts("2024-01-01 00:00:00")}),
            "-24");
  EXPECT_EQ(EvalText("timestampdiff",
                     {Unit("SECOND"), Ts("1969-12-31 23:59:00"), Ts("1970-01-01 00:00:30")}),
            "90");
}

TEST(TimeFunctionsTest, EpochConversions) {
  EXPECT_EQ(EvalText("to_timestamp_ltz", {L(1700000000), Lit(I(0))}), "2023-11-14T22:13:20");
  EXPECT_EQ(EvalText("to_timestamp_ltz", {L(1700000000123), Lit(I(3))}), "2023-11-14T22:13:20.123");
  EXPECT_EQ(EvalText("to_timestamp_ltz", {L(-1000)}), "1969-12-31T23:59:59");
  EXPECT_EQ(EvalText("to_timestamp_ltz", {D(1.5), Lit(I(0))}), "1970-01-01T00:00:01.500");
  EXPECT_EQ(Eval("to_timestamp_ltz", {L(1), Lit(I(2))}).status().message(),
            "the precision of 'to_timestamp_ltz' must be 0, 3 or 6");
  EXPECT_EQ(EvalText("from_unixtime", {L(0)}), "1970-01-01 00:00:00");
  EXPECT_EQ(EvalText("from_unixtime", {L(0)}, Zone("Asia/Shanghai")), "1970-01-01 08:00:00");
  EXPECT_EQ(EvalText("from_unixtime", {L(86399), Lit(S("HH:mm"))}), "23:59");
  EXPECT_EQ(EvalText("unix_timestamp", {S("1970-01-02 00:00:00")}), "86400");
  EXPECT_EQ(EvalText("unix_timestamp", {S("1970-01-01 08:00:00")}, Zone("Asia/Shanghai")), "0");
  EXPECT_EQ(
      EvalText("unix_timestamp", {S("1970-01-01 00:00:00 +0100"), Lit(S("yyyy-MM-dd HH:mm:ss Z"))}),
      "-3600");
  EXPECT_EQ(EvalText("unix_timestamp", {S("garbage")}), "NULL");
}

TEST(TimeFunctionsTest, ParsingAndFormatting) {
  EXPECT_EQ(EvalText("to_timestamp", {S("2024-01-01 10:20:30")}), "2024-01-01T10:20:30");
  EXPECT_EQ(EvalText("to_timestamp", {S("2024-01-01 10:20:30.250")}), "2024-01-01T10:20:30.250");
  EXPECT_EQ(EvalText("to_timestamp", {S("01/02/2024 10:20"), Lit(S("dd/MM/yyyy HH:mm"))}),
            "2024-02-01T10:20");
  EXPECT_EQ(EvalText("to_timestamp", {S("bad")}), "NULL");
  EXPECT_EQ(EvalText("to_timestamp", {S("2024-01-01"), S("yyyy-MM-dd")}), "2024-01-01T00:00");
  EXPECT_EQ(EvalText("to_date", {S("2024-02-29")}), "2024-02-29");
  EXPECT_EQ(EvalText("to_date", {S("20240229"), Lit(S("yyyyMMdd"))}), "2024-02-29");
  EXPECT_EQ(EvalText("to_date", {S("2023-02-29")}), "NULL");

  Value ts = Ts("2024-03-05 07:08:09.120");
  EXPECT_EQ(EvalText("date_format", {ts, Lit(S("yyyy-MM-dd HH:mm:ss.SSS"))}),
            "2024-03-05 07:08:09.120");
  EXPECT_EQ(EvalText("date_format", {ts, Lit(S("EEE MMM d"))}), "Tue Mar 5");
  EXPECT_EQ(EvalText("date_format", {ts, S("yyyy")}), "2024");  // format computed per row
  EXPECT_EQ(EvalText("date_format", {Dt("2024-03-05"), Lit(S("dd.MM.yyyy"))}), "05.03.2024");
  EXPECT_EQ(EvalText("date_format", {S("2024-03-05 07:08:09"), Lit(S("HH'h'"))}), "07h");
  EXPECT_EQ(EvalText("date_format", {Ltz("2024-03-05 23:00:00"), Lit(S("yyyy-MM-dd HH:mm XXX"))},
                     Zone("Asia/Shanghai")),
            "2024-03-06 07:00 +08:00");
  // A literal format is checked when binding; one computed per row gives NULL when invalid.
  EXPECT_EQ(Eval("date_format", {ts, Lit(S("qq"))}).status().code(), ErrorCode::kInvalidArgument);
  auto formats = std::make_shared<Column>(LogicalType::Varchar());
  formats->AppendValue(S("qq"));
  formats->AppendValue(S("yyyy"));
  ExprPtr call = *BindFunctionCall(
      "date_format", {BoundExpr::Literal(ts), BoundExpr::ColumnRef(0, LogicalType::Varchar())});
  ExpressionEvaluator evaluator(call, EvalContext{});
  ColumnPtr out = *evaluator.Evaluate(Batch({formats}, 2), nullptr, 2);
  EXPECT_TRUE(out->IsNull(0));
  EXPECT_EQ(out->GetString(1), "2024");
}

TEST(TimeFunctionsTest, ClockFunctions) {
  auto eval_now = [](const std::string& name, const TimeZone& zone) {
    ExprPtr call = *BindFunctionCall(name, {});
    ExpressionEvaluator evaluator(call, EvalContext{zone});
    return (*evaluator.Evaluate(Batch({}, 2), nullptr, 2))->GetValue(1);
  };
  int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  Value ts = eval_now("current_timestamp", TimeZone::Utc());
  EXPECT_EQ(ts.type().ToString(), "TIMESTAMP_LTZ(3)");
  EXPECT_NEAR(static_cast<double>(ts.GetInt64()), static_cast<double>(now), 5e6);
  EXPECT_EQ(ts.GetInt64() % 1000, 0);  // millisecond precision
  Value local = eval_now("localtimestamp", Zone("+08:00"));
  EXPECT_EQ(local.type().ToString(), "TIMESTAMP(3)");
  EXPECT_NEAR(static_cast<double>(local.GetInt64()), static_cast<double>(now + 8 * kMicrosPerHour),
              5e6);
  Value today = eval_now("current_date", TimeZone::Utc());
  EXPECT_EQ(today.GetInt64(), now / kMicrosPerDay);
  Value seconds = eval_now("unix_timestamp", TimeZone::Utc());
  EXPECT_NEAR(static_cast<double>(seconds.GetInt64()), static_cast<double>(now / 1000000), 5);
  EXPECT_EQ(eval_now("now", TimeZone::Utc()).type().ToString(), "TIMESTAMP_LTZ(3)");
}

}  // namespace
}  // namespace sluice::testing
