#pragma once
// Entry points of the SQL front end: Flink SQL text -> syntax tree (ast.h).
//
// The dialect is Flink SQL as users write it: case-insensitive keywords, identifiers unquoted
// (case kept) or backquoted, '...' strings with '' escapes, `--` and `/* */` comments, statements
// separated by ';'. Words that are not structural keywords (SELECT, FROM, JOIN, ...) may be used
// unquoted as names (`status`, `name`, `key`, `date`); any word works backquoted.
//
// Errors: the first problem ends parsing. Syntax problems return a SyntaxError status whose message
// starts with "line L, column C: " and says what was found and what was expected, e.g.
//   line 3, column 17: expected ')' but found 'FROM'
//   line 1, column 14: unexpected end of input, expected a table name
// Valid syntax that sluice does not handle yet (TIME/BYTES/ARRAY/MAP types, LATERAL TABLE,
// MATCH_RECOGNIZE, ...) returns an Unsupported status with the same "line L, column C: " prefix.
//
// All functions are pure and thread-safe; the returned tree does not point into `sql`.

#include <string_view>

#include "common/status.h"
#include "sql/parser/ast.h"

namespace sluice::sql {

/// A script: statements separated by ';' (a trailing ';' and empty statements are allowed).
/// An empty script (only blanks/comments) is an empty Script, not an error.
Result<Script> ParseScript(std::string_view sql);

/// Exactly one statement, optionally followed by ';'.
Result<Statement> ParseStatement(std::string_view sql);

/// One query (SELECT / WITH / VALUES / parenthesised / set operations), optionally followed by ';'.
Result<QueryExprPtr> ParseQuery(std::string_view sql);

/// One scalar expression, nothing after it.
Result<ExprNodePtr> ParseExpression(std::string_view sql);

/// One data type as written in DDL or CAST ("DECIMAL(10, 2)", "TIMESTAMP(3) WITH LOCAL TIME ZONE").
Result<DataType> ParseDataType(std::string_view sql);

}  // namespace sluice::sql
