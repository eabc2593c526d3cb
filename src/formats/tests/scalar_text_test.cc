#include "formats/scalar_text.h"

#include <gtest/gtest.h>

#include <cmath>

namespace sluice {
namespace {

TEST(ScalarTextTest, ParsesIntegersStrictly) {
  int64_t v = 0;
  EXPECT_EQ(ParseInt64Text("-9223372036854775808", &v), TextParse::kOk);
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_EQ(ParseInt64Text("+42", &v), TextParse::kOk);
  EXPECT_EQ(v, 42);
  EXPECT_EQ(ParseInt64Text("9223372036854775808", &v), TextParse::kOverflow);
  EXPECT_EQ(ParseInt64Text("1.5", &v), TextParse::kNotIntegral);
  EXPECT_EQ(ParseInt64Text("1e3", &v), TextParse::kNotIntegral);
  EXPECT_EQ(ParseInt64Text("12a", &v), TextParse::kSyntax);
  EXPECT_EQ(ParseInt64Text("", &v), TextParse::kSyntax);
  EXPECT_EQ(ParseInt64Text("-", &v), TextParse::kSyntax);
}

TEST(ScalarTextTest, ParsesDecimalsExactlyWithHalfUpRounding) {
  int128_t v = 0;
  EXPECT_EQ(ParseDecimalText("12.5", 10, 2, &v), TextParse::kOk);
  EXPECT_EQ(v, 1250);
  EXPECT_EQ(ParseDecimalText("0.1", 10, 2, &v), TextParse::kOk);
  EXPECT_EQ(v, 10);
  EXPECT_EQ(ParseDecimalText("1.005", 10, 2, &v), TextParse::kOk);
  EXPECT_EQ(v, 101);
  EXPECT_EQ(ParseDecimalText("-1.005", 10, 2, &v), TextParse::kOk);
  EXPECT_EQ(v, -101);
  EXPECT_EQ(ParseDecimalText("1.004", 10, 2, &v), TextParse::kOk);
  EXPECT_EQ(v, 100);
  EXPECT_EQ(ParseDecimalText("0.005", 10, 2, &v), TextParse::kOk);
  EXPECT_EQ(v, 1);
  EXPECT_EQ(ParseDecimalText("0.0049", 10, 2, &v), TextParse::kOk);
  EXPECT_EQ(v, 0);
  EXPECT_EQ(ParseDecimalText("1e2", 10, 2, &v), TextParse::kOk);
  EXPECT_EQ(v, 10000);
  EXPECT_EQ(ParseDecimalText("125E-2", 10, 2, &v), TextParse::kOk);
  EXPECT_EQ(v, 125);
  EXPECT_EQ(ParseDecimalText("000.000", 10, 2, &v), TextParse::kOk);
  EXPECT_EQ(v, 0);
  EXPECT_EQ(ParseDecimalText("99999999.99", 10, 2, &v), TextParse::kOk);
  EXPECT_EQ(ParseDecimalText("999999999.99", 10, 2, &v), TextParse::kOverflow);
  EXPECT_EQ(ParseDecimalText("99.995", 4, 2, &v), TextParse::kOverflow);  // rounds to 100.00
  EXPECT_EQ(ParseDecimalText("1.2.3", 10, 2, &v), TextParse::kSyntax);
  EXPECT_EQ(ParseDecimalText("abc", 10, 2, &v), TextParse::kSyntax);
  EXPECT_EQ(ParseDecimalText("12345678901234567890123456789012345678", 38, 0, &v), TextParse::kOk);
  int128_t expected = 0;
  for (char c : std::string("12345678901234567890123456789012345678")) {
    expected = expected * 10 + (c - '0');
  }
  EXPECT_TRUE(v == expected);
}

TEST(ScalarTextTest, ParsesDoublesAndBooleans) {
  double d = 0;
  EXPECT_TRUE(ParseDoubleText("1.5", &d));
  EXPECT_EQ(d, 1.5);
  EXPECT_TRUE(ParseDoubleText("-2e3", &d));
  EXPECT_EQ(d, -2000);
  EXPECT_TRUE(ParseDoubleText("NaN", &d));
  EXPECT_TRUE(std::isnan(d));
  EXPECT_TRUE(ParseDoubleText("-Infinity", &d));
  EXPECT_TRUE(std::isinf(d) && d < 0);
  EXPECT_FALSE(ParseDoubleText("1.5x", &d));
  EXPECT_FALSE(ParseDoubleText("", &d));
  EXPECT_FALSE(ParseDoubleText("0x10", &d));
  bool b = false;
  EXPECT_TRUE(ParseBooleanText("TRUE", &b));
  EXPECT_TRUE(b);
  EXPECT_TRUE(ParseBooleanText("false", &b));
  EXPECT_FALSE(b);
  EXPECT_FALSE(ParseBooleanText("yes", &b));
}

TEST(ScalarTextTest, AppendsDecimalsTimestampsAndDates) {
  std::string out;
  AppendDecimalText(1250, 2, &out);
  EXPECT_EQ(out, "12.50");
  out.clear();
  AppendDecimalText(-5, 2, &out);
  EXPECT_EQ(out, "-0.05");
  out.clear();
  AppendDecimalText(0, 0, &out);
  EXPECT_EQ(out, "0");
  out.clear();
  AppendDecimalText(7, 0, &out);
  EXPECT_EQ(out, "7");
  out.clear();
  // 2024-01-01 00:00:05.120 = 1704067205120 ms.
  AppendTimestampText(1704067205120000, 3, ' ', &out);
  EXPECT_EQ(out, "2024-01-01 00:00:05.120");
  out.clear();
  AppendTimestampText(1704067205120000, 0, 'T', &out);
  EXPECT_EQ(out, "2024-01-01T00:00:05");
  out.clear();
  AppendTimestampText(-1, 6, ' ', &out);  // one microsecond before the epoch
  EXPECT_EQ(out, "1969-12-31 23:59:59.999999");
  out.clear();
  AppendDateText(19723, &out);
  EXPECT_EQ(out, "2024-01-01");
}

}  // namespace
}  // namespace sluice
