#include "state/ttl_value.h"

#include <rocksdb/compaction_filter.h>

#include "state/rocksdb_environment.h"

namespace sluice {
namespace {

class TtlCompactionFilter : public rocksdb::CompactionFilter {
 public:
  explicit TtlCompactionFilter(const RocksDbEnvironment* env) : env_(env) {}

  // Called by compaction threads: reads the clock, keeps no state.
  bool Filter(int /*level*/, const rocksdb::Slice& /*key*/, const rocksdb::Slice& existing,
              std::string* /*new_value*/, bool* /*value_changed*/) const override {
    int64_t written = 0;
    std::string_view value;
    if (!SplitTtlValue(std::string_view(existing.data(), existing.size()), &written, &value)) {
      return false;  // keep what we cannot read: a read reports it
    }
    return TtlExpired(written, env_->NowMillis(), env_->options().ttl_millis);
  }

  const char* Name() const override { return "sluice.TtlCompactionFilter"; }

 private:
  const RocksDbEnvironment* env_;
};

}  // namespace

std::unique_ptr<rocksdb::CompactionFilter> MakeTtlCompactionFilter(const RocksDbEnvironment* env) {
  return std::make_unique<TtlCompactionFilter>(env);
}

}  // namespace sluice
