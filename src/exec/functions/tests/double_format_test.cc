#include "exec/functions/double_format.h"

#include <gtest/gtest.h>

#include <cmath>

#include "types/value.h"

namespace sluice {
namespace {

TEST(DoubleFormatTest, ShortestDigitsRoundTrip) {
  ShortestDigits d = ToShortestDigits(0.1);
  EXPECT_EQ(d.digits, "1");
  EXPECT_EQ(d.point, 0);
  d = ToShortestDigits(-1234.5);
  EXPECT_EQ(d.digits, "12345");
  EXPECT_EQ(d.point, 4);
  EXPECT_TRUE(d.negative);
  d = ToShortestDigits(100.0);
  EXPECT_EQ(d.digits, "1");
  EXPECT_EQ(d.point, 3);
}

TEST(DoubleFormatTest, JavaDoubleToString) {
  EXPECT_EQ(FormatDoubleJava(1.0), "1.0");
  EXPECT_EQ(FormatDoubleJava(0.1), "0.1");
  EXPECT_EQ(FormatDoubleJava(1.0e-5), "1.0E-5");
  EXPECT_EQ(FormatDoubleJava(1.23456789e8), "1.23456789E8");
  EXPECT_EQ(FormatDoubleJava(100.0), "100.0");
  EXPECT_EQ(FormatDoubleJava(1.0e7), "1.0E7");
  EXPECT_EQ(FormatDoubleJava(9999999.0), "9999999.0");
  EXPECT_EQ(FormatDoubleJava(0.001), "0.001");
  EXPECT_EQ(FormatDoubleJava(-0.0), "-0.0");
  EXPECT_EQ(FormatDoubleJava(std::nan("")), "NaN");
  EXPECT_EQ(FormatDoubleJava(HUGE_VAL), "Infinity");
  EXPECT_EQ(FormatDoubleJava(-HUGE_VAL), "-Infinity");
}

TEST(DoubleFormatTest, RoundUsesTheDecimalFormLikeBigDecimal) {
  EXPECT_EQ(RoundDouble(2.675, 2, false), 2.68);  // binary 2.67499.. but BigDecimal sees 2.675
  EXPECT_EQ(RoundDouble(2.5, 0, false), 3.0);
  EXPECT_EQ(RoundDouble(-2.5, 0, false), -3.0);  // HALF_UP rounds away from zero
  EXPECT_EQ(RoundDouble(1234.5678, -2, false), 1200.0);
  EXPECT_EQ(RoundDouble(1250.0, -2, false), 1300.0);
  EXPECT_EQ(RoundDouble(0.4, 0, false), 0.0);
  EXPECT_EQ(RoundDouble(0.5, 0, false), 1.0);
  EXPECT_EQ(RoundDouble(9.99, 1, false), 10.0);
  EXPECT_EQ(RoundDouble(1.5, 3, false), 1.5);
  EXPECT_EQ(RoundDouble(2.679, 2, true), 2.67);
  EXPECT_EQ(RoundDouble(-2.679, 2, true), -2.67);
  EXPECT_TRUE(std::isnan(RoundDouble(std::nan(""), 2, false)));
}

TEST(DoubleFormatTest, ToUnscaledDecimal) {
  EXPECT_EQ(DoubleToUnscaled(0.125, 10, 2), 13);  // HALF_UP on 0.125
  EXPECT_EQ(DoubleToUnscaled(-1.005, 10, 2), -101);
  EXPECT_EQ(DoubleToUnscaled(12.0, 10, 0), 12);
  EXPECT_EQ(DoubleToUnscaled(0.004, 10, 2), 0);
  EXPECT_FALSE(DoubleToUnscaled(1e10, 5, 0));
  EXPECT_FALSE(DoubleToUnscaled(std::nan(""), 10, 2));
}

TEST(DoubleFormatTest, ParsesLikeJava) {
  EXPECT_EQ(ParseDoubleJava(" 1.5 "), 1.5);
  EXPECT_EQ(ParseDoubleJava("-2e3"), -2000.0);
  EXPECT_EQ(ParseDoubleJava("+.5"), 0.5);
  EXPECT_EQ(ParseDoubleJava("3d"), 3.0);
  EXPECT_EQ(ParseDoubleJava("-Infinity"), -HUGE_VAL);
  EXPECT_TRUE(std::isnan(*ParseDoubleJava("NaN")));
  EXPECT_EQ(ParseDoubleJava("1e999"), HUGE_VAL);
  EXPECT_FALSE(ParseDoubleJava("abc"));
  EXPECT_FALSE(ParseDoubleJava("inf"));
  EXPECT_FALSE(ParseDoubleJava(""));
  EXPECT_FALSE(ParseDoubleJava("1.5x"));
}

}  // namespace
}  // namespace sluice
