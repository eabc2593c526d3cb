// Reads and writes of RocksDbStateStore, TTL and the environment's settings.

#include "state/rocksdb_state_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "common/memory_size.h"
#include "state/tests/state_test_util.h"

namespace sluice {
namespace {

using testing_state::Key;
using testing_state::TempDir;

std::shared_ptr<RocksDbEnvironment> MakeEnv(int64_t budget = int64_t{32} << 20) {
  RocksDbEnvironmentOptions options;
  options.memory_budget_bytes = budget;
  auto env = RocksDbEnvironment::Create(options);
  EXPECT_TRUE(env.ok()) << env.status().ToString();
  return *env;
}

std::vector<std::optional<std::string>> Get(RocksDbStateStore& store,
                                            const std::vector<std::string>& keys) {
  std::vector<std::string_view> views(keys.begin(), keys.end());
  std::vector<std::optional<std::string>> values;
  Status status = store.MultiGet(views, &values);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return values;
}

TEST(RocksDbStateStoreTest, PutGetDeleteMultiGet) {
  TempDir dir;
  auto store = RocksDbStateStore::Open(MakeEnv(), dir.Sub("op-1"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  RocksDbStateStore& s = **store;

  std::vector<KeyValueRef> puts = {{"a", "1"}, {"b", "22"}, {"c", ""}, {"d", "4444"}};
  ASSERT_TRUE(s.Put(puts).ok());
  auto values = Get(s, {"a", "b", "c", "d", "e"});
  ASSERT_EQ(values.size(), 5u);
  EXPECT_EQ(values[0], "1");
  EXPECT_EQ(values[1], "22");
  EXPECT_EQ(values[2], "");  // an empty value is present, not absent
  EXPECT_EQ(values[3], "4444");
  EXPECT_FALSE(values[4].has_value());

  std::vector<std::string_view> deletes = {"b", "zz"};
  ASSERT_TRUE(s.Delete(deletes).ok());
  values = Get(s, {"b", "a"});
  EXPECT_FALSE(values[0].has_value());
  EXPECT_EQ(values[1], "1");

  // One batch: overwrite and delete together; a key both put and deleted ends deleted.
  std::vector<KeyValueRef> more = {{"a", "one"}, {"c", "three"}};
  std::vector<std::string_view> gone = {"c", "d"};
  ASSERT_TRUE(s.Write(more, gone).ok());
  values = Get(s, {"a", "c", "d"});
  EXPECT_EQ(values[0], "one");
  EXPECT_FALSE(values[1].has_value());
  EXPECT_FALSE(values[2].has_value());

  // Keys and values with zero bytes and duplicates within one MultiGet.
  const std::string binary_key("x\0y", 3);
  const std::string binary_value("\0\1\2", 3);
  std::vector<KeyValueRef> binary = {{binary_key, binary_value}};
  ASSERT_TRUE(s.Put(binary).ok());
  values = Get(s, {binary_key, binary_key, "x"});
  EXPECT_EQ(values[0], binary_value);
  EXPECT_EQ(values[1], binary_value);
  EXPECT_FALSE(values[2].has_value());
}

TEST(RocksDbStateStoreTest, ScanIsInKeyOrderAndSeesFlushedAndUnflushedData) {
  TempDir dir;
  auto store = RocksDbStateStore::Open(MakeEnv(), dir.Sub("op-1"));
  ASSERT_TRUE(store.ok());
  std::vector<std::string> keys;
  std::vector<std::string> values;
  for (int i = 999; i >= 0; --i) {
    keys.push_back(Key(i));
    values.push_back(Key(i) + "-v");
  }
  std::vector<KeyValueRef> puts;
  for (size_t i = 0; i < keys.size(); ++i) puts.push_back({keys[i], values[i]});
  ASSERT_TRUE((*store)->Put(std::span(puts).first(500)).ok());
  ASSERT_TRUE((*store)->Compact().ok());  // half on disk, half in the memtable
  ASSERT_TRUE((*store)->Put(std::span(puts).subspan(500)).ok());

  auto scan = (*store)->Scan();
  ASSERT_TRUE(scan.ok());
  int n = 0;
  for (; (*scan)->Valid(); (*scan)->Next(), ++n) {
    ASSERT_EQ((*scan)->key(), Key(n));
    ASSERT_EQ((*scan)->value(), Key(n) + "-v");
  }
  EXPECT_TRUE((*scan)->status().ok());
  EXPECT_EQ(n, 1000);
  EXPECT_GT((*store)->ApproximateBytes(), 0u);
}

TEST(RocksDbStateStoreTest, OpenDiscardsWhatAnEarlierRunLeft) {
  TempDir dir;
  auto env = MakeEnv();
  const std::string path = RocksDbInstanceDirectory(dir.path(), "77de", 1);
  EXPECT_EQ(path, dir.path() + "/77de-1");
  {
    auto store = RocksDbStateStore::Open(env, path);
    ASSERT_TRUE(store.ok());
    std::vector<KeyValueRef> puts = {{"a", "1"}};
    ASSERT_TRUE((*store)->Put(puts).ok());
    // A crash leaves the directory behind: simulate by keeping a copy.
    ASSERT_TRUE((*store)->Compact().ok());
    std::filesystem::copy(path, dir.Sub("left"), std::filesystem::copy_options::recursive);
  }
  EXPECT_FALSE(std::filesystem::exists(path));  // the destructor removes the scratch directory
  std::filesystem::rename(dir.Sub("left"), path);
  auto store = RocksDbStateStore::Open(env, path);
  ASSERT_TRUE(store.ok());
  EXPECT_FALSE(Get(**store, {"a"})[0].has_value());
}

TEST(RocksDbStateStoreTest, TtlExpiresOnReadAndCompactionDropsExpiredEntries) {
  TempDir dir;
  auto now = std::make_shared<std::atomic<int64_t>>(1'000'000);
  RocksDbEnvironmentOptions options;
  options.memory_budget_bytes = int64_t{16} << 20;
  options.ttl_millis = 100;
  options.clock = [now] { return now->load(); };
  auto env = RocksDbEnvironment::Create(options);
  ASSERT_TRUE(env.ok());
  auto store = RocksDbStateStore::Open(*env, dir.Sub("op"));
  ASSERT_TRUE(store.ok());
  RocksDbStateStore& s = **store;

  std::vector<KeyValueRef> first = {{"a", "1"}, {"b", "2"}, {"c", "3"}};
  ASSERT_TRUE(s.Put(first).ok());  // written at 1'000'000
  now->store(1'000'060);
  std::vector<KeyValueRef> refresh = {{"b", "2b"}};
  ASSERT_TRUE(s.Put(refresh).ok());  // a write refreshes b's time

  now->store(1'000'099);
  auto values = Get(s, {"a", "b", "c"});
  EXPECT_EQ(values[0], "1");
  EXPECT_EQ(values[1], "2b");
  EXPECT_EQ(values[2], "3");

  now->store(1'000'100);  // a and c reach the TTL, b (written at +60) does not
  values = Get(s, {"a", "b", "c"});
  EXPECT_FALSE(values[0].has_value());
  EXPECT_EQ(values[1], "2b");
  EXPECT_FALSE(values[2].has_value());
  auto scan = s.Scan();
  ASSERT_TRUE(scan.ok());
  ASSERT_TRUE((*scan)->Valid());
  EXPECT_EQ((*scan)->key(), "b");
  (*scan)->Next();
  EXPECT_FALSE((*scan)->Valid());

  // The compaction filter removes a and c for good: back in time, they stay gone while b,
  // which was not expired at compaction time, is back.
  ASSERT_TRUE(s.Compact().ok());
  now->store(1'000'010);
  values = Get(s, {"a", "b", "c"});
  EXPECT_FALSE(values[0].has_value());
  EXPECT_EQ(values[1], "2b");
  EXPECT_FALSE(values[2].has_value());
}

TEST(RocksDbStateStoreTest, WithoutTtlNothingExpires) {
  TempDir dir;
  auto now = std::make_shared<std::atomic<int64_t>>(0);
  RocksDbEnvironmentOptions options;
  options.memory_budget_bytes = int64_t{16} << 20;
  options.clock = [now] { return now->load(); };
  auto env = RocksDbEnvironment::Create(options);
  ASSERT_TRUE(env.ok());
  EXPECT_FALSE((*env)->ttl_enabled());
  EXPECT_EQ((*env)->compaction_filter(), nullptr);
  auto store = RocksDbStateStore::Open(*env, dir.Sub("op"));
  ASSERT_TRUE(store.ok());
  std::vector<KeyValueRef> puts = {{"a", "1"}};
  ASSERT_TRUE((*store)->Put(puts).ok());
  now->store(int64_t{1} << 50);
  ASSERT_TRUE((*store)->Compact().ok());
  EXPECT_EQ(Get(**store, {"a"})[0], "1");
}

TEST(RocksDbEnvironmentTest, OptionsFromConfig) {
  SessionConfig config;
  auto defaults = RocksDbEnvironmentOptions::FromConfig(config);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->memory_budget_bytes, int64_t{256} << 20);
  EXPECT_EQ(defaults->ttl_millis, 0);

  config.Set("sluice.state.memory-budget", "64 mb");
  config.Set("table.exec.state.ttl", "1 h");
  auto parsed = RocksDbEnvironmentOptions::FromConfig(config);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->memory_budget_bytes, int64_t{64} << 20);
  EXPECT_EQ(parsed->ttl_millis, 3'600'000);

  config.Set("sluice.state.memory-budget", "64 parsecs");
  auto bad = RocksDbEnvironmentOptions::FromConfig(config);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("sluice.state.memory-budget"), std::string::npos);
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidOption);
}

TEST(RocksDbEnvironmentTest, MemorySizes) {
  EXPECT_EQ(*ParseMemorySize("256 mb"), int64_t{256} << 20);
  EXPECT_EQ(*ParseMemorySize("1g"), int64_t{1} << 30);
  EXPECT_EQ(*ParseMemorySize("512 KB"), int64_t{512} << 10);
  EXPECT_EQ(*ParseMemorySize("1000"), 1000);
  EXPECT_FALSE(ParseMemorySize("mb").ok());
  EXPECT_FALSE(ParseMemorySize("").ok());
  EXPECT_FALSE(ParseMemorySize("99999999999999 tb").ok());
}

TEST(RocksDbEnvironmentTest, RejectsATooSmallBudget) {
  RocksDbEnvironmentOptions options;
  options.memory_budget_bytes = 1 << 20;
  auto env = RocksDbEnvironment::Create(options);
  ASSERT_FALSE(env.ok());
  EXPECT_NE(env.status().message().find("at least 8 mb"), std::string::npos);
}

TEST(RocksDbEnvironmentTest, StoresShareOneCacheWithinTheBudget) {
  TempDir dir;
  auto env = MakeEnv(int64_t{16} << 20);
  auto a = RocksDbStateStore::Open(env, dir.Sub("a"));
  auto b = RocksDbStateStore::Open(env, dir.Sub("b"));
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string value = testing_state::Value(1, 1000);
  for (int round = 0; round < 20; ++round) {
    std::vector<std::string> keys;
    for (int i = 0; i < 1000; ++i) keys.push_back(Key(round * 1000 + i));
    std::vector<KeyValueRef> puts;
    for (const std::string& k : keys) puts.push_back({k, value});
    ASSERT_TRUE((*a)->Put(puts).ok());
    ASSERT_TRUE((*b)->Put(puts).ok());
  }
  // Memtables of both stores are charged to the one cache. It is not strict (see
  // RocksDbEnvironmentOptions::strict_capacity_limit): blocks pinned at that moment may exceed
  // the capacity by a little, never by the data's size.
  EXPECT_GT(env->cache_usage(), 0u);
  EXPECT_LE(env->cache_usage(), (uint64_t{16} << 20) + (uint64_t{2} << 20));
}

}  // namespace
}  // namespace sluice
