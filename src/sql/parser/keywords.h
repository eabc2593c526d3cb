#pragma once
// Which words are structural keywords. Only these are reserved: they can never be an unquoted
// name. Every other word (status, name, key, value, date, count, ...) may name a table, column or
// function unquoted, and the parser recognises it as a keyword only where the grammar expects one.

#include <string>
#include <string_view>

#include "sql/parser/ast.h"

namespace sluice::sql {

/// ASCII case-insensitive equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

std::string ToUpperAscii(std::string_view text);

/// SELECT, FROM, JOIN, AND, NULL, CASE, ... (case-insensitive).
bool IsReservedWord(std::string_view word);

/// CURRENT_TIMESTAMP, LOCALTIMESTAMP, CURRENT_DATE, CURRENT_TIME, LOCALTIME: functions called
/// without parentheses.
bool IsNiladicFunction(std::string_view word);

/// A time unit word for EXTRACT / FLOOR TO / TIMESTAMPADD (YEAR, DOW, MILLISECOND, ...; the plural
/// forms YEARS, DAYS, ... too). kNone when the word is not a unit.
TimeUnit TimeUnitFromWord(std::string_view word);

/// True when `name` can be printed without backquotes and reads back as the same name: a plain
/// word ([A-Za-z_][A-Za-z0-9_$]*) that is neither reserved nor a niladic function name.
bool IsPlainIdentifier(std::string_view name);

}  // namespace sluice::sql
