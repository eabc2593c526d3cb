#include "runtime/exchange_output.h"

#include <algorithm>

#include "columnar/hash.h"

namespace sluice {

namespace {

class ForwardOutput : public ExchangeOutput {
 public:
  ForwardOutput(Channel* channel, int producer_index)
      : ExchangeOutput({channel}, {producer_index}) {}
  Status Collect(Batch batch) override { return Send(0, std::move(batch)); }
};

class HashOutput : public ExchangeOutput {
 public:
  HashOutput(std::vector<Channel*> channels, std::vector<int> producer_indices,
             std::vector<int> key_columns)
      : ExchangeOutput(std::move(channels), std::move(producer_indices)),
        key_columns_(std::move(key_columns)),
        counts_(channels_.size()),
        offsets_(channels_.size()) {}

  Status Collect(Batch batch) override {
    const size_t n = batch.num_rows();
    if (n == 0) return Status::OK();
    const size_t targets = channels_.size();
    if (targets == 1) return Send(0, std::move(batch));
    hashes_.resize(n);
    target_of_row_.resize(n);
    HashRows(batch, key_columns_, hashes_.data());
    std::fill(counts_.begin(), counts_.end(), 0);
    for (size_t i = 0; i < n; ++i) {
      uint32_t t = static_cast<uint32_t>(HashTarget(hashes_[i], targets));
      target_of_row_[i] = t;
      ++counts_[t];
    }
    // A batch of one key (or few keys) often goes whole to one instance: no gather needed.
    for (size_t t = 0; t < targets; ++t) {
      if (counts_[t] == n) return Send(t, std::move(batch));
    }
    // Counting sort of row indices by target, keeping row order within each target.
    size_t offset = 0;
    for (size_t t = 0; t < targets; ++t) {
      offsets_[t] = offset;
      offset += counts_[t];
    }
    rows_.resize(n);
    for (size_t i = 0; i < n; ++i) rows_[offsets_[target_of_row_[i]]++] = static_cast<uint32_t>(i);
    offset = 0;
    for (size_t t = 0; t < targets; ++t) {
      if (counts_[t] > 0) {
        SLUICE_RETURN_IF_ERROR(Send(t, batch.Gather(rows_.data() + offset, counts_[t])));
      }
      offset += counts_[t];
    }
    return Status::OK();
  }

 private:
  std::vector<int> key_columns_;
  std::vector<size_t> counts_;
  std::vector<size_t> offsets_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> target_of_row_;
  std::vector<uint32_t> rows_;
};

class RebalanceOutput : public ExchangeOutput {
 public:
  RebalanceOutput(std::vector<Channel*> channels, std::vector<int> producer_indices)
      : ExchangeOutput(std::move(channels), std::move(producer_indices)) {
    // Producers start at different targets so that small inputs still spread out.
    next_ = channels_.empty() ? 0 : static_cast<size_t>(producer_indices_[0]) % channels_.size();
  }
  Status Collect(Batch batch) override {
    if (batch.num_rows() == 0) return Status::OK();
    size_t target = next_;
    next_ = (next_ + 1) % channels_.size();
    return Send(target, std::move(batch));
  }

 private:
  size_t next_ = 0;
};

}  // namespace

ExchangeOutput::ExchangeOutput(std::vector<Channel*> channels, std::vector<int> producer_indices)
    : channels_(std::move(channels)), producer_indices_(std::move(producer_indices)) {}

std::unique_ptr<ExchangeOutput> ExchangeOutput::Forward(Channel* channel, int producer_index) {
  return std::make_unique<ForwardOutput>(channel, producer_index);
}

std::unique_ptr<ExchangeOutput> ExchangeOutput::Hash(std::vector<Channel*> channels,
                                                     std::vector<int> producer_indices,
                                                     std::vector<int> key_columns) {
  return std::make_unique<HashOutput>(std::move(channels), std::move(producer_indices),
                                      std::move(key_columns));
}

std::unique_ptr<ExchangeOutput> ExchangeOutput::Rebalance(std::vector<Channel*> channels,
                                                          std::vector<int> producer_indices) {
  return std::make_unique<RebalanceOutput>(std::move(channels), std::move(producer_indices));
}

Status ExchangeOutput::Send(size_t target, Batch batch) {
  if (batch.num_rows() == 0) return Status::OK();
  return channels_[target]->Push(Message::Data(producer_indices_[target], std::move(batch)));
}

Status ExchangeOutput::EmitWatermark(int64_t watermark) {
  for (size_t i = 0; i < channels_.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(channels_[i]->Push(Message::Watermark(producer_indices_[i], watermark)));
  }
  return Status::OK();
}

Status ExchangeOutput::EmitStatus(bool idle) {
  for (size_t i = 0; i < channels_.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(channels_[i]->Push(Message::Status(producer_indices_[i], idle)));
  }
  return Status::OK();
}

Status ExchangeOutput::EmitEnd() {
  for (size_t i = 0; i < channels_.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(channels_[i]->Push(Message::End(producer_indices_[i])));
  }
  return Status::OK();
}

Status ExchangeOutput::EmitBarrier(const Barrier& barrier, TaskSnapshot* snapshot) {
  for (size_t i = 0; i < channels_.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(channels_[i]->Push(Message::MakeBarrier(producer_indices_[i], barrier)));
  }
  return Status::OK();
}

}  // namespace sluice
