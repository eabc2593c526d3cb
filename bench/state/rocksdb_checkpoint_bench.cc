// A measurement, not a test (disabled; run with --gtest_also_run_disabled_tests
// --gtest_filter='*OneGigabyte*'): checkpoint and restore times of a store holding ~1 GB,
// against the design's goal of recovering 1 GB in 5 s (docs/design/checkpoints.md §8).

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "state/rocksdb_state_store.h"
#include "state/tests/state_test_util.h"

namespace sluice {
namespace {

using testing_state::Key;
using testing_state::TempDir;
using testing_state::Value;

constexpr uint64_t kKeys = 1'000'000;
constexpr size_t kValueBytes = 1000;
constexpr uint64_t kBatch = 1000;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void WriteKeys(RocksDbStateStore& store, uint64_t from, uint64_t to, uint64_t salt) {
  std::vector<std::string> keys(kBatch);
  std::vector<std::string> values(kBatch);
  std::vector<KeyValueRef> puts(kBatch);
  for (uint64_t first = from; first < to; first += kBatch) {
    const uint64_t n = std::min(kBatch, to - first);
    for (uint64_t i = 0; i < n; ++i) {
      keys[i] = Key(first + i);
      values[i] = Value(first + i + salt, kValueBytes);
      puts[i] = {keys[i], values[i]};
    }
    ASSERT_TRUE(store.Put(std::span(puts).first(n)).ok());
  }
}

/// Restores `handle` into a new store under `local_root` and reads a sample back.
void MeasureRestore(const std::shared_ptr<RocksDbEnvironment>& env, const StateHandle& handle,
                    const std::string& local_root, bool verify, const char* label) {
  auto store = RocksDbStateStore::Open(env, local_root + "/restored");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto start = std::chrono::steady_clock::now();
  Status restored = (*store)->Restore(handle, verify);
  const double restore_s = Seconds(start);
  ASSERT_TRUE(restored.ok()) << restored.ToString();
  start = std::chrono::steady_clock::now();
  std::vector<std::string> keys;
  for (uint64_t i = 0; i < kKeys; i += kKeys / 1000) keys.push_back(Key(i));
  std::vector<std::string_view> views(keys.begin(), keys.end());
  std::vector<std::optional<std::string>> values;
  ASSERT_TRUE((*store)->MultiGet(views, &values).ok());
  for (size_t i = 0; i < keys.size(); ++i) ASSERT_TRUE(values[i].has_value()) << keys[i];
  std::printf("[ bench    ] restore %-34s %.3f s; first 1000 scattered reads %.3f s\n", label,
              restore_s, Seconds(start));
}

TEST(RocksDbCheckpointBench, OneGigabyteCheckpointAndRestore) {
  TempDir dir;
  auto env = RocksDbEnvironment::Create(RocksDbEnvironmentOptions{});
  ASSERT_TRUE(env.ok());
  auto store = RocksDbStateStore::Open(*env, dir.Sub("rocksdb/77de-0"));
  ASSERT_TRUE(store.ok());
  RocksDbStateStore& s = **store;
  const std::string shared = dir.Sub("shared/op-77de/0");

  auto start = std::chrono::steady_clock::now();
  WriteKeys(s, 0, kKeys, 0);
  std::printf("[ bench    ] wrote %llu keys x %zu B in %.1f s (%.0f MB live)\n",
              static_cast<unsigned long long>(kKeys), kValueBytes, Seconds(start),
              s.ApproximateBytes() / 1e6);

  start = std::chrono::steady_clock::now();
  auto first = s.Checkpoint(1, dir.Sub("chk-1/op-77de/0.rocks"), shared);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  std::printf("[ bench    ] checkpoint 1 (full):        %.3f s, %zu files, %.0f MB\n",
              Seconds(start), first->files.size(), first->TotalBytes() / 1e6);

  WriteKeys(s, 0, kKeys / 100, 1);  // 1% of the keys change
  start = std::chrono::steady_clock::now();
  auto second = s.Checkpoint(2, dir.Sub("chk-2/op-77de/0.rocks"), shared);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  uint64_t new_bytes = 0;
  const auto old_names = first->SharedFileNames();
  for (const StateFile& f : second->files) {
    if (f.shared &&
        std::find(old_names.begin(), old_names.end(), f.stored_name) == old_names.end()) {
      new_bytes += f.bytes;
    }
  }
  std::printf("[ bench    ] checkpoint 2 (1%% changed):  %.3f s, %zu files, %.0f MB, %.1f MB new\n",
              Seconds(start), second->files.size(), second->TotalBytes() / 1e6, new_bytes / 1e6);

  MeasureRestore(*env, *second, dir.Sub("r1"), false, "(hard links):");
  MeasureRestore(*env, *second, dir.Sub("r2"), true, "(hard links, crc32c verified):");
  // /dev/shm is another file system: links fail and every SST is copied.
  if (std::filesystem::is_directory("/dev/shm")) {
    const std::string other = "/dev/shm/sluice-state-bench-" + std::to_string(getpid());
    MeasureRestore(*env, *second, other, false, "(copies, other file system):");
    std::filesystem::remove_all(other);
  }
}

}  // namespace
}  // namespace sluice
