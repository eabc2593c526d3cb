#pragma once
// What window operators require of their input, and what they do with rows they cannot take:
// late rows are never dropped silently — they are counted and handed to the LateRowHandler.

#include <string>
#include <vector>

#include "runtime/operator.h"

namespace sluice {

/// The event-time column exists and is TIMESTAMP or TIMESTAMP_LTZ, and no row retracts (window
/// aggregates take append-only input).
Status CheckWindowInput(const Batch& batch, int time_column);

/// Counts rows[...] of `batch` in context->metrics->late_rows and passes them, with the
/// operator's input layout, to context->late_rows when set. `input_schema` may be empty (then
/// columns are named $0, $1, ...).
Status ReportLateRows(const OperatorContext* context, const std::string& operator_id,
                      const Schema& input_schema, const Batch& batch,
                      const std::vector<uint32_t>& rows, int64_t watermark);

}  // namespace sluice
