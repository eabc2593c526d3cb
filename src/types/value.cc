#include "types/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "types/time_format.h"

namespace sluice {

Value Value::Boolean(bool b) {
  Value v;
  v.type_ = LogicalType::Boolean();
  v.is_null_ = false;
  v.int_ = b ? 1 : 0;
  return v;
}
Value Value::Int(int32_t i) {
  Value v;
  v.type_ = LogicalType::Int();
  v.is_null_ = false;
  v.int_ = i;
  return v;
}
Value Value::Bigint(int64_t i) {
  Value v;
  v.type_ = LogicalType::Bigint();
  v.is_null_ = false;
  v.int_ = i;
  return v;
}
Value Value::Double(double d) {
  Value v;
  v.type_ = LogicalType::Double();
  v.is_null_ = false;
  v.double_ = d;
  return v;
}
Value Value::Decimal(int128_t unscaled, int precision, int scale) {
  Value v;
  v.type_ = LogicalType::Decimal(precision, scale);
  v.is_null_ = false;
  v.decimal_ = unscaled;
  return v;
}
Value Value::Varchar(std::string s) {
  Value v;
  v.type_ = LogicalType::Varchar();
  v.is_null_ = false;
  v.string_ = std::move(s);
  return v;
}
Value Value::Timestamp(int64_t micros, int precision) {
  Value v;
  v.type_ = LogicalType::Timestamp(precision);
  v.is_null_ = false;
  v.int_ = micros;
  return v;
}
Value Value::TimestampLtz(int64_t micros, int precision) {
  Value v;
  v.type_ = LogicalType::TimestampLtz(precision);
  v.is_null_ = false;
  v.int_ = micros;
  return v;
}
Value Value::Date(int32_t days) {
  Value v;
  v.type_ = LogicalType::Date();
  v.is_null_ = false;
  v.int_ = days;
  return v;
}
Value Value::Interval(int64_t micros) {
  Value v;
  v.type_ = LogicalType::Interval();
  v.is_null_ = false;
  v.int_ = micros;
  return v;
}

std::string FormatDecimal(int128_t unscaled, int scale) {
  bool negative = unscaled < 0;
  unsigned __int128 magnitude =
      negative ? static_cast<unsigned __int128>(-(unscaled + 1)) + 1 : unscaled;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) {
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - scale, ".");
  }
  return negative ? "-" + digits : digits;
}

// Java's Double.toString for the common range: "1.0", "0.5", "1.0E10", "1.0E-5".
std::string FormatDoubleJava(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  char buf[64];
  // Shortest digits that read back as the same double, in scientific form: "-d.ddde+xx".
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf) - 1, d, std::chars_format::scientific);
  *end = '\0';
  // buf = "-d.ddde[+-]xx"
  std::string s(buf);
  bool negative = s[0] == '-';
  if (negative) s.erase(0, 1);
  size_t e = s.find('e');
  int exponent = std::stoi(s.substr(e + 1));
  std::string mantissa = s.substr(0, e);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits += c;
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out;
  if (exponent >= -3 && exponent < 7) {
    if (exponent >= 0) {
      std::string int_part = digits.substr(0, std::min<size_t>(digits.size(), exponent + 1));
      while (int_part.size() < static_cast<size_t>(exponent + 1)) int_part += '0';
      std::string frac =
          digits.size() > static_cast<size_t>(exponent + 1) ? digits.substr(exponent + 1) : "0";
      out = int_part + "." + frac;
    } else {
      out = "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    }
  } else {
    out = digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "E" +
          std::to_string(exponent);
  }
  return negative ? "-" + out : out;
}

std::string Value::ToString() const {
  if (is_null_) return "NULL";
  switch (type_.id) {
    case TypeId::kNull:
      return "NULL";
    case TypeId::kBoolean:
      return int_ ? "true" : "false";
    case TypeId::kInt:
    case TypeId::kBigint:
      return std::to_string(int_);
    case TypeId::kInterval:
      return std::to_string(int_ / kMicrosPerMilli) + " ms";
    case TypeId::kDouble:
      return FormatDoubleJava(double_);
    case TypeId::kDecimal:
      return FormatDecimal(decimal_, type_.scale);
    case TypeId::kVarchar:
      return string_;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      return FormatTimestampIso(int_);
    case TypeId::kDate:
      return FormatDate(static_cast<int32_t>(int_));
  }
  return "?";
}

bool Value::operator==(const Value& other) const {
  if (is_null_ != other.is_null_) return false;
  if (type_ != other.type_) return false;
  if (is_null_) return true;
  switch (type_.id) {
    case TypeId::kDouble:
      return double_ == other.double_ || (std::isnan(double_) && std::isnan(other.double_));
    case TypeId::kDecimal:
      return decimal_ == other.decimal_;
    case TypeId::kVarchar:
      return string_ == other.string_;
    default:
      return int_ == other.int_;
  }
}

}  // namespace sluice
