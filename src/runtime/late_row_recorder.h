#pragma once
// LateRowRecorder: the job's LateRowHandler. Late rows are never dropped silently: each one is
// counted per operator (JobMetrics), and when 'sluice.late-rows.path' names a directory it is
// also appended as one JSON line to '<dir>/late-rows.jsonl':
//   {"operator": "<id>", "watermark": "2024-01-01 00:01:00.000", "row": {"col": value, ...}}
// Without a directory the job logs the count at exit.
//
// Thread-safe: every operator instance of the job calls OnLateRows() from its own task thread.
// Close() (after all tasks ended) flushes and closes the file.

#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "runtime/job_metrics.h"
#include "runtime/operator.h"
#include "types/time_zone.h"

namespace sluice {

class LateRowRecorder : public LateRowHandler {
 public:
  /// Creates `directory` if needed and opens the file for appending; IoError when it cannot.
  /// `time_zone` formats TIMESTAMP_LTZ values.
  static Result<std::unique_ptr<LateRowRecorder>> Create(std::optional<std::string> directory,
                                                         JobMetrics* metrics, TimeZone time_zone);
  ~LateRowRecorder() override;

  Status OnLateRows(const std::string& operator_id, const Schema& schema, const Batch& rows,
                    int64_t watermark) override;
  Status Close();

  /// The file late rows go to, or "" when they are only counted.
  const std::string& path() const { return path_; }

 private:
  LateRowRecorder() = default;

  JobMetrics* metrics_ = nullptr;
  TimeZone time_zone_ = TimeZone::Utc();
  std::string path_;
  std::mutex mutex_;
  std::FILE* file_ = nullptr;
  std::string line_;  // reused buffer, guarded by mutex_
};

}  // namespace sluice
