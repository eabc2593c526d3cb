#pragma once
// A single SQL value: literals in plans, option values, and row-at-a-time slow paths (tests,
// printing). Hot paths work on Columns, never on Values.

#include <string>

#include "types/logical_type.h"

namespace sluice {

class Value {
 public:
  Value() = default;  // NULL of type NULL
  static Value Null(LogicalType type) {
    Value v;
    v.type_ = type;
    return v;
  }
  static Value Boolean(bool b);
  static Value Int(int32_t i);
  static Value Bigint(int64_t i);
  static Value Double(double d);
  static Value Decimal(int128_t unscaled, int precision, int scale);
  static Value Varchar(std::string s);
  static Value Timestamp(int64_t micros, int precision = 3);
  static Value TimestampLtz(int64_t micros, int precision = 3);
  static Value Date(int32_t days);
  static Value Interval(int64_t micros);

  const LogicalType& type() const { return type_; }
  bool is_null() const { return is_null_; }

  bool GetBoolean() const { return int_ != 0; }
  /// INT, DATE, BIGINT, TIMESTAMP*, INTERVAL, BOOLEAN: the stored integer.
  int64_t GetInt64() const { return int_; }
  double GetDouble() const { return double_; }
  int128_t GetDecimal() const { return decimal_; }
  const std::string& GetString() const { return string_; }

  /// Flink's print format: 2024-01-01T00:01 for timestamps, 12.50 for DECIMAL(x,2), NULL as "NULL".
  std::string ToString() const;
  bool operator==(const Value& other) const;
  bool operator!=(const Value& other) const { return !(*this == other); }

 private:
  LogicalType type_;
  bool is_null_ = true;
  int64_t int_ = 0;
  double double_ = 0;
  int128_t decimal_ = 0;
  std::string string_;
};

}  // namespace sluice

namespace sluice {
/// "12.50" for unscaled 1250 at scale 2.
std::string FormatDecimal(int128_t unscaled, int scale);
/// Java's Double.toString: "1.0", "0.001", "1.0E7", "NaN" (Flink prints doubles this way).
std::string FormatDoubleJava(double value);
}  // namespace sluice
