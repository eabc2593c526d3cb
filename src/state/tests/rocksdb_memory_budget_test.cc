// More state than memory: with a 16 MB budget, a few hundred MB of values go through a store and
// come back intact while the process's resident memory grows by a fraction of the data.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "state/rocksdb_state_store.h"
#include "state/tests/state_test_util.h"

namespace sluice {
namespace {

using testing_state::Key;
using testing_state::ResidentBytes;
using testing_state::TempDir;
using testing_state::Value;

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer keeps freed memory in quarantine (256 MB by default) and slows RocksDB ten
// times: the sanitizer build checks the round trip with fewer keys, and resident memory says
// nothing there.
constexpr bool kMeasuresResidentMemory = false;
constexpr uint64_t kKeys = 300'000;
#else
constexpr bool kMeasuresResidentMemory = true;
constexpr uint64_t kKeys = 3'000'000;
#endif
constexpr int64_t kBudget = int64_t{16} << 20;
constexpr size_t kValueBytes = 128;
constexpr uint64_t kBatch = 10'000;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(RocksDbMemoryBudgetTest, MoreKeysThanTheBudgetRoundTripWithBoundedResidentMemory) {
  TempDir dir;
  RocksDbEnvironmentOptions options;
  options.memory_budget_bytes = kBudget;
  auto env = RocksDbEnvironment::Create(options);
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  auto opened = RocksDbStateStore::Open(*env, dir.Sub("op-0"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  RocksDbStateStore& store = **opened;
  const uint64_t rss_before = ResidentBytes();
  uint64_t rss_peak = rss_before;

  // Write: batches as a spilling operator would hand them over.
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> keys(kBatch);
  std::vector<std::string> values(kBatch);
  std::vector<KeyValueRef> puts(kBatch);
  for (uint64_t first = 0; first < kKeys; first += kBatch) {
    for (uint64_t i = 0; i < kBatch; ++i) {
      keys[i] = Key(first + i);
      values[i] = Value(first + i, kValueBytes);
      puts[i] = {keys[i], values[i]};
    }
    ASSERT_TRUE(store.Put(puts).ok());
    if (first % (kBatch * 20) == 0) rss_peak = std::max(rss_peak, ResidentBytes());
  }
  const double write_s = SecondsSince(start);

  // Read everything back, one MultiGet per batch, in key order and then in a scattered order.
  start = std::chrono::steady_clock::now();
  std::vector<std::string_view> views(kBatch);
  std::vector<std::optional<std::string>> got;
  uint64_t checked = 0;
  for (uint64_t first = 0; first < kKeys; first += kBatch) {
    for (uint64_t i = 0; i < kBatch; ++i) {
      keys[i] = Key(first + i);
      views[i] = keys[i];
    }
    Status status = store.MultiGet(views, &got);
    ASSERT_TRUE(status.ok()) << status.ToString();
    for (uint64_t i = 0; i < kBatch; ++i) {
      ASSERT_TRUE(got[i].has_value()) << keys[i];
      ASSERT_EQ(*got[i], Value(first + i, kValueBytes)) << keys[i];
      ++checked;
    }
    if (first % (kBatch * 20) == 0) rss_peak = std::max(rss_peak, ResidentBytes());
  }
  const double read_s = SecondsSince(start);
  EXPECT_EQ(checked, kKeys);

  start = std::chrono::steady_clock::now();
  uint64_t x = 12345;
  for (int round = 0; round < 20; ++round) {
    std::vector<uint64_t> ids(kBatch);
    for (uint64_t i = 0; i < kBatch; ++i) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      ids[i] = (x >> 33) % (kKeys + kKeys / 10);  // ~9% of them were never written
      keys[i] = Key(ids[i]);
      views[i] = keys[i];
    }
    ASSERT_TRUE(store.MultiGet(views, &got).ok());
    for (uint64_t i = 0; i < kBatch; ++i) {
      if (ids[i] < kKeys) {
        ASSERT_EQ(got[i], Value(ids[i], kValueBytes)) << keys[i];
      } else {
        ASSERT_FALSE(got[i].has_value()) << keys[i];
      }
    }
  }
  const double random_s = SecondsSince(start);
  rss_peak = std::max(rss_peak, ResidentBytes());

  const uint64_t data_bytes = kKeys * (kValueBytes + Key(0).size());
  const uint64_t growth = rss_peak > rss_before ? rss_peak - rss_before : 0;
  std::printf(
      "[ budget   ] %llu keys, %.0f MB of data, budget %lld MB: write %.1f s, ordered reads "
      "%.1f s, 200k random reads %.1f s; on disk %.0f MB; RSS %.0f MB -> peak %.0f MB "
      "(+%.0f MB); cache usage %.1f MB\n",
      static_cast<unsigned long long>(kKeys), data_bytes / 1e6,
      static_cast<long long>(kBudget >> 20), write_s, read_s, random_s,
      store.ApproximateBytes() / 1e6, rss_before / 1e6, rss_peak / 1e6, growth / 1e6,
      (*env)->cache_usage() / 1e6);
  // A non-strict cache: pinned blocks may exceed the budget by a little (at most ~2 MB here).
  EXPECT_LE((*env)->cache_usage(), static_cast<uint64_t>(kBudget) + (uint64_t{2} << 20));
  // The cache is 16 MB; allow RocksDB's table readers, allocator slack and the test's own
  // buffers, but far from holding the data.
  if (kMeasuresResidentMemory) EXPECT_LT(growth, data_bytes / 4);
}

}  // namespace
}  // namespace sluice
