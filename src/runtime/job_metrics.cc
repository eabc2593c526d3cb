#include "runtime/job_metrics.h"

#include <algorithm>
#include <cstdio>

#include "runtime/operator.h"
#include "types/time_format.h"

namespace sluice {

namespace {

/// "950", "12.3 k", "1.2 M", "3.4 G": compact figures for the one-line status.
std::string Compact(double value) {
  static const char* kSuffixes[] = {"", " k", " M", " G", " T"};
  int unit = 0;
  while (value >= 1000 && unit < 4) {
    value /= 1000;
    ++unit;
  }
  char buf[32];
  if (unit == 0) {
    std::snprintf(buf, sizeof(buf), "%.0f", value);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f%s", value, kSuffixes[unit]);
  }
  return buf;
}

std::string FormatWatermark(int64_t watermark) {
  if (watermark == kMinWatermark) return "-";
  if (watermark == kMaxWatermark) return "end";
  return FormatTimestampSql(watermark, 3);
}

}  // namespace

std::string FormatCount(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::atomic<uint64_t>* JobMetrics::Register(Counters& counters, const std::string& name) {
  auto& slot = counters[name];
  if (!slot) slot = std::make_unique<std::atomic<uint64_t>>(0);
  return slot.get();
}

std::atomic<uint64_t>* JobMetrics::SourceRows(const std::string& table) {
  return Register(source_rows_, table);
}

std::atomic<uint64_t>* JobMetrics::SinkRows(const std::string& table) {
  return Register(sink_rows_, table);
}

std::atomic<uint64_t>* JobMetrics::OperatorLateRows(const std::string& operator_id) {
  return Register(late_rows_, operator_id);
}

std::atomic<int64_t>* JobMetrics::AddSinkWatermark() {
  sink_watermarks_.push_back(std::make_unique<std::atomic<int64_t>>(kMinWatermark));
  return sink_watermarks_.back().get();
}

void JobMetrics::AddLateRows(const std::string& operator_id, uint64_t rows) {
  // The registered map is not modified while the job runs, so finding in it needs no lock.
  auto it = late_rows_.find(operator_id);
  if (it != late_rows_.end()) {
    it->second->fetch_add(rows, std::memory_order_relaxed);
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  unregistered_late_[operator_id] += rows;
}

void JobMetrics::Start() {
  std::lock_guard<std::mutex> lock(mutex_);
  started_ = std::chrono::steady_clock::now();
  running_ = true;
}

void JobMetrics::Stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!running_) return;
  stopped_ = std::chrono::steady_clock::now();
  running_ = false;
}

void JobMetrics::AddSourceErrors(const std::string& table,
                                 std::shared_ptr<SourceErrorCounters> errors) {
  if (!errors) return;
  for (const auto& [name, existing] : source_errors_) {
    if (existing == errors) return;  // one table scanned by several stages
  }
  source_errors_.emplace_back(table, std::move(errors));
}

JobMetrics::Snapshot JobMetrics::Read() const {
  Snapshot s;
  for (const auto& [table, rows] : source_rows_) {
    s.rows_read.emplace_back(table, rows->load(std::memory_order_relaxed));
    s.total_read += s.rows_read.back().second;
  }
  for (const auto& [table, rows] : sink_rows_) {
    s.rows_written.emplace_back(table, rows->load(std::memory_order_relaxed));
    s.total_written += s.rows_written.back().second;
  }
  std::map<std::string, uint64_t> late;
  for (const auto& [op, rows] : late_rows_) late[op] += rows->load(std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [op, rows] : unregistered_late_) late[op] += rows;
    if (started_ != std::chrono::steady_clock::time_point{}) {
      auto end = running_ ? std::chrono::steady_clock::now() : stopped_;
      s.elapsed_seconds = std::chrono::duration<double>(end - started_).count();
    }
  }
  for (const auto& [op, rows] : late) {
    if (rows == 0) continue;
    s.late_rows.emplace_back(op, rows);
    s.total_late += rows;
  }
  for (const auto& [table, errors] : source_errors_) {
    uint64_t dead = errors->dead_letters.load(std::memory_order_relaxed);
    uint64_t skipped = errors->skipped.load(std::memory_order_relaxed);
    if (dead) s.dead_letters.emplace_back(table, dead);
    if (skipped) s.skipped.emplace_back(table, skipped);
    s.total_dead_letters += dead;
    s.total_skipped += skipped;
  }
  s.has_sinks = !sink_watermarks_.empty();
  s.sink_watermark = s.has_sinks ? kMaxWatermark : kMinWatermark;
  for (const auto& w : sink_watermarks_) {
    s.sink_watermark = std::min(s.sink_watermark, w->load(std::memory_order_relaxed));
  }
  return s;
}

std::string JobMetrics::StatusLine() const {
  Snapshot s = Read();
  char elapsed[32];
  std::snprintf(elapsed, sizeof(elapsed), "%.1f s", s.elapsed_seconds);
  std::string line = elapsed;
  line += " | read " + Compact(static_cast<double>(s.total_read)) + " rows";
  if (s.elapsed_seconds > 0) {
    line += " (" + Compact(static_cast<double>(s.total_read) / s.elapsed_seconds) + "/s)";
  }
  line += " | written " + Compact(static_cast<double>(s.total_written));
  line += " | late " + FormatCount(s.total_late);
  if (s.total_dead_letters) line += " | dead letters " + FormatCount(s.total_dead_letters);
  if (s.total_skipped) line += " | skipped " + FormatCount(s.total_skipped);
  line += " | watermark " + FormatWatermark(s.sink_watermark);
  return line;
}

std::string JobMetrics::Summary() const {
  Snapshot s = Read();
  char head[64];
  std::snprintf(head, sizeof(head), "elapsed %.3f s\n", s.elapsed_seconds);
  std::string out = head;
  for (const auto& [table, rows] : s.rows_read) {
    out += "read    " + table + ": " + FormatCount(rows) + " rows\n";
  }
  for (const auto& [table, rows] : s.rows_written) {
    out += "written " + table + ": " + FormatCount(rows) + " rows\n";
  }
  out += "late    " + FormatCount(s.total_late) + " rows";
  if (!s.late_rows.empty()) {
    out += " (";
    for (size_t i = 0; i < s.late_rows.size(); ++i) {
      if (i) out += ", ";
      out += s.late_rows[i].first + ": " + FormatCount(s.late_rows[i].second);
    }
    out += ")";
  }
  out += "\n";
  for (const auto& [table, count] : s.dead_letters) {
    out += "dead letters " + table + ": " + FormatCount(count) + " records\n";
  }
  for (const auto& [table, count] : s.skipped) {
    out += "skipped " + table + ": " + FormatCount(count) + " undecodable records\n";
  }
  if (s.has_sinks) out += "watermark at sinks: " + FormatWatermark(s.sink_watermark) + "\n";
  return out;
}

}  // namespace sluice
