#pragma once
// OrdersSource: the order-event generator as a source. Split i of p emits the events
// i, i + p, i + 2p, … (interleaved, so every split's event time advances at the same pace and
// per-split watermarks stay close); with number-of-rows n, split i emits n / p events plus one
// when i < n % p. The events do not depend on the number of splits.
//
// Checkpoints: a split's position is {"next":<events it emitted>,"start_time_ms":<event time of
// event 0>} (+ "raw_bytes":<raw file length> with orders.raw-path, + "ended":true when done).
// A restore resumes at event split + next * p; with orders.start-time = 'now' it keeps the
// saved start time, and the raw file is cut back to its length at the checkpoint. The rate
// limiter starts afresh. A restore at another parallelism is refused, naming both.

#include <memory>
#include <vector>

#include "connectors/orders/orders_options.h"
#include "runtime/source.h"

namespace sluice {

class OrdersSource final : public Source {
 public:
  OrdersSource(Schema schema, OrdersConfig config)
      : schema_(std::move(schema)), config_(std::move(config)) {}

  Result<std::vector<SourceSplit>> ListSplits(int parallelism) override;
  Result<std::unique_ptr<SplitReader>> CreateReader(const SourceSplit& split) override;
  bool IsBounded() const override { return config_.number_of_rows.has_value(); }
  Status EnableCheckpointing() override { return Status::OK(); }

  /// Where split `index` of `splits` writes its raw rows ("" when orders.raw-path is unset).
  static std::string RawPathFor(const std::string& raw_path, int index, int splits);

 private:
  Schema schema_;
  OrdersConfig config_;
  int splits_ = 0;
};

}  // namespace sluice
