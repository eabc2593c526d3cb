#include "sql/parser/parser.h"

#include "sql/parser/lexer.h"
#include "sql/parser/sql_parser.h"

namespace sluice::sql {

Result<Script> ParseScript(std::string_view sql) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
  return SqlParser(sql, std::move(tokens)).ParseWholeScript();
}

Result<Statement> ParseStatement(std::string_view sql) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
  return SqlParser(sql, std::move(tokens)).ParseWholeStatement();
}

Result<QueryExprPtr> ParseQuery(std::string_view sql) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
  return SqlParser(sql, std::move(tokens)).ParseWholeQuery();
}

Result<ExprNodePtr> ParseExpression(std::string_view sql) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
  return SqlParser(sql, std::move(tokens)).ParseWholeExpression();
}

Result<DataType> ParseDataType(std::string_view sql) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
  return SqlParser(sql, std::move(tokens)).ParseWholeDataType();
}

}  // namespace sluice::sql
