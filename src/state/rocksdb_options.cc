#include "state/rocksdb_options.h"

#include <rocksdb/convenience.h>
#include <rocksdb/file_checksum.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

#include <algorithm>

namespace sluice {
namespace {

/// LZ4 (fast, good enough on serialized groups), else Snappy, else none: whatever the installed
/// library was built with.
rocksdb::CompressionType PickCompression() {
  const auto supported = rocksdb::GetSupportedCompressions();
  for (auto preferred : {rocksdb::kLZ4Compression, rocksdb::kSnappyCompression}) {
    if (std::find(supported.begin(), supported.end(), preferred) != supported.end()) {
      return preferred;
    }
  }
  return rocksdb::kNoCompression;
}

}  // namespace

rocksdb::Options StoreOptions(const RocksDbEnvironment& env) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.write_buffer_manager = env.write_buffer_manager();
  options.write_buffer_size = env.write_buffer_size();
  options.max_write_buffer_number = 2;
  options.max_background_jobs = 2;
  // Table readers stay open: a restore opens every file once, reads never reopen.
  options.max_open_files = -1;
  options.level_compaction_dynamic_level_bytes = true;
  options.compression = PickCompression();
  options.compaction_filter = env.compaction_filter();
  // Checksums are computed while SSTs are written; checkpoints record them for free.
  options.file_checksum_gen_factory = rocksdb::GetFileChecksumGenCrc32cFactory();
  // The live database is scratch (no WAL, recovery comes from checkpoints): close fast.
  options.avoid_flush_during_shutdown = true;
  options.info_log_level = rocksdb::WARN_LEVEL;
  options.keep_log_file_num = 2;
  options.max_log_file_size = size_t{1} << 20;
  options.stats_dump_period_sec = 0;
  options.stats_persist_period_sec = 0;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = env.cache();
  // Index and filter blocks are charged to the budget too, kept in the high-priority pool, and
  // partitioned so that a small budget holds only the partitions in use.
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_l0_filter_and_index_blocks_in_cache = false;
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.metadata_block_size = 4096;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.optimize_filters_for_memory = true;
  table.block_size = 16 * 1024;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

Status FromRocks(const rocksdb::Status& status, const std::string& what) {
  if (status.ok()) return Status::OK();
  std::string message = what + ": " + status.ToString();
  if (status.IsCorruption()) return Status::DecodeError(std::move(message));
  if (status.IsNotFound()) return Status::NotFound(std::move(message));
  if (status.IsIOError()) return Status::IoError(std::move(message));
  if (status.IsInvalidArgument()) return Status::InvalidArgument(std::move(message));
  return Status::RuntimeError(std::move(message));
}

}  // namespace sluice
