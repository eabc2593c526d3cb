#include "connectors/datagen/datagen_source.h"

#include <algorithm>
#include <chrono>

#include "connectors/datagen/field_generator.h"
#include "connectors/datagen/rate_limiter.h"

namespace sluice {

namespace {

class DatagenSplitReader final : public SplitReader {
 public:
  DatagenSplitReader(const Schema& schema, const DatagenConfig& config, const TimeZone& zone,
                     int split, int splits)
      : schema_(schema), zone_(zone), limiter_(config.rows_per_second / splits) {
    std::optional<int64_t> total = config.TotalRows();
    int64_t first = 0;
    if (total) {
      // Contiguous shares; the first total % splits splits get one row more.
      const int64_t base = *total / splits;
      const int64_t extra = *total % splits;
      first = split * base + std::min<int64_t>(split, extra);
      remaining_ = base + (split < extra ? 1 : 0);
    }
    for (size_t c = 0; c < config.fields.size(); ++c) {
      generators_.emplace_back(config.fields[c], SeedFor(config.seed, split + 1, c + 1), first);
    }
  }

  Result<Batch> Poll(size_t max_rows, bool* end_of_split) override {
    size_t wanted = max_rows;
    if (remaining_) {
      if (*remaining_ == 0) {
        *end_of_split = true;
        return Batch::Empty(schema_);
      }
      wanted = static_cast<size_t>(std::min<int64_t>(*remaining_, static_cast<int64_t>(wanted)));
    }
    const size_t count = limiter_.Acquire(wanted);
    Batch batch = Batch::Empty(schema_, count);
    if (count == 0) return batch;
    GeneratorClock clock;
    clock.now_utc_micros = std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    clock.now_local_micros = zone_.ToLocal(clock.now_utc_micros);
    for (size_t c = 0; c < generators_.size(); ++c) {
      Column* column = batch.mutable_column(c).get();
      column->Resize(count);
      generators_[c].Fill(column, count, emitted_, clock);
    }
    batch.set_num_rows(count);
    emitted_ += count;
    if (remaining_) {
      *remaining_ -= static_cast<int64_t>(count);
      if (*remaining_ == 0) *end_of_split = true;
    }
    return batch;
  }

  std::string Position() const override { return "row " + std::to_string(emitted_); }

 private:
  Schema schema_;
  TimeZone zone_;
  RateLimiter limiter_;
  std::vector<FieldGenerator> generators_;
  std::optional<int64_t> remaining_;  // none: unbounded
  uint64_t emitted_ = 0;
};

}  // namespace

Result<std::vector<SourceSplit>> DatagenSource::ListSplits(int parallelism) {
  splits_ = std::max(1, parallelism);
  std::vector<SourceSplit> splits;
  for (int i = 0; i < splits_; ++i) {
    splits.push_back({"datagen:" + std::to_string(i) + "/" + std::to_string(splits_), i});
  }
  return splits;
}

Result<std::unique_ptr<SplitReader>> DatagenSource::CreateReader(const SourceSplit& split) {
  if (splits_ == 0 || split.index < 0 || split.index >= splits_) {
    return Status::Internal("datagen: split " + split.id + " was not listed by this source");
  }
  return std::unique_ptr<SplitReader>(
      std::make_unique<DatagenSplitReader>(schema_, config_, zone_, split.index, splits_));
}

}  // namespace sluice
