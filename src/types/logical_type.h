#pragma once
// Logical SQL types and how each is stored in a column.
//
// Physical storage (one value per row in a Column):
//   BOOLEAN            uint8_t (0/1)
//   INT                int32_t   (TINYINT and SMALLINT are read as INT)
//   DATE               int32_t   days since 1970-01-01
//   BIGINT             int64_t
//   TIMESTAMP(p)       int64_t   microseconds since 1970-01-01 00:00:00, wall clock, no zone
//   TIMESTAMP_LTZ(p)   int64_t   microseconds since the epoch (an instant, shown in the session
//   zone) INTERVAL           int64_t   microseconds (day-time intervals) DOUBLE             double
//   (FLOAT is read as DOUBLE) DECIMAL(p,s)       __int128  unscaled value, p <= 38 VARCHAR / STRING
//   std::string_view into memory the column keeps alive

#include <cstdint>
#include <string>

#include "common/status.h"

namespace sluice {

using int128_t = __int128;

enum class TypeId : uint8_t {
  kNull,  // type of the NULL literal before it is cast
  kBoolean,
  kInt,
  kBigint,
  kDouble,
  kDecimal,
  kVarchar,
  kTimestamp,
  kTimestampLtz,
  kDate,
  kInterval,
};

struct LogicalType {
  TypeId id = TypeId::kNull;
  uint8_t precision = 0;  // DECIMAL precision; TIMESTAMP fractional digits
  uint8_t scale = 0;      // DECIMAL scale

  static LogicalType Null() { return {TypeId::kNull}; }
  static LogicalType Boolean() { return {TypeId::kBoolean}; }
  static LogicalType Int() { return {TypeId::kInt}; }
  static LogicalType Bigint() { return {TypeId::kBigint}; }
  static LogicalType Double() { return {TypeId::kDouble}; }
  static LogicalType Decimal(int precision, int scale) {
    return {TypeId::kDecimal, static_cast<uint8_t>(precision), static_cast<uint8_t>(scale)};
  }
  static LogicalType Varchar() { return {TypeId::kVarchar}; }
  static LogicalType Timestamp(int precision = 3) {
    return {TypeId::kTimestamp, static_cast<uint8_t>(precision)};
  }
  static LogicalType TimestampLtz(int precision = 3) {
    return {TypeId::kTimestampLtz, static_cast<uint8_t>(precision)};
  }
  static LogicalType Date() { return {TypeId::kDate}; }
  static LogicalType Interval() { return {TypeId::kInterval}; }

  bool operator==(const LogicalType& other) const {
    return id == other.id &&
           (id != TypeId::kDecimal || (precision == other.precision && scale == other.scale));
  }
  bool operator!=(const LogicalType& other) const { return !(*this == other); }

  bool IsNumeric() const {
    return id == TypeId::kInt || id == TypeId::kBigint || id == TypeId::kDouble ||
           id == TypeId::kDecimal;
  }
  bool IsIntegral() const { return id == TypeId::kInt || id == TypeId::kBigint; }
  bool IsTimestamp() const { return id == TypeId::kTimestamp || id == TypeId::kTimestampLtz; }
  /// Bytes per value in a column (string_view for VARCHAR).
  size_t PhysicalSize() const;
  /// Flink's spelling: "INT", "DECIMAL(10, 2)", "TIMESTAMP(3)", "TIMESTAMP_LTZ(3)", "STRING".
  std::string ToString() const;
};

/// Smallest type both sides convert to implicitly (INT+BIGINT -> BIGINT, INT+DOUBLE -> DOUBLE,
/// DECIMAL+INT -> DECIMAL wide enough, anything+NULL -> the other), or a TypeError.
Result<LogicalType> CommonSuperType(const LogicalType& a, const LogicalType& b);

}  // namespace sluice
