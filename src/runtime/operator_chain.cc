#include "runtime/operator_chain.h"

namespace sluice {

/// Collector handed to operator i: counts its output and feeds operator i+1 (or the output).
class OperatorChain::Link : public Collector {
 public:
  Link(OperatorChain* chain, size_t index) : chain_(chain), index_(index) {}

  Status Collect(Batch batch) override {
    if (batch.num_rows() == 0) return Status::OK();
    chain_->metrics_[index_]->rows_out.fetch_add(batch.num_rows(), std::memory_order_relaxed);
    Status status = chain_->Push(index_ + 1, std::move(batch));
    if (!status.ok()) failed_downstream_ = true;
    return status;
  }
  /// An error returned through this link came from further down (already has its context).
  bool failed_downstream() const { return failed_downstream_; }

 private:
  OperatorChain* chain_;
  size_t index_;
  bool failed_downstream_ = false;
};

OperatorChain::OperatorChain(std::vector<ChainedOperator> operators,
                             std::unique_ptr<TaskOutput> output, ChainContext context)
    : operators_(std::move(operators)), output_(std::move(output)) {
  for (size_t i = 0; i < operators_.size(); ++i) {
    metrics_.push_back(std::make_unique<OperatorMetrics>());
    auto ctx = std::make_unique<OperatorContext>();
    ctx->instance = context.instance;
    ctx->parallelism = context.parallelism;
    ctx->session = context.session;
    ctx->metrics = metrics_.back().get();
    ctx->late_rows = context.late_rows;
    contexts_.push_back(std::move(ctx));
    links_.push_back(std::make_unique<Link>(this, i));
  }
}

OperatorChain::~OperatorChain() = default;

Status OperatorChain::InOperator(size_t index, const Status& status) const {
  if (status.ok() || links_[index]->failed_downstream()) return status;
  return status.WithContext(operators_[index].op->Name() + " [" + operators_[index].id + "]");
}

Status OperatorChain::Open() {
  SLUICE_RETURN_IF_ERROR(output_->Open());
  for (size_t i = 0; i < operators_.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(InOperator(i, operators_[i].op->Open(*contexts_[i])));
    if (operators_[i].after_open) {
      SLUICE_RETURN_IF_ERROR(InOperator(i, operators_[i].after_open(*operators_[i].op)));
    }
  }
  return Status::OK();
}

Status OperatorChain::Push(size_t index, Batch batch) {
  if (index == operators_.size()) return output_->Collect(std::move(batch));
  metrics_[index]->rows_in.fetch_add(batch.num_rows(), std::memory_order_relaxed);
  return InOperator(index, operators_[index].op->Process(std::move(batch), *links_[index]));
}

Status OperatorChain::Process(Batch batch) {
  if (batch.num_rows() == 0) return Status::OK();
  return Push(0, std::move(batch));
}

Status OperatorChain::AdvanceWatermark(int64_t watermark) {
  if (watermark <= watermark_) return Status::OK();
  watermark_ = watermark;
  for (size_t i = 0; i < operators_.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(InOperator(i, operators_[i].op->OnWatermark(watermark, *links_[i])));
    metrics_[i]->watermark.store(watermark, std::memory_order_relaxed);
  }
  return output_->EmitWatermark(watermark);
}

Status OperatorChain::SetIdle(bool idle) {
  return output_->EmitStatus(idle);
}

Status OperatorChain::Finish() {
  for (size_t i = 0; i < operators_.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(InOperator(i, operators_[i].op->Finish(*links_[i])));
  }
  done_ = true;
  return output_->EmitEnd();
}

Status OperatorChain::OnTimer(SteadyTime now) {
  return output_->OnTimer(now);
}

void OperatorChain::Abort() {
  if (done_) return;
  done_ = true;
  output_->Abort();
}

Status OperatorChain::SnapshotOperators(CheckpointId id, TaskSnapshot* snapshot) {
  for (size_t i = 0; i < operators_.size(); ++i) {
    Operator& op = *operators_[i].op;
    if (!op.HasState()) continue;
    OperatorStateSnapshot state;
    state.node_id = operators_[i].id;
    SLUICE_RETURN_IF_ERROR(InOperator(i, op.SnapshotState(id, &state.sections)));
    snapshot->operators.push_back(std::move(state));
  }
  return Status::OK();
}

Status OperatorChain::SnapshotAndForward(const Barrier& barrier, TaskSnapshot* snapshot) {
  SLUICE_RETURN_IF_ERROR(SnapshotOperators(barrier.id, snapshot));
  return output_->EmitBarrier(barrier, snapshot);
}

Status OperatorChain::SnapshotFinal(TaskSnapshot* snapshot) {
  SLUICE_RETURN_IF_ERROR(SnapshotOperators(snapshot->id, snapshot));
  output_->AddFinalState(snapshot);
  return Status::OK();
}

Status OperatorChain::Restore(const TaskRestore& restore) {
  if (restore.chain_watermark) {
    watermark_ = *restore.chain_watermark;
    for (auto& metrics : metrics_) metrics->watermark.store(watermark_, std::memory_order_relaxed);
  }
  for (size_t i = 0; i < operators_.size(); ++i) {
    Operator& op = *operators_[i].op;
    if (!op.HasState()) continue;
    auto it = restore.operators.find(operators_[i].id);
    if (it == restore.operators.end()) continue;  // a new operator: starts empty
    SLUICE_RETURN_IF_ERROR(InOperator(i, op.RestoreState(it->second)));
  }
  return Status::OK();
}

}  // namespace sluice
