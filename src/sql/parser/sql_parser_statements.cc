// SqlParser: statements (DDL, SET/RESET, INSERT, statement sets, bare queries).

#include <fmt/format.h>

#include "sql/parser/keywords.h"
#include "sql/parser/sql_parser.h"

namespace sluice::sql {
namespace {

// Statements Flink has and sluice does not: a clear "not supported" beats "expected a statement".
constexpr std::string_view kUnsupportedStatements[] = {
    "ALTER",  "ANALYZE", "CALL",   "DELETE", "DESC",     "DESCRIBE", "EXPLAIN", "LOAD",
    "REMOVE", "SHOW",    "UNLOAD", "UPDATE", "TRUNCATE", "USE",      "ADD",
};

}  // namespace

Result<Statement> SqlParser::ParseStatement() {
  Statement statement;
  const Token& first = Current();
  statement.location = first.location;
  size_t begin = first.begin;
  if (PeekKeyword("CREATE")) {
    SLUICE_RETURN_IF_ERROR(ParseCreate(&statement));
  } else if (PeekKeyword("DROP")) {
    statement.kind = StatementKind::kDrop;
    SLUICE_ASSIGN_OR_RETURN(statement.drop, ParseDrop());
  } else if (PeekKeyword("SET")) {
    statement.kind = StatementKind::kSet;
    SLUICE_ASSIGN_OR_RETURN(statement.set, ParseSet());
  } else if (PeekKeyword("RESET")) {
    statement.kind = StatementKind::kReset;
    SLUICE_ASSIGN_OR_RETURN(statement.set, ParseReset());
  } else if (PeekKeyword("INSERT")) {
    statement.kind = StatementKind::kInsert;
    SLUICE_ASSIGN_OR_RETURN(InsertStmt insert, ParseInsert());
    statement.insert = std::make_unique<InsertStmt>(std::move(insert));
  } else if (PeekKeyword("EXECUTE")) {
    Advance();
    if (AcceptKeyword("STATEMENT")) {
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("SET"));
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("BEGIN"));
      statement.kind = StatementKind::kStatementSet;
      SLUICE_ASSIGN_OR_RETURN(statement.statement_set, ParseStatementSetBody(false));
    } else if (PeekKeyword("INSERT")) {
      statement.kind = StatementKind::kInsert;
      SLUICE_ASSIGN_OR_RETURN(InsertStmt insert, ParseInsert());
      statement.insert = std::make_unique<InsertStmt>(std::move(insert));
    } else {
      return ErrorExpected("STATEMENT SET or INSERT after EXECUTE");
    }
  } else if (PeekKeyword("BEGIN")) {
    Advance();
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("STATEMENT"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("SET"));
    statement.kind = StatementKind::kStatementSet;
    SLUICE_ASSIGN_OR_RETURN(statement.statement_set, ParseStatementSetBody(true));
  } else if (StartsQuery()) {
    statement.kind = StatementKind::kQuery;
    SLUICE_ASSIGN_OR_RETURN(statement.query, ParseQueryExpr());
  } else {
    for (std::string_view word : kUnsupportedStatements) {
      if (PeekKeyword(word)) {
        return UnsupportedAt(first.location, fmt::format("{} statements are not supported yet",
                                                         ToUpperAscii(first.text)));
      }
    }
    return ErrorExpected("a statement (CREATE, INSERT, SELECT, SET, ...)");
  }
  statement.text = std::string(sql_.substr(begin, PreviousEnd() - begin));
  return statement;
}

Status SqlParser::ParseCreate(Statement* statement) {
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("CREATE"));
  if (PeekKeyword("OR") && PeekKeyword("REPLACE", 1)) {
    return UnsupportedAt(Current().location, "CREATE OR REPLACE is not supported yet");
  }
  bool temporary = AcceptKeyword("TEMPORARY");
  bool system = temporary && AcceptKeyword("SYSTEM");
  if (PeekKeyword("TABLE") && !system) {
    statement->kind = StatementKind::kCreateTable;
    SLUICE_ASSIGN_OR_RETURN(statement->create_table, ParseCreateTable(temporary));
    return Status::OK();
  }
  if (PeekKeyword("VIEW") && !system) {
    statement->kind = StatementKind::kCreateView;
    SLUICE_ASSIGN_OR_RETURN(statement->create_view, ParseCreateView(temporary));
    return Status::OK();
  }
  if (PeekKeyword("FUNCTION")) {
    statement->kind = StatementKind::kCreateFunction;
    SLUICE_ASSIGN_OR_RETURN(statement->create_function, ParseCreateFunction(temporary, system));
    return Status::OK();
  }
  if (!system && (PeekKeyword("CATALOG") || PeekKeyword("DATABASE"))) {
    return UnsupportedAt(Current().location, fmt::format("CREATE {} is not supported yet",
                                                         ToUpperAscii(Current().text)));
  }
  return ErrorExpected(system ? "FUNCTION" : "TABLE, VIEW or FUNCTION");
}

Result<std::unique_ptr<CreateTableStmt>> SqlParser::ParseCreateTable(bool temporary) {
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("TABLE"));
  auto table = std::make_unique<CreateTableStmt>();
  table->temporary = temporary;
  if (AcceptKeyword("IF")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("NOT"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("EXISTS"));
    table->if_not_exists = true;
  }
  SLUICE_ASSIGN_OR_RETURN(table->name, ParseQualifiedName("a table name"));
  if (Accept(TokenKind::kLParen)) {
    do {
      SLUICE_RETURN_IF_ERROR(ParseTableElement(table.get()));
    } while (Accept(TokenKind::kComma));
    SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "',' or ')'"));
  }
  if (AcceptKeyword("COMMENT")) {
    SLUICE_ASSIGN_OR_RETURN(table->comment, ParseStringLiteral("a comment in quotes"));
  }
  if (PeekKeyword("DISTRIBUTED")) {
    return UnsupportedAt(Current().location, "DISTRIBUTED BY is not supported yet");
  }
  if (AcceptKeyword("PARTITIONED")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("BY"));
    SLUICE_ASSIGN_OR_RETURN(table->partitioned_by, ParseIdentifierList("a partition column"));
  }
  if (AcceptKeyword("WITH")) {
    SLUICE_ASSIGN_OR_RETURN(table->options, ParseProperties());
  }
  if (PeekKeyword("LIKE")) {
    return UnsupportedAt(Current().location, "CREATE TABLE ... LIKE is not supported yet");
  }
  if (PeekKeyword("AS")) {
    return UnsupportedAt(Current().location,
                         "CREATE TABLE ... AS SELECT is not supported yet; create the table, "
                         "then INSERT INTO it");
  }
  return table;
}

Status SqlParser::ParseTableElement(CreateTableStmt* table) {
  SourceLocation location = Current().location;
  if (PeekKeyword("WATERMARK") && PeekKeyword("FOR", 1)) {
    if (table->has_watermark) {
      return ErrorAt(location, "a table can have only one WATERMARK definition");
    }
    Advance();
    Advance();
    table->has_watermark = true;
    table->watermark.location = location;
    SLUICE_ASSIGN_OR_RETURN(table->watermark.column, ParseQualifiedName("the rowtime column"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
    SLUICE_ASSIGN_OR_RETURN(table->watermark.expr, ParseExpr());
    return Status::OK();
  }
  if ((PeekKeyword("PRIMARY") && PeekKeyword("KEY", 1)) ||
      (PeekKeyword("CONSTRAINT") && PeekIdentifier(1))) {
    if (table->has_primary_key) return ErrorAt(location, "a table can have only one PRIMARY KEY");
    Identifier constraint_name;
    if (AcceptKeyword("CONSTRAINT")) {
      SLUICE_ASSIGN_OR_RETURN(constraint_name, ParseIdentifier("a constraint name"));
    }
    SLUICE_ASSIGN_OR_RETURN(table->primary_key, ParsePrimaryKeyTail(location, true));
    table->primary_key.constraint_name = std::move(constraint_name);
    table->has_primary_key = true;
    return Status::OK();
  }

  ColumnSpec column;
  column.location = location;
  SLUICE_ASSIGN_OR_RETURN(column.name, ParseIdentifier("a column name"));
  if (AcceptKeyword("AS")) {
    column.kind = ColumnSpec::Kind::kComputed;
    SLUICE_ASSIGN_OR_RETURN(column.expr, ParseExpr());
  } else {
    SLUICE_ASSIGN_OR_RETURN(column.type, ParseDataType());
    if (AcceptKeyword("METADATA")) {
      column.kind = ColumnSpec::Kind::kMetadata;
      if (AcceptKeyword("FROM")) {
        SLUICE_ASSIGN_OR_RETURN(column.metadata_key,
                                ParseStringLiteral("a metadata key in quotes"));
      }
      column.is_virtual = AcceptKeyword("VIRTUAL");
    }
    SourceLocation key_location = Current().location;
    Identifier constraint_name;
    if (PeekKeyword("CONSTRAINT") && PeekIdentifier(1) && PeekKeyword("PRIMARY", 2)) {
      Advance();
      SLUICE_ASSIGN_OR_RETURN(constraint_name, ParseIdentifier("a constraint name"));
    }
    if (PeekKeyword("PRIMARY")) {
      if (table->has_primary_key) {
        return ErrorAt(key_location, "a table can have only one PRIMARY KEY");
      }
      SLUICE_ASSIGN_OR_RETURN(table->primary_key, ParsePrimaryKeyTail(key_location, false));
      table->primary_key.constraint_name = std::move(constraint_name);
      table->primary_key.columns.push_back(column.name);
      table->has_primary_key = true;
    }
  }
  if (AcceptKeyword("COMMENT")) {
    SLUICE_ASSIGN_OR_RETURN(column.comment, ParseStringLiteral("a comment in quotes"));
  }
  table->columns.push_back(std::move(column));
  return Status::OK();
}

Result<PrimaryKeySpec> SqlParser::ParsePrimaryKeyTail(SourceLocation location, bool with_columns) {
  PrimaryKeySpec key;
  key.location = location;
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("PRIMARY"));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("KEY"));
  if (with_columns) {
    SLUICE_ASSIGN_OR_RETURN(key.columns, ParseIdentifierList("a key column"));
  }
  // Flink owns no data, so it cannot enforce keys and insists on NOT ENFORCED being written.
  if (!AcceptKeyword("NOT") || !AcceptKeyword("ENFORCED")) {
    return ErrorExpected("NOT ENFORCED (Flink does not enforce primary keys)");
  }
  return key;
}

Result<std::vector<PropertySpec>> SqlParser::ParseProperties() {
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'('"));
  std::vector<PropertySpec> options;
  if (Accept(TokenKind::kRParen)) return options;
  do {
    PropertySpec option;
    option.location = Current().location;
    SLUICE_ASSIGN_OR_RETURN(option.key,
                            ParseStringLiteral("an option key in quotes, like 'connector'"));
    SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kEq, "'='"));
    SLUICE_ASSIGN_OR_RETURN(option.value, ParseStringLiteral("an option value in quotes"));
    options.push_back(std::move(option));
  } while (Accept(TokenKind::kComma));
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "',' or ')'"));
  return options;
}

Result<std::unique_ptr<CreateViewStmt>> SqlParser::ParseCreateView(bool temporary) {
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("VIEW"));
  auto view = std::make_unique<CreateViewStmt>();
  view->temporary = temporary;
  if (AcceptKeyword("IF")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("NOT"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("EXISTS"));
    view->if_not_exists = true;
  }
  SLUICE_ASSIGN_OR_RETURN(view->name, ParseQualifiedName("a view name"));
  if (PeekIs(TokenKind::kLParen)) {
    SLUICE_ASSIGN_OR_RETURN(view->columns, ParseIdentifierList("a column name"));
  }
  if (AcceptKeyword("COMMENT")) {
    SLUICE_ASSIGN_OR_RETURN(view->comment, ParseStringLiteral("a comment in quotes"));
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
  if (!StartsQuery()) return ErrorExpected("a query (SELECT, WITH or VALUES)");
  SLUICE_ASSIGN_OR_RETURN(view->query, ParseQueryExpr());
  return view;
}

Result<std::unique_ptr<CreateFunctionStmt>> SqlParser::ParseCreateFunction(bool temporary,
                                                                           bool system) {
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("FUNCTION"));
  auto function = std::make_unique<CreateFunctionStmt>();
  function->temporary = temporary;
  function->system = system;
  if (AcceptKeyword("IF")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("NOT"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("EXISTS"));
    function->if_not_exists = true;
  }
  SLUICE_ASSIGN_OR_RETURN(function->name, ParseQualifiedName("a function name"));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
  SLUICE_ASSIGN_OR_RETURN(function->class_name,
                          ParseStringLiteral("the implementation class name in quotes"));
  if (AcceptKeyword("LANGUAGE")) {
    if (!PeekKeyword("JAVA") && !PeekKeyword("SCALA") && !PeekKeyword("PYTHON")) {
      return ErrorExpected("JAVA, SCALA or PYTHON");
    }
    function->language = ToUpperAscii(Current().text);
    Advance();
  }
  if (PeekKeyword("USING")) {
    return UnsupportedAt(Current().location, "CREATE FUNCTION ... USING JAR is not supported yet");
  }
  return function;
}

Result<std::unique_ptr<DropStmt>> SqlParser::ParseDrop() {
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("DROP"));
  auto drop = std::make_unique<DropStmt>();
  drop->temporary = AcceptKeyword("TEMPORARY");
  bool system = drop->temporary && AcceptKeyword("SYSTEM");
  if (!system && AcceptKeyword("TABLE")) {
    drop->object = DropStmt::Object::kTable;
  } else if (!system && AcceptKeyword("VIEW")) {
    drop->object = DropStmt::Object::kView;
  } else if (AcceptKeyword("FUNCTION")) {
    drop->object = DropStmt::Object::kFunction;
  } else if (!system && (PeekKeyword("CATALOG") || PeekKeyword("DATABASE"))) {
    return UnsupportedAt(Current().location,
                         fmt::format("DROP {} is not supported yet", ToUpperAscii(Current().text)));
  } else {
    return ErrorExpected(system ? "FUNCTION" : "TABLE, VIEW or FUNCTION");
  }
  if (AcceptKeyword("IF")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("EXISTS"));
    drop->if_exists = true;
  }
  SLUICE_ASSIGN_OR_RETURN(drop->name, ParseQualifiedName("a name"));
  return drop;
}

Result<std::string> SqlParser::ParseSetWord(bool stop_at_eq, std::string_view what) {
  auto at_stop = [&](size_t ahead) {
    const Token& token = Peek(ahead);
    return token.kind == TokenKind::kSemicolon || token.kind == TokenKind::kEnd ||
           (stop_at_eq && token.kind == TokenKind::kEq);
  };
  if (PeekIs(TokenKind::kString) && at_stop(1)) {
    std::string text = Current().text;
    Advance();
    return text;
  }
  if (at_stop(0)) return ErrorExpected(what);
  // Flink SQL client style: `SET table.exec.mini-batch.enabled = true` — the raw text counts.
  size_t begin = Current().begin;
  while (!at_stop(0)) Advance();
  return std::string(sql_.substr(begin, PreviousEnd() - begin));
}

Result<std::unique_ptr<SetStmt>> SqlParser::ParseSet() {
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("SET"));
  auto set = std::make_unique<SetStmt>();
  if (AtStatementEnd()) return set;
  set->has_key = true;
  SLUICE_ASSIGN_OR_RETURN(set->key, ParseSetWord(true, "an option key"));
  SLUICE_RETURN_IF_ERROR(Expect(TokenKind::kEq, "'='"));
  SLUICE_ASSIGN_OR_RETURN(set->value, ParseSetWord(false, "an option value"));
  return set;
}

Result<std::unique_ptr<SetStmt>> SqlParser::ParseReset() {
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("RESET"));
  auto set = std::make_unique<SetStmt>();
  if (AtStatementEnd()) return set;
  set->has_key = true;
  SLUICE_ASSIGN_OR_RETURN(set->key, ParseSetWord(false, "an option key"));
  return set;
}

Result<InsertStmt> SqlParser::ParseInsert() {
  InsertStmt insert;
  insert.location = Current().location;
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("INSERT"));
  if (AcceptKeyword("OVERWRITE")) {
    insert.overwrite = true;
  } else if (!AcceptKeyword("INTO")) {
    return ErrorExpected("INTO or OVERWRITE");
  }
  SLUICE_ASSIGN_OR_RETURN(insert.table, ParseQualifiedName("a table name"));
  if (PeekKeyword("PARTITION")) {
    return UnsupportedAt(Current().location,
                         "INSERT with a static PARTITION (...) is not supported yet");
  }
  if (PeekIs(TokenKind::kLParen) && !StartsQuery()) {
    SLUICE_ASSIGN_OR_RETURN(insert.columns, ParseIdentifierList("a column name"));
  }
  if (!StartsQuery()) return ErrorExpected("a query (SELECT, WITH or VALUES)");
  SLUICE_ASSIGN_OR_RETURN(insert.query, ParseQueryExpr());
  return insert;
}

Result<std::unique_ptr<StatementSetStmt>> SqlParser::ParseStatementSetBody(bool legacy) {
  auto set = std::make_unique<StatementSetStmt>();
  set->legacy_syntax = legacy;
  while (true) {
    while (Accept(TokenKind::kSemicolon)) {
    }
    if (PeekKeyword("END")) {
      if (set->inserts.empty()) {
        return ErrorAt(Current().location, "a statement set needs at least one INSERT statement");
      }
      Advance();
      return set;
    }
    if (!PeekKeyword("INSERT")) {
      return ErrorExpected("INSERT or END (a statement set holds only INSERT statements)");
    }
    SLUICE_ASSIGN_OR_RETURN(InsertStmt insert, ParseInsert());
    set->inserts.push_back(std::move(insert));
    if (!PeekIs(TokenKind::kSemicolon) && !PeekKeyword("END")) return ErrorExpected("';' or END");
  }
}

}  // namespace sluice::sql
