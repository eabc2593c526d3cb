#pragma once
// SqlParser: the recursive-descent parser behind parser.h (internal to src/sql/parser). One
// instance parses one text; it walks the token vector with a cursor and never looks back more
// than a few tokens. Methods are spread over sql_parser_{statements,queries,expressions,types}.cc.
//
// Grammar precedence of expressions, loosest first:
//   OR < AND < NOT < comparisons / IS / BETWEEN / IN / LIKE / SIMILAR < || < + - < * / % < unary
// Structural keywords (keywords.h) end names and aliases; every other word may be a name.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/parser/ast.h"
#include "sql/parser/lexer.h"

namespace sluice::sql {

class SqlParser {
 public:
  SqlParser(std::string_view sql, std::vector<Token> tokens);

  Result<Script> ParseWholeScript();
  Result<Statement> ParseWholeStatement();
  Result<QueryExprPtr> ParseWholeQuery();
  Result<ExprNodePtr> ParseWholeExpression();
  Result<DataType> ParseWholeDataType();

 private:
  // ---- Tokens (sql_parser.cc) -------------------------------------------------------------
  const Token& Peek(size_t ahead = 0) const;
  const Token& Current() const { return Peek(0); }
  void Advance();
  bool AtEnd() const { return Current().kind == TokenKind::kEnd; }
  bool PeekIs(TokenKind kind, size_t ahead = 0) const { return Peek(ahead).kind == kind; }
  /// The token `ahead` is the unquoted word `keyword` (case-insensitive).
  bool PeekKeyword(std::string_view keyword, size_t ahead = 0) const;
  bool AcceptKeyword(std::string_view keyword);
  bool Accept(TokenKind kind);
  Status ExpectKeyword(std::string_view keyword);
  /// `what` is how the token is named in messages: "')'", "a table name", ...
  Status Expect(TokenKind kind, std::string_view what);
  /// The current token can start or continue a name: a quoted identifier, or a word that is not
  /// reserved.
  bool PeekIdentifier(size_t ahead = 0) const;

  /// "line L, column C: expected <expected> but found '<token>'" at the current token.
  Status ErrorExpected(std::string_view expected) const;
  Status ErrorAt(SourceLocation location, std::string_view message) const;
  Status UnsupportedAt(SourceLocation location, std::string_view message) const;
  /// The error for input nested deeper than kMaxNesting.
  Status TooDeep() const;
  /// Left-deep operator chains (`a OR b OR c ...`) nest the tree one level per operator; past
  /// kMaxOperatorChain levels they are refused so that printing and binding cannot overflow the
  /// stack. `chain` counts the operators of the current chain.
  Status CheckOperatorChain(size_t chain) const;
  /// Byte offset where the previous (last consumed) token ends.
  size_t PreviousEnd() const;

  // ---- Names --------------------------------------------------------------------------------
  Result<Identifier> ParseIdentifier(std::string_view what);
  Result<QualifiedName> ParseQualifiedName(std::string_view what);
  /// `( a, b, ... )`
  Result<std::vector<Identifier>> ParseIdentifierList(std::string_view what);
  Result<std::string> ParseStringLiteral(std::string_view what);

  // ---- Statements (sql_parser_statements.cc) ----------------------------------------------
  Result<Statement> ParseStatement();
  Status ParseCreate(Statement* statement);
  Result<std::unique_ptr<CreateTableStmt>> ParseCreateTable(bool temporary);
  Status ParseTableElement(CreateTableStmt* table);
  Result<PrimaryKeySpec> ParsePrimaryKeyTail(SourceLocation location, bool with_columns);
  Result<std::unique_ptr<CreateViewStmt>> ParseCreateView(bool temporary);
  Result<std::unique_ptr<CreateFunctionStmt>> ParseCreateFunction(bool temporary, bool system);
  Result<std::unique_ptr<DropStmt>> ParseDrop();
  Result<std::unique_ptr<SetStmt>> ParseSet();
  Result<std::unique_ptr<SetStmt>> ParseReset();
  /// A SET/RESET key or value: a string literal, or the raw text of the tokens up to `stop`.
  Result<std::string> ParseSetWord(bool stop_at_eq, std::string_view what);
  Result<InsertStmt> ParseInsert();
  Result<std::unique_ptr<StatementSetStmt>> ParseStatementSetBody(bool legacy);
  Result<std::vector<PropertySpec>> ParseProperties();
  bool AtStatementEnd() const;

  // ---- Queries (sql_parser_queries.cc) ------------------------------------------------------
  /// The token `ahead` (after any number of '(') starts a query: SELECT, WITH or VALUES.
  bool StartsQuery(size_t ahead = 0) const;
  /// The '(' at `ahead` opens a query rather than a parenthesised expression or join:
  /// `(SELECT ...)`, `((SELECT ...) UNION ...)`, but not `((SELECT ...) + 1)`.
  bool IsSubqueryAhead(size_t ahead = 0) const;
  Result<QueryExprPtr> ParseQueryExpr();
  Result<QueryExprPtr> ParseUnionLevel();
  Result<QueryExprPtr> ParseIntersectLevel();
  Result<QueryExprPtr> ParseQueryPrimary();
  Result<std::unique_ptr<SelectCore>> ParseSelectCore();
  Result<SelectItem> ParseSelectItem();
  Status ParseOptionalAlias(Identifier* alias, std::vector<Identifier>* columns,
                            bool allow_columns);
  Result<std::unique_ptr<FromItem>> ParseFromList();
  Result<std::unique_ptr<FromItem>> ParseJoinedTable();
  Result<std::unique_ptr<FromItem>> ParseTablePrimary();
  Result<std::unique_ptr<FromItem>> ParseTableFunction(SourceLocation location);
  Result<TableFunctionArg> ParseTableFunctionArg();
  Result<std::vector<OrderByItem>> ParseOrderByList();
  Result<std::vector<ExprNodePtr>> ParseExprList();

  // ---- Expressions (sql_parser_expressions.cc) ----------------------------------------------
  Result<ExprNodePtr> ParseExpr();
  Result<ExprNodePtr> ParseOr();
  Result<ExprNodePtr> ParseAnd();
  Result<ExprNodePtr> ParseNot();
  Result<ExprNodePtr> ParseComparison();
  Result<ExprNodePtr> ParseConcat();
  Result<ExprNodePtr> ParseAdditive();
  Result<ExprNodePtr> ParseMultiplicative();
  Result<ExprNodePtr> ParseUnary();
  Result<ExprNodePtr> ParsePrimary();
  Result<ExprNodePtr> ParseParenthesized();
  Result<ExprNodePtr> ParseTypedLiteral(LiteralKind kind);
  Result<ExprNodePtr> ParseNameOrCall();
  Result<ExprNodePtr> ParseFunctionCall(QualifiedName name);
  Status ParseCallSuffix(ExprNode* call);
  Result<std::unique_ptr<WindowSpec>> ParseWindowSpec();
  Result<FrameBound> ParseFrameBound();
  Result<ExprNodePtr> ParseCase();
  Result<ExprNodePtr> ParseCast(bool try_cast);
  Result<ExprNodePtr> ParseIntervalLiteral();
  Result<IntervalQualifier> ParseIntervalQualifier();
  Result<ExprNodePtr> ParseSpecialCall(const std::string& upper, SourceLocation location);
  Result<TimeUnit> ParseTimeUnit();

  // ---- Data types (sql_parser_types.cc) -----------------------------------------------------
  Result<DataType> ParseDataType();
  Result<DataType> ParseRowType(SourceLocation location);
  /// `(n)` after a type name, or `fallback` when there are no parentheses.
  Result<int> ParseOptionalPrecision(int fallback, int min, int max, std::string_view what);
  /// An integer token within [min, max]; `what` names it in messages ("the precision of ...").
  Result<int> ParseSmallInteger(int min, int max, std::string_view what);

  /// Counts one level of nesting for the lifetime of a recursive call; Enter() fails past
  /// kMaxNesting so hostile inputs ("((((...") end in an error instead of a stack overflow.
  class NestingGuard {
   public:
    explicit NestingGuard(SqlParser* parser) : parser_(parser) {}
    ~NestingGuard() {
      if (entered_) --parser_->depth_;
    }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;
    Status Enter();

   private:
    SqlParser* parser_;
    bool entered_ = false;
  };
  static constexpr int kMaxNesting = 200;
  static constexpr size_t kMaxOperatorChain = 1000;

  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;  // nesting depth of expressions/queries, bounded against stack overflow
};

}  // namespace sluice::sql
