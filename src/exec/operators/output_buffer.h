#pragma once
// OutputBuffer: coalesces the many small batches an operator produces while firing windows (one
// per window) into batches of about kTargetRows, in order, before they reach the collector.

#include "runtime/operator.h"

namespace sluice {

class OutputBuffer {
 public:
  static constexpr size_t kTargetRows = 4096;

  /// Queues `batch`; hands the queue to `out` once it holds kTargetRows rows.
  Status Add(Batch batch, Collector& out, OperatorMetrics* metrics);
  /// Hands whatever is queued to `out` (counting rows_out).
  Status Flush(Collector& out, OperatorMetrics* metrics);

 private:
  Batch pending_;
};

}  // namespace sluice
