#include "runtime/watermark_generator.h"

#include "runtime/operator.h"

namespace sluice {

WatermarkGenerator::~WatermarkGenerator() = default;

Result<std::unique_ptr<WatermarkGenerator>> WatermarkGenerator::Create(const TableDef& table,
                                                                       const EvalContext& context) {
  std::unique_ptr<WatermarkGenerator> gen(new WatermarkGenerator());
  gen->table_ = table.name;
  gen->current_ = kMinWatermark;
  if (!table.watermark) return gen;
  const WatermarkDef& def = *table.watermark;
  if (def.rowtime_column < 0 || def.rowtime_column >= static_cast<int>(table.columns.size())) {
    return Status::Internal("table '" + table.name + "': watermark column out of range");
  }
  const Field& field = table.columns[def.rowtime_column].field;
  if (!field.type.IsTimestamp()) {
    return Status::TypeError("table '" + table.name + "': rowtime column '" + field.name +
                             "' must be TIMESTAMP or TIMESTAMP_LTZ, got " + field.type.ToString());
  }
  gen->rowtime_column_ = def.rowtime_column;
  gen->rowtime_name_ = field.name;
  if (def.fixed_delay_micros) {
    gen->fixed_delay_ = true;
    gen->delay_micros_ = *def.fixed_delay_micros;
  } else {
    if (!def.expression || !def.expression->type.IsTimestamp()) {
      return Status::TypeError("table '" + table.name +
                               "': the WATERMARK expression must be a TIMESTAMP");
    }
    gen->expression_ = std::make_unique<ExpressionEvaluator>(def.expression, context);
  }
  return gen;
}

void WatermarkGenerator::AdvanceTo(int64_t watermark) {
  if (watermark > current_) current_ = watermark;
}

Status WatermarkGenerator::Plan(const Batch& rows, std::vector<Cut>* cuts) {
  cuts->clear();
  const size_t n = rows.num_rows();
  if (rowtime_column_ < 0 || n == 0) {
    cuts->push_back({n, current_});
    return Status::OK();
  }
  const Column& rowtime = *rows.column(static_cast<size_t>(rowtime_column_));
  if (rowtime.HasNulls()) {
    for (size_t i = 0; i < n; ++i) {
      if (rowtime.IsNull(i)) {
        return Status::RuntimeError("table '" + table_ + "': rowtime column '" + rowtime_name_ +
                                    "' is NULL; an event-time attribute must not be NULL "
                                    "(convert or filter NULLs in the source)");
      }
    }
  }
  const int64_t* time = rowtime.data<int64_t>();

  const int64_t* candidate = nullptr;
  const uint8_t* candidate_valid = nullptr;
  if (!fixed_delay_) {
    auto column = expression_->Evaluate(rows, nullptr, n);
    if (!column.ok()) return column.status().WithContext("table '" + table_ + "' watermark");
    ColumnPtr values = std::move(column).value();
    candidates_.assign(values->data<int64_t>(), values->data<int64_t>() + n);
    candidate = candidates_.data();
    if (values->HasNulls()) {
      candidate_valid_.assign(values->validity(), values->validity() + n);
      candidate_valid = candidate_valid_.data();
    }
  }

  int64_t watermark = current_;
  int64_t emitted = current_;  // every Plan() ends by emitting, so the split starts in sync
  for (size_t i = 0; i < n; ++i) {
    if (time[i] <= watermark && watermark > emitted) {
      cuts->push_back({i, watermark});
      emitted = watermark;
    }
    int64_t next;
    if (fixed_delay_) {
      // Saturate instead of overflowing for rowtimes near the minimum.
      if (__builtin_sub_overflow(time[i], delay_micros_, &next)) next = kMinWatermark;
    } else {
      if (candidate_valid && !candidate_valid[i]) continue;
      next = candidate[i];
    }
    if (next > watermark) watermark = next;
  }
  cuts->push_back({n, watermark});
  current_ = watermark;
  return Status::OK();
}

}  // namespace sluice
