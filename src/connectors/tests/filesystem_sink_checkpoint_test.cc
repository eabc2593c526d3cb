// File sink with checkpoints: staged hidden parts per epoch, renamed by the committer; commits
// are idempotent, recovery finishes pending commits and deletes orphans, and a crash between two
// renames of one commit loses and repeats no row.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "connectors/filesystem/file_committer.h"
#include "connectors/filesystem/filesystem_connector.h"
#include "connectors/tests/test_tables.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::DrainSplit;
using testing::MakeContext;
using testing::MakeTable;
using testing::TempDir;

constexpr const char* kSinkUid = "0123abcd99887766";  // the committer keeps 8 characters
constexpr const char* kCommitChildVar = "SLUICE_TEST_FILE_COMMIT_CHILD";

Schema RowSchema() {
  return Schema{{{"id", LogicalType::Int()},
                 {"name", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()}}};
}

Batch Rows(int first, int count) {
  BatchBuilder builder(RowSchema());
  for (int i = first; i < first + count; ++i) {
    builder.AppendRow(
        {Value::Int(i), Value::Varchar("n" + std::to_string(i)), Value::Double(i + 0.5)});
  }
  return builder.Finish();
}

std::unique_ptr<Sink> MakeSink(const std::string& out, const std::string& run_id,
                               const std::string& file_size = "128MB",
                               const std::string& format = "json") {
  Options options{{"connector", "filesystem"},
                  {"path", out},
                  {"format", format},
                  {"sink.rolling-policy.file-size", file_size}};
  auto sink = kFilesystemConnector.make_sink(MakeContext(MakeTable("t", RowSchema(), options)));
  EXPECT_TRUE(sink.ok()) << sink.status().ToString();
  if (!sink.ok()) return nullptr;
  SinkCheckpointing checkpointing{"pipe", kSinkUid, out + "/../state", run_id};
  EXPECT_TRUE((*sink)->EnableCheckpointing(checkpointing).ok());
  return std::move(sink).value();
}

std::unique_ptr<SinkCommitter> MakeCommitter(Sink& sink) {
  auto committer = sink.CreateCommitter();
  EXPECT_TRUE(committer.ok());
  EXPECT_TRUE(committer.ok() && *committer);
  return committer.ok() ? std::move(committer).value() : nullptr;
}

std::vector<std::string> Files(const std::string& dir, bool hidden) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if ((name[0] == '.' || name[0] == '_') == hidden) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Every row of the visible files, read back through the filesystem source (which skips hidden
// files), as ids.
std::vector<int> ReadIds(const std::string& dir, const std::string& format = "json") {
  Options options{{"connector", "filesystem"}, {"path", dir}, {"format", format}};
  auto source = kFilesystemConnector.make_source(MakeContext(MakeTable("t", RowSchema(), options)));
  EXPECT_TRUE(source.ok());
  auto splits = (*source)->ListSplits(1);
  EXPECT_TRUE(splits.ok());
  std::vector<int> ids;
  for (const SourceSplit& split : *splits) {
    for (const std::string& row : DrainSplit(**source, split)) {
      ids.push_back(std::stoi(row.substr(3)));  // "+I[17, ..."
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<int> Range(int first, int count) {
  std::vector<int> ids(count);
  for (int i = 0; i < count; ++i) ids[i] = first + i;
  return ids;
}

TEST(FileSinkCheckpointTest, EpochsStayHiddenUntilCommitAndCommitIsIdempotent) {
  TempDir dir;
  const std::string out = dir.File("out");
  auto sink = MakeSink(out, "run1");
  auto committer = MakeCommitter(*sink);
  auto writer = std::move(sink->CreateWriter(0, 1)).value();
  ASSERT_TRUE(writer->Open().ok());
  ASSERT_TRUE(writer->Write(Rows(0, 10)).ok());
  ASSERT_TRUE(writer->Flush().ok());  // durable, not visible
  auto first = writer->PreCommit(1);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_FALSE(first->empty());
  ASSERT_TRUE(writer->Write(Rows(10, 5)).ok());
  auto second = writer->PreCommit(2);
  ASSERT_TRUE(second.ok());
  auto third = writer->PreCommit(3);  // an epoch without rows stages nothing
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->empty());

  EXPECT_TRUE(Files(out, /*hidden=*/false).empty());
  EXPECT_EQ(Files(out, /*hidden=*/true),
            (std::vector<std::string>{".part-0123abcd-run1-0-0.json.inprogress",
                                      ".part-0123abcd-run1-0-1.json.inprogress"}));
  EXPECT_TRUE(ReadIds(out).empty());

  auto staged = DecodeStagedParts(*first);
  ASSERT_TRUE(staged.ok());
  EXPECT_EQ(staged->dir, out);
  ASSERT_EQ(staged->parts.size(), 1u);
  EXPECT_EQ(staged->parts[0].final_name, "part-0123abcd-run1-0-0.json");
  EXPECT_EQ(staged->parts[0].size,
            static_cast<int64_t>(fs::file_size(out + "/" + staged->parts[0].hidden)));

  ASSERT_TRUE(committer->Commit(1, {{0, 1, *first}}).ok());
  EXPECT_EQ(Files(out, false), (std::vector<std::string>{"part-0123abcd-run1-0-0.json"}));
  EXPECT_EQ(ReadIds(out), Range(0, 10));
  Status again = committer->Commit(1, {{0, 1, *first}});
  EXPECT_TRUE(again.ok()) << again.ToString();
  EXPECT_EQ(ReadIds(out), Range(0, 10));

  ASSERT_TRUE(committer->Commit(2, {{0, 2, *second}, {0, 3, *third}}).ok());
  ASSERT_TRUE(committer->Commit(2, {{0, 2, *second}}).ok());
  EXPECT_EQ(ReadIds(out), Range(0, 15));
  EXPECT_TRUE(Files(out, true).empty());
  ASSERT_TRUE(writer->Close().ok());
}

TEST(FileSinkCheckpointTest, SizeRollsAddHiddenPartsToTheEpoch) {
  TempDir dir;
  const std::string out = dir.File("out");
  auto sink = MakeSink(out, "r", "1kb", "csv");
  auto committer = MakeCommitter(*sink);
  auto writer = std::move(sink->CreateWriter(2, 3)).value();
  ASSERT_TRUE(writer->Open().ok());
  ASSERT_TRUE(writer->Write(Rows(0, 300)).ok());
  auto data = writer->PreCommit(7);
  ASSERT_TRUE(data.ok());
  auto staged = DecodeStagedParts(*data);
  ASSERT_TRUE(staged.ok());
  EXPECT_GE(staged->parts.size(), 3u);
  EXPECT_TRUE(Files(out, false).empty());
  EXPECT_EQ(Files(out, true).size(), staged->parts.size());
  ASSERT_TRUE(committer->Commit(7, {{2, 7, *data}}).ok());
  EXPECT_EQ(Files(out, false).size(), staged->parts.size());
  for (const std::string& name : Files(out, false)) {
    EXPECT_EQ(name.substr(0, 18), "part-0123abcd-r-2-") << name;
    EXPECT_EQ(name.substr(name.size() - 4), ".csv") << name;
  }
  EXPECT_EQ(ReadIds(out, "csv"), Range(0, 300));
}

TEST(FileSinkCheckpointTest, CommitFailsWhenAStagedPartIsLost) {
  TempDir dir;
  const std::string out = dir.File("out");
  auto sink = MakeSink(out, "run1");
  auto committer = MakeCommitter(*sink);
  auto writer = std::move(sink->CreateWriter(0, 1)).value();
  ASSERT_TRUE(writer->Open().ok());
  ASSERT_TRUE(writer->Write(Rows(0, 3)).ok());
  auto data = writer->PreCommit(1);
  ASSERT_TRUE(data.ok());
  auto staged = DecodeStagedParts(*data);
  fs::remove(out + "/" + staged->parts[0].hidden);
  Status lost = committer->Commit(1, {{0, 1, *data}});
  EXPECT_EQ(lost.code(), ErrorCode::kIoError);
  EXPECT_NE(lost.message().find("is gone and was never committed"), std::string::npos)
      << lost.ToString();

  // A final file of another size is not this commit's either.
  std::ofstream(out + "/" + staged->parts[0].final_name) << "{}\n";
  Status other = committer->Commit(1, {{0, 1, *data}});
  EXPECT_EQ(other.code(), ErrorCode::kIoError);
  EXPECT_FALSE(committer->Commit(1, {{0, 1, "not json"}}).ok());
}

TEST(FileSinkCheckpointTest, RecoverCommitsPendingAndDeletesOrphans) {
  TempDir dir;
  const std::string out = dir.File("out");
  std::string pending;
  {
    // The crashed run: epoch 1 is in the checkpoint, epoch 2 was staged after it, and rows after
    // that were never pre-committed.
    auto sink = MakeSink(out, "old");
    auto writer = std::move(sink->CreateWriter(0, 1)).value();
    ASSERT_TRUE(writer->Open().ok());
    ASSERT_TRUE(writer->Write(Rows(0, 4)).ok());
    pending = std::move(writer->PreCommit(1)).value();
    ASSERT_TRUE(writer->Write(Rows(4, 4)).ok());
    ASSERT_TRUE(writer->PreCommit(2).ok());
    ASSERT_TRUE(writer->Write(Rows(8, 4)).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  // Another sink's staging and someone's visible file are left alone.
  std::ofstream(out + "/.part-ffffffff-x-0-0.json.inprogress") << "{\"id\":99}\n";
  std::ofstream(out + "/data.json") << "{\"id\":100}\n";
  ASSERT_EQ(Files(out, true).size(), 4u);

  auto sink = MakeSink(out, "new");
  auto committer = MakeCommitter(*sink);
  Status recovered = committer->Recover(1, {{0, 1, pending}});
  ASSERT_TRUE(recovered.ok()) << recovered.ToString();
  EXPECT_EQ(Files(out, true), (std::vector<std::string>{".part-ffffffff-x-0-0.json.inprogress"}));
  EXPECT_EQ(Files(out, false),
            (std::vector<std::string>{"data.json", "part-0123abcd-old-0-0.json"}));
  std::vector<int> expected = Range(0, 4);
  expected.push_back(100);
  EXPECT_EQ(ReadIds(out), expected);
  // Recovering again (a crash during recovery) changes nothing.
  ASSERT_TRUE(committer->Recover(1, {{0, 1, pending}}).ok());
  EXPECT_EQ(ReadIds(out), expected);
  // Without a checkpoint every staged part of this sink is an orphan.
  ASSERT_TRUE(committer->Recover(0, {}).ok());
  EXPECT_EQ(Files(out, true).size(), 1u);
}

TEST(FileSinkCheckpointTest, WithoutCheckpointsPartsAreVisibleAtFlushAndThereIsNoCommitter) {
  TempDir dir;
  const std::string out = dir.File("out");
  Options options{{"connector", "filesystem"}, {"path", out}, {"format", "json"}};
  auto sink = kFilesystemConnector.make_sink(MakeContext(MakeTable("t", RowSchema(), options)));
  ASSERT_TRUE(sink.ok());
  auto committer = (*sink)->CreateCommitter();
  ASSERT_TRUE(committer.ok());
  EXPECT_FALSE(*committer);
  auto writer = std::move((*sink)->CreateWriter(0, 1)).value();
  ASSERT_TRUE(writer->Open().ok());
  ASSERT_TRUE(writer->Write(Rows(0, 3)).ok());
  auto data = writer->PreCommit(1);  // at-least-once: a flush
  ASSERT_TRUE(data.ok());
  EXPECT_TRUE(data->empty());
  EXPECT_EQ(ReadIds(out), Range(0, 3));
}

// The child of the crash test: commits the committable in file `path` and is killed by the
// crash point between two renames. Runs in a freshly exec'ed process, because the crash point
// reads SLUICE_CRASH_POINT once per process.
[[noreturn]] void RunCommitChild(const std::string& path) {
  const std::string data = testing::ReadFile(path);
  auto staged = DecodeStagedParts(data);
  if (!staged.ok()) std::_Exit(3);
  FileCommitter committer(staged->dir, ".part-0123abcd-");
  Status status = committer.Commit(1, {{0, 1, data}});
  std::_Exit(status.ok() ? 0 : 4);  // not killed: the parent sees an exit code and fails
}

TEST(FileSinkCheckpointTest, CrashMidRenameThenRecoverGivesEachRowExactlyOnce) {
  if (const char* child = std::getenv(kCommitChildVar)) RunCommitChild(child);
  TempDir dir;
  const std::string out = dir.File("out");
  auto sink = MakeSink(out, "run1", "1kb");
  auto writer = std::move(sink->CreateWriter(0, 1)).value();
  ASSERT_TRUE(writer->Open().ok());
  ASSERT_TRUE(writer->Write(Rows(0, 200)).ok());
  auto data = writer->PreCommit(1);
  ASSERT_TRUE(data.ok());
  const size_t parts = DecodeStagedParts(*data)->parts.size();
  ASSERT_GE(parts, 3u);
  ASSERT_TRUE(writer->Write(Rows(200, 10)).ok());  // the next epoch, never checkpointed
  ASSERT_TRUE(writer->Flush().ok());
  const std::string committable_file = dir.File("committable.json");
  dir.Write("committable.json", *data);

  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setenv("SLUICE_CRASH_POINT", "file-mid-rename:2", 1);  // after the second rename
    setenv(kCommitChildVar, committable_file.c_str(), 1);
    const std::string filter =
        "--gtest_filter=FileSinkCheckpointTest.CrashMidRenameThenRecoverGivesEachRowExactlyOnce";
    execl("/proc/self/exe", "/proc/self/exe", filter.c_str(), static_cast<char*>(nullptr));
    std::_Exit(5);
  }
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited with " << WEXITSTATUS(wstatus);
  EXPECT_EQ(WTERMSIG(wstatus), SIGKILL);

  // Half committed: two parts renamed, the rest (and the next epoch's part) still hidden.
  EXPECT_EQ(Files(out, false).size(), 2u);
  EXPECT_EQ(Files(out, true).size(), parts - 2 + 1);
  std::vector<int> partial = ReadIds(out);
  EXPECT_GT(partial.size(), 0u);
  EXPECT_LT(partial.size(), 200u);

  auto restarted = MakeSink(out, "run2");
  auto committer = MakeCommitter(*restarted);
  Status recovered = committer->Recover(1, {{0, 1, *data}});
  ASSERT_TRUE(recovered.ok()) << recovered.ToString();
  EXPECT_TRUE(Files(out, true).empty());
  EXPECT_EQ(Files(out, false).size(), parts);
  EXPECT_EQ(ReadIds(out), Range(0, 200));
}

}  // namespace
}  // namespace sluice
