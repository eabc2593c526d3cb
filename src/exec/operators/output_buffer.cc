#include "exec/operators/output_buffer.h"

namespace sluice {

Status OutputBuffer::Add(Batch batch, Collector& out, OperatorMetrics* metrics) {
  if (batch.num_rows() == 0) return Status::OK();
  if (pending_.num_rows() == 0) {
    pending_ = std::move(batch);
  } else {
    pending_.Append(batch);
  }
  if (pending_.num_rows() >= kTargetRows) return Flush(out, metrics);
  return Status::OK();
}

Status OutputBuffer::Flush(Collector& out, OperatorMetrics* metrics) {
  if (pending_.num_rows() == 0) return Status::OK();
  if (metrics) metrics->rows_out += pending_.num_rows();
  Batch batch = std::move(pending_);
  pending_ = Batch();
  return out.Collect(std::move(batch));
}

}  // namespace sluice
