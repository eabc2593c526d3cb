#pragma once
// Test helpers shared by the runtime and engine tests: scripted split readers and sources, a
// recording task output, and rows of (id BIGINT, ts TIMESTAMP(3)).

#include <algorithm>
#include <deque>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "runtime/sink.h"
#include "runtime/source.h"
#include "runtime/task_output.h"

namespace sluice::testkit {

inline Schema IdTsSchema() {
  Schema schema;
  schema.fields.push_back({"id", LogicalType::Bigint()});
  schema.fields.push_back({"ts", LogicalType::Timestamp(3)});
  return schema;
}

/// Rows (id, ts) with ts given in microseconds.
inline Batch IdTsRows(const std::vector<std::pair<int64_t, int64_t>>& rows) {
  BatchBuilder builder(IdTsSchema());
  for (const auto& [id, ts] : rows) builder.AppendRow({Value::Bigint(id), Value::Timestamp(ts)});
  return builder.Finish();
}

/// One step of a script: a batch of rows, or an explicit watermark.
struct ScriptStep {
  std::optional<Batch> rows;
  std::optional<int64_t> watermark;
};
inline ScriptStep Rows(Batch batch) {
  return {std::move(batch), std::nullopt};
}
inline ScriptStep Watermark(int64_t watermark) {
  return {std::nullopt, watermark};
}

/// Replays a script: Poll() returns the next batch (an empty one while a watermark is due, so
/// TakeWatermark() hands it over right after). Bounded scripts end after the last step;
/// unbounded ones keep returning empty batches.
class ScriptedReader : public SplitReader {
 public:
  ScriptedReader(std::vector<ScriptStep> steps, bool bounded)
      : steps_(steps.begin(), steps.end()), bounded_(bounded) {}

  Result<Batch> Poll(size_t max_rows, bool* end_of_split) override {
    Batch out;
    if (!steps_.empty() && steps_.front().rows) {
      out = std::move(*steps_.front().rows);
      steps_.pop_front();
    }
    *end_of_split = bounded_ && steps_.empty();
    return out;
  }
  bool TakeWatermark(int64_t* watermark) override {
    if (steps_.empty() || !steps_.front().watermark) return false;
    *watermark = *steps_.front().watermark;
    steps_.pop_front();
    return true;
  }

 private:
  std::deque<ScriptStep> steps_;
  bool bounded_;
};

/// Records what a task emits, one line per row ("row <id>") or signal ("wm <n>", "idle",
/// "active", "end"). Safe to read from the test thread while the task writes.
class RecordingOutput : public TaskOutput {
 public:
  Status Collect(Batch batch) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      events_.push_back("row " + batch.column(0)->GetValue(r).ToString());
    }
    return Status::OK();
  }
  Status EmitWatermark(int64_t watermark) override { return Add("wm " + WatermarkName(watermark)); }
  Status EmitStatus(bool idle) override { return Add(idle ? "idle" : "active"); }
  Status EmitEnd() override { return Add("end"); }
  Status EmitBarrier(const Barrier& barrier, TaskSnapshot*) override {
    return Add("barrier " + std::to_string(barrier.id));
  }

  std::vector<std::string> events() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }
  bool Contains(const std::string& event) const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& e : events_) {
      if (e == event) return true;
    }
    return false;
  }
  static std::string WatermarkName(int64_t watermark) {
    if (watermark == std::numeric_limits<int64_t>::max()) return "max";
    return std::to_string(watermark);
  }

 private:
  Status Add(std::string event) {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.push_back(std::move(event));
    return Status::OK();
  }
  mutable std::mutex mutex_;
  std::vector<std::string> events_;
};

/// What collecting sink writers received, shared by all writers of a sink (thread-safe).
struct CollectedRows {
  std::mutex mutex;
  std::vector<std::string> rows;           // Batch::RowToString of every row written
  std::vector<std::vector<Value>> values;  // the same rows, column by column
  std::vector<int> writer_of_row;
  int flushes = 0;
  int closes = 0;

  std::vector<std::string> Sorted() {
    std::lock_guard<std::mutex> lock(mutex);
    std::vector<std::string> out = rows;
    std::sort(out.begin(), out.end());
    return out;
  }
  size_t size() {
    std::lock_guard<std::mutex> lock(mutex);
    return rows.size();
  }
};

class CollectingWriter : public SinkWriter {
 public:
  CollectingWriter(std::shared_ptr<CollectedRows> into, int instance)
      : into_(std::move(into)), instance_(instance) {}
  Status Write(const Batch& batch) override {
    std::lock_guard<std::mutex> lock(into_->mutex);
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      into_->rows.push_back(batch.RowToString(r));
      std::vector<Value> row;
      for (size_t c = 0; c < batch.num_columns(); ++c) row.push_back(batch.column(c)->GetValue(r));
      into_->values.push_back(std::move(row));
      into_->writer_of_row.push_back(instance_);
    }
    return Status::OK();
  }
  Status Flush() override {
    std::lock_guard<std::mutex> lock(into_->mutex);
    ++into_->flushes;
    return Status::OK();
  }
  Status Close() override {
    std::lock_guard<std::mutex> lock(into_->mutex);
    ++into_->closes;
    return Status::OK();
  }

 private:
  std::shared_ptr<CollectedRows> into_;
  int instance_;
};

}  // namespace sluice::testkit
