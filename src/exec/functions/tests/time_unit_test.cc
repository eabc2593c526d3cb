#include "exec/functions/time_unit.h"

#include <gtest/gtest.h>

#include "types/time_format.h"

namespace sluice {
namespace {

int64_t Micros(std::string_view text) {
  return ParseTimestamp(text).value();
}
std::string Text(int64_t micros) {
  return FormatTimestampSql(micros, 3);
}

TEST(TimeUnitTest, ParsesSqlNames) {
  EXPECT_EQ(ParseTimeUnit("YEAR"), TimeUnit::kYear);
  EXPECT_EQ(ParseTimeUnit("DOW"), TimeUnit::kDayOfWeek);
  EXPECT_EQ(ParseTimeUnit("DAYOFYEAR"), TimeUnit::kDayOfYear);
  EXPECT_EQ(ParseTimeUnit("SQL_TSI_HOUR"), TimeUnit::kHour);
  EXPECT_FALSE(ParseTimeUnit("FORTNIGHT"));
  EXPECT_TRUE(IsIntervalUnit(TimeUnit::kQuarter));
  EXPECT_FALSE(IsIntervalUnit(TimeUnit::kDayOfWeek));
}

TEST(TimeUnitTest, ExtractsFields) {
  int64_t t = Micros("2024-08-15 13:45:30.123456");  // a Thursday
  EXPECT_EQ(ExtractField(TimeUnit::kYear, t), 2024);
  EXPECT_EQ(ExtractField(TimeUnit::kQuarter, t), 3);
  EXPECT_EQ(ExtractField(TimeUnit::kMonth, t), 8);
  EXPECT_EQ(ExtractField(TimeUnit::kDay, t), 15);
  EXPECT_EQ(ExtractField(TimeUnit::kHour, t), 13);
  EXPECT_EQ(ExtractField(TimeUnit::kMinute, t), 45);
  EXPECT_EQ(ExtractField(TimeUnit::kSecond, t), 30);
  EXPECT_EQ(ExtractField(TimeUnit::kMillisecond, t), 123);
  EXPECT_EQ(ExtractField(TimeUnit::kMicrosecond, t), 123456);
  EXPECT_EQ(ExtractField(TimeUnit::kDayOfWeek, t), 5);  // Sunday = 1
  EXPECT_EQ(ExtractField(TimeUnit::kIsoDayOfWeek, t), 4);
  EXPECT_EQ(ExtractField(TimeUnit::kDayOfYear, t), 228);
  EXPECT_EQ(ExtractField(TimeUnit::kWeek, t), 33);
  EXPECT_EQ(ExtractField(TimeUnit::kEpoch, Micros("1970-01-02 00:00:00")), 86400);
  EXPECT_EQ(ExtractField(TimeUnit::kDecade, t), 202);
  EXPECT_EQ(ExtractField(TimeUnit::kCentury, t), 21);
}

TEST(TimeUnitTest, IsoWeeksAtYearBoundaries) {
  EXPECT_EQ(ExtractField(TimeUnit::kWeek, Micros("2021-01-03 00:00:00")), 53);  // of 2020
  EXPECT_EQ(ExtractField(TimeUnit::kIsoYear, Micros("2021-01-03 00:00:00")), 2020);
  EXPECT_EQ(ExtractField(TimeUnit::kWeek, Micros("2024-12-30 00:00:00")), 1);  // of 2025
  EXPECT_EQ(ExtractField(TimeUnit::kIsoYear, Micros("2024-12-30 00:00:00")), 2025);
  EXPECT_EQ(ExtractField(TimeUnit::kWeek, Micros("2024-01-01 00:00:00")), 1);
}

TEST(TimeUnitTest, BeforeNineteenSeventy) {
  int64_t t = Micros("1969-12-31 23:59:59.999");
  EXPECT_EQ(ExtractField(TimeUnit::kYear, t), 1969);
  EXPECT_EQ(ExtractField(TimeUnit::kHour, t), 23);
  EXPECT_EQ(ExtractField(TimeUnit::kSecond, t), 59);
  EXPECT_EQ(ExtractField(TimeUnit::kMillisecond, t), 999);
  EXPECT_EQ(ExtractField(TimeUnit::kDayOfWeek, t), 4);  // Wednesday
  EXPECT_EQ(Text(FloorToUnit(t, TimeUnit::kHour)), "1969-12-31 23:00:00.000");
  EXPECT_EQ(Text(FloorToUnit(Micros("1900-03-15 10:00:00"), TimeUnit::kMonth)),
            "1900-03-01 00:00:00.000");
}

TEST(TimeUnitTest, FloorAndCeil) {
  int64_t t = Micros("2024-08-15 13:45:30.123");
  EXPECT_EQ(Text(FloorToUnit(t, TimeUnit::kSecond)), "2024-08-15 13:45:30.000");
  EXPECT_EQ(Text(FloorToUnit(t, TimeUnit::kMinute)), "2024-08-15 13:45:00.000");
  EXPECT_EQ(Text(FloorToUnit(t, TimeUnit::kDay)), "2024-08-15 00:00:00.000");
  EXPECT_EQ(Text(FloorToUnit(t, TimeUnit::kWeek)), "2024-08-11 00:00:00.000");  // Sunday
  EXPECT_EQ(Text(FloorToUnit(t, TimeUnit::kQuarter)), "2024-07-01 00:00:00.000");
  EXPECT_EQ(Text(FloorToUnit(t, TimeUnit::kYear)), "2024-01-01 00:00:00.000");
  EXPECT_EQ(Text(CeilToUnit(t, TimeUnit::kHour)), "2024-08-15 14:00:00.000");
  EXPECT_EQ(Text(CeilToUnit(t, TimeUnit::kMonth)), "2024-09-01 00:00:00.000");
  EXPECT_EQ(Text(CeilToUnit(t, TimeUnit::kWeek)), "2024-08-18 00:00:00.000");
  int64_t boundary = Micros("2024-09-01 00:00:00");
  EXPECT_EQ(CeilToUnit(boundary, TimeUnit::kMonth), boundary);
}

TEST(TimeUnitTest, AddUnitsClampsMonthEnds) {
  int64_t jan31 = Micros("2024-01-31 10:00:00");
  EXPECT_EQ(Text(*AddUnits(jan31, TimeUnit::kMonth, 1)), "2024-02-29 10:00:00.000");
  EXPECT_EQ(Text(*AddUnits(jan31, TimeUnit::kMonth, 13)), "2025-02-28 10:00:00.000");
  EXPECT_EQ(Text(*AddUnits(jan31, TimeUnit::kQuarter, -1)), "2023-10-31 10:00:00.000");
  EXPECT_EQ(Text(*AddUnits(Micros("2024-02-29 00:00:00"), TimeUnit::kYear, 1)),
            "2025-02-28 00:00:00.000");
  EXPECT_EQ(Text(*AddUnits(jan31, TimeUnit::kHour, -11)), "2024-01-30 23:00:00.000");
  EXPECT_EQ(Text(*AddUnits(jan31, TimeUnit::kWeek, 1)), "2024-02-07 10:00:00.000");
  EXPECT_FALSE(AddUnits(jan31, TimeUnit::kDay, INT64_MAX / 2));
}

TEST(TimeUnitTest, DiffCountsWholeUnits) {
  int64_t a = Micros("2024-01-31 10:00:00");
  EXPECT_EQ(DiffUnits(TimeUnit::kDay, a, Micros("2024-02-02 09:59:59")), 1);
  EXPECT_EQ(DiffUnits(TimeUnit::kDay, Micros("2024-02-02 09:59:59"), a), -1);
  EXPECT_EQ(DiffUnits(TimeUnit::kHour, a, Micros("2024-01-31 12:30:00")), 2);
  EXPECT_EQ(DiffUnits(TimeUnit::kMonth, a, Micros("2024-02-29 10:00:00")), 0);
  EXPECT_EQ(DiffUnits(TimeUnit::kMonth, a, Micros("2024-03-31 10:00:00")), 2);
  EXPECT_EQ(DiffUnits(TimeUnit::kMonth, Micros("2024-03-31 10:00:00"), a), -2);
  EXPECT_EQ(
      DiffUnits(TimeUnit::kYear, Micros("2020-06-01 00:00:00"), Micros("2024-05-31 00:00:00")), 3);
  EXPECT_EQ(
      DiffUnits(TimeUnit::kQuarter, Micros("2024-01-01 00:00:00"), Micros("2024-12-31 00:00:00")),
      3);
}

}  // namespace
}  // namespace sluice
