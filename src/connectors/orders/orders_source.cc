#include "connectors/orders/orders_source.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>

#include <simdjson.h>
#include <unistd.h>

#include "connectors/datagen/generator_position.h"
#include "connectors/datagen/rate_limiter.h"
#include "connectors/orders/order_generator.h"
#include "formats/json/json_encoder.h"

namespace sluice {

namespace {

class OrdersSplitReader final : public SplitReader {
 public:
  OrdersSplitReader(OrderGenerator generator, const OrdersConfig& config, const Schema& schema,
                    std::string stream, int split, int splits, std::string raw_path)
      : generator_(std::move(generator)),
        schema_(schema),
        limiter_(config.rows_per_second / splits),
        next_index_(static_cast<uint64_t>(split)),
        stride_(static_cast<uint64_t>(splits)),
        split_(split),
        start_time_now_(config.start_time_now),
        stream_(std::move(stream)),
        raw_path_(std::move(raw_path)) {
    if (config.number_of_rows) {
      const int64_t n = *config.number_of_rows;
      remaining_ = n / splits + (split < n % splits ? 1 : 0);
      share_ = remaining_;
    }
  }

  ~OrdersSplitReader() override { Close().IgnoreError(); }

  Status Open() override {
    if (raw_path_.empty()) return Status::OK();
    std::error_code ec;
    std::filesystem::path parent = std::filesystem::path(raw_path_).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (raw_resume_) {
      SLUICE_RETURN_IF_ERROR(ReopenRaw());
    } else {
      raw_file_ = std::fopen(raw_path_.c_str(), "wb");
    }
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

  Status SnapshotPositions(std::vector<StreamPosition>* out) const override {
    const uint64_t emitted = (next_index_ - static_cast<uint64_t>(split_)) / stride_;
    std::string state = "{\"next\":" + std::to_string(emitted) +
                        ",\"start_time_ms\":" + std::to_string(generator_.start_time_ms());
    // Also after Close(): a finished split's raw file must not be emptied by a restore.
    if (!raw_path_.empty()) state += ",\"raw_bytes\":" + std::to_string(raw_bytes_);
    state += remaining_ && *remaining_ == 0 ? ",\"ended\":true}" : "}";
    out->push_back({stream_, std::move(state)});
    return Status::OK();
  }

  Status RestorePositions(const std::vector<StreamPosition>& positions) override {
    SLUICE_RETURN_IF_ERROR(CheckSavedParallelism("orders", positions, static_cast<int>(stride_)));
    const StreamPosition* saved = FindStreamPosition(positions, stream_);
    if (!saved) return Status::OK();
    auto bad = [&](const std::string& why) {
      return Status::InvalidArgument("orders source: position of " + stream_ + " " + why + ": " +
                                     saved->state);
    };
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    uint64_t next = 0;
    int64_t start_time_ms = 0;
    if (parser.parse(saved->state).get(root) || root["next"].get(next) ||
        root["start_time_ms"].get(start_time_ms)) {
      return bad("lacks 'next' or 'start_time_ms'");
    }
    if (share_ && static_cast<int64_t>(next) > *share_) {
      return bad("is past the split's " + std::to_string(*share_) + " events");
    }
    uint64_t raw_bytes = 0;
    if (!raw_path_.empty() && !root["raw_bytes"].get(raw_bytes)) raw_resume_ = raw_bytes;
    // A fixed start time is the user's to change; 'now' must not move on every restart.
    if (start_time_now_) generator_.set_start_time_ms(start_time_ms);
    next_index_ = static_cast<uint64_t>(split_) + next * stride_;
    if (share_) remaining_ = *share_ - static_cast<int64_t>(next);
    return Status::OK();
  }

  std::string StreamName(int64_t stream) const override { return stream_; }

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
    raw_bytes_ += raw_buffer_.size();
    return Status::OK();
  }

  // After a restore the raw file must again list exactly the rows emitted: those up to the
  // checkpoint stay, those emitted after it (before the crash) are cut off.
  Status ReopenRaw() {
    const uint64_t keep = *raw_resume_;
    std::error_code ec;
    const uint64_t size = std::filesystem::file_size(raw_path_, ec);
    if (ec || size < keep) {
      return Status::IoError("orders connector: '" + raw_path_ + "' should hold the " +
                             std::to_string(keep) + " bytes written before the checkpoint, " +
                             (ec ? "but " + ec.message() : "but has " + std::to_string(size)));
    }
    raw_file_ = std::fopen(raw_path_.c_str(), "r+b");
    if (!raw_file_) return Status::OK();  // reported by the caller
    if (::ftruncate(fileno(raw_file_), static_cast<off_t>(keep)) != 0 ||
        std::fseek(raw_file_, 0, SEEK_END) != 0) {
      return Status::IoError("orders connector: cannot truncate '" + raw_path_ +
                             "': " + std::strerror(errno));
    }
    raw_bytes_ = keep;
    return Status::OK();
  }

  OrderGenerator generator_;
  Schema schema_;
  RateLimiter limiter_;
  uint64_t next_index_;
  uint64_t stride_;
  std::optional<int64_t> remaining_;
  std::optional<int64_t> share_;  // events of the split in all; none: unbounded
  int split_;
  bool start_time_now_;
  std::string stream_;  // the split id: the key of the saved position
  std::string raw_path_;
  uint64_t raw_bytes_ = 0;              // written to the raw file so far
  std::optional<uint64_t> raw_resume_;  // restored: keep this much of the raw file
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
      std::move(generator), config_, schema_, split.id, split.index, splits_,
      RawPathFor(config_.raw_path, split.index, splits_)));
}

}  // namespace sluice
