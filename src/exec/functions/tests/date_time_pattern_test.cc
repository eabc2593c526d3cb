#include "exec/functions/date_time_pattern.h"

#include <gtest/gtest.h>

#include "types/time_format.h"

namespace sluice {
namespace {

int64_t Micros(std::string_view text) {
  return ParseTimestamp(text).value();
}

std::string Format(std::string_view pattern, std::string_view ts, int64_t offset = 0) {
  std::string out;
  DateTimePattern::Compile(pattern).value().Format(Micros(ts), offset, &out);
  return out;
}

std::string Parse(std::string_view pattern, std::string_view text) {
  auto parsed = DateTimePattern::Compile(pattern).value().Parse(text);
  if (!parsed) return "no match";
  std::string s = FormatTimestampSql(parsed->wall_micros, 6);
  if (parsed->offset_micros) s += " offset " + std::to_string(*parsed->offset_micros / 60000000);
  return s;
}

TEST(DateTimePatternTest, FormatsNumericFields) {
  EXPECT_EQ(Format("yyyy-MM-dd HH:mm:ss", "2024-03-05 07:08:09"), "2024-03-05 07:08:09");
  EXPECT_EQ(Format("yyyy-MM-dd HH:mm:ss.SSS", "2024-03-05 07:08:09.123456"),
            "2024-03-05 07:08:09.123");
  EXPECT_EQ(Format("yyMMdd", "2024-03-05 00:00:00"), "240305");
  EXPECT_EQ(Format("y/M/d H:m:s", "2024-03-05 07:08:09"), "2024/3/5 7:8:9");
  EXPECT_EQ(Format("D", "2024-12-31 00:00:00"), "366");
  EXPECT_EQ(Format("SSSSSSSS", "2024-01-01 00:00:00.000001"), "00000100");
  EXPECT_EQ(Format("yyyy-MM-dd", "1969-12-31 23:59:59"), "1969-12-31");
}

TEST(DateTimePatternTest, FormatsNamesAndHalfDays) {
  EXPECT_EQ(Format("EEE, dd MMM yyyy", "2024-03-05 00:00:00"), "Tue, 05 Mar 2024");
  EXPECT_EQ(Format("EEEE MMMM", "2024-03-05 00:00:00"), "Tuesday March");
  EXPECT_EQ(Format("hh:mm a", "2024-03-05 00:30:00"), "12:30 AM");
  EXPECT_EQ(Format("hh:mm a", "2024-03-05 13:30:00"), "01:30 PM");
  EXPECT_EQ(Format("K k", "2024-03-05 00:00:00"), "0 24");
}

TEST(DateTimePatternTest, FormatsOffsetsAndQuotes) {
  int64_t eight = 8 * kMicrosPerHour;
  EXPECT_EQ(Format("HH:mm Z", "2024-03-05 10:00:00", eight), "10:00 +0800");
  EXPECT_EQ(Format("XXX", "2024-03-05 10:00:00", -int64_t{330} * kMicrosPerMinute), "-05:30");
  EXPECT_EQ(Format("XXX", "2024-03-05 10:00:00", 0), "Z");
  EXPECT_EQ(Format("xxx", "2024-03-05 10:00:00", 0), "+00:00");
  EXPECT_EQ(Format("X", "2024-03-05 10:00:00", eight), "+08");
  EXPECT_EQ(Format("yyyy-MM-dd'T'HH:mm", "2024-03-05 10:00:00"), "2024-03-05T10:00");
  EXPECT_EQ(Format("'o''clock' h", "2024-03-05 10:00:00"), "o'clock 10");
}

TEST(DateTimePatternTest, RejectsUnknownLettersAndUnclosedQuotes) {
  Result<DateTimePattern> p = DateTimePattern::Compile("yyyy-qq");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "unsupported letter 'q' in date format 'yyyy-qq'");
  EXPECT_FALSE(DateTimePattern::Compile("yyyy 'x").ok());
}

TEST(DateTimePatternTest, ParsesWholeText) {
  EXPECT_EQ(Parse("yyyy-MM-dd HH:mm:ss", "2024-03-05 07:08:09"), "2024-03-05 07:08:09.000000");
  EXPECT_EQ(Parse("yyyy-MM-dd HH:mm:ss.SSS", "2024-03-05 07:08:09.5"),
            "2024-03-05 07:08:09.500000");
  EXPECT_EQ(Parse("yyyyMMddHHmmss", "20240305070809"), "2024-03-05 07:08:09.000000");
  EXPECT_EQ(Parse("dd/MMM/yyyy:HH:mm:ss Z", "10/Oct/2000:13:55:36 -0700"),
            "2000-10-10 13:55:36.000000 offset -420");
  EXPECT_EQ(Parse("yyyy-MM-dd'T'HH:mm:ssXXX", "2024-03-05T07:08:09Z"),
            "2024-03-05 07:08:09.000000 offset 0");
  EXPECT_EQ(Parse("MM/dd/yy h:mm a", "3/5/24 1:05 PM"), "2024-03-05 13:05:00.000000");
  EXPECT_EQ(Parse("yyyy-MM-dd", "2024-02-29"), "2024-02-29 00:00:00.000000");
  EXPECT_EQ(Parse("yyyy D", "2024 60"), "2024-02-29 00:00:00.000000");
  EXPECT_EQ(Parse("EEE MMMM d yyyy", "Tue March 5 2024"), "2024-03-05 00:00:00.000000");
}

TEST(DateTimePatternTest, ParseFailures) {
  EXPECT_EQ(Parse("yyyy-MM-dd", "2023-02-29"), "no match");  // not a leap year
  EXPECT_EQ(Parse("yyyy-MM-dd", "2024-13-01"), "no match");
  EXPECT_EQ(Parse("yyyy-MM-dd", "2024-01-01 extra"), "no match");
  EXPECT_EQ(Parse("yyyy-MM-dd HH:mm", "2024-01-01 24:00"), "no match");
  EXPECT_EQ(Parse("yyyy-MM-dd", "abc"), "no match");
  EXPECT_EQ(Parse("h a", "13 PM"), "no match");
}

}  // namespace
}  // namespace sluice
