#include "connectors/orders/orders_source.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>

#include "connectors/datagen/rate_limiter.h"
#include "connectors/orders/order_generator.h"
#include "formats/json/json_encoder.h"

namespace sluice {

namespace {

class OrdersSplitReader final : public SplitReader {
 public:
  OrdersSplitReader(OrderGenerator generator, const OrdersConfig& config, const Schema& schema,
                    int split, int splits, std::string raw_path)
      : generator_(std::move(generator)),
        schema_(schema),
        limiter_(config.rows_per_second / splits),
        next_index_(static_cast<uint64_t>(split)),
        stride_(static_cast<uint64_t>(splits)),
        raw_path_(std::move(raw_path)) {
    if (config.number_of_rows) {
      const int64_t n = *config.number_of_rows;
      remaining_ = n / splits + (split < n % splits ? 1 : 0);
    }
  }

  ~OrdersSplitReader() override { Close().IgnoreError(); }

  Status Open() override {
    if (raw_path_.empty()) return Status::OK();
    std::error_code ec;
    std::filesystem::path parent = std::filesystem::path(raw_path_).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    raw_file_ = std::fopen(raw_path_.c_str(), "wb");
    if (!raw_file_) {
      return Status::IoError("orders connector: cannot write '" + raw_path_ +
                             "': " + std::strerror(errno));
    }
    JsonOptions options;
    SLUICE_ASSIGN_OR_RETURN(raw_encoder_, MakeJsonRecordEncoder(schema_, options));
    return Status::OK();
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
    if (count == 0) return Batch::Empty(schema_);
    Batch batch = generator_.Fill(next_index_, stride_, count);
    next_index_ += count * stride_;
    if (remaining_) {
      *remaining_ -= static_cast<int64_t>(count);
      if (*remaining_ == 0) *end_of_split = true;
    }
    if (raw_file_) SLUICE_RETURN_IF_ERROR(WriteRaw(batch));
    return batch;
  }

  std::string Position() const override { return "event " + std::to_string(next_index_); }

  Status Close() override {
    if (!raw_file_) return Status::OK();
    int rc = std::fclose(raw_file_);
    raw_file_ = nullptr;
    if (rc != 0) return Status::IoError("orders connector: cannot close '" + raw_path_ + "'");
    return Status::OK();
  }

 private:
  // The raw file is the oracle input of end-to-end checks: flushed with every batch so that it
  // is complete even when the job is cancelled.
  Status WriteRaw(const Batch& batch) {
    raw_buffer_.clear();
    SLUICE_RETURN_IF_ERROR(raw_encoder_->Encode(batch, 0, batch.num_rows(), &raw_buffer_));
    if (std::fwrite(raw_buffer_.data(), 1, raw_buffer_.size(), raw_file_) != raw_buffer_.size() ||
        std::fflush(raw_file_) != 0) {
      return Status::IoError("orders connector: cannot write '" + raw_path_ +
                             "': " + std::strerror(errno));
    }
    return Status::OK();
  }

  OrderGenerator generator_;
  Schema schema_;
  RateLimiter limiter_;
  uint64_t next_index_;
  uint64_t stride_;
  std::optional<int64_t> remaining_;
  std::string raw_path_;
  std::FILE* raw_file_ = nullptr;
  std::unique_ptr<RecordEncoder> raw_encoder_;
  std::string raw_buffer_;
};

}  // namespace

std::string OrdersSource::RawPathFor(const std::string& raw_path, int index, int splits) {
  if (raw_path.empty()) return "";
  if (splits == 1) return raw_path;
  return (std::filesystem::path(raw_path) / ("split-" + std::to_string(index) + ".jsonl")).string();
}

Result<std::vector<SourceSplit>> OrdersSource::ListSplits(int parallelism) {
  splits_ = std::max(1, parallelism);
  std::vector<SourceSplit> splits;
  for (int i = 0; i < splits_; ++i) {
    splits.push_back({"orders:" + std::to_string(i) + "/" + std::to_string(splits_), i});
  }
  return splits;
}

Result<std::unique_ptr<SplitReader>> OrdersSource::CreateReader(const SourceSplit& split) {
  if (splits_ == 0 || split.index < 0 || split.index >= splits_) {
    return Status::Internal("orders: split " + split.id + " was not listed by this source");
  }
  SLUICE_ASSIGN_OR_RETURN(OrderGenerator generator, OrderGenerator::Make(schema_, config_));
  return std::unique_ptr<SplitReader>(std::make_unique<OrdersSplitReader>(
      std::move(generator), config_, schema_, split.index, splits_,
      RawPathFor(config_.raw_path, split.index, splits_)));
}

}  // namespace sluice
