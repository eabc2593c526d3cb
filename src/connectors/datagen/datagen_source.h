#pragma once
// DatagenSource: Flink's datagen connector. The rows (number-of-rows, or the sequences' length)
// are divided into `parallelism` splits, each a contiguous share (split i of p gets rows
// [i*n/p, (i+1)*n/p), and the matching contiguous range of every sequence); rows-per-second is
// divided evenly too. Unbounded when neither number-of-rows nor a sequence is given.
//
// Checkpoints: a split's position is {"next":<rows it emitted>,"random":[<value state>,
// <NULL state>, ... per column, 16 hex digits each]} (+ "ended":true when it is done); after a
// restore it emits exactly the rows an uninterrupted run would have (random TIMESTAMP/DATE
// columns excepted: they follow the wall clock). The rate limiter starts afresh. Splits depend
// on their number, so a restore at another parallelism is refused, naming both.

#include <memory>
#include <vector>

#include "connectors/datagen/datagen_options.h"
#include "runtime/source.h"
#include "types/time_zone.h"

namespace sluice {

class DatagenSource final : public Source {
 public:
  DatagenSource(Schema schema, DatagenConfig config, TimeZone zone)
      : schema_(std::move(schema)), config_(std::move(config)), zone_(std::move(zone)) {}

  Result<std::vector<SourceSplit>> ListSplits(int parallelism) override;
  Result<std::unique_ptr<SplitReader>> CreateReader(const SourceSplit& split) override;
  bool IsBounded() const override { return config_.TotalRows().has_value(); }
  Status EnableCheckpointing() override { return Status::OK(); }

 private:
  Schema schema_;
  DatagenConfig config_;
  TimeZone zone_;
  int splits_ = 0;
};

}  // namespace sluice
