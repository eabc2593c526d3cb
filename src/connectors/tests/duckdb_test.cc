#include <duckdb.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "connectors/duckdb/changelog_buffer.h"
#include "connectors/duckdb/duckdb_connector.h"
#include "connectors/duckdb/duckdb_database.h"
#include "connectors/duckdb/duckdb_query.h"
#include "connectors/tests/test_tables.h"

namespace sluice {
namespace {

using testing::MakeContext;
using testing::MakeTable;
using testing::TempDir;

// Opens the file with the plain DuckDB C API (no sluice code) and returns rows as "a|b|c".
std::vector<std::string> Query(const std::string& path, const std::string& sql) {
  duckdb_database db;
  duckdb_connection connection;
  EXPECT_EQ(duckdb_open(path.c_str(), &db), DuckDBSuccess);
  EXPECT_EQ(duckdb_connect(db, &connection), DuckDBSuccess);
  duckdb_result result;
  std::vector<std::string> rows;
  if (duckdb_query(connection, sql.c_str(), &result) == DuckDBError) {
    ADD_FAILURE() << duckdb_result_error(&result);
  } else {
    for (idx_t r = 0; r < duckdb_row_count(&result); ++r) {
      std::string row;
      for (idx_t c = 0; c < duckdb_column_count(&result); ++c) {
        if (c) row += "|";
        char* text = duckdb_value_varchar(&result, c, r);
        row += text ? text : "NULL";
        duckdb_free(text);
      }
      rows.push_back(row);
    }
  }
  duckdb_destroy_result(&result);
  duckdb_disconnect(&connection);
  duckdb_close(&db);
  return rows;
}

std::unique_ptr<Sink> MakeSink(std::shared_ptr<TableDef> table, bool updating = false) {
  auto sink = kDuckDbConnector.make_sink(MakeContext(std::move(table), updating));
  EXPECT_TRUE(sink.ok()) << sink.status().ToString();
  return sink.ok() ? std::move(sink).value() : nullptr;
}

std::unique_ptr<SinkWriter> OpenWriter(Sink& sink, int instance = 0, int parallelism = 1) {
  auto writer = sink.CreateWriter(instance, parallelism);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  if (!writer.ok()) return nullptr;
  Status open = (*writer)->Open();
  EXPECT_TRUE(open.ok()) << open.ToString();
  return std::move(writer).value();
}

Schema AllTypes() {
  return Schema{{{"b", LogicalType::Boolean()},
                 {"i", LogicalType::Int()},
                 {"big", LogicalType::Bigint()},
                 {"d", LogicalType::Double()},
                 {"small_dec", LogicalType::Decimal(4, 1)},
                 {"dec", LogicalType::Decimal(10, 2)},
                 {"wide_dec", LogicalType::Decimal(30, 5)},
                 {"s", LogicalType::Varchar()},
                 {"ts", LogicalType::Timestamp(3)},
                 {"ltz", LogicalType::TimestampLtz(3)},
                 {"day", LogicalType::Date()}}};
}

TEST(DuckDbSinkTest, AppendsEveryTypeInChunks) {
  TempDir dir;
  const std::string path = dir.File("out.duckdb");
  {
    auto sink = MakeSink(MakeTable("all_types", AllTypes(), {{"path", path}}));
    auto writer = OpenWriter(*sink);
    BatchBuilder builder(AllTypes());
    const int128_t wide = static_cast<int128_t>(123456789012345678LL) * 1000000 + 12345;
    for (int i = 0; i < 5000; ++i) {
      if (i == 4999) {
        std::vector<Value> nulls;
        for (const Field& f : AllTypes().fields) nulls.push_back(Value::Null(f.type));
        builder.AppendRow(nulls);
        continue;
      }
      builder.AppendRow({Value::Boolean(i % 2 == 0), Value::Int(i), Value::Bigint(i * 1000000000LL),
                         Value::Double(i + 0.25), Value::Decimal(-123, 4, 1),
                         Value::Decimal(i * 100 + 5, 10, 2), Value::Decimal(wide, 30, 5),
                         Value::Varchar("row " + std::to_string(i)),
                         Value::Timestamp(1704067205120000), Value::TimestampLtz(1704067205000000),
                         Value::Date(19723)});
    }
    ASSERT_TRUE(writer->Write(builder.Finish()).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  EXPECT_EQ(Query(path, "SELECT count(*), count(s), sum(i), sum(dec) FROM all_types"),
            (std::vector<std::string>{"5000|4999|12492501|12492750.95"}));
  EXPECT_EQ(Query(path,
                  "SELECT b, i, big, d, small_dec, dec, wide_dec, s, ts, CAST(ltz AT TIME ZONE "
                  "'UTC' AS VARCHAR), day FROM all_types WHERE i = 4321"),
            (std::vector<std::string>{"false|4321|4321000000000|4321.25|-12.3|4321.05|"
                                      "1234567890123456780.12345|row 4321|2024-01-01 "
                                      "00:00:05.12|2024-01-01 00:00:05|2024-01-01"}));
  EXPECT_EQ(Query(path,
                  "SELECT count(*) FROM all_types WHERE b IS NULL AND s IS NULL AND "
                  "wide_dec IS NULL AND day IS NULL"),
            (std::vector<std::string>{"1"}));
  EXPECT_EQ(Query(path,
                  "SELECT data_type FROM information_schema.columns WHERE table_name = "
                  "'all_types' AND column_name IN ('ltz', 'wide_dec') ORDER BY 1"),
            (std::vector<std::string>{"DECIMAL(30,5)", "TIMESTAMP WITH TIME ZONE"}));
}

Schema KeyValue() {
  return Schema{{{"id", LogicalType::Bigint()}, {"v", LogicalType::Varchar()}}};
}

Batch Changes(const std::vector<std::tuple<RowKind, int64_t, const char*>>& changes) {
  BatchBuilder builder(KeyValue());
  for (const auto& [kind, id, v] : changes) {
    builder.AppendRow({Value::Bigint(id), Value::Varchar(v)}, kind);
  }
  return builder.Finish();
}

TEST(DuckDbSinkTest, UpsertsAndDeletesByPrimaryKey) {
  TempDir dir;
  const std::string path = dir.File("upsert.duckdb");
  {
    auto sink = MakeSink(MakeTable("kv", KeyValue(), {{"path", path}}, {0}), /*updating=*/true);
    auto writer = OpenWriter(*sink);
    ASSERT_TRUE(writer
                    ->Write(Changes({{RowKind::kInsert, 1, "a"},
                                     {RowKind::kInsert, 2, "b"},
                                     {RowKind::kInsert, 3, "c"},
                                     {RowKind::kUpdateBefore, 1, "a"},
                                     {RowKind::kUpdateAfter, 1, "a2"},
                                     {RowKind::kDelete, 2, "b"},
                                     {RowKind::kInsert, 4, "d"}}))
                    .ok());
    ASSERT_TRUE(writer->Flush().ok());
    std::ostringstream out;
    ASSERT_TRUE(RunDuckDbQuery(path, "SELECT id, v FROM kv ORDER BY id", out).ok());
    EXPECT_EQ(out.str(),
              "id | v\n"
              "---+---\n"
              " 1 | a2\n"
              " 3 | c\n"
              " 4 | d\n"
              "(3 rows)\n");
    ASSERT_TRUE(writer
                    ->Write(Changes({{RowKind::kDelete, 4, "d"},
                                     {RowKind::kInsert, 2, "b2"},
                                     {RowKind::kUpdateBefore, 3, "c"}}))
                    .ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  EXPECT_EQ(Query(path, "SELECT id, v FROM kv ORDER BY id"),
            (std::vector<std::string>{"1|a2", "2|b2"}));
  // The table was created with the primary key.
  EXPECT_EQ(Query(path,
                  "SELECT unnest(constraint_column_names) FROM duckdb_constraints() WHERE "
                  "table_name = 'kv' AND constraint_type = 'PRIMARY KEY'"),
            (std::vector<std::string>{"id"}));
}

TEST(DuckDbSinkTest, FlushesByBufferedRows) {
  TempDir dir;
  const std::string path = dir.File("rows.duckdb");
  auto sink = MakeSink(MakeTable(
      "kv", KeyValue(),
      {{"path", path}, {"sink.buffer-flush.max-rows", "3"}, {"sink.buffer-flush.interval", "1 h"}},
      {0}));
  auto writer = OpenWriter(*sink);
  auto count = [&] {
    std::ostringstream out;
    EXPECT_TRUE(RunDuckDbQuery(path, "SELECT count(*) AS n FROM kv", out).ok());
    return out.str().substr(out.str().find("-\n") + 2,
                            out.str().find("\n(") - out.str().find("-\n") - 2);
  };
  ASSERT_TRUE(
      writer->Write(Changes({{RowKind::kInsert, 1, "a"}, {RowKind::kInsert, 2, "b"}})).ok());
  EXPECT_EQ(count(), "0");
  ASSERT_TRUE(writer->Write(Changes({{RowKind::kInsert, 3, "c"}})).ok());
  EXPECT_EQ(count(), "3");
  ASSERT_TRUE(writer->Close().ok());
}

TEST(DuckDbSinkTest, TwoTablesAndParallelWritersShareOneFile) {
  TempDir dir;
  const std::string path = dir.File("shared.duckdb");
  {
    auto appends = MakeSink(MakeTable("events", KeyValue(), {{"path", path}}));
    auto upserts = MakeSink(MakeTable("latest", KeyValue(), {{"path", path}}, {0}), true);
    // Planning opens nothing: the file is opened by the first writer.
    ASSERT_FALSE(DuckDbDatabase::FindOpen(path));
    ASSERT_FALSE(std::filesystem::exists(path));
    std::vector<std::thread> threads;
    for (int instance = 0; instance < 2; ++instance) {
      threads.emplace_back([&, instance] {
        auto a = OpenWriter(*appends, instance, 2);
        auto u = OpenWriter(*upserts, instance, 2);
        for (int round = 0; round < 10; ++round) {
          // Each instance owns the keys of its parity, as a hash exchange would route them.
          std::vector<std::tuple<RowKind, int64_t, const char*>> rows;
          for (int64_t k = instance; k < 100; k += 2) {
            rows.emplace_back(RowKind::kInsert, k, round % 2 ? "odd" : "even");
          }
          Batch batch = Changes(rows);
          ASSERT_TRUE(a->Write(batch).ok());
          ASSERT_TRUE(u->Write(batch).ok());
          ASSERT_TRUE(u->Flush().ok());
        }
        ASSERT_TRUE(a->Close().ok());
        ASSERT_TRUE(u->Close().ok());
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_TRUE(DuckDbDatabase::FindOpen(path));  // the sinks still hold it
  }
  // Every sink and writer is gone: the shared database was closed.
  EXPECT_FALSE(DuckDbDatabase::FindOpen(path));
  EXPECT_EQ(Query(path, "SELECT count(*), count(DISTINCT id) FROM events"),
            (std::vector<std::string>{"1000|100"}));
  EXPECT_EQ(Query(path, "SELECT count(*), min(v), max(v) FROM latest"),
            (std::vector<std::string>{"100|odd|odd"}));
}

TEST(DuckDbSinkTest, ExistingTableMustHaveTheSameShape) {
  TempDir dir;
  const std::string path = dir.File("shape.duckdb");
  Query(path, "CREATE TABLE kv (id BIGINT, v INTEGER)");
  Query(path, "CREATE TABLE short (id BIGINT)");
  Query(path, "CREATE TABLE same (ID BIGINT, V VARCHAR)");
  {
    auto sink = MakeSink(MakeTable("kv", KeyValue(), {{"path", path}}));
    auto writer = sink->CreateWriter(0, 1);
    EXPECT_EQ(writer.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(writer.status().message(),
              "DuckDB table 'kv' exists with a different shape: column 2 is 'v INTEGER' there but "
              "'v VARCHAR' in the sink table");
    auto other = MakeSink(MakeTable("t", KeyValue(), {{"path", path}, {"table-name", "short"}}));
    EXPECT_EQ(other->CreateWriter(0, 1).status().message(),
              "DuckDB table 'short' exists with a different shape: it has 1 columns, the sink "
              "table declares 2");
    auto same = MakeSink(MakeTable("same", KeyValue(), {{"path", path}}));
    auto writer_same = OpenWriter(*same);
    ASSERT_TRUE(writer_same->Write(Changes({{RowKind::kInsert, 7, "x"}})).ok());
    ASSERT_TRUE(writer_same->Close().ok());
  }
  EXPECT_EQ(Query(path, "SELECT * FROM same"), (std::vector<std::string>{"7|x"}));
}

TEST(DuckDbSinkTest, UpdatingResultNeedsAPrimaryKey) {
  auto table = MakeTable("totals", KeyValue(), {{"path", ":memory:"}});
  auto sink = kDuckDbConnector.make_sink(MakeContext(table, /*updating=*/true));
  EXPECT_EQ(sink.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(sink.status().message(),
            "updating result needs PRIMARY KEY (...) NOT ENFORCED on table 'totals' to write it "
            "to DuckDB (rows are upserted and deleted by that key)");
}

TEST(DuckDbQueryTest, PrintsAlignedTablesAndReportsErrors) {
  TempDir dir;
  const std::string path = dir.File("q.duckdb");
  Query(path,
        "CREATE TABLE t AS SELECT * FROM (VALUES ('añb', 1.5, NULL), ('c', 22.25, 3)) "
        "v(name, amount, n)");
  std::ostringstream out;
  ASSERT_TRUE(RunDuckDbQuery(path, "SELECT * FROM t ORDER BY name", out).ok());
  EXPECT_EQ(out.str(),
            "name | amount | n\n"
            "-----+--------+-----\n"
            "añb  |   1.50 | NULL\n"
            "c    |  22.25 |    3\n"
            "(2 rows)\n");
  std::ostringstream err;
  Status bad = RunDuckDbQuery(path, "SELEC 1", err);
  EXPECT_EQ(bad.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("syntax error"), std::string::npos) << bad.message();
  EXPECT_EQ(RunDuckDbQuery(dir.File("missing.duckdb"), "SELECT 1", err).message(),
            "DuckDB file '" + dir.File("missing.duckdb") + "' does not exist");
  // Read-only: writes are refused.
  EXPECT_EQ(RunDuckDbQuery(path, "DELETE FROM t", err).code(), ErrorCode::kInvalidArgument);
}

TEST(ChangelogBufferTest, ReducesToTheLastChangePerKey) {
  ChangelogBuffer buffer(KeyValue(), {0});
  buffer.Add(Changes(
      {{RowKind::kInsert, 1, "a"}, {RowKind::kInsert, 2, "b"}, {RowKind::kUpdateBefore, 1, "a"}}));
  buffer.Add(Changes({{RowKind::kDelete, 2, "b"}, {RowKind::kUpdateAfter, 1, "z"}}));
  std::vector<uint32_t> upserts, deletes;
  buffer.Reduce(&upserts, &deletes);
  EXPECT_EQ(upserts, (std::vector<uint32_t>{4}));
  EXPECT_EQ(deletes, (std::vector<uint32_t>{3}));
  EXPECT_EQ(buffer.batch().RowToString(4), "+U[1, z]");
  buffer.Clear();
  EXPECT_EQ(buffer.rows(), 0u);
}

}  // namespace
}  // namespace sluice
