#include "exec/operators/calc_operator.h"

namespace sluice {

Result<std::unique_ptr<Operator>> CalcOperator::Create(const CalcNode& node) {
  if (node.filter && node.filter->type.id != TypeId::kBoolean) {
    return Status::Internal("Calc filter is " + node.filter->type.ToString() + ", not BOOLEAN");
  }
  for (const ExprPtr& projection : node.projections) {
    if (!projection) return Status::Internal("Calc has an empty projection");
  }
  return std::unique_ptr<Operator>(new CalcOperator(node.filter, node.projections));
}

CalcOperator::CalcOperator(ExprPtr filter, std::vector<ExprPtr> projections)
    : filter_expr_(std::move(filter)), projection_exprs_(std::move(projections)) {}

Status CalcOperator::Open(OperatorContext& context) {
  context_ = &context;
  EvalContext eval;
  if (context.session) eval.time_zone = context.session->LocalTimeZone();
  if (filter_expr_) filter_ = std::make_unique<ExpressionEvaluator>(filter_expr_, eval);
  projections_.clear();
  for (const ExprPtr& expr : projection_exprs_) {
    projections_.push_back(expr->IsColumnRef() ? nullptr
                                               : std::make_unique<ExpressionEvaluator>(expr, eval));
  }
  return Status::OK();
}

Status CalcOperator::OnWatermark(int64_t watermark, Collector& out) {
  if (context_ && context_->metrics) context_->metrics->watermark = watermark;
  return Status::OK();
}

Status CalcOperator::Process(Batch batch, Collector& out) {
  const size_t rows = batch.num_rows();
  if (rows == 0) return Status::OK();
  if (projections_.size() != projection_exprs_.size() || (filter_expr_ && !filter_)) {
    return Status::Internal("Calc used before Open");
  }
  OperatorMetrics* metrics = context_ ? context_->metrics : nullptr;
  if (metrics) metrics->rows_in += rows;

  const uint32_t* selection = nullptr;  // null: every row
  size_t count = rows;
  if (filter_) {
    selection_.resize(rows);
    SLUICE_ASSIGN_OR_RETURN(count, filter_->Filter(batch, nullptr, rows, selection_.data()));
    if (count == 0) return Status::OK();
    if (count < rows) selection = selection_.data();
  }

  std::vector<ColumnPtr> columns;
  columns.reserve(projections_.size());
  for (size_t p = 0; p < projections_.size(); ++p) {
    if (!projections_[p]) {
      const int source = projection_exprs_[p]->column;
      if (source < 0 || static_cast<size_t>(source) >= batch.num_columns()) {
        return Status::Internal("Calc projection reads missing column $" + std::to_string(source));
      }
      const ColumnPtr& column = batch.column(source);
      columns.push_back(selection ? column->Gather(selection, count) : column);
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(ColumnPtr column, projections_[p]->Evaluate(batch, selection, count));
    columns.push_back(std::move(column));
  }
  Batch result(std::move(columns), count);
  if (batch.has_row_kinds() && !selection) {
    result.set_row_kinds(batch.row_kinds());
  } else if (batch.has_row_kinds()) {
    std::vector<RowKind> kinds(count);
    for (size_t i = 0; i < count; ++i) kinds[i] = batch.row_kind(selection[i]);
    result.set_row_kinds(std::move(kinds));
  }
  if (metrics) metrics->rows_out += count;
  return out.Collect(std::move(result));
}

}  // namespace sluice
