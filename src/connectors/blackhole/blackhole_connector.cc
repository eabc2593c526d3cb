#include "connectors/blackhole/blackhole_connector.h"

namespace sluice {

namespace {

class BlackholeWriter final : public SinkWriter {
 public:
  explicit BlackholeWriter(std::atomic<uint64_t>* rows) : rows_(rows) {}
  Status Write(const Batch& batch) override {
    rows_->fetch_add(batch.num_rows(), std::memory_order_relaxed);
    return Status::OK();
  }
  Status Flush() override { return Status::OK(); }

 private:
  std::atomic<uint64_t>* rows_;
};

Result<std::unique_ptr<Sink>> MakeBlackholeSink(const TableContext& context) {
  return std::unique_ptr<Sink>(std::make_unique<BlackholeSink>());
}

}  // namespace

Result<std::unique_ptr<SinkWriter>> BlackholeSink::CreateWriter(int instance, int parallelism) {
  return std::unique_ptr<SinkWriter>(std::make_unique<BlackholeWriter>(&rows_));
}

const ConnectorSpec kBlackholeConnector = {
    .name = "blackhole",
    .description = "Discards every row; counts them.",
    .options = {},
    .make_sink = MakeBlackholeSink,
};

}  // namespace sluice
