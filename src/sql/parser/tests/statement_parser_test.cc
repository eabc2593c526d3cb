// Statements: every kind, the parts of CREATE TABLE, data type resolution, scripts.

#include <gtest/gtest.h>

#include "sql/parser/parser.h"

namespace sluice::sql {
namespace {

Statement Parse(std::string_view sql) {
  Result<Statement> statement = ParseStatement(sql);
  EXPECT_TRUE(statement.ok()) << sql << "\n" << statement.status().ToString();
  if (!statement.ok()) return Statement{};
  std::string printed = statement->ToString();
  Result<Statement> again = ParseStatement(printed);
  EXPECT_TRUE(again.ok()) << printed << "\n" << again.status().ToString();
  if (again.ok()) {
    EXPECT_EQ(again->ToString(), printed);
  }
  return std::move(statement).value();
}

DataType Type(std::string_view sql) {
  Result<DataType> type = ParseDataType(sql);
  EXPECT_TRUE(type.ok()) << sql << "\n" << type.status().ToString();
  return type.ok() ? std::move(type).value() : DataType{};
}

TEST(StatementParserTest, CreateTableWithEverything) {
  Statement statement = Parse(R"sql(
    CREATE TEMPORARY TABLE IF NOT EXISTS cat.db.orders (
      order_id    STRING NOT NULL COMMENT 'the id',
      amount      DECIMAL(10, 2),
      event_time  TIMESTAMP(3),
      total AS amount * 2 COMMENT 'computed',
      `partition` BIGINT METADATA VIRTUAL,
      ts_meta TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
      WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND,
      CONSTRAINT pk PRIMARY KEY (order_id) NOT ENFORCED
    ) COMMENT 'orders from kafka'
    PARTITIONED BY (order_id)
    WITH (
      'connector' = 'kafka',
      'topic' = 'orders.events'
    ))sql");
  ASSERT_EQ(statement.kind, StatementKind::kCreateTable);
  ASSERT_TRUE(statement.create_table);
  const CreateTableStmt& table = *statement.create_table;
  EXPECT_TRUE(table.temporary);
  EXPECT_TRUE(table.if_not_exists);
  ASSERT_EQ(table.name.parts.size(), 3u);
  EXPECT_EQ(table.name.parts[1].name, "db");
  ASSERT_EQ(table.columns.size(), 6u);

  const ColumnSpec& id = table.columns[0];
  EXPECT_EQ(id.kind, ColumnSpec::Kind::kPhysical);
  EXPECT_EQ(id.name.name, "order_id");
  EXPECT_EQ(id.type.logical, LogicalType::Varchar());
  EXPECT_TRUE(id.type.not_null);
  EXPECT_EQ(id.comment, "the id");
  EXPECT_EQ(id.location, (SourceLocation{3, 7}));

  EXPECT_EQ(table.columns[1].type.logical, LogicalType::Decimal(10, 2));
  EXPECT_EQ(table.columns[2].type.logical.id, TypeId::kTimestamp);
  EXPECT_EQ(table.columns[2].type.logical.precision, 3);

  const ColumnSpec& total = table.columns[3];
  EXPECT_EQ(total.kind, ColumnSpec::Kind::kComputed);
  EXPECT_EQ(total.expr->ToString(), "(amount * 2)");
  EXPECT_EQ(total.comment, "computed");

  const ColumnSpec& partition = table.columns[4];
  EXPECT_EQ(partition.kind, ColumnSpec::Kind::kMetadata);
  EXPECT_EQ(partition.name.name, "partition");
  EXPECT_TRUE(partition.is_virtual);
  EXPECT_TRUE(partition.metadata_key.empty());

  const ColumnSpec& ts_meta = table.columns[5];
  EXPECT_EQ(ts_meta.kind, ColumnSpec::Kind::kMetadata);
  EXPECT_EQ(ts_meta.metadata_key, "timestamp");
  EXPECT_FALSE(ts_meta.is_virtual);
  EXPECT_EQ(ts_meta.type.logical, LogicalType::TimestampLtz(3));

  ASSERT_TRUE(table.has_watermark);
  EXPECT_EQ(table.watermark.column.ToString(), "event_time");
  EXPECT_EQ(table.watermark.expr->ToString(), "(event_time - INTERVAL '5' SECOND)");
  EXPECT_EQ(table.watermark.location, (SourceLocation{9, 7}));

  ASSERT_TRUE(table.has_primary_key);
  EXPECT_EQ(table.primary_key.constraint_name.name, "pk");
  ASSERT_EQ(table.primary_key.columns.size(), 1u);
  EXPECT_EQ(table.primary_key.columns[0].name, "order_id");
  EXPECT_FALSE(table.primary_key.enforced);

  EXPECT_EQ(table.comment, "orders from kafka");
  ASSERT_EQ(table.partitioned_by.size(), 1u);
  ASSERT_EQ(table.options.size(), 2u);
  EXPECT_EQ(table.options[0].key, "connector");
  EXPECT_EQ(table.options[0].value, "kafka");
  EXPECT_EQ(table.options[1].key, "topic");
  EXPECT_EQ(table.options[1].value, "orders.events");
  EXPECT_EQ(table.options[1].location, (SourceLocation{15, 7}));
}

TEST(StatementParserTest, InlinePrimaryKeyBecomesTheTableKey) {
  Statement statement = Parse(
      "CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY NOT ENFORCED, name STRING) "
      "WITH ('connector' = 'datagen')");
  const CreateTableStmt& table = *statement.create_table;
  ASSERT_TRUE(table.has_primary_key);
  ASSERT_EQ(table.primary_key.columns.size(), 1u);
  EXPECT_EQ(table.primary_key.columns[0].name, "id");
  EXPECT_TRUE(table.columns[0].type.not_null);
  EXPECT_EQ(table.columns[1].name.name, "name");
}

TEST(StatementParserTest, TableLevelCompositeKey) {
  Statement statement =
      Parse("CREATE TABLE t (a INT, b INT, PRIMARY KEY (a, b) NOT ENFORCED) WITH ('x' = 'y')");
  const CreateTableStmt& table = *statement.create_table;
  ASSERT_EQ(table.primary_key.columns.size(), 2u);
  EXPECT_EQ(table.primary_key.columns[1].name, "b");
  EXPECT_TRUE(table.primary_key.constraint_name.name.empty());
}

TEST(StatementParserTest, DataTypesResolveToLogicalTypes) {
  struct Case {
    const char* sql;
    LogicalType type;
    const char* printed;
  };
  const Case cases[] = {
      {"BOOLEAN", LogicalType::Boolean(), "BOOLEAN"},
      {"TINYINT", LogicalType::Int(), "TINYINT"},
      {"SMALLINT", LogicalType::Int(), "SMALLINT"},
      {"int", LogicalType::Int(), "INT"},
      {"INTEGER", LogicalType::Int(), "INTEGER"},
      {"BIGINT", LogicalType::Bigint(), "BIGINT"},
      {"FLOAT", LogicalType::Double(), "FLOAT"},
      {"DOUBLE", LogicalType::Double(), "DOUBLE"},
      {"DOUBLE PRECISION", LogicalType::Double(), "DOUBLE"},
      {"DECIMAL", LogicalType::Decimal(10, 0), "DECIMAL(10, 0)"},
      {"DEC(5)", LogicalType::Decimal(5, 0), "DECIMAL(5, 0)"},
      {"NUMERIC(23, 3)", LogicalType::Decimal(23, 3), "DECIMAL(23, 3)"},
      {"CHAR(3)", LogicalType::Varchar(), "CHAR(3)"},
      {"VARCHAR(255)", LogicalType::Varchar(), "VARCHAR(255)"},
      {"VARCHAR", LogicalType::Varchar(), "VARCHAR"},
      {"STRING", LogicalType::Varchar(), "STRING"},
      {"DATE", LogicalType::Date(), "DATE"},
      {"TIMESTAMP", LogicalType::Timestamp(6), "TIMESTAMP(6)"},
      {"TIMESTAMP(3)", LogicalType::Timestamp(3), "TIMESTAMP(3)"},
      {"TIMESTAMP(0) WITHOUT TIME ZONE", LogicalType::Timestamp(0), "TIMESTAMP(0)"},
      {"TIMESTAMP(3) WITH LOCAL TIME ZONE", LogicalType::TimestampLtz(3), "TIMESTAMP_LTZ(3)"},
      {"TIMESTAMP_LTZ", LogicalType::TimestampLtz(6), "TIMESTAMP_LTZ(6)"},
      {"TIMESTAMP_LTZ(3)", LogicalType::TimestampLtz(3), "TIMESTAMP_LTZ(3)"},
      {"INTERVAL DAY TO SECOND(3)", LogicalType::Interval(), "INTERVAL DAY TO SECOND(3)"},
      {"INTERVAL MINUTE", LogicalType::Interval(), "INTERVAL MINUTE"},
  };
  for (const Case& c : cases) {
    DataType type = Type(c.sql);
    EXPECT_EQ(type.logical, c.type) << c.sql;
    EXPECT_EQ(type.logical.precision, c.type.precision) << c.sql;
    EXPECT_EQ(type.ToString(), c.printed) << c.sql;
  }
  EXPECT_EQ(Type("VARCHAR(255)").length, 255);
  EXPECT_EQ(Type("VARCHAR(2147483647)").length, 2147483647);
  EXPECT_EQ(Type("STRING").length, -1);
  EXPECT_EQ(Type("CHAR").length, 1);
}

TEST(StatementParserTest, RowTypes) {
  DataType row = Type("ROW<id BIGINT, `dateTime` TIMESTAMP(3) COMMENT 'when', nested ROW<x INT>>");
  EXPECT_TRUE(row.is_row);
  ASSERT_EQ(row.fields.size(), 3u);
  EXPECT_EQ(row.fields[0].name.name, "id");
  EXPECT_EQ(row.fields[1].name.name, "dateTime");
  EXPECT_EQ(row.fields[1].comment, "when");
  EXPECT_EQ(row.fields[1].type.logical, LogicalType::Timestamp(3));
  ASSERT_TRUE(row.fields[2].type.is_row);
  EXPECT_EQ(row.fields[2].type.fields[0].type.logical, LogicalType::Int());
  EXPECT_EQ(row.ToString(),
            "ROW<id BIGINT, dateTime TIMESTAMP(3) COMMENT 'when', nested ROW<x INT>>");

  DataType parenthesised = Type("ROW(a INT, b STRING) NOT NULL");
  EXPECT_TRUE(parenthesised.is_row);
  EXPECT_EQ(parenthesised.fields.size(), 2u);
  EXPECT_TRUE(parenthesised.not_null);
}

TEST(StatementParserTest, UnsupportedTypesSayWhereAndWhich) {
  struct Case {
    const char* sql;
    const char* message;
  };
  const Case cases[] = {
      {"CREATE TABLE t (a INT, b TIME(3)) WITH ()",
       "line 1, column 26: type TIME is not supported yet"},
      {"CREATE TABLE t (\n  payload BYTES\n)",
       "line 2, column 11: type BYTES is not supported yet"},
      {"SELECT CAST(x AS ARRAY<INT>) FROM t", "line 1, column 18: type ARRAY is not supported yet"},
      {"SELECT CAST(x AS INTERVAL YEAR) FROM t",
       "line 1, column 18: type INTERVAL YEAR is not supported yet (only day-time intervals are)"},
  };
  for (const Case& c : cases) {
    Result<Statement> statement = ParseStatement(c.sql);
    ASSERT_FALSE(statement.ok()) << c.sql;
    EXPECT_EQ(statement.status().code(), ErrorCode::kUnsupported) << c.sql;
    EXPECT_EQ(statement.status().message(), c.message);
  }
}

TEST(StatementParserTest, CreateView) {
  Statement statement =
      Parse("CREATE TEMPORARY VIEW IF NOT EXISTS v (a, b) COMMENT 'a view' AS SELECT x, y FROM t");
  ASSERT_EQ(statement.kind, StatementKind::kCreateView);
  const CreateViewStmt& view = *statement.create_view;
  EXPECT_TRUE(view.temporary);
  EXPECT_TRUE(view.if_not_exists);
  EXPECT_EQ(view.name.ToString(), "v");
  ASSERT_EQ(view.columns.size(), 2u);
  EXPECT_EQ(view.comment, "a view");
  EXPECT_EQ(view.query->select->items.size(), 2u);

  Statement plain = Parse("CREATE VIEW B AS SELECT *, PROCTIME() as p_time FROM bid");
  EXPECT_FALSE(plain.create_view->temporary);
  EXPECT_TRUE(plain.create_view->columns.empty());
}

TEST(StatementParserTest, CreateAndDropFunction) {
  Statement create =
      Parse("CREATE FUNCTION count_char AS 'com.github.nexmark.flink.udf.CountChar'");
  ASSERT_EQ(create.kind, StatementKind::kCreateFunction);
  EXPECT_EQ(create.create_function->name.ToString(), "count_char");
  EXPECT_EQ(create.create_function->class_name, "com.github.nexmark.flink.udf.CountChar");
  EXPECT_TRUE(create.create_function->language.empty());

  Statement system =
      Parse("CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS f AS 'my.F' LANGUAGE java");
  EXPECT_TRUE(system.create_function->temporary);
  EXPECT_TRUE(system.create_function->system);
  EXPECT_TRUE(system.create_function->if_not_exists);
  EXPECT_EQ(system.create_function->language, "JAVA");

  Statement drop = Parse("DROP TEMPORARY VIEW IF EXISTS db.v");
  ASSERT_EQ(drop.kind, StatementKind::kDrop);
  EXPECT_EQ(drop.drop->object, DropStmt::Object::kView);
  EXPECT_TRUE(drop.drop->temporary);
  EXPECT_TRUE(drop.drop->if_exists);
  EXPECT_EQ(drop.drop->name.ToString(), "db.v");
  EXPECT_EQ(Parse("DROP TABLE t").drop->object, DropStmt::Object::kTable);
  EXPECT_EQ(Parse("DROP FUNCTION f").drop->object, DropStmt::Object::kFunction);
}

TEST(StatementParserTest, SetAndReset) {
  Statement quoted = Parse("SET 'table.exec.state.ttl' = '1 h'");
  ASSERT_EQ(quoted.kind, StatementKind::kSet);
  EXPECT_TRUE(quoted.set->has_key);
  EXPECT_EQ(quoted.set->key, "table.exec.state.ttl");
  EXPECT_EQ(quoted.set->value, "1 h");

  Statement unquoted = Parse("SET execution.runtime-mode = streaming");
  EXPECT_EQ(unquoted.set->key, "execution.runtime-mode");
  EXPECT_EQ(unquoted.set->value, "streaming");

  Statement numbers = Parse("SET parallelism.default=4");
  EXPECT_EQ(numbers.set->key, "parallelism.default");
  EXPECT_EQ(numbers.set->value, "4");

  Statement list = Parse("SET");
  EXPECT_FALSE(list.set->has_key);

  Statement reset = Parse("RESET 'table.exec.state.ttl'");
  ASSERT_EQ(reset.kind, StatementKind::kReset);
  EXPECT_EQ(reset.set->key, "table.exec.state.ttl");
  Statement reset_unquoted = Parse("RESET pipeline.name");
  EXPECT_EQ(reset_unquoted.set->key, "pipeline.name");
  Statement reset_all = Parse("RESET;");
  EXPECT_FALSE(reset_all.set->has_key);
}

TEST(StatementParserTest, Insert) {
  Statement into = Parse("INSERT INTO db.sink (a, b) SELECT x, y FROM src");
  ASSERT_EQ(into.kind, StatementKind::kInsert);
  EXPECT_FALSE(into.insert->overwrite);
  EXPECT_EQ(into.insert->table.ToString(), "db.sink");
  ASSERT_EQ(into.insert->columns.size(), 2u);
  EXPECT_EQ(into.insert->columns[1].name, "b");
  EXPECT_EQ(into.insert->query->kind, QueryKind::kSelect);

  Statement overwrite = Parse("INSERT OVERWRITE sink SELECT * FROM src");
  EXPECT_TRUE(overwrite.insert->overwrite);
  EXPECT_TRUE(overwrite.insert->columns.empty());

  Statement values = Parse("INSERT INTO sink VALUES (1, 'a'), (2, 'b')");
  EXPECT_EQ(values.insert->query->kind, QueryKind::kValues);

  // A parenthesised query is not a column list.
  Statement parenthesised = Parse("INSERT INTO sink (SELECT * FROM src)");
  EXPECT_TRUE(parenthesised.insert->columns.empty());
  EXPECT_EQ(parenthesised.insert->query->kind, QueryKind::kSelect);

  Statement with = Parse("INSERT INTO sink WITH w AS (SELECT 1 AS a) SELECT a FROM w");
  EXPECT_EQ(with.insert->query->with.size(), 1u);

  Statement execute = Parse("EXECUTE INSERT INTO sink SELECT 1");
  EXPECT_EQ(execute.kind, StatementKind::kInsert);
}

TEST(StatementParserTest, StatementSets) {
  Statement modern = Parse(
      "EXECUTE STATEMENT SET BEGIN\n"
      "  INSERT INTO a SELECT * FROM s;\n"
      "  INSERT INTO b SELECT * FROM s WHERE x > 1;\n"
      "END");
  ASSERT_EQ(modern.kind, StatementKind::kStatementSet);
  EXPECT_FALSE(modern.statement_set->legacy_syntax);
  ASSERT_EQ(modern.statement_set->inserts.size(), 2u);
  EXPECT_EQ(modern.statement_set->inserts[1].table.ToString(), "b");
  EXPECT_EQ(modern.statement_set->inserts[1].location, (SourceLocation{3, 3}));

  // The last INSERT may omit its ';'.
  Statement no_semicolon = Parse("EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1 END");
  EXPECT_EQ(no_semicolon.statement_set->inserts.size(), 1u);

  Result<Script> legacy = ParseScript(
      "BEGIN STATEMENT SET;\n"
      "INSERT INTO a SELECT * FROM s;\n"
      "INSERT INTO b SELECT * FROM s;\n"
      "END;\n"
      "SELECT 1;");
  ASSERT_TRUE(legacy.ok()) << legacy.status().ToString();
  ASSERT_EQ(legacy->statements.size(), 2u);
  ASSERT_EQ(legacy->statements[0].kind, StatementKind::kStatementSet);
  EXPECT_TRUE(legacy->statements[0].statement_set->legacy_syntax);
  EXPECT_EQ(legacy->statements[0].statement_set->inserts.size(), 2u);
  EXPECT_EQ(legacy->statements[1].kind, StatementKind::kQuery);
}

TEST(StatementParserTest, BareQueries) {
  Statement select = Parse("SELECT 1");
  EXPECT_EQ(select.kind, StatementKind::kQuery);
  Statement with = Parse("WITH a AS (SELECT 1 AS x) SELECT x FROM a");
  EXPECT_EQ(with.kind, StatementKind::kQuery);
  Statement parenthesised = Parse("(SELECT 1) UNION ALL (SELECT 2)");
  EXPECT_EQ(parenthesised.query->kind, QueryKind::kSetOp);
}

TEST(StatementParserTest, ScriptsSplitOnSemicolonsAndKeepStatementText) {
  Result<Script> script = ParseScript(
      "-- header comment\n"
      "SET 'a' = 'b';;\n"
      "CREATE TABLE t (x INT) WITH ('connector' = 'datagen');\n"
      "/* trailing */ INSERT INTO s SELECT x FROM t ;\n");
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  ASSERT_EQ(script->statements.size(), 3u);
  EXPECT_EQ(script->statements[0].kind, StatementKind::kSet);
  EXPECT_EQ(script->statements[0].location, (SourceLocation{2, 1}));
  EXPECT_EQ(script->statements[0].text, "SET 'a' = 'b'");
  EXPECT_EQ(script->statements[1].kind, StatementKind::kCreateTable);
  EXPECT_EQ(script->statements[2].kind, StatementKind::kInsert);
  EXPECT_EQ(script->statements[2].location, (SourceLocation{4, 16}));
  EXPECT_EQ(script->statements[2].text, "INSERT INTO s SELECT x FROM t");

  Result<Script> empty = ParseScript("  -- nothing here\n ; ;");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->statements.empty());

  Result<Script> no_trailing = ParseScript("SELECT 1; SELECT 2");
  ASSERT_TRUE(no_trailing.ok());
  EXPECT_EQ(no_trailing->statements.size(), 2u);
}

TEST(StatementParserTest, StatementCloneIsDeep) {
  Statement statement = Parse(
      "CREATE TABLE t (a INT, b AS a + 1, WATERMARK FOR a AS a - 1, PRIMARY KEY (a) NOT "
      "ENFORCED) WITH ('k' = 'v')");
  Statement copy = statement.Clone();
  std::string printed = statement.ToString();
  statement = Statement{};
  EXPECT_EQ(copy.ToString(), printed);
  EXPECT_EQ(copy.create_table->columns[1].expr->ToString(), "(a + 1)");
}

}  // namespace
}  // namespace sluice::sql
