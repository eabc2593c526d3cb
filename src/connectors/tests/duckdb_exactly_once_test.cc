// The exactly-once DuckDB sink: staging, commit, recovery (docs/design/checkpoints.md §3.4).
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstring>
#include <map>
#include <random>
#include <thread>
#include <utility>

#include "connectors/duckdb/duckdb_committable.h"
#include "connectors/duckdb/duckdb_connector.h"
#include "connectors/duckdb/duckdb_database.h"
#include "connectors/tests/test_tables.h"

extern char** environ;

namespace sluice {
namespace {

using testing::MakeContext;
using testing::MakeTable;
using testing::TempDir;
using Rows = std::vector<std::string>;

Schema KeyValue() {
  return Schema{{{"id", LogicalType::Bigint()}, {"v", LogicalType::Varchar()}}};
}

Batch Changes(const std::vector<std::tuple<RowKind, int64_t, std::string>>& changes) {
  BatchBuilder builder(KeyValue());
  for (const auto& [kind, id, v] : changes) {
    builder.AppendRow({Value::Bigint(id), Value::Varchar(v)}, kind);
  }
  return builder.Finish();
}

Batch Inserts(int64_t first, int64_t last, const std::string& v) {
  std::vector<std::tuple<RowKind, int64_t, std::string>> rows;
  for (int64_t id = first; id <= last; ++id) rows.emplace_back(RowKind::kInsert, id, v);
  return Changes(rows);
}

// Runs `sql` on the file (through the process's shared database, as the sink uses it); each row
// as "a|b".
Rows Query(const std::string& path, const std::string& sql) {
  auto database = DuckDbDatabase::Open(path);
  EXPECT_TRUE(database.ok()) << database.status().ToString();
  if (!database.ok()) return {};
  auto connection = (*database)->Connect();
  EXPECT_TRUE(connection.ok());
  if (!connection.ok()) return {};
  auto result = connection->QueryText(sql);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  if (!result.ok()) return {};
  Rows rows;
  for (const auto& row : *result) {
    std::string text;
    for (size_t c = 0; c < row.size(); ++c) text += (c ? "|" : "") + row[c].value_or("NULL");
    rows.push_back(text);
  }
  return rows;
}

struct ExactlyOnceSink {
  std::unique_ptr<Sink> sink;
  std::unique_ptr<SinkCommitter> committer;
};

constexpr CheckpointId kNoRecover = -1;

// A DuckDB sink of a job that takes checkpoints, with its committer recovered from `restored`
// (kNoRecover: a committer that goes on committing, as after a crash of the process mid-run).
ExactlyOnceSink MakeSink(const std::string& path, const std::string& table, bool keyed,
                         Options extra = {}, CheckpointId restored = 0,
                         const std::vector<Committable>& pending = {}) {
  extra["path"] = path;
  auto made = kDuckDbConnector.make_sink(MakeContext(
      MakeTable(table, KeyValue(), extra, keyed ? std::vector<int>{0} : std::vector<int>{}),
      /*updating=*/keyed));
  EXPECT_TRUE(made.ok()) << made.status().ToString();
  if (!made.ok()) return {};
  ExactlyOnceSink out{std::move(made).value(), nullptr};
  EXPECT_TRUE(out.sink->EnableCheckpointing({"pipe", "sink-" + table, "", "run-1"}).ok());
  auto committer = out.sink->CreateCommitter();
  EXPECT_TRUE(committer.ok()) << committer.status().ToString();
  if (!committer.ok() || !*committer) {
    ADD_FAILURE() << "no committer";
    return out;
  }
  out.committer = std::move(committer).value();
  if (restored == kNoRecover) return out;
  Status recovered = out.committer->Recover(restored, pending);
  EXPECT_TRUE(recovered.ok()) << recovered.ToString();
  return out;
}

std::unique_ptr<SinkWriter> OpenWriter(Sink& sink, int instance = 0, int parallelism = 1) {
  auto writer = sink.CreateWriter(instance, parallelism);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  if (!writer.ok()) return nullptr;
  EXPECT_TRUE((*writer)->Open().ok());
  return std::move(writer).value();
}

Committable PreCommit(SinkWriter& writer, int instance, CheckpointId id) {
  auto data = writer.PreCommit(id);
  EXPECT_TRUE(data.ok()) << data.status().ToString();
  return Committable{instance, id, data.ok() ? *data : ""};
}

TEST(DuckDbExactlyOnceTest, EpochsBecomeVisibleOnlyAtTheirCommitAndExactlyOnce) {
  TempDir dir;
  const std::string path = dir.File("eo.duckdb");
  ExactlyOnceSink s = MakeSink(path, "events", /*keyed=*/false);
  auto writer = OpenWriter(*s.sink);
  ASSERT_TRUE(writer->Write(Inserts(1, 3, "e1")).ok());
  Committable c1 = PreCommit(*writer, 0, 1);
  ASSERT_TRUE(writer->Write(Inserts(4, 5, "e2")).ok());
  ASSERT_TRUE(writer->Flush().ok());  // flushing makes nothing visible in exactly-once mode
  Committable c2 = PreCommit(*writer, 0, 2);
  ASSERT_TRUE(writer->Write(Inserts(6, 6, "e3")).ok());
  Committable c3 = PreCommit(*writer, 0, 3);

  auto decoded = DecodeDuckDbCommittable(c2.data);
  ASSERT_TRUE(decoded.ok()) << c2.data;
  EXPECT_EQ(decoded->sink, "sink-events");
  EXPECT_EQ(decoded->writer, 0);
  EXPECT_EQ(decoded->from, 2);
  EXPECT_EQ(decoded->to, 2);
  EXPECT_EQ(decoded->rows, 2);
  EXPECT_EQ(Query(path, "SELECT count(*) FROM events"), Rows{"0"});
  EXPECT_EQ(Query(path, "SELECT _ckpt, count(*) FROM _sluice_stage_events GROUP BY 1 ORDER BY 1"),
            (Rows{"1|3", "2|2", "3|1"}));

  ASSERT_TRUE(s.committer->Commit(1, {c1}).ok());
  EXPECT_EQ(Query(path, "SELECT id, v FROM events ORDER BY rowid"), (Rows{"1|e1", "2|e1", "3|e1"}));
  ASSERT_TRUE(s.committer->Commit(3, {c2, c3}).ok());
  const Rows all = {"1|e1", "2|e1", "3|e1", "4|e2", "5|e2", "6|e3"};
  EXPECT_EQ(Query(path, "SELECT id, v FROM events ORDER BY rowid"), all);
  // Commits are idempotent: the committer thread may repeat them after a crash.
  ASSERT_TRUE(s.committer->Commit(3, {c2, c3}).ok());
  ASSERT_TRUE(s.committer->Commit(1, {c1}).ok());
  EXPECT_EQ(Query(path, "SELECT id, v FROM events ORDER BY rowid"), all);
  EXPECT_EQ(Query(path, "SELECT count(*) FROM _sluice_stage_events"), Rows{"0"});
  EXPECT_EQ(Query(path, "SELECT pipeline, sink, writer, checkpoint FROM _sluice_checkpoints"),
            Rows{"pipe|sink-events|0|3"});
  ASSERT_TRUE(writer->Close().ok());
}

TEST(DuckDbExactlyOnceTest, RowsSpilledMidEpochAreStagedPendingUntilPreCommit) {
  TempDir dir;
  const std::string path = dir.File("spill.duckdb");
  ExactlyOnceSink s = MakeSink(path, "events", false, {{"sink.buffer-flush.max-rows", "2"}});
  auto writer = OpenWriter(*s.sink);
  for (int64_t id = 1; id <= 5; ++id) ASSERT_TRUE(writer->Write(Inserts(id, id, "x")).ok());
  // Two spills of two rows; their epoch is not known yet.
  EXPECT_EQ(Query(path,
                  "SELECT _ckpt = 9223372036854775807, count(*) FROM "
                  "_sluice_stage_events GROUP BY 1"),
            Rows{"true|4"});
  Committable c = PreCommit(*writer, 0, 7);
  EXPECT_EQ(Query(path,
                  "SELECT _ckpt, count(*), min(_seq), max(_seq) FROM _sluice_stage_events "
                  "GROUP BY 1"),
            Rows{"7|5|0|4"});
  EXPECT_EQ(Query(path, "SELECT count(*) FROM events"), Rows{"0"});
  ASSERT_TRUE(s.committer->Commit(7, {c}).ok());
  EXPECT_EQ(Query(path, "SELECT string_agg(id::VARCHAR, ', ' ORDER BY rowid) FROM events"),
            Rows{"1, 2, 3, 4, 5"});
}

// A random changelog over a few keys, valid per key (+I only when absent; -U/+U pairs or -D when
// present), cut into epochs, each written as several batches (a batch may end between -U and +U).
using Change = std::tuple<RowKind, int64_t, std::string>;
std::vector<std::vector<std::vector<Change>>> RandomChangelog(uint32_t seed, int epochs) {
  std::mt19937 random(seed);
  std::map<int64_t, std::string> state;
  std::vector<std::vector<std::vector<Change>>> out(epochs);
  int serial = 0;
  for (auto& epoch : out) {
    const int batches = 1 + random() % 4;
    for (int b = 0; b < batches; ++b) {
      std::vector<Change> batch;
      const int changes = random() % 12;
      for (int i = 0; i < changes; ++i) {
        const int64_t key = random() % 8;
        const std::string v = "v" + std::to_string(++serial);
        auto it = state.find(key);
        if (it == state.end()) {
          batch.emplace_back(RowKind::kInsert, key, v);
          state[key] = v;
        } else if (random() % 3 == 0) {
          batch.emplace_back(RowKind::kDelete, key, it->second);
          state.erase(it);
        } else {
          // Sometimes the retraction ends a batch (or the epoch) and its +U comes later.
          batch.emplace_back(RowKind::kUpdateBefore, key, it->second);
          if (random() % 4 == 0) epoch.push_back(std::exchange(batch, {}));
          batch.emplace_back(RowKind::kUpdateAfter, key, v);
          it->second = v;
        }
      }
      epoch.push_back(std::move(batch));
    }
  }
  return out;
}

// Applies the changes one by one, as a reader of the changelog would.
void Fold(const std::vector<Change>& changes, std::map<int64_t, std::string>* table) {
  for (const auto& [kind, key, v] : changes) {
    if (IsAccumulate(kind)) {
      (*table)[key] = v;
    } else {
      table->erase(key);
    }
  }
}

Rows ToRows(const std::map<int64_t, std::string>& table) {
  Rows rows;
  for (const auto& [key, v] : table) rows.push_back(std::to_string(key) + "|" + v);
  return rows;
}

TEST(DuckDbExactlyOnceTest, KeyedTableEndsEqualToTheFoldedChangelog) {
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    TempDir dir;
    const std::string path = dir.File("keyed.duckdb");
    // Small spills in some runs: pending rows, and one key staged several times per epoch.
    Options options;
    if (seed % 2 == 0) options["sink.buffer-flush.max-rows"] = "3";
    ExactlyOnceSink s = MakeSink(path, "kv", /*keyed=*/true, options);
    auto writer = OpenWriter(*s.sink);
    const auto log = RandomChangelog(seed, 8);
    std::map<int64_t, std::string> reference, committed;
    std::vector<Committable> waiting;
    for (size_t e = 0; e < log.size(); ++e) {
      const CheckpointId id = static_cast<CheckpointId>(e + 1);
      for (const auto& batch : log[e]) {
        ASSERT_TRUE(writer->Write(Changes(batch)).ok());
        Fold(batch, &reference);
      }
      waiting.push_back(PreCommit(*writer, 0, id));
      // Commit every second or third epoch, several committables at once.
      if (id % (2 + seed % 2) == 0 || e + 1 == log.size()) {
        ASSERT_TRUE(s.committer->Commit(id, waiting).ok());
        EXPECT_EQ(Query(path, "SELECT id, v FROM kv ORDER BY id"), ToRows(reference))
            << "after commit " << id;
        ASSERT_TRUE(s.committer->Commit(id, waiting).ok());  // a repeat changes nothing
        EXPECT_EQ(Query(path, "SELECT id, v FROM kv ORDER BY id"), ToRows(reference));
        waiting.clear();
        committed = reference;
      } else {
        // Pre-committed epochs stay invisible.
        EXPECT_EQ(Query(path, "SELECT id, v FROM kv ORDER BY id"), ToRows(committed));
      }
    }
    EXPECT_EQ(Query(path, "SELECT count(*) FROM _sluice_stage_kv"), Rows{"0"});
    ASSERT_TRUE(writer->Close().ok());
  }
}

TEST(DuckDbExactlyOnceTest, KeyedEpochsStayInvisibleAndRetractionsAcrossEpochsApply) {
  TempDir dir;
  const std::string path = dir.File("kv.duckdb");
  ExactlyOnceSink s = MakeSink(path, "kv", true);
  auto writer = OpenWriter(*s.sink);
  ASSERT_TRUE(
      writer->Write(Changes({{RowKind::kInsert, 1, "a"}, {RowKind::kInsert, 2, "b"}})).ok());
  Committable c1 = PreCommit(*writer, 0, 1);
  // Epoch 2 ends between the -U and the +U of key 1.
  ASSERT_TRUE(writer
                  ->Write(Changes({{RowKind::kUpdateBefore, 1, "a"},
                                   {RowKind::kDelete, 2, "b"},
                                   {RowKind::kInsert, 3, "c"}}))
                  .ok());
  Committable c2 = PreCommit(*writer, 0, 2);
  ASSERT_TRUE(writer->Write(Changes({{RowKind::kUpdateAfter, 1, "a2"}})).ok());
  Committable c3 = PreCommit(*writer, 0, 3);
  EXPECT_EQ(Query(path, "SELECT count(*) FROM kv"), Rows{"0"});
  ASSERT_TRUE(s.committer->Commit(1, {c1}).ok());
  EXPECT_EQ(Query(path, "SELECT id, v FROM kv ORDER BY id"), (Rows{"1|a", "2|b"}));
  ASSERT_TRUE(s.committer->Commit(2, {c2}).ok());
  EXPECT_EQ(Query(path, "SELECT id, v FROM kv ORDER BY id"), (Rows{"3|c"}));
  ASSERT_TRUE(s.committer->Commit(3, {c3}).ok());
  EXPECT_EQ(Query(path, "SELECT id, v FROM kv ORDER BY id"), (Rows{"1|a2", "3|c"}));
  ASSERT_TRUE(writer->Close().ok());
}

TEST(DuckDbExactlyOnceTest, RecoverCommitsPendingAndDiscardsLaterEpochs) {
  TempDir dir;
  const std::string path = dir.File("recover.duckdb");
  std::vector<Committable> committables;
  {
    ExactlyOnceSink s = MakeSink(path, "events", false, {{"sink.buffer-flush.max-rows", "2"}});
    auto writer = OpenWriter(*s.sink);
    for (CheckpointId id = 1; id <= 3; ++id) {
      ASSERT_TRUE(writer->Write(Inserts(id * 10, id * 10 + 1, "run1")).ok());
      committables.push_back(PreCommit(*writer, 0, id));
    }
    ASSERT_TRUE(s.committer->Commit(1, {committables[0]}).ok());
    // Epoch 4 spilled but never pre-committed: the process dies.
    ASSERT_TRUE(writer->Write(Inserts(40, 42, "run1")).ok());
    EXPECT_EQ(Query(path, "SELECT count(*) FROM _sluice_stage_events"), Rows{"7"});
  }
  // The restart resumes from checkpoint 2 (3 never completed): 2 is committed, 3 and 4 are gone.
  {
    ExactlyOnceSink s = MakeSink(path, "events", false, {}, 2, {committables[1]});
    EXPECT_EQ(Query(path, "SELECT string_agg(id::VARCHAR, ', ' ORDER BY rowid) FROM events"),
              Rows{"10, 11, 20, 21"});
    EXPECT_EQ(Query(path, "SELECT count(*) FROM _sluice_stage_events"), Rows{"0"});
    // Recovery is idempotent too.
    ASSERT_TRUE(s.committer->Recover(2, {committables[1]}).ok());
    EXPECT_EQ(Query(path, "SELECT count(*) FROM events"), Rows{"4"});
    // Epoch 3 is produced again, differently.
    auto writer = OpenWriter(*s.sink);
    ASSERT_TRUE(writer->Write(Inserts(30, 30, "run2")).ok());
    Committable c3 = PreCommit(*writer, 0, 3);
    ASSERT_TRUE(s.committer->Commit(3, {c3}).ok());
    EXPECT_EQ(Query(path,
                    "SELECT string_agg(id::VARCHAR, ', ' ORDER BY rowid), string_agg(DISTINCT v, "
                    "', ' ORDER BY v) FROM events"),
              Rows{"10, 11, 20, 21, 30|run1, run2"});
    ASSERT_TRUE(writer->Close().ok());
  }
  // Resuming from an older checkpoint would write checkpoint 3's output twice: refused.
  {
    auto made =
        kDuckDbConnector.make_sink(MakeContext(MakeTable("events", KeyValue(), {{"path", path}})));
    ASSERT_TRUE(made.ok());
    ASSERT_TRUE((*made)->EnableCheckpointing({"pipe", "sink-events", "", "run-3"}).ok());
    auto committer = (*made)->CreateCommitter();
    ASSERT_TRUE(committer.ok());
    Status refused = (*committer)->Recover(2, {committables[1]});
    EXPECT_EQ(refused.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(refused.message().find("already holds checkpoint 3"), std::string::npos)
        << refused.message();
  }
  EXPECT_EQ(Query(path, "SELECT count(*) FROM events"), Rows{"5"});
}

TEST(DuckDbExactlyOnceTest, AbandonedCheckpointIsCommittedWithTheNextOne) {
  TempDir dir;
  const std::string path = dir.File("abandoned.duckdb");
  ExactlyOnceSink s = MakeSink(path, "events", false);
  auto writer = OpenWriter(*s.sink);
  ASSERT_TRUE(writer->Write(Inserts(1, 2, "a")).ok());
  PreCommit(*writer, 0, 1);                   // checkpoint 1 times out: its committable is dropped
  Committable c2 = PreCommit(*writer, 0, 2);  // an empty epoch still hands epoch 1 over
  ASSERT_FALSE(c2.data.empty());
  ASSERT_TRUE(s.committer->Commit(2, {c2}).ok());
  EXPECT_EQ(Query(path, "SELECT count(*) FROM events"), Rows{"2"});
  ASSERT_TRUE(writer->Close().ok());
}

TEST(DuckDbExactlyOnceTest, AtLeastOnceWhenAskedOrWithoutCheckpoints) {
  TempDir dir;
  const std::string path = dir.File("alo.duckdb");
  auto made = kDuckDbConnector.make_sink(MakeContext(MakeTable(
      "events", KeyValue(), {{"path", path}, {"sink.delivery-guarantee", "at-least-once"}})));
  ASSERT_TRUE(made.ok());
  ASSERT_TRUE((*made)->EnableCheckpointing({"pipe", "s", "", "r"}).ok());
  auto committer = (*made)->CreateCommitter();
  ASSERT_TRUE(committer.ok());
  EXPECT_EQ(committer->get(), nullptr);
  auto writer = OpenWriter(**made);
  ASSERT_TRUE(writer->Write(Inserts(1, 2, "a")).ok());
  auto data = writer->PreCommit(1);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, "");
  EXPECT_EQ(Query(path, "SELECT count(*) FROM events"), Rows{"2"});
  EXPECT_EQ(Query(path, "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '_sluice%'"),
            Rows{"0"});
  auto bad = kDuckDbConnector.make_sink(MakeContext(
      MakeTable("events", KeyValue(), {{"path", path}, {"sink.delivery-guarantee", "twice"}})));
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidOption);
  ASSERT_TRUE(writer->Close().ok());
}

TEST(DuckDbExactlyOnceTest, StagingTablesAreCheckedAndKeepTheirPrefix) {
  TempDir dir;
  const std::string path = dir.File("shape.duckdb");
  // An empty staging table of an older shape is replaced; one holding rows is refused.
  Query(path, "CREATE TABLE _sluice_stage_events (x INTEGER)");
  Query(path, "CREATE TABLE _sluice_stage_kv (x INTEGER)");
  Query(path, "INSERT INTO _sluice_stage_kv VALUES (1)");
  {
    ExactlyOnceSink s = MakeSink(path, "events", false);
    EXPECT_EQ(Query(path,
                    "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY "
                    "ordinal_position) FROM information_schema.columns WHERE table_name = "
                    "'_sluice_stage_events'"),
              Rows{"_sink BIGINT, _ckpt BIGINT, _writer INTEGER, _seq BIGINT, _op UTINYINT, id "
                   "BIGINT, v VARCHAR"});
    auto kv = kDuckDbConnector.make_sink(
        MakeContext(MakeTable("kv", KeyValue(), {{"path", path}}, {0}), true));
    ASSERT_TRUE(kv.ok());
    ASSERT_TRUE((*kv)->EnableCheckpointing({"pipe", "sink-kv", "", "run"}).ok());
    EXPECT_EQ((*kv)->CreateWriter(0, 1).status().code(), ErrorCode::kInvalidArgument);
  }
  // The staging columns' names are reserved.
  Schema reserved{{{"id", LogicalType::Bigint()}, {"_seq", LogicalType::Bigint()}}};
  auto made = kDuckDbConnector.make_sink(MakeContext(MakeTable("r", reserved, {{"path", path}})));
  ASSERT_TRUE(made.ok());
  ASSERT_TRUE((*made)->EnableCheckpointing({"pipe", "sink-r", "", "run"}).ok());
  auto writer = (*made)->CreateWriter(0, 1);
  EXPECT_NE(writer.status().message().find("column '_seq' of DuckDB table 'r' is reserved"),
            std::string::npos)
      << writer.status().ToString();
}

TEST(DuckDbExactlyOnceTest, TwoWritersStageWhileTheCommitterCommits) {
  TempDir dir;
  const std::string path = dir.File("shared.duckdb");
  constexpr int kEpochs = 12;
  ExactlyOnceSink appends = MakeSink(path, "events", false, {{"sink.buffer-flush.max-rows", "40"}});
  ExactlyOnceSink upserts = MakeSink(path, "latest", true, {{"sink.buffer-flush.max-rows", "40"}});
  std::mutex mutex;
  std::condition_variable ready;
  std::map<CheckpointId, std::vector<Committable>> staged_appends, staged_upserts;
  std::vector<std::thread> threads;
  for (int instance = 0; instance < 2; ++instance) {
    threads.emplace_back([&, instance] {
      auto a = OpenWriter(*appends.sink, instance, 2);
      auto u = OpenWriter(*upserts.sink, instance, 2);
      for (CheckpointId id = 1; id <= kEpochs; ++id) {
        // Each instance owns the keys of its parity, as a hash exchange would route them.
        std::vector<Change> rows;
        for (int64_t k = instance; k < 100; k += 2) {
          rows.emplace_back(RowKind::kInsert, k, "e" + std::to_string(id));
        }
        ASSERT_TRUE(a->Write(Changes(rows)).ok());
        std::vector<Change> updates;
        for (int64_t k = instance; k < 100; k += 2) {
          if (id > 1) updates.emplace_back(RowKind::kUpdateBefore, k, "e" + std::to_string(id - 1));
          updates.emplace_back(id > 1 ? RowKind::kUpdateAfter : RowKind::kInsert, k,
                               "e" + std::to_string(id));
        }
        ASSERT_TRUE(u->Write(Changes(updates)).ok());
        Committable ca = PreCommit(*a, instance, id);
        Committable cu = PreCommit(*u, instance, id);
        std::lock_guard<std::mutex> lock(mutex);
        staged_appends[id].push_back(ca);
        staged_upserts[id].push_back(cu);
        ready.notify_all();
      }
      ASSERT_TRUE(a->Close().ok());
      ASSERT_TRUE(u->Close().ok());
    });
  }
  // The committer thread: checkpoint N completes once both writers pre-committed it; writers go
  // on staging later epochs meanwhile.
  for (CheckpointId id = 1; id <= kEpochs; ++id) {
    std::vector<Committable> ca, cu;
    {
      std::unique_lock<std::mutex> lock(mutex);
      ready.wait(lock, [&] { return staged_upserts[id].size() == 2; });
      ca = staged_appends[id];
      cu = staged_upserts[id];
    }
    Status a = appends.committer->Commit(id, ca);
    ASSERT_TRUE(a.ok()) << a.ToString();
    Status u = upserts.committer->Commit(id, cu);
    ASSERT_TRUE(u.ok()) << u.ToString();
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Query(path, "SELECT count(*), count(DISTINCT id), count(DISTINCT (id, v)) FROM events"),
            Rows{"1200|100|1200"});
  EXPECT_EQ(Query(path, "SELECT count(*), min(v), max(v) FROM latest"), Rows{"100|e12|e12"});
  EXPECT_EQ(Query(path, "SELECT sink, writer, checkpoint FROM _sluice_checkpoints ORDER BY ALL"),
            (Rows{"sink-events|0|12", "sink-events|1|12", "sink-latest|0|12", "sink-latest|1|12"}));
  EXPECT_EQ(Query(path,
                  "SELECT (SELECT count(*) FROM _sluice_stage_events) + "
                  "(SELECT count(*) FROM _sluice_stage_latest)"),
            Rows{"0"});
}

// The crash test runs the commit in a child process: a fresh exec of this binary running only
// this test, so that SLUICE_CRASH_POINT is read anew (it is read once per process).
constexpr char kChildPath[] = "SLUICE_TEST_DUCKDB_CRASH_PATH";
constexpr char kChildCommittable[] = "SLUICE_TEST_DUCKDB_CRASH_COMMITTABLE";

// Runs this test in a child with `crash_point` armed and the child variables set; returns the
// child's wait status.
int RunChild(const std::string& crash_point, const std::string& path,
             const std::string& committable) {
  const std::string filter =
      std::string("--gtest_filter=") +
      ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "." +
      ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::vector<std::string> env = {"SLUICE_CRASH_POINT=" + crash_point,
                                  std::string(kChildPath) + "=" + path,
                                  std::string(kChildCommittable) + "=" + committable};
  for (char** e = environ; *e; ++e) {
    // The child must not write the parent's test report.
    if (std::strncmp(*e, "GTEST_OUTPUT=", 13) != 0 && std::strncmp(*e, "SLUICE_", 7) != 0) {
      env.push_back(*e);
    }
  }
  std::vector<char*> envp, argv;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string self = "/proc/self/exe";
  std::string filter_arg = filter;
  argv = {self.data(), filter_arg.data(), nullptr};
  const int null_out = open("/dev/null", O_WRONLY);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(null_out, STDOUT_FILENO);
    execve(self.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(null_out);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(DuckDbExactlyOnceCrashTest, KilledMidCommitThenRecoveredIsExactlyOnce) {
  if (const char* child_path = std::getenv(kChildPath)) {
    // The child: commit epoch 2 of both tables; the crash point kills it before COMMIT.
    const Committable c{0, 2, std::getenv(kChildCommittable)};
    ExactlyOnceSink s = MakeSink(child_path, "events", false, {}, kNoRecover);
    Status status = s.committer->Commit(2, {c});
    std::fprintf(stderr, "child survived the crash point: %s\n", status.ToString().c_str());
    _exit(3);
  }
  TempDir dir;
  const std::string path = dir.File("crash.duckdb");
  Committable c2;
  {
    ExactlyOnceSink s = MakeSink(path, "events", false);
    auto writer = OpenWriter(*s.sink);
    ASSERT_TRUE(writer->Write(Inserts(1, 3, "e1")).ok());
    Committable c1 = PreCommit(*writer, 0, 1);
    ASSERT_TRUE(writer->Write(Inserts(4, 6, "e2")).ok());
    c2 = PreCommit(*writer, 0, 2);
    ASSERT_TRUE(s.committer->Commit(1, {c1}).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  ASSERT_FALSE(DuckDbDatabase::FindOpen(path));  // the child must be able to open the file

  const int status = RunChild("duckdb-mid-commit", path, c2.data);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exit status " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  // The transaction died with the process: epoch 2 is still staged, and invisible.
  EXPECT_EQ(Query(path, "SELECT string_agg(id::VARCHAR, ', ' ORDER BY rowid) FROM events"),
            Rows{"1, 2, 3"});
  EXPECT_EQ(Query(path, "SELECT _ckpt, count(*) FROM _sluice_stage_events GROUP BY 1"),
            Rows{"2|3"});
  EXPECT_EQ(Query(path, "SELECT checkpoint FROM _sluice_checkpoints"), Rows{"1"});

  // The restart: checkpoint 2 is complete (its manifest was written before the commit began).
  ExactlyOnceSink s = MakeSink(path, "events", false, {}, 2, {c2});
  ASSERT_TRUE(s.committer->Commit(2, {c2}).ok());  // the committer thread's repeat
  EXPECT_EQ(Query(path, "SELECT string_agg(id::VARCHAR, ', ' ORDER BY rowid) FROM events"),
            Rows{"1, 2, 3, 4, 5, 6"});
  EXPECT_EQ(Query(path, "SELECT count(*) FROM _sluice_stage_events"), Rows{"0"});
  EXPECT_EQ(Query(path, "SELECT checkpoint FROM _sluice_checkpoints"), Rows{"2"});
}

TEST(DuckDbExactlyOnceCrashTest, KilledAfterPreCommitThenRestoredBeforeItIsExactlyOnce) {
  if (const char* child_path = std::getenv(kChildPath)) {
    // The child: stage epoch 2 of the keyed table; the crash point kills it right after.
    ExactlyOnceSink s = MakeSink(child_path, "kv", true, {}, kNoRecover);
    auto writer = OpenWriter(*s.sink);
    writer
        ->Write(Changes({{RowKind::kUpdateBefore, 1, "a"},
                         {RowKind::kUpdateAfter, 1, "lost"},
                         {RowKind::kInsert, 9, "lost"}}))
        .IgnoreError();
    auto data = writer->PreCommit(2);
    std::fprintf(stderr, "child survived the crash point: %s\n", data.status().ToString().c_str());
    _exit(3);
  }
  TempDir dir;
  const std::string path = dir.File("crash-kv.duckdb");
  Committable c1;
  {
    ExactlyOnceSink s = MakeSink(path, "kv", true);
    auto writer = OpenWriter(*s.sink);
    ASSERT_TRUE(
        writer->Write(Changes({{RowKind::kInsert, 1, "a"}, {RowKind::kInsert, 2, "b"}})).ok());
    c1 = PreCommit(*writer, 0, 1);
    ASSERT_TRUE(writer->Close().ok());
  }
  ASSERT_FALSE(DuckDbDatabase::FindOpen(path));
  const int status = RunChild("duckdb-after-precommit", path, "");
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exit status " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  EXPECT_EQ(Query(path, "SELECT _ckpt, count(*) FROM _sluice_stage_kv GROUP BY 1 ORDER BY 1"),
            (Rows{"1|2", "2|2"}));  // epoch 2 was staged (the child's keys reduced: 1 and 9)
  // Checkpoint 2 never completed: the restart restores 1, commits it, drops epoch 2.
  ExactlyOnceSink s = MakeSink(path, "kv", true, {}, 1, {c1});
  EXPECT_EQ(Query(path, "SELECT id, v FROM kv ORDER BY id"), (Rows{"1|a", "2|b"}));
  EXPECT_EQ(Query(path, "SELECT count(*) FROM _sluice_stage_kv"), Rows{"0"});
}

}  // namespace
}  // namespace sluice
