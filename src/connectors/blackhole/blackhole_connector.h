#pragma once
// 'connector' = 'blackhole': swallows every row (for benchmarks and dry runs). No options.

#include <atomic>
#include <cstdint>

#include "connectors/connector.h"

namespace sluice {

extern const ConnectorSpec kBlackholeConnector;

/// The sink: its writers only count rows (and changelog kinds do not matter).
class BlackholeSink final : public Sink {
 public:
  Result<std::unique_ptr<SinkWriter>> CreateWriter(int instance, int parallelism) override;
  /// Rows written by all writers so far.
  uint64_t rows() const { return rows_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> rows_{0};
};

}  // namespace sluice
