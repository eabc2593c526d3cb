#include "runtime/late_row_recorder.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <system_error>

#include "common/json_string.h"
#include "types/time_format.h"

namespace sluice {

namespace {

/// Appends a column value as JSON: numbers and booleans bare, NULL as null, everything else as a
/// string in Flink's print format (timestamps "2024-01-01 00:01:00.000").
void AppendJsonValue(const Column& column, size_t row, const TimeZone& time_zone,
                     std::string* out) {
  if (column.IsNull(row)) {
    *out += "null";
    return;
  }
  const LogicalType& type = column.type();
  switch (type.id) {
    case TypeId::kBoolean:
      *out += column.Get<uint8_t>(row) ? "true" : "false";
      return;
    case TypeId::kInt:
      *out += std::to_string(column.Get<int32_t>(row));
      return;
    case TypeId::kBigint:
      *out += std::to_string(column.Get<int64_t>(row));
      return;
    case TypeId::kDouble: {
      double d = column.Get<double>(row);
      if (std::isfinite(d)) {
        *out += FormatDoubleJava(d);
      } else {
        AppendJsonString(FormatDoubleJava(d), out);  // NaN/Infinity are not JSON numbers
      }
      return;
    }
    case TypeId::kDecimal:
      *out += FormatDecimal(column.Get<int128_t>(row), type.scale);
      return;
    case TypeId::kVarchar:
      AppendJsonString(column.GetString(row), out);
      return;
    case TypeId::kTimestamp:
      AppendJsonString(FormatTimestampSql(column.Get<int64_t>(row), type.precision), out);
      return;
    case TypeId::kTimestampLtz:
      AppendJsonString(
          FormatTimestampSql(time_zone.ToLocal(column.Get<int64_t>(row)), type.precision), out);
      return;
    default:
      AppendJsonString(column.GetValue(row).ToString(), out);
      return;
  }
}

}  // namespace

Result<std::unique_ptr<LateRowRecorder>> LateRowRecorder::Create(
    std::optional<std::string> directory, JobMetrics* metrics, TimeZone time_zone) {
  std::unique_ptr<LateRowRecorder> recorder(new LateRowRecorder());
  recorder->metrics_ = metrics;
  recorder->time_zone_ = std::move(time_zone);
  if (!directory || directory->empty()) return recorder;
  std::error_code error;
  std::filesystem::create_directories(*directory, error);
  if (error) {
    return Status::IoError("'sluice.late-rows.path': cannot create directory '" + *directory +
                           "': " + error.message());
  }
  recorder->path_ = (std::filesystem::path(*directory) / "late-rows.jsonl").string();
  recorder->file_ = std::fopen(recorder->path_.c_str(), "a");
  if (!recorder->file_) {
    return Status::IoError("'sluice.late-rows.path': cannot open '" + recorder->path_ +
                           "' for writing");
  }
  return recorder;
}

LateRowRecorder::~LateRowRecorder() {
  Close().IgnoreError();
}

Status LateRowRecorder::OnLateRows(const std::string& operator_id, const Schema& schema,
                                   const Batch& rows, int64_t watermark) {
  if (rows.num_rows() == 0) return Status::OK();
  if (metrics_) metrics_->AddLateRows(operator_id, rows.num_rows());
  if (path_.empty()) return Status::OK();

  std::lock_guard<std::mutex> lock(mutex_);
  if (!file_) return Status::IoError("late-row file '" + path_ + "' is already closed");
  std::string prefix = "{\"operator\": ";
  AppendJsonString(operator_id, &prefix);
  prefix += ", \"watermark\": ";
  AppendJsonString(watermark == kMinWatermark ? "-inf" : FormatTimestampSql(watermark, 3), &prefix);
  prefix += ", \"row\": {";
  const size_t columns = std::min(schema.size(), rows.num_columns());
  for (size_t r = 0; r < rows.num_rows(); ++r) {
    line_ = prefix;
    for (size_t c = 0; c < columns; ++c) {
      if (c) line_ += ", ";
      AppendJsonString(schema[c].name, &line_);
      line_ += ": ";
      AppendJsonValue(*rows.column(c), r, time_zone_, &line_);
    }
    line_ += "}}\n";
    if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size()) {
      return Status::IoError("cannot write late rows to '" + path_ + "'");
    }
  }
  return Status::OK();
}

Status LateRowRecorder::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!file_) return Status::OK();
  bool ok = std::fflush(file_) == 0;
  ok = std::fclose(file_) == 0 && ok;
  file_ = nullptr;
  if (!ok) return Status::IoError("cannot write late rows to '" + path_ + "'");
  return Status::OK();
}

}  // namespace sluice
