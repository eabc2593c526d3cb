// TimeZone (src/types/time_zone.cc) is owned with the expression layer, which is its main user.
#include "types/time_zone.h"

#include <gtest/gtest.h>

#include "types/time_format.h"

namespace sluice {
namespace {

int64_t Micros(std::string_view text) {
  return ParseTimestamp(text).value();
}
int64_t Hours(double h) {
  return static_cast<int64_t>(h * kMicrosPerHour);
}

TEST(TimeZoneTest, UtcIsTheDefault) {
  TimeZone utc = TimeZone::Utc();
  EXPECT_EQ(utc.name(), "UTC");
  EXPECT_EQ(utc.OffsetAtUtc(Micros("2024-06-01 00:00:00")), 0);
  EXPECT_EQ(TimeZone::Parse("utc")->OffsetAtUtc(0), 0);
  EXPECT_EQ(TimeZone::Parse("Z")->OffsetAtUtc(0), 0);
  EXPECT_EQ(TimeZone::Parse("GMT")->OffsetAtUtc(0), 0);
}

TEST(TimeZoneTest, FixedOffsets) {
  EXPECT_EQ(TimeZone::Parse("+08:00")->OffsetAtUtc(0), Hours(8));
  EXPECT_EQ(TimeZone::Parse("GMT+8")->OffsetAtUtc(0), Hours(8));
  EXPECT_EQ(TimeZone::Parse("UTC-03:30")->OffsetAtUtc(0), -Hours(3.5));
  EXPECT_EQ(TimeZone::Parse("+0530")->OffsetAtUtc(0), Hours(5.5));
  EXPECT_EQ(TimeZone::Parse("-3")->OffsetAtUtc(0), -Hours(3));
  TimeZone z = *TimeZone::Parse("+08:00");
  EXPECT_EQ(z.name(), "+08:00");
  int64_t instant = Micros("2024-01-01 00:00:00");
  EXPECT_EQ(z.ToLocal(instant), Micros("2024-01-01 08:00:00"));
  EXPECT_EQ(z.ToUtc(Micros("2024-01-01 08:00:00")), instant);
}

TEST(TimeZoneTest, UnknownNamesAreInvalidArguments) {
  for (const char* bad : {"Mars/Olympus", "+25:00", "GMT+", "../../etc/passwd", "", "+8:99"}) {
    Result<TimeZone> z = TimeZone::Parse(bad);
    ASSERT_FALSE(z.ok()) << bad;
    EXPECT_EQ(z.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(z.status().message(), "unknown time zone '" + std::string(bad) + "'");
  }
}

TEST(TimeZoneTest, ShanghaiIsEightHoursAheadWithOldDst) {
  TimeZone z = *TimeZone::Parse("Asia/Shanghai");
  EXPECT_EQ(z.name(), "Asia/Shanghai");
  EXPECT_EQ(z.OffsetAtUtc(Micros("2024-06-01 00:00:00")), Hours(8));
  EXPECT_EQ(z.ToLocal(Micros("2024-01-01 16:00:00")), Micros("2024-01-02 00:00:00"));
  // China observed daylight saving time from 1986 to 1991.
  EXPECT_EQ(z.OffsetAtUtc(Micros("1988-07-01 00:00:00")), Hours(9));
  // Before standard time: local mean time +8:05:43.
  EXPECT_EQ(z.OffsetAtUtc(Micros("1880-01-01 00:00:00")),
            Hours(8) + 5 * kMicrosPerMinute + 43 * kMicrosPerSecond);
}

TEST(TimeZoneTest, NewYorkSpringForward) {
  TimeZone z = *TimeZone::Parse("America/New_York");
  // 2024-03-10 02:00 EST (07:00 UTC) jumps to 03:00 EDT.
  EXPECT_EQ(z.OffsetAtUtc(Micros("2024-03-10 06:59:59")), -Hours(5));
  EXPECT_EQ(z.OffsetAtUtc(Micros("2024-03-10 07:00:00")), -Hours(4));
  EXPECT_EQ(z.ToLocal(Micros("2024-03-10 07:00:00")), Micros("2024-03-10 03:00:00"));
  EXPECT_EQ(z.ToUtc(Micros("2024-03-10 01:59:00")), Micros("2024-03-10 06:59:00"));
  EXPECT_EQ(z.ToUtc(Micros("2024-03-10 03:00:00")), Micros("2024-03-10 07:00:00"));
  // 02:30 does not exist; like java.time it moves forward by the gap (03:30 EDT).
  EXPECT_EQ(z.ToUtc(Micros("2024-03-10 02:30:00")), Micros("2024-03-10 07:30:00"));
}

TEST(TimeZoneTest, NewYorkFallBack) {
  TimeZone z = *TimeZone::Parse("America/New_York");
  // 2024-11-03 02:00 EDT (06:00 UTC) falls back to 01:00 EST; 01:30 happens twice.
  EXPECT_EQ(z.OffsetAtUtc(Micros("2024-11-03 05:59:59")), -Hours(4));
  EXPECT_EQ(z.OffsetAtUtc(Micros("2024-11-03 06:00:00")), -Hours(5));
  EXPECT_EQ(z.ToUtc(Micros("2024-11-03 01:30:00")), Micros("2024-11-03 05:30:00"));  // earlier
  EXPECT_EQ(z.ToLocal(Micros("2024-11-03 06:30:00")), Micros("2024-11-03 01:30:00"));
  for (const char* local : {"2024-11-03 00:59:00", "2024-11-03 02:00:00", "2024-07-04 12:00:00",
                            "2024-12-25 23:59:59"}) {
    EXPECT_EQ(z.ToLocal(z.ToUtc(Micros(local))), Micros(local)) << local;
  }
}

TEST(TimeZoneTest, NewYorkBefore1970AndFarFuture) {
  TimeZone z = *TimeZone::Parse("America/New_York");
  EXPECT_EQ(z.OffsetAtUtc(Micros("1960-07-01 12:00:00")), -Hours(4));
  EXPECT_EQ(z.OffsetAtUtc(Micros("1960-01-01 12:00:00")), -Hours(5));
  // Past the explicit table the POSIX rule of the file still gives summer time.
  EXPECT_EQ(z.OffsetAtUtc(Micros("2100-07-01 12:00:00")), -Hours(4));
  EXPECT_EQ(z.OffsetAtUtc(Micros("2100-01-01 12:00:00")), -Hours(5));
  // 2100: second Sunday of March is the 14th.
  EXPECT_EQ(z.OffsetAtUtc(Micros("2100-03-14 06:59:00")), -Hours(5));
  EXPECT_EQ(z.OffsetAtUtc(Micros("2100-03-14 07:00:00")), -Hours(4));
}

TEST(TimeZoneTest, SouthernHemisphereRules) {
  TimeZone z = *TimeZone::Parse("Australia/Sydney");
  EXPECT_EQ(z.OffsetAtUtc(Micros("2024-01-15 00:00:00")), Hours(11));  // summer
  EXPECT_EQ(z.OffsetAtUtc(Micros("2024-07-15 00:00:00")), Hours(10));
  EXPECT_EQ(z.OffsetAtUtc(Micros("2150-01-15 00:00:00")), Hours(11));
  EXPECT_EQ(z.OffsetAtUtc(Micros("2150-07-15 00:00:00")), Hours(10));
}

}  // namespace
}  // namespace sluice
