#pragma once
// JobMetrics: the counters of a running job — rows read per source table, rows written per sink
// table, late rows per operator, the watermark at the sinks — for the CLI's live status line and
// its exit summary.
//
// Lifecycle and threading: the job registers every counter while it is being built (single
// thread, before Start()); from then on tasks update the atomics and any thread may read them
// (Read(), StatusLine(), Summary()). Late rows from an operator id that was not registered are
// still counted, under a mutex.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/dead_letter.h"

namespace sluice {

class JobMetrics {
 public:
  struct Snapshot {
    std::vector<std::pair<std::string, uint64_t>> rows_read;     // per source table
    std::vector<std::pair<std::string, uint64_t>> rows_written;  // per sink table
    std::vector<std::pair<std::string, uint64_t>> late_rows;     // per operator (non-zero)
    std::vector<std::pair<std::string, uint64_t>> dead_letters;  // per source table (non-zero)
    std::vector<std::pair<std::string, uint64_t>> skipped;       // per source table (non-zero)
    uint64_t total_dead_letters = 0;
    uint64_t total_skipped = 0;
    uint64_t total_read = 0;
    uint64_t total_written = 0;
    uint64_t total_late = 0;
    /// Min over sink instances of the watermark they saw last (kMinWatermark before any).
    int64_t sink_watermark = 0;
    bool has_sinks = false;
    double elapsed_seconds = 0;
  };

  // Registration (before Start()). The same table or operator name returns the same counter.
  std::atomic<uint64_t>* SourceRows(const std::string& table);
  std::atomic<uint64_t>* SinkRows(const std::string& table);
  std::atomic<uint64_t>* OperatorLateRows(const std::string& operator_id);
  /// The dead-letter and skip counters of a source table (kept alive here; null is ignored).
  void AddSourceErrors(const std::string& table, std::shared_ptr<SourceErrorCounters> errors);
  /// One slot per sink instance.
  std::atomic<int64_t>* AddSinkWatermark();

  /// Counts late rows of `operator_id` (thread-safe).
  void AddLateRows(const std::string& operator_id, uint64_t rows);

  void Start();
  void Stop();
  Snapshot Read() const;
  /// One line for a live display: "12.3 s | read 1.2 M rows (98.1 k/s) | written 1.2 M | late 0
  /// | watermark 2024-01-01 00:01:00.000".
  std::string StatusLine() const;
  /// Several lines for the end of a run: elapsed, rows per table, late rows per operator.
  std::string Summary() const;

 private:
  using Counters = std::map<std::string, std::unique_ptr<std::atomic<uint64_t>>>;
  static std::atomic<uint64_t>* Register(Counters& counters, const std::string& name);

  Counters source_rows_;
  Counters sink_rows_;
  Counters late_rows_;
  std::vector<std::pair<std::string, std::shared_ptr<SourceErrorCounters>>> source_errors_;
  std::vector<std::unique_ptr<std::atomic<int64_t>>> sink_watermarks_;
  mutable std::mutex mutex_;  // guards unregistered_late_ and the clock
  std::map<std::string, uint64_t> unregistered_late_;
  std::chrono::steady_clock::time_point started_{};
  std::chrono::steady_clock::time_point stopped_{};
  bool running_ = false;
};

/// "1,234" style grouping for counts shown to users.
std::string FormatCount(uint64_t value);

}  // namespace sluice
