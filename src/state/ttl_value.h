#pragma once
// Value format of the RocksDB stores: 8 bytes of write time (processing time in milliseconds,
// little-endian) before the caller's bytes. Every value carries it, TTL or not, so a job can turn
// 'table.exec.state.ttl' on or change it and restore its old state (Flink refuses that change).
// The time is refreshed by every write, as Flink's default OnCreateAndWrite.

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace rocksdb {
class CompactionFilter;
}

namespace sluice {

class RocksDbEnvironment;

constexpr size_t kTtlPrefixBytes = 8;

inline void AppendTtlPrefix(int64_t write_millis, std::string* out) {
  char bytes[kTtlPrefixBytes];
  std::memcpy(bytes, &write_millis, kTtlPrefixBytes);
  out->append(bytes, kTtlPrefixBytes);
}

/// False for a value too short to carry the prefix (corrupt).
inline bool SplitTtlValue(std::string_view stored, int64_t* write_millis, std::string_view* value) {
  if (stored.size() < kTtlPrefixBytes) return false;
  std::memcpy(write_millis, stored.data(), kTtlPrefixBytes);
  *value = stored.substr(kTtlPrefixBytes);
  return true;
}

/// Expired when ttl > 0 and written at or before now - ttl.
inline bool TtlExpired(int64_t write_millis, int64_t now_millis, int64_t ttl_millis) {
  return ttl_millis > 0 && now_millis - write_millis >= ttl_millis;
}

/// A compaction filter that drops entries expired at the time compaction looks at them.
/// `env` must outlive the filter (it owns the filter).
std::unique_ptr<rocksdb::CompactionFilter> MakeTtlCompactionFilter(const RocksDbEnvironment* env);

}  // namespace sluice
