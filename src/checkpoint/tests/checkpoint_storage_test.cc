#include "checkpoint/checkpoint_storage.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace sluice {
namespace {

namespace fs = std::filesystem;

class CheckpointStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("sluice-chk-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  Manifest Make(CheckpointId id, std::string body = "{}") {
    Manifest m;
    m.id = id;
    m.pipeline = "orders";
    m.created_micros = 1000 + id;
    m.body = std::move(body);
    return m;
  }

  fs::path root_;
};

TEST_F(CheckpointStorageTest, OnlyCheckpointsWithAManifestAreComplete) {
  auto storage = CheckpointStorage::Open(root_.string(), "orders");
  ASSERT_TRUE(storage.ok()) << storage.status().ToString();
  auto dir = (*storage)->PendingDirectory(1);
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(fs::path(*dir).filename(), "chk-0000000001");
  ASSERT_TRUE((*storage)->PendingDirectory(2).ok());  // never completed: a crash mid-way
  ASSERT_TRUE(
      (*storage)->Complete(Make(1, R"({"sources":[{"stream":"orders/3","next":7}]})")).ok());

  auto latest = (*storage)->Latest();
  ASSERT_TRUE(latest.ok());
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ((*latest)->id, 1);
  EXPECT_EQ((*latest)->pipeline, "orders");
  EXPECT_EQ((*latest)->created_micros, 1001);
  EXPECT_EQ((*latest)->body, R"({"sources":[{"stream":"orders/3","next":7}]})");
  EXPECT_EQ((*latest)->directory, *dir);
  EXPECT_FALSE(fs::exists(fs::path(*dir) / "MANIFEST.json.tmp"));
}

TEST_F(CheckpointStorageTest, RetainKeepsTheNewestAndDropsUnfinishedOlderOnes) {
  auto storage = CheckpointStorage::Open(root_.string(), "orders");
  ASSERT_TRUE(storage.ok());
  for (CheckpointId id = 1; id <= 5; ++id) {
    ASSERT_TRUE((*storage)->PendingDirectory(id).ok());
    if (id != 3) {
      ASSERT_TRUE((*storage)->Complete(Make(id)).ok());
    }
  }
  ASSERT_TRUE((*storage)->PendingDirectory(6).ok());  // in progress: newer than any complete one
  ASSERT_TRUE((*storage)->Retain(2).ok());
  auto all = (*storage)->List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, 4);
  EXPECT_EQ((*all)[1].id, 5);
  const fs::path dir = (*storage)->directory();
  EXPECT_FALSE(fs::exists(dir / CheckpointDirectoryName(1)));
  EXPECT_FALSE(fs::exists(dir / CheckpointDirectoryName(3)));
  EXPECT_TRUE(fs::exists(dir / CheckpointDirectoryName(6)));
}

TEST_F(CheckpointStorageTest, ASecondProcessOfThePipelineIsRefusedNamingTheHolder) {
  auto first = CheckpointStorage::Open(root_.string(), "orders");
  ASSERT_TRUE(first.ok());
  auto second = CheckpointStorage::Open(root_.string(), "orders");
  ASSERT_FALSE(second.ok());
  EXPECT_NE(
      second.status().message().find("already running (process " + std::to_string(::getpid())),
      std::string::npos)
      << second.status().message();
  first->reset();  // released: the next run may take over
  EXPECT_TRUE(CheckpointStorage::Open(root_.string(), "orders").ok());
}

TEST_F(CheckpointStorageTest, BadNamesAndCorruptManifestsAreErrors) {
  EXPECT_FALSE(CheckpointStorage::Open(root_.string(), "").ok());
  EXPECT_FALSE(CheckpointStorage::Open(root_.string(), "a/b").ok());
  auto storage = CheckpointStorage::Open(root_.string(), "orders");
  ASSERT_TRUE(storage.ok());
  EXPECT_FALSE((*storage)->Complete(Make(9)).ok());  // no pending directory
  auto dir = (*storage)->PendingDirectory(4);
  ASSERT_TRUE(dir.ok());
  std::ofstream(fs::path(*dir) / "MANIFEST.json") << "{\"format\":1,\"id\":";
  auto all = (*storage)->List();
  ASSERT_FALSE(all.ok());
  EXPECT_NE(all.status().message().find("MANIFEST.json"), std::string::npos);
}

TEST_F(CheckpointStorageTest, ManifestJsonRoundTripsEscapedText) {
  Manifest m = Make(42, R"({"note":"a \"quoted\" text"})");
  m.kind = SnapshotKind::kSavepoint;
  m.pipeline = "orders \"eu\"";
  auto back = ManifestFromJson(ManifestToJson(m));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->id, 42);
  EXPECT_EQ(back->kind, SnapshotKind::kSavepoint);
  EXPECT_EQ(back->pipeline, "orders \"eu\"");
  EXPECT_EQ(back->body, m.body);
  EXPECT_FALSE(ManifestFromJson(R"({"format":2})").ok());
}

}  // namespace
}  // namespace sluice
