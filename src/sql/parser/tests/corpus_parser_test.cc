// Real scripts: the seed guide's Flink DDL and INSERT, and every Nexmark query file.
//
// The Nexmark files are read at test time from $SLUICE_NEXMARK_DIR (default: shared/nexmark/queries
// beside the checkout, where the team's shared material lives). A missing folder fails the test;
// setting the variable to the empty string turns the Nexmark check off (for machines without the
// shared folder).

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "sql/parser/parser.h"

namespace sluice::sql {
namespace {

// Section 3 of /work/shared/seeds/000_0e48f8e6c335282e.txt, verbatim.
constexpr std::string_view kSeedDdl = R"sql(
    CREATE TABLE orders_kafka (
        order_id    STRING,
        customer_id STRING,
        amount      DOUBLE,
        status      STRING,
        event_time  TIMESTAMP(3),
        WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
    ) WITH (
        'connector'                   = 'kafka',
        'topic'                       = 'orders.events',
        'properties.bootstrap.servers'= 'localhost:9092',
        'format'                      = 'avro-confluent',
        'avro-confluent.url'          = 'http://localhost:8081',
        'scan.startup.mode'           = 'earliest-offset'
    )
)sql";

constexpr std::string_view kSeedInsert = R"sql(
    INSERT INTO orders_summary_sink
    SELECT
        TUMBLE_START(event_time, INTERVAL '1' MINUTE) AS window_start,
        TUMBLE_END(event_time,   INTERVAL '1' MINUTE) AS window_end,
        COUNT(*)   AS total_orders,
        SUM(amount) AS total_revenue,
        AVG(amount) AS avg_order_value
    FROM orders_kafka
    WHERE status = 'completed'
    GROUP BY TUMBLE(event_time, INTERVAL '1' MINUTE)
)sql";

// Printing a script and parsing the print must give the same print.
void ExpectRoundTrip(const Script& script, const std::string& name) {
  std::string printed = script.ToString();
  Result<Script> again = ParseScript(printed);
  ASSERT_TRUE(again.ok()) << name
                          << ": the printed script does not parse: " << again.status().ToString()
                          << "\n"
                          << printed;
  EXPECT_EQ(again->ToString(), printed) << name;
}

TEST(CorpusParserTest, SeedCreateTable) {
  Result<Statement> statement = ParseStatement(kSeedDdl);
  ASSERT_TRUE(statement.ok()) << statement.status().ToString();
  ASSERT_EQ(statement->kind, StatementKind::kCreateTable);
  const CreateTableStmt& table = *statement->create_table;
  EXPECT_EQ(table.name.ToString(), "orders_kafka");
  ASSERT_EQ(table.columns.size(), 5u);
  EXPECT_EQ(table.columns[2].name.name, "amount");
  EXPECT_EQ(table.columns[2].type.logical, LogicalType::Double());
  EXPECT_EQ(table.columns[3].name.name, "status");
  EXPECT_EQ(table.columns[4].type.logical, LogicalType::Timestamp(3));
  ASSERT_TRUE(table.has_watermark);
  EXPECT_EQ(table.watermark.expr->ToString(), "(event_time - INTERVAL '5' SECOND)");
  ASSERT_EQ(table.options.size(), 6u);
  EXPECT_EQ(table.options[2].key, "properties.bootstrap.servers");
  EXPECT_EQ(table.options[2].value, "localhost:9092");
  EXPECT_EQ(table.options[5].value, "earliest-offset");
}

TEST(CorpusParserTest, SeedInsert) {
  Result<Statement> statement = ParseStatement(kSeedInsert);
  ASSERT_TRUE(statement.ok()) << statement.status().ToString();
  ASSERT_EQ(statement->kind, StatementKind::kInsert);
  const InsertStmt& insert = *statement->insert;
  EXPECT_EQ(insert.table.ToString(), "orders_summary_sink");
  const SelectCore& core = *insert.query->select;
  ASSERT_EQ(core.items.size(), 5u);
  EXPECT_EQ(core.items[0].alias.name, "window_start");
  EXPECT_EQ(core.items[0].expr->name.ToString(), "TUMBLE_START");
  EXPECT_TRUE(core.items[2].expr->star_argument);
  EXPECT_EQ(core.where->ToString(), "(status = 'completed')");
  ASSERT_EQ(core.group_by.size(), 1u);
  EXPECT_EQ(core.group_by[0]->ToString(), "TUMBLE(event_time, INTERVAL '1' MINUTE)");
}

TEST(CorpusParserTest, SeedAsOneScript) {
  std::string script_text = std::string(kSeedDdl) + ";\n" + std::string(kSeedInsert) + ";\n";
  Result<Script> script = ParseScript(script_text);
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  ASSERT_EQ(script->statements.size(), 2u);
  EXPECT_EQ(script->statements[1].location, (SourceLocation{19, 5}));
  ExpectRoundTrip(*script, "seed");
}

std::string NexmarkDir() {
  const char* env = std::getenv("SLUICE_NEXMARK_DIR");
  return env != nullptr ? std::string(env)
                        : std::string(SLUICE_SOURCE_DIR) + "/../shared/nexmark/queries";
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The Nexmark runner substitutes ${NEXMARK_TABLE} (datagen or kafka) before submitting ddl_views;
// the other ${...} placeholders sit inside string literals and are parsed as they are.
std::string Substitute(std::string text) {
  const std::string placeholder = "${NEXMARK_TABLE}";
  for (size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder)) {
    text.replace(at, placeholder.size(), "datagen");
  }
  return text;
}

TEST(CorpusParserTest, EveryNexmarkFileParses) {
  std::string dir = NexmarkDir();
  if (dir.empty()) {
    std::cout << "SLUICE_NEXMARK_DIR is empty: Nexmark files not checked\n";
    return;
  }
  ASSERT_TRUE(std::filesystem::is_directory(dir))
      << dir << " does not exist (set SLUICE_NEXMARK_DIR, or to the empty string to skip)";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 29u) << "expected the 24 queries and 5 DDL files in " << dir;

  for (const std::filesystem::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    std::string stem = file.stem().string();
    Result<Script> script = ParseScript(Substitute(ReadFile(file)));
    ASSERT_TRUE(script.ok()) << script.status().ToString();
    ASSERT_FALSE(script->statements.empty());
    if (stem[0] == 'q') {
      // Each query file ends with INSERT INTO nexmark_qN after its sink table (and helpers).
      const Statement& last = script->statements.back();
      ASSERT_EQ(last.kind, StatementKind::kInsert);
      EXPECT_EQ(last.insert->table.ToString(), "nexmark_" + stem);
      bool creates_sink = false;
      for (const Statement& statement : script->statements) {
        if (statement.kind == StatementKind::kCreateTable &&
            statement.create_table->name.ToString() == "nexmark_" + stem) {
          creates_sink = true;
        }
      }
      EXPECT_TRUE(creates_sink);
    } else if (stem.rfind("ddl_gen", 0) == 0 || stem == "ddl_kafka") {
      ASSERT_EQ(script->statements.size(), 1u);
      const CreateTableStmt& table = *script->statements[0].create_table;
      ASSERT_EQ(table.columns.size(), 5u);
      EXPECT_TRUE(table.columns[1].type.is_row);
      EXPECT_EQ(table.columns[1].type.fields.size(), 8u);
      EXPECT_EQ(table.columns[4].kind, ColumnSpec::Kind::kComputed);
      EXPECT_EQ(table.watermark.column.ToString(), "dateTime");
    } else if (stem == "ddl_views") {
      ASSERT_EQ(script->statements.size(), 3u);
      EXPECT_EQ(script->statements[2].create_view->name.ToString(), "bid");
    }
    ExpectRoundTrip(*script, stem);
  }
}

}  // namespace
}  // namespace sluice::sql
