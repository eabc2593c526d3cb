#include "exec/functions/decimal.h"

#include <gtest/gtest.h>

#include "types/value.h"

namespace sluice {
namespace {

std::string Text(std::optional<int128_t> v, int scale) {
  return v ? FormatDecimal(*v, scale) : "overflow";
}

TEST(DecimalTest, RescaleRoundsHalfUpAwayFromZero) {
  EXPECT_EQ(Text(Rescale(12345, 3, 2), 2), "12.35");  // 12.345 -> 12.35
  EXPECT_EQ(Text(Rescale(12344, 3, 2), 2), "12.34");
  EXPECT_EQ(Text(Rescale(-12345, 3, 2), 2), "-12.35");  // HALF_UP is symmetric
  EXPECT_EQ(Text(Rescale(5, 1, 0), 0), "1");            // 0.5 -> 1
  EXPECT_EQ(Text(Rescale(-5, 1, 0), 0), "-1");
  EXPECT_EQ(Text(Rescale(125, 2, 4), 4), "1.2500");
  EXPECT_EQ(Text(Rescale(Pow10(37), 0, 2), 2), "overflow");
  EXPECT_EQ(RescaleDown(-12399, 3, 1), -123);  // -12.399 -> -12.3 (towards zero)
}

TEST(DecimalTest, DivideKeepsTheRequestedScale) {
  // 1.00 / 3 at scale 6 = 0.333333; 2 / 3 rounds the last digit up.
  EXPECT_EQ(Text(DivideDecimal(100, 2, 3, 0, 6), 6), "0.333333");
  EXPECT_EQ(Text(DivideDecimal(2, 0, 3, 0, 6), 6), "0.666667");
  EXPECT_EQ(Text(DivideDecimal(-2, 0, 3, 0, 6), 6), "-0.666667");
  // 10.5 / 0.25 = 42
  EXPECT_EQ(Text(DivideDecimal(105, 1, 25, 2, 3), 3), "42.000");
  // A numerator that overflows when scaled up still divides exactly (long division path).
  int128_t big = Pow10(37) + 7;
  EXPECT_EQ(Text(DivideDecimal(big, 0, Pow10(30), 0, 6), 6), "10000000.000000");
}

TEST(DecimalTest, ParseAcceptsSignsFractionsAndExponents) {
  EXPECT_EQ(Text(ParseDecimal("12.5", 10, 2), 2), "12.50");
  EXPECT_EQ(Text(ParseDecimal("  -0.005 ", 10, 2), 2), "-0.01");
  EXPECT_EQ(Text(ParseDecimal("+1.2345e2", 10, 2), 2), "123.45");
  EXPECT_EQ(Text(ParseDecimal("1E-3", 10, 3), 3), "0.001");
  EXPECT_EQ(Text(ParseDecimal("0.0", 10, 2), 2), "0.00");
  EXPECT_EQ(Text(ParseDecimal("999.995", 5, 2), 2), "overflow");  // rounds to 1000.00
  EXPECT_EQ(Text(ParseDecimal("12345", 4, 0), 0), "overflow");
  EXPECT_FALSE(ParseDecimal("", 10, 2));
  EXPECT_FALSE(ParseDecimal("1.2.3", 10, 2));
  EXPECT_FALSE(ParseDecimal("abc", 10, 2));
  EXPECT_FALSE(ParseDecimal("1e", 10, 2));
}

TEST(DecimalTest, ConvertsToTheNearestDouble) {
  EXPECT_EQ(DecimalToDouble(1234, 2), 12.34);
  EXPECT_EQ(DecimalToDouble(-5, 1), -0.5);
  // Beyond 2^53 the conversion goes through text and still rounds correctly.
  EXPECT_EQ(DecimalToDouble(Pow10(20) + 1, 2), 1e18);
}

TEST(DecimalTest, FitsPrecisionChecksDigits) {
  EXPECT_TRUE(FitsPrecision(99999, 5));
  EXPECT_FALSE(FitsPrecision(100000, 5));
  EXPECT_FALSE(FitsPrecision(-100000, 5));
}

TEST(DecimalTest, AdjustedTypeKeepsIntegerDigitsAndSomeScale) {
  LogicalType t = AdjustedDecimalType(20, 4);
  EXPECT_EQ(t.precision, 20);
  EXPECT_EQ(t.scale, 4);
  t = AdjustedDecimalType(77, 20);  // DECIMAL(38,10) * DECIMAL(38,10)
  EXPECT_EQ(t.precision, 38);
  EXPECT_EQ(t.scale, 6);
  t = AdjustedDecimalType(40, 4);
  EXPECT_EQ(t.scale, 4);
}

}  // namespace
}  // namespace sluice
