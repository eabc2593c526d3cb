#pragma once
// Trivial operators for runtime tests, over rows (id BIGINT, ts TIMESTAMP): they exercise the
// runtime's contract (ordering of rows and watermarks, Finish, errors, late rows) without the
// real operators.

#include <string>
#include <vector>

#include "runtime/operator.h"

namespace sluice::testkit {

/// Adds `delta` to every id (a stateless Calc stand-in).
class AddToId : public Operator {
 public:
  explicit AddToId(int64_t delta) : delta_(delta) {}
  Status Process(Batch batch, Collector& out) override {
    auto ids = std::make_shared<Column>(LogicalType::Bigint(), batch.num_rows());
    ids->Resize(batch.num_rows());
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      ids->data<int64_t>()[r] = batch.column(0)->Get<int64_t>(r) + delta_;
    }
    batch.mutable_column(0) = ids;
    return out.Collect(std::move(batch));
  }
  std::string Name() const override { return "AddToId"; }

 private:
  int64_t delta_;
};

/// Holds rows until the watermark passes their ts (a window stand-in); rows at or behind the
/// watermark on arrival are late and go to the LateRowHandler. Finish() emits what is left.
class HoldUntilWatermark : public Operator {
 public:
  Status Open(OperatorContext& context) override {
    context_ = &context;
    held_ = Batch();
    return Status::OK();
  }
  Status Process(Batch batch, Collector& out) override {
    std::vector<uint32_t> on_time, late;
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      (batch.column(1)->Get<int64_t>(r) <= watermark_ ? late : on_time)
          .push_back(static_cast<uint32_t>(r));
    }
    if (!late.empty() && context_->late_rows) {
      Schema schema;
      schema.fields = {{"id", LogicalType::Bigint()}, {"ts", LogicalType::Timestamp(3)}};
      SLUICE_RETURN_IF_ERROR(context_->late_rows->OnLateRows(
          "hold", schema, batch.Gather(late.data(), late.size()), watermark_));
    }
    Batch kept = batch.Gather(on_time.data(), on_time.size());
    if (held_.num_columns() == 0) {
      held_ = kept;
    } else {
      held_.Append(kept);
    }
    return Status::OK();
  }
  Status OnWatermark(int64_t watermark, Collector& out) override {
    watermark_ = watermark;
    std::vector<uint32_t> fire, keep;
    for (size_t r = 0; r < held_.num_rows(); ++r) {
      (held_.column(1)->Get<int64_t>(r) <= watermark ? fire : keep)
          .push_back(static_cast<uint32_t>(r));
    }
    if (fire.empty()) return Status::OK();
    Batch fired = held_.Gather(fire.data(), fire.size());
    held_ = held_.Gather(keep.data(), keep.size());
    return out.Collect(std::move(fired));
  }
  Status Finish(Collector& out) override {
    finished_ = true;
    if (held_.num_rows() == 0) return Status::OK();
    return out.Collect(std::move(held_));
  }
  std::string Name() const override { return "HoldUntilWatermark"; }
  bool finished() const { return finished_; }

 private:
  Batch held_;
  int64_t watermark_ = kMinWatermark;
  bool finished_ = false;
};

/// Fails with a RuntimeError when it sees id == `bad_id`.
class FailOnId : public Operator {
 public:
  explicit FailOnId(int64_t bad_id) : bad_id_(bad_id) {}
  Status Process(Batch batch, Collector& out) override {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      if (batch.column(0)->Get<int64_t>(r) == bad_id_) {
        return Status::RuntimeError("boom at id " + std::to_string(bad_id_));
      }
    }
    return out.Collect(std::move(batch));
  }
  std::string Name() const override { return "FailOnId"; }

 private:
  int64_t bad_id_;
};

}  // namespace sluice::testkit
