#pragma once
// RocksDbEnvironment: what every RocksDB store of a job shares, created once per job
// (docs/design/checkpoints.md §4.2): one LRU block cache whose capacity is the memory budget
// 'sluice.state.memory-budget', and a write buffer manager charged to that cache, so memtables,
// data blocks, index and filter blocks of all stores together stay within the budget however
// many operator instances there are. Also the TTL and its clock.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "runtime/session_config.h"

namespace rocksdb {
class Cache;
class WriteBufferManager;
class CompactionFilter;
}  // namespace rocksdb

namespace sluice {

struct RocksDbEnvironmentOptions {
  /// The whole budget of all stores: block cache capacity, memtables charged to it.
  int64_t memory_budget_bytes = int64_t{256} << 20;
  /// Share of the budget memtables may take (Flink's write-buffer-ratio).
  double write_buffer_ratio = 0.5;
  /// Share of the cache kept for index and filter blocks (Flink's high-prio-pool-ratio).
  double high_priority_pool_ratio = 0.1;
  /// Off by default, as in Flink: RocksDB 7.8.3's MultiGet mishandles a failed cache insert
  /// (assertion in table/format.cc, RetrieveMultipleBlocks), which a strict cache produces
  /// whenever pinned blocks and memtable reservations fill it. Without it the cache may exceed
  /// its capacity only by what is pinned at that moment (MultiGet pins at most 128 blocks).
  bool strict_capacity_limit = false;
  /// 'table.exec.state.ttl' in milliseconds; 0 keeps entries forever.
  int64_t ttl_millis = 0;
  /// Processing time in milliseconds (wall clock when empty); tests inject their own. Called
  /// from compaction threads too: it must be thread-safe.
  std::function<int64_t()> clock;

  /// Reads 'sluice.state.memory-budget' (Flink memory size text, e.g. '256 mb') and
  /// 'table.exec.state.ttl' (a duration); a bad value is a user error naming the key.
  static Result<RocksDbEnvironmentOptions> FromConfig(const SessionConfig& config);
};

class RocksDbEnvironment {
 public:
  static Result<std::shared_ptr<RocksDbEnvironment>> Create(RocksDbEnvironmentOptions options);
  ~RocksDbEnvironment();

  const RocksDbEnvironmentOptions& options() const { return options_; }
  const std::shared_ptr<rocksdb::Cache>& cache() const { return cache_; }
  const std::shared_ptr<rocksdb::WriteBufferManager>& write_buffer_manager() const {
    return write_buffer_manager_;
  }
  /// The TTL compaction filter (drops expired entries), null when there is no TTL.
  const rocksdb::CompactionFilter* compaction_filter() const { return filter_.get(); }
  /// One memtable's size: a share of the write buffer budget.
  size_t write_buffer_size() const;

  int64_t NowMillis() const;
  bool ttl_enabled() const { return options_.ttl_millis > 0; }
  /// Bytes the cache holds now (blocks and memtable reservations).
  uint64_t cache_usage() const;

 private:
  RocksDbEnvironment() = default;

  RocksDbEnvironmentOptions options_;
  std::shared_ptr<rocksdb::Cache> cache_;
  std::shared_ptr<rocksdb::WriteBufferManager> write_buffer_manager_;
  std::unique_ptr<rocksdb::CompactionFilter> filter_;
};

}  // namespace sluice
