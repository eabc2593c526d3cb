#include "exec/operators/window_input.h"

namespace sluice {

Status CheckWindowInput(const Batch& batch, int time_column) {
  if (time_column < 0 || static_cast<size_t>(time_column) >= batch.num_columns() ||
      !batch.column(time_column)->type().IsTimestamp()) {
    return Status::Internal("window time column $" + std::to_string(time_column) +
                            " is missing or not a timestamp");
  }
  for (RowKind kind : batch.row_kinds()) {
    if (!IsAccumulate(kind)) {
      return Status::Unsupported("window aggregation over an updating input is not supported");
    }
  }
  return Status::OK();
}

Status ReportLateRows(const OperatorContext* context, const std::string& operator_id,
                      const Schema& input_schema, const Batch& batch,
                      const std::vector<uint32_t>& rows, int64_t watermark) {
  if (rows.empty() || !context) return Status::OK();
  if (context->metrics) context->metrics->late_rows += rows.size();
  if (!context->late_rows) return Status::OK();
  Batch late = batch.Gather(rows.data(), rows.size());
  if (input_schema.size() == batch.num_columns()) {
    return context->late_rows->OnLateRows(operator_id, input_schema, late, watermark);
  }
  Schema schema;
  for (size_t c = 0; c < batch.num_columns(); ++c) {
    schema.fields.push_back({"$" + std::to_string(c), batch.column(c)->type()});
  }
  return context->late_rows->OnLateRows(operator_id, schema, late, watermark);
}

}  // namespace sluice
