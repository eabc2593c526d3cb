// SqlParser: data types, resolved to sluice LogicalTypes as Flink defines them.

#include <fmt/format.h>

#include "sql/parser/keywords.h"
#include "sql/parser/sql_parser.h"

namespace sluice::sql {
namespace {

// Flink types sluice cannot represent yet; named in the error so users know it is not a typo.
constexpr std::string_view kUnsupportedTypes[] = {
    "ARRAY", "BINARY", "BYTES", "MAP", "MULTISET", "RAW", "TIME", "VARBINARY", "STRUCTURED",
};

constexpr int kMaxDecimalPrecision = 38;
constexpr int kMaxTimestampPrecision = 9;
constexpr int kDefaultTimestampPrecision = 6;  // Flink's default for TIMESTAMP and TIMESTAMP_LTZ

}  // namespace

Result<int> SqlParser::ParseSmallInteger(int min, int max, std::string_view what) {
  const Token& token = Current();
  if (token.kind != TokenKind::kInteger)
    return ErrorExpected(fmt::format("an integer for {}", what));
  // At most 10 digits (VARCHAR(2147483647)) are read, so the value cannot overflow int64.
  int64_t value = 0;
  bool too_long = token.text.size() > 10;
  if (!too_long) {
    for (char c : token.text) value = value * 10 + (c - '0');
  }
  if (too_long || value < min || value > max) {
    return ErrorAt(token.location,
                   fmt::format("{} must be between {} and {}, got {}", what, min, max, token.text));
  }
  Advance();
  return static_cast<int>(value);
}

Result<int> SqlParser::ParseOptionalPrecision(int fallback, int min, int max,
                                              std::string_view what) {
  if (!Accept(TokenKind::kLParen)) return fallback;
  SLUICE_ASSIGN_OR_RETURN(int value, ParseSmallInteger(min, max, what));
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
  return value;
}

Result<DataType> SqlParser::ParseDataType() {
  NestingGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.Enter());
  DataType type;
  type.location = Current().location;
  if (!PeekIs(TokenKind::kWord)) return ErrorExpected("a data type");
  std::string upper = ToUpperAscii(Current().text);
  for (std::string_view unsupported : kUnsupportedTypes) {
    if (upper == unsupported) {
      return UnsupportedAt(type.location, fmt::format("type {} is not supported yet", upper));
    }
  }
  Advance();
  type.name = upper;
  if (upper == "BOOLEAN") {
    type.logical = LogicalType::Boolean();
  } else if (upper == "TINYINT" || upper == "SMALLINT" || upper == "INT" || upper == "INTEGER") {
    type.logical = LogicalType::Int();
  } else if (upper == "BIGINT") {
    type.logical = LogicalType::Bigint();
  } else if (upper == "FLOAT" || upper == "REAL") {
    type.logical = LogicalType::Double();
  } else if (upper == "DOUBLE") {
    AcceptKeyword("PRECISION");
    type.logical = LogicalType::Double();
  } else if (upper == "DECIMAL" || upper == "DEC" || upper == "NUMERIC") {
    type.name = "DECIMAL";
    int precision = 10;
    int scale = 0;
    if (Accept(TokenKind::kLParen)) {
      SLUICE_ASSIGN_OR_RETURN(
          precision, ParseSmallInteger(1, kMaxDecimalPrecision, "the precision of DECIMAL"));
      if (Accept(TokenKind::kComma)) {
        SLUICE_ASSIGN_OR_RETURN(scale, ParseSmallInteger(0, precision, "the scale of DECIMAL"));
      }
      SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "',' or ')'"));
    }
    type.logical = LogicalType::Decimal(precision, scale);
  } else if (upper == "CHAR" || upper == "CHARACTER") {
    type.name = "CHAR";
    if (PeekKeyword("VARYING")) {
      Advance();
      type.name = "VARCHAR";
      SLUICE_ASSIGN_OR_RETURN(type.length,
                              ParseOptionalPrecision(-1, 1, 2147483647, "the length of VARCHAR"));
    } else {
      SLUICE_ASSIGN_OR_RETURN(type.length,
                              ParseOptionalPrecision(1, 1, 2147483647, "the length of CHAR"));
    }
    type.logical = LogicalType::Varchar();
  } else if (upper == "VARCHAR") {
    SLUICE_ASSIGN_OR_RETURN(type.length,
                            ParseOptionalPrecision(-1, 1, 2147483647, "the length of VARCHAR"));
    type.logical = LogicalType::Varchar();
  } else if (upper == "STRING") {
    type.logical = LogicalType::Varchar();
  } else if (upper == "DATE") {
    type.logical = LogicalType::Date();
  } else if (upper == "TIMESTAMP") {
    SLUICE_ASSIGN_OR_RETURN(
        int precision, ParseOptionalPrecision(kDefaultTimestampPrecision, 0, kMaxTimestampPrecision,
                                              "the precision of TIMESTAMP"));
    type.logical = LogicalType::Timestamp(precision);
    if (PeekKeyword("WITHOUT")) {
      Advance();
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("TIME"));
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("ZONE"));
    } else if (PeekKeyword("WITH") && PeekKeyword("LOCAL", 1)) {
      Advance();
      Advance();
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("TIME"));
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("ZONE"));
      type.name = "TIMESTAMP_LTZ";
      type.logical = LogicalType::TimestampLtz(precision);
    } else if (PeekKeyword("WITH") && PeekKeyword("TIME", 1)) {
      return UnsupportedAt(type.location,
                           "type TIMESTAMP WITH TIME ZONE is not supported (nor by Flink); use "
                           "TIMESTAMP_LTZ");
    }
  } else if (upper == "TIMESTAMP_LTZ") {
    SLUICE_ASSIGN_OR_RETURN(
        int precision, ParseOptionalPrecision(kDefaultTimestampPrecision, 0, kMaxTimestampPrecision,
                                              "the precision of TIMESTAMP_LTZ"));
    type.logical = LogicalType::TimestampLtz(precision);
  } else if (upper == "INTERVAL") {
    SLUICE_ASSIGN_OR_RETURN(IntervalQualifier qualifier, ParseIntervalQualifier());
    if (qualifier.IsYearMonth()) {
      return UnsupportedAt(type.location,
                           fmt::format("type INTERVAL {} is not supported yet (only day-time "
                                       "intervals are)",
                                       qualifier.ToString()));
    }
    type.name = "INTERVAL " + qualifier.ToString();
    type.logical = LogicalType::Interval();
  } else if (upper == "ROW") {
    SLUICE_ASSIGN_OR_RETURN(type, ParseRowType(type.location));
  } else {
    return ErrorAt(type.location, fmt::format("unknown data type '{}'", upper));
  }
  if (PeekKeyword("NOT") && PeekKeyword("NULL", 1)) {
    Advance();
    Advance();
    type.not_null = true;
  } else {
    AcceptKeyword("NULL");
  }
  return type;
}

Result<DataType> SqlParser::ParseRowType(SourceLocation location) {
  DataType type;
  type.location = location;
  type.name = "ROW";
  type.is_row = true;
  TokenKind close;
  if (Accept(TokenKind::kLt)) {
    close = TokenKind::kGt;
  } else if (Accept(TokenKind::kLParen)) {
    close = TokenKind::kRParen;
  } else {
    return ErrorExpected("'<' or '(' after ROW");
  }
  std::string_view close_text = close == TokenKind::kGt ? "',' or '>'" : "',' or ')'";
  do {
    RowFieldType field;
    SLUICE_ASSIGN_OR_RETURN(field.name, ParseIdentifier("a field name"));
    SLUICE_ASSIGN_OR_RETURN(field.type, ParseDataType());
    if (AcceptKeyword("COMMENT")) {
      SLUICE_ASSIGN_OR_RETURN(field.comment, ParseStringLiteral("a comment in quotes"));
    }
    for (const RowFieldType& previous : type.fields) {
      if (previous.name.name == field.name.name) {
        return ErrorAt(field.name.location,
                       fmt::format("duplicate field name '{}' in ROW", field.name.name));
      }
    }
    type.fields.push_back(std::move(field));
  } while (Accept(TokenKind::kComma));
  SLUICE_RETURN_IF_ERROR(Expect(close, close_text));
  return type;
}

}  // namespace sluice::sql
