#include "state/rocksdb_environment.h"

#include <rocksdb/cache.h>
#include <rocksdb/compaction_filter.h>
#include <rocksdb/env.h>
#include <rocksdb/write_buffer_manager.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <limits>

#include "common/memory_size.h"
#include "state/ttl_value.h"

namespace sluice {
namespace {

constexpr int64_t kMinBudget = int64_t{8} << 20;

/// Fewer, larger shards than RocksDB's default (each shard is an LRU of its own with a share of
/// the capacity): a small budget split 64 ways would evict per sliver, and a shard must hold
/// the memtable reservations.
int ShardBits(int64_t capacity) {
  int bits = 0;
  while (bits < 6 && (capacity >> (bits + 1)) >= (int64_t{8} << 20)) ++bits;
  return bits;
}

}  // namespace

Result<RocksDbEnvironmentOptions> RocksDbEnvironmentOptions::FromConfig(
    const SessionConfig& config) {
  RocksDbEnvironmentOptions options;
  if (auto budget = config.Get("sluice.state.memory-budget")) {
    auto bytes = ParseMemorySize(*budget);
    if (!bytes.ok()) return bytes.status().WithContext("'sluice.state.memory-budget'");
    options.memory_budget_bytes = *bytes;
  }
  if (auto ttl = config.Get("table.exec.state.ttl")) {
    auto micros = ParseDuration(*ttl);
    if (!micros.ok()) return micros.status().WithContext("'table.exec.state.ttl'");
    if (*micros < 0) return Status::InvalidOption("'table.exec.state.ttl' must not be negative");
    // A TTL below one millisecond would still expire everything: round up.
    options.ttl_millis = *micros == 0 ? 0 : std::max<int64_t>(1, *micros / 1000);
  }
  return options;
}

Result<std::shared_ptr<RocksDbEnvironment>> RocksDbEnvironment::Create(
    RocksDbEnvironmentOptions options) {
  if (options.memory_budget_bytes < kMinBudget) {
    return Status::InvalidOption("'sluice.state.memory-budget' must be at least 8 mb, not " +
                                 std::to_string(options.memory_budget_bytes) + " bytes");
  }
  if (!(options.write_buffer_ratio > 0 && options.write_buffer_ratio < 1) ||
      !(options.high_priority_pool_ratio >= 0 && options.high_priority_pool_ratio < 1)) {
    return Status::InvalidOption("RocksDB write-buffer and high-priority ratios must be in (0, 1)");
  }
  std::shared_ptr<RocksDbEnvironment> env(new RocksDbEnvironment());
  env->options_ = std::move(options);
  const auto capacity = static_cast<size_t>(env->options_.memory_budget_bytes);
  rocksdb::LRUCacheOptions cache_options(
      capacity, ShardBits(env->options_.memory_budget_bytes),
      /*strict_capacity_limit=*/env->options_.strict_capacity_limit,
      env->options_.high_priority_pool_ratio);
  env->cache_ = rocksdb::NewLRUCache(cache_options);
  if (env->cache_ == nullptr) return Status::Internal("RocksDB: cannot create the block cache");
  // Memtables reserve their memory as dummy cache entries: both compete for one budget.
  env->write_buffer_manager_ = std::make_shared<rocksdb::WriteBufferManager>(
      static_cast<size_t>(capacity * env->options_.write_buffer_ratio), env->cache_,
      /*allow_stall=*/false);
  if (env->options_.ttl_millis > 0) env->filter_ = MakeTtlCompactionFilter(env.get());
  // Flushes and compactions of all stores share RocksDB's default thread pools.
  rocksdb::Env::Default()->IncBackgroundThreadsIfNeeded(2, rocksdb::Env::LOW);
  rocksdb::Env::Default()->IncBackgroundThreadsIfNeeded(1, rocksdb::Env::HIGH);
  return env;
}

RocksDbEnvironment::~RocksDbEnvironment() = default;

size_t RocksDbEnvironment::write_buffer_size() const {
  const size_t share = write_buffer_manager_->buffer_size() / 2;
  return std::clamp<size_t>(share, size_t{1} << 20, size_t{64} << 20);
}

int64_t RocksDbEnvironment::NowMillis() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

uint64_t RocksDbEnvironment::cache_usage() const {
  return cache_->GetUsage();
}

}  // namespace sluice
