// Incremental checkpoints of RocksDbStateStore: shared SSTs, restore, garbage collection and
// damaged checkpoints. Directories as in docs/design/checkpoints.md §2.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "state/rocksdb_state_store.h"
#include "state/state_files.h"
#include "state/tests/state_test_util.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing_state::Key;
using testing_state::TempDir;
using testing_state::Value;

class RocksDbCheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RocksDbEnvironmentOptions options;
    options.memory_budget_bytes = int64_t{32} << 20;
    auto env = RocksDbEnvironment::Create(options);
    ASSERT_TRUE(env.ok()) << env.status().ToString();
    env_ = *env;
  }

  std::unique_ptr<RocksDbStateStore> OpenStore(const std::string& name) {
    auto store =
        RocksDbStateStore::Open(env_, RocksDbInstanceDirectory(root_.Sub("rocksdb"), name, 0));
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
  std::string CheckpointDir(CheckpointId id) const {
    return root_.Sub("chk-" + std::to_string(id) + "/op-77de/0.rocks");
  }
  std::string SharedDir() const { return root_.Sub("shared/op-77de/0"); }

  StateHandle Checkpoint(RocksDbStateStore& store, CheckpointId id) {
    auto handle = store.Checkpoint(id, CheckpointDir(id), SharedDir());
    EXPECT_TRUE(handle.ok()) << handle.status().ToString();
    return handle.ok() ? *handle : StateHandle{};
  }

  /// Writes keys [from, to) with values Value(i + salt, 200).
  static void WriteRange(RocksDbStateStore& store, int from, int to, int salt = 0) {
    std::vector<std::string> keys;
    std::vector<std::string> values;
    for (int i = from; i < to; ++i) {
      keys.push_back(Key(i));
      values.push_back(Value(i + salt, 200));
    }
    std::vector<KeyValueRef> puts;
    for (size_t i = 0; i < keys.size(); ++i) puts.push_back({keys[i], values[i]});
    ASSERT_TRUE(store.Put(puts).ok());
  }

  /// Every entry, in key order.
  static std::vector<std::pair<std::string, std::string>> Contents(RocksDbStateStore& store) {
    std::vector<std::pair<std::string, std::string>> out;
    auto scan = store.Scan();
    EXPECT_TRUE(scan.ok());
    for (; (*scan)->Valid(); (*scan)->Next()) {
      out.emplace_back(std::string((*scan)->key()), std::string((*scan)->value()));
    }
    EXPECT_TRUE((*scan)->status().ok());
    return out;
  }

  std::set<std::string> SharedFiles() const {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(SharedDir())) {
      names.insert(entry.path().filename().string());
    }
    return names;
  }

  static const StateFile* FirstShared(const StateHandle& handle) {
    for (const StateFile& file : handle.files) {
      if (file.shared) return &file;
    }
    return nullptr;
  }

  TempDir root_;
  std::shared_ptr<RocksDbEnvironment> env_;
};

TEST_F(RocksDbCheckpointTest, SecondCheckpointAddsOnlyNewSstFiles) {
  auto store = OpenStore("77de");
  WriteRange(*store, 0, 20000);
  ASSERT_TRUE(store->Compact().ok());  // one file at the bottom
  WriteRange(*store, 20000, 30000);    // flushed by the checkpoint: a second file
  StateHandle first = Checkpoint(*store, 1);
  const std::set<std::string> after_first = SharedFiles();
  ASSERT_GE(first.SharedFileNames().size(), 2u);
  EXPECT_EQ(after_first.size(), first.SharedFileNames().size());

  // Small files are copied into the checkpoint's own directory; sizes are recorded.
  bool has_current = false;
  bool has_manifest = false;
  for (const StateFile& file : first.files) {
    EXPECT_EQ(*RegularFileSize(first.StoredPath(file)), file.bytes) << file.stored_name;
    if (file.shared) {
      EXPECT_EQ(file.crc32c.size(), 4u) << file.stored_name;
    } else {
      EXPECT_TRUE(fs::exists(CheckpointDir(1) + "/" + file.local_name));
    }
    has_current |= file.local_name == "CURRENT";
    has_manifest |= file.local_name.rfind("MANIFEST-", 0) == 0;
  }
  EXPECT_TRUE(has_current);
  EXPECT_TRUE(has_manifest);

  WriteRange(*store, 30000, 31000);  // a few more writes
  StateHandle second = Checkpoint(*store, 2);
  const std::set<std::string> after_second = SharedFiles();
  const size_t added = after_second.size() - after_first.size();
  EXPECT_GE(added, 1u);
  EXPECT_LT(added, second.SharedFileNames().size());  // not everything again
  // The first checkpoint's files are reused under the same names, not copied again.
  size_t reused = 0;
  for (const std::string& name : second.SharedFileNames()) reused += after_first.count(name);
  EXPECT_EQ(reused + added, second.SharedFileNames().size());
  EXPECT_GE(reused, 1u);
  // Linked, not copied: the shared file and the live database's file are one inode.
  EXPECT_GE(fs::hard_link_count(SharedDir() + "/" + *after_first.begin()), 2u);
  // The temporary RocksDB checkpoint is gone.
  for (const auto& entry : fs::directory_iterator(store->directory())) {
    EXPECT_EQ(entry.path().filename().string(), "db");
  }
}

TEST_F(RocksDbCheckpointTest, RestoreGivesExactlyTheCheckpointsContents) {
  auto store = OpenStore("77de");
  WriteRange(*store, 0, 5000);
  StateHandle first = Checkpoint(*store, 1);
  const auto contents_1 = Contents(*store);

  WriteRange(*store, 5000, 6000);
  WriteRange(*store, 0, 100, /*salt=*/7);  // overwrites
  const std::string gone = Key(200);
  std::vector<std::string_view> deletes = {gone};
  ASSERT_TRUE(store->Delete(deletes).ok());
  StateHandle second = Checkpoint(*store, 2);
  const auto contents_2 = Contents(*store);
  ASSERT_NE(contents_1, contents_2);

  // A new store restores checkpoint 1 although checkpoint 2 exists.
  auto restored = OpenStore("restored");
  ASSERT_TRUE(restored->Restore(first).ok());
  EXPECT_EQ(Contents(*restored), contents_1);

  // It goes on from there: its new files must not collide with checkpoint 2's in shared/.
  WriteRange(*restored, 7000, 7500, /*salt=*/3);
  StateHandle third = Checkpoint(*restored, 3);
  const auto contents_3 = Contents(*restored);

  auto again = OpenStore("again");
  ASSERT_TRUE(again->Restore(second).ok());
  EXPECT_EQ(Contents(*again), contents_2);
  ASSERT_TRUE(again->Restore(third, /*verify_checksums=*/true).ok());
  EXPECT_EQ(Contents(*again), contents_3);
  ASSERT_TRUE(again->Restore(first).ok());
  EXPECT_EQ(Contents(*again), contents_1);

  // A restored store's next checkpoint reuses the restored files instead of linking them anew.
  const auto before = SharedFiles();
  StateHandle fourth = Checkpoint(*again, 4);
  for (const std::string& name : first.SharedFileNames()) {
    EXPECT_NE(std::find(fourth.SharedFileNames().begin(), fourth.SharedFileNames().end(), name),
              fourth.SharedFileNames().end())
        << name;
  }
  EXPECT_EQ(SharedFiles().size(),
            before.size() + (fourth.SharedFileNames().size() - first.SharedFileNames().size()));
}

TEST_F(RocksDbCheckpointTest, AnEmptyStoreCheckpointsAndRestores) {
  auto store = OpenStore("77de");
  StateHandle empty = Checkpoint(*store, 1);
  EXPECT_TRUE(empty.SharedFileNames().empty());
  auto restored = OpenStore("restored");
  WriteRange(*restored, 0, 10);
  ASSERT_TRUE(restored->Restore(empty).ok());
  EXPECT_TRUE(Contents(*restored).empty());
  WriteRange(*restored, 0, 10);  // usable afterwards
  EXPECT_EQ(Contents(*restored).size(), 10u);
}

TEST_F(RocksDbCheckpointTest, HandleRoundTripsThroughAStateSection) {
  auto store = OpenStore("77de");
  WriteRange(*store, 0, 1000);
  StateHandle handle = Checkpoint(*store, 9);
  StateEncoder encoder;
  handle.Encode(&encoder);
  const std::string bytes = encoder.Take();

  StateDecoder decoder(bytes, "RocksDB handle");
  auto decoded = StateHandle::Decode(&decoder);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_TRUE(decoder.Finish().ok());
  EXPECT_EQ(decoded->checkpoint, 9);
  EXPECT_EQ(decoded->checkpoint_dir, handle.checkpoint_dir);
  EXPECT_EQ(decoded->shared_dir, handle.shared_dir);
  ASSERT_EQ(decoded->files.size(), handle.files.size());
  for (size_t i = 0; i < handle.files.size(); ++i) {
    EXPECT_EQ(decoded->files[i].local_name, handle.files[i].local_name);
    EXPECT_EQ(decoded->files[i].stored_name, handle.files[i].stored_name);
    EXPECT_EQ(decoded->files[i].shared, handle.files[i].shared);
    EXPECT_EQ(decoded->files[i].bytes, handle.files[i].bytes);
    EXPECT_EQ(decoded->files[i].crc32c, handle.files[i].crc32c);
  }
  EXPECT_EQ(decoded->TotalBytes(), handle.TotalBytes());

  for (size_t cut : {size_t{3}, bytes.size() / 2, bytes.size() - 1}) {
    StateDecoder truncated(std::string_view(bytes).substr(0, cut), "RocksDB handle");
    auto bad = StateHandle::Decode(&truncated);
    ASSERT_FALSE(bad.ok()) << cut;
    EXPECT_EQ(bad.status().code(), ErrorCode::kDecodeError);
  }

  StateHandle evil = handle;
  evil.files[0].stored_name = "../../etc/passwd";
  StateEncoder evil_encoder;
  evil.Encode(&evil_encoder);
  const std::string evil_bytes = evil_encoder.Take();
  StateDecoder evil_decoder(evil_bytes, "RocksDB handle");
  auto rejected = StateHandle::Decode(&evil_decoder);
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find("invalid file"), std::string::npos);
}

TEST_F(RocksDbCheckpointTest, GarbageCollectionKeepsTheFilesOfRetainedCheckpointsOnly) {
  auto store = OpenStore("77de");
  WriteRange(*store, 0, 10000);
  StateHandle first = Checkpoint(*store, 1);
  WriteRange(*store, 10000, 12000);
  StateHandle second = Checkpoint(*store, 2);
  WriteRange(*store, 0, 12000, /*salt=*/1);  // rewrite all, then compact: nothing old is live
  ASSERT_TRUE(store->Compact().ok());
  StateHandle third = Checkpoint(*store, 3);
  const auto contents_3 = Contents(*store);

  // Retaining 2 and 3 keeps their files (2 shares files with 1), drops 1's own ones.
  std::vector<std::string> referenced = second.SharedFileNames();
  for (const std::string& name : third.SharedFileNames()) referenced.push_back(name);
  const std::set<std::string> keep(referenced.begin(), referenced.end());
  size_t only_first = 0;
  for (const std::string& name : first.SharedFileNames()) only_first += !keep.contains(name);
  int deleted = -1;
  ASSERT_TRUE(CollectGarbage(SharedDir(), referenced, &deleted).ok());
  EXPECT_EQ(static_cast<size_t>(deleted), only_first);
  EXPECT_EQ(SharedFiles(), keep);

  // Retaining 3 only: 1's and 2's files go; 3 still restores.
  ASSERT_TRUE(CollectGarbage(SharedDir(), third.SharedFileNames(), &deleted).ok());
  const auto third_names = third.SharedFileNames();
  EXPECT_EQ(SharedFiles(), std::set<std::string>(third_names.begin(), third_names.end()));
  auto restored = OpenStore("restored");
  ASSERT_TRUE(restored->Restore(third).ok());
  EXPECT_EQ(Contents(*restored), contents_3);
  // A collected checkpoint cannot be restored, and the error says which file is missing.
  Status missing = restored->Restore(second);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.code(), ErrorCode::kNotFound);
  EXPECT_NE(missing.message().find("is missing"), std::string::npos) << missing.message();
  EXPECT_NE(missing.message().find(SharedDir() + "/"), std::string::npos) << missing.message();
  EXPECT_EQ(Contents(*restored), contents_3);  // a failed restore leaves the store as it was

  // A missing directory is nothing to collect.
  ASSERT_TRUE(CollectGarbage(root_.Sub("no-such-dir"), {}, &deleted).ok());
  EXPECT_EQ(deleted, 0);
}

TEST_F(RocksDbCheckpointTest, DamagedOrMissingFilesAreNamed) {
  auto store = OpenStore("77de");
  WriteRange(*store, 0, 5000);
  StateHandle handle = Checkpoint(*store, 1);
  const auto contents = Contents(*store);
  const StateFile* sst = FirstShared(handle);
  ASSERT_NE(sst, nullptr);
  const std::string path = handle.StoredPath(*sst);
  auto restored = OpenStore("restored");
  const std::string backup = root_.Sub("backup.sst");
  fs::copy_file(path, backup);

  // Truncated: the recorded size does not match.
  fs::resize_file(path, sst->bytes / 2);
  Status truncated = restored->Restore(handle);
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.code(), ErrorCode::kDecodeError);
  EXPECT_NE(truncated.message().find("'" + path + "' is damaged"), std::string::npos)
      << truncated.message();

  // Same size, a flipped byte inside: found when checksums are verified.
  fs::remove(path);
  fs::copy_file(backup, path);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(sst->bytes / 3));
    char c = 0;
    f.read(&c, 1);
    f.seekp(static_cast<std::streamoff>(sst->bytes / 3));
    c = static_cast<char>(c ^ 0x5a);
    f.write(&c, 1);
  }
  Status flipped = restored->Restore(handle, /*verify_checksums=*/true);
  ASSERT_FALSE(flipped.ok());
  EXPECT_NE(flipped.message().find("'" + path + "' is damaged"), std::string::npos)
      << flipped.message();

  // A broken footer is refused by RocksDB at open even without checksums; the error names the
  // checkpoint's file, not only the live copy.
  fs::remove(path);
  fs::copy_file(backup, path);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(sst->bytes - 8));
    f.write("garbage!", 8);
  }
  Status footer = restored->Restore(handle);
  ASSERT_FALSE(footer.ok());
  EXPECT_NE(footer.message().find(path), std::string::npos) << footer.message();
  Status closed = restored->Put(std::vector<KeyValueRef>{{"a", "b"}});
  EXPECT_FALSE(closed.ok());  // no half-open store after a failed open

  // Missing.
  fs::remove(path);
  Status missing = restored->Restore(handle);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("'" + path + "' is missing"), std::string::npos)
      << missing.message();

  // Repaired, the same handle restores (and the store is usable again).
  fs::copy_file(backup, path);
  ASSERT_TRUE(restored->Restore(handle, /*verify_checksums=*/true).ok());
  EXPECT_EQ(Contents(*restored), contents);

  // A handle without CURRENT would open as an empty database: refused.
  StateHandle no_current = handle;
  std::erase_if(no_current.files, [](const StateFile& f) { return f.local_name == "CURRENT"; });
  Status incomplete = restored->Restore(no_current);
  ASSERT_FALSE(incomplete.ok());
  EXPECT_NE(incomplete.message().find("CURRENT"), std::string::npos);
}

TEST_F(RocksDbCheckpointTest, ASelfContainedCopyLinksEveryFileIntoItsOwnSharedDir) {
  auto store = OpenStore("77de");
  WriteRange(*store, 0, 3000);
  StateHandle checkpoint = Checkpoint(*store, 1);
  // A savepoint: its own directory for the shared files, nothing referenced from shared/.
  const std::string savepoint = root_.Sub("savepoints/sp-1/op-77de/0.rocks");
  auto handle = store->Checkpoint(2, savepoint, savepoint + "/sst");
  ASSERT_TRUE(handle.ok()) << handle.status().ToString();
  EXPECT_EQ(handle->SharedFileNames(), checkpoint.SharedFileNames());
  for (const std::string& name : handle->SharedFileNames()) {
    EXPECT_TRUE(fs::exists(savepoint + "/sst/" + name)) << name;
  }
  ASSERT_TRUE(CollectGarbage(SharedDir(), {}).ok());  // shared/ emptied: the savepoint remains
  auto restored = OpenStore("restored");
  ASSERT_TRUE(restored->Restore(*handle).ok());
  EXPECT_EQ(Contents(*restored), Contents(*store));
}

}  // namespace
}  // namespace sluice
