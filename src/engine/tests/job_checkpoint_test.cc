// Checkpoints through a whole Job: barriers from two sources aligned in a union stage, positions
// saved and restored, and an exactly-once test sink whose committed output is checked after a
// simulated crash (the job stopped without draining) and a restart from the latest checkpoint.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "engine/job.h"
#include "engine/tests/test_plans.h"

namespace sluice {
namespace {

using namespace testkit;  // NOLINT: test helpers

constexpr int64_t kRowsPerSplit = 20'000;

// ---- A counting source with positions: split k yields ids k*1e6 + [0, kRowsPerSplit) --------

class CountingReader : public SplitReader {
 public:
  CountingReader(SourceSplit split, bool bounded) : split_(std::move(split)), bounded_(bounded) {}
  Result<Batch> Poll(size_t max_rows, bool* end) override {
    if (next_ >= kRowsPerSplit) {
      *end = bounded_;
      if (!bounded_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return Batch::Empty(EventsSchema());
    }
    std::vector<std::tuple<int64_t, std::string, int64_t, int64_t>> rows;
    const int64_t n = std::min<int64_t>(100, kRowsPerSplit - next_);
    for (int64_t i = 0; i < n; ++i, ++next_) {
      rows.emplace_back(split_.index * 1'000'000 + next_, "u" + std::to_string(next_ % 7), next_,
                        next_ * 1000);
    }
    // Slow enough that a run spans several checkpoints.
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return EventRows(rows);
  }
  Status SnapshotPositions(std::vector<StreamPosition>* out) const override {
    out->push_back({split_.id, std::to_string(next_)});
    return Status::OK();
  }
  Status RestorePositions(const std::vector<StreamPosition>& positions) override {
    for (const StreamPosition& p : positions) {
      if (p.stream == split_.id) next_ = std::stoll(p.state);
    }
    return Status::OK();
  }

 private:
  SourceSplit split_;
  bool bounded_;
  int64_t next_ = 0;
};

std::atomic<bool> g_bounded{true};

class CountingSource : public Source {
 public:
  explicit CountingSource(std::string name) : name_(std::move(name)) {}
  Result<std::vector<SourceSplit>> ListSplits(int) override {
    return std::vector<SourceSplit>{{name_ + ":0", 0}, {name_ + ":1", 1}};
  }
  Result<std::unique_ptr<SplitReader>> CreateReader(const SourceSplit& split) override {
    return std::unique_ptr<SplitReader>(std::make_unique<CountingReader>(split, g_bounded));
  }
  bool IsBounded() const override { return g_bounded; }
  Status EnableCheckpointing() override { return Status::OK(); }

 private:
  std::string name_;
};

Result<std::unique_ptr<Source>> MakeCountingSource(const TableContext& context) {
  return std::unique_ptr<Source>(std::make_unique<CountingSource>(context.table->name));
}

const ConnectorSpec kCountingConnector = {
    "counting", "rows counted per split, with positions", {}, &MakeCountingSource, nullptr};

// ---- An exactly-once sink: epochs staged in the committable, applied once per writer --------

struct CommittedRows {
  std::mutex mutex;
  std::vector<std::string> rows;
  std::map<int, CheckpointId> marker;  // per writer: the last epoch applied
  int commits = 0;
};

CommittedRows* g_committed = nullptr;

class StagingWriter : public SinkWriter {
 public:
  explicit StagingWriter(bool checkpointing) : checkpointing_(checkpointing) {}
  Status Write(const Batch& batch) override {
    if (!checkpointing_) return Status::Internal("test sink used without checkpoints");
    for (size_t r = 0; r < batch.num_rows(); ++r) staged_ += batch.RowToString(r) + "\n";
    return Status::OK();
  }
  Status Flush() override { return Status::OK(); }  // staged rows stay invisible
  Result<std::string> PreCommit(CheckpointId) override { return std::exchange(staged_, ""); }

 private:
  bool checkpointing_;
  std::string staged_;
};

class ApplyingCommitter : public SinkCommitter {
 public:
  Status Recover(CheckpointId, const std::vector<Committable>& pending) override {
    return Commit(0, pending);
  }
  Status Commit(CheckpointId, const std::vector<Committable>& committables) override {
    std::lock_guard<std::mutex> lock(g_committed->mutex);
    ++g_committed->commits;
    for (const Committable& c : committables) {
      CheckpointId& marker = g_committed->marker[c.writer];
      if (c.checkpoint <= marker) continue;  // applied before (a repeated commit)
      marker = c.checkpoint;
      size_t begin = 0;
      while (begin < c.data.size()) {
        size_t end = c.data.find('\n', begin);
        g_committed->rows.push_back(c.data.substr(begin, end - begin));
        begin = end + 1;
      }
    }
    return Status::OK();
  }
};

class StagingSink : public Sink {
 public:
  Result<std::unique_ptr<SinkWriter>> CreateWriter(int, int) override {
    return std::unique_ptr<SinkWriter>(std::make_unique<StagingWriter>(checkpointing_));
  }
  Status EnableCheckpointing(const SinkCheckpointing&) override {
    checkpointing_ = true;
    return Status::OK();
  }
  Result<std::unique_ptr<SinkCommitter>> CreateCommitter() override {
    return std::unique_ptr<SinkCommitter>(std::make_unique<ApplyingCommitter>());
  }
  // One writer: its stage aligns barriers from every source task.
  int MaxParallelism() const override { return 1; }

 private:
  bool checkpointing_ = false;
};

Result<std::unique_ptr<Sink>> MakeStagingSink(const TableContext&) {
  return std::unique_ptr<Sink>(std::make_unique<StagingSink>());
}

const ConnectorSpec kStagingConnector = {
    "staging", "exactly-once test sink", {}, nullptr, &MakeStagingSink};

// ---- The pipeline: two counting tables, unioned, projected, into the staging sink -----------

std::shared_ptr<TableDef> CountingTable(const std::string& name) {
  auto table = EventsTable(name, "", 0);
  table->options = {{"connector", "counting"}};
  return table;
}

PipelinePlan UnionPipeline() {
  auto a = Scan(CountingTable("a"), "Scan-a");
  auto b = Scan(CountingTable("b"), "Scan-b");
  auto sink = CollectSink(Project(UnionOf({a, b}, "Union-1"), {0, 1, 2}, "Calc-1"), "out", "");
  std::const_pointer_cast<TableDef>(sink->table)->options = {{"connector", "staging"}};
  PipelinePlan plan;
  plan.sinks.push_back(sink);
  return plan;
}

class JobCheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sluice-ckpt-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    g_committed = &committed_;
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    g_committed = nullptr;
  }
  SessionConfig Session() const {
    SessionConfig session;
    session.Set("execution.checkpointing.interval", "30 ms");
    session.Set("state.checkpoints.dir", dir_.string());
    session.Set("pipeline.name", "union");
    return session;
  }
  JobOptions Options() const {
    JobOptions options;
    options.parallelism = 2;
    options.extra_connectors = {&kCountingConnector, &kStagingConnector};
    return options;
  }
  std::filesystem::path dir_;
  CommittedRows committed_;
};

std::set<std::string> AllRows() {
  std::set<std::string> rows;
  for (int64_t table = 0; table < 2; ++table) {
    for (int64_t split = 0; split < 2; ++split) {
      for (int64_t i = 0; i < kRowsPerSplit; ++i) {
        rows.insert("+I[" + std::to_string(split * 1'000'000 + i) + ", u" + std::to_string(i % 7) +
                    ", " + std::to_string(i) + "]");
      }
    }
  }
  return rows;
}

/// Every expected row committed, each exactly once (two tables produce equal rows: a multiset).
void ExpectExactlyOnce(const std::vector<std::string>& committed) {
  std::map<std::string, int> counts;
  for (const std::string& row : committed) ++counts[row];
  const std::set<std::string> expected = AllRows();
  ASSERT_EQ(counts.size(), expected.size());
  for (const std::string& row : expected) {
    auto it = counts.find(row);
    ASSERT_NE(it, counts.end()) << "missing " << row;
    ASSERT_EQ(it->second, 2) << row << " (one per table)";
  }
}

TEST_F(JobCheckpointTest, BoundedRunCommitsEveryRowOnceThroughPeriodicAndFinalCheckpoints) {
  g_bounded = true;
  auto job = Job::Create(UnionPipeline(), Session(), Options());
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  ASSERT_TRUE((*job)->Run().ok());
  const CheckpointStats stats = (*job)->coordinator()->stats();
  EXPECT_GE(stats.completed, 2) << "periodic checkpoints and the final one";
  std::lock_guard<std::mutex> lock(committed_.mutex);
  ExpectExactlyOnce(committed_.rows);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "union" / CheckpointDirectoryName(stats.last_id) /
                                      "MANIFEST.json"));
}

TEST_F(JobCheckpointTest, CrashThenRestartFromLatestCheckpointCommitsEveryRowOnce) {
  // First run: unbounded, stopped at once (no drain: nothing after the last checkpoint is
  // committed) after a few checkpoints, while rows are still coming.
  g_bounded = false;
  {
    auto job = Job::Create(UnionPipeline(), Session(), Options());
    ASSERT_TRUE(job.ok()) << job.status().ToString();
    std::thread stopper([&] {
      for (int i = 0; i < 500 && (*job)->coordinator()->stats().completed < 2; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      (*job)->Cancel(/*drain=*/false);
    });
    Status status = (*job)->Run();
    stopper.join();
    EXPECT_EQ(status.code(), ErrorCode::kCancelled) << status.ToString();
    ASSERT_GE((*job)->coordinator()->stats().completed, 2);
  }
  size_t committed_first = 0;
  {
    std::lock_guard<std::mutex> lock(committed_.mutex);
    committed_first = committed_.rows.size();
  }
  ASSERT_GT(committed_first, 0u);
  ASSERT_LT(committed_first, 4u * kRowsPerSplit) << "the first run must stop part-way";

  // Second run: bounded, resumes from the latest checkpoint and finishes.
  g_bounded = true;
  auto job = Job::Create(UnionPipeline(), Session(), Options());
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_NE((*job)->restore_report().find("restored checkpoint"), std::string::npos);
  ASSERT_TRUE((*job)->Run().ok());
  std::lock_guard<std::mutex> lock(committed_.mutex);
  ExpectExactlyOnce(committed_.rows);
}

TEST_F(JobCheckpointTest, ASecondProcessOnTheSamePipelineIsRefused) {
  g_bounded = false;
  auto first = Job::Create(UnionPipeline(), Session(), Options());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = Job::Create(UnionPipeline(), Session(), Options());
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("already running"), std::string::npos)
      << second.status().ToString();
}

TEST_F(JobCheckpointTest, CheckpointOptionsAreChecked) {
  SessionConfig session = Session();
  session.Set("state.checkpoints.dir", "");
  auto job = Job::Create(UnionPipeline(), session, Options());
  ASSERT_FALSE(job.ok());
  EXPECT_NE(job.status().message().find("state.checkpoints.dir"), std::string::npos);

  session = Session();
  session.Set("execution.checkpointing.interval", "soon");
  job = Job::Create(UnionPipeline(), session, Options());
  ASSERT_FALSE(job.ok());
  EXPECT_NE(job.status().ToString().find("execution.checkpointing.interval"), std::string::npos)
      << job.status().ToString();
}

}  // namespace
}  // namespace sluice
