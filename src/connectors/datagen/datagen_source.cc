#include "connectors/datagen/datagen_source.h"

#include <algorithm>
#include <chrono>

#include <simdjson.h>

#include "connectors/datagen/field_generator.h"
#include "connectors/datagen/generator_position.h"
#include "connectors/datagen/rate_limiter.h"

namespace sluice {

namespace {

class DatagenSplitReader final : public SplitReader {
 public:
  DatagenSplitReader(const Schema& schema, const DatagenConfig& config, const TimeZone& zone,
                     std::string stream, int split, int splits)
      : schema_(schema),
        zone_(zone),
        limiter_(config.rows_per_second / splits),
        stream_(std::move(stream)),
        splits_(splits) {
    std::optional<int64_t> total = config.TotalRows();
    int64_t first = 0;
    if (total) {
      // Contiguous shares; the first total % splits splits get one row more.
      const int64_t base = *total / splits;
      const int64_t extra = *total % splits;
      first = split * base + std::min<int64_t>(split, extra);
      remaining_ = base + (split < extra ? 1 : 0);
      share_ = remaining_;
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

  Status SnapshotPositions(std::vector<StreamPosition>* out) const override {
    std::string state = "{\"next\":" + std::to_string(emitted_) + ",\"random\":[";
    for (size_t c = 0; c < generators_.size(); ++c) {
      state += c > 0 ? ",\"" : "\"";
      state += HexState(generators_[c].values_state());
      state += "\",\"";
      state += HexState(generators_[c].nulls_state());
      state += '"';
    }
    state += remaining_ && *remaining_ == 0 ? "],\"ended\":true}" : "]}";
    out->push_back({stream_, std::move(state)});
    return Status::OK();
  }

  Status RestorePositions(const std::vector<StreamPosition>& positions) override {
    SLUICE_RETURN_IF_ERROR(CheckSavedParallelism("datagen", positions, splits_));
    const StreamPosition* saved = FindStreamPosition(positions, stream_);
    if (!saved) return Status::OK();
    auto bad = [&](const std::string& why) {
      return Status::InvalidArgument("datagen source: position of " + stream_ + " " + why + ": " +
                                     saved->state);
    };
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    simdjson::dom::array random;
    uint64_t next = 0;
    if (parser.parse(saved->state).get(root) || root["next"].get(next) ||
        root["random"].get(random)) {
      return bad("lacks 'next' or 'random'");
    }
    if (random.size() != 2 * generators_.size()) {
      return bad("was saved for " + std::to_string(random.size() / 2) + " columns, the table has " +
                 std::to_string(generators_.size()));
    }
    std::vector<uint64_t> states;
    for (simdjson::dom::element element : random) {
      std::string_view hex;
      uint64_t value = 0;
      if (element.get(hex) || !ParseHexState(hex, &value)) return bad("has a bad random state");
      states.push_back(value);
    }
    if (share_ && static_cast<int64_t>(next) > *share_) {
      return bad("is past the split's " + std::to_string(*share_) + " rows");
    }
    for (size_t c = 0; c < generators_.size(); ++c) {
      generators_[c].RestoreState(states[2 * c], states[2 * c + 1]);
    }
    emitted_ = next;
    if (share_) remaining_ = *share_ - static_cast<int64_t>(next);
    return Status::OK();
  }

  std::string StreamName(int64_t stream) const override { return stream_; }

 private:
  Schema schema_;
  TimeZone zone_;
  RateLimiter limiter_;
  std::vector<FieldGenerator> generators_;
  std::optional<int64_t> remaining_;  // none: unbounded
  std::optional<int64_t> share_;      // rows of the split in all; none: unbounded
  uint64_t emitted_ = 0;
  std::string stream_;  // the split id: the key of the saved position
  int splits_;
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
  return std::unique_ptr<SplitReader>(std::make_unique<DatagenSplitReader>(
      schema_, config_, zone_, split.id, split.index, splits_));
}

}  // namespace sluice
