#pragma once
// Dead letters: records a source could not decode, kept with their bytes and provenance instead of
// stopping the job or vanishing.
//
// A source table declares where they go ('dead-letter.topic' = a Kafka topic, or
// 'dead-letter.path' = JSON lines in a file or directory; connectors/dead_letter/ builds the
// writer). Readers hand each undecodable record to a DeadLetterWriter and keep going; records
// dropped under a format's '*.ignore-parse-errors' are only counted. With neither, the reader
// fails with the record's position in the message.
//
// SourceErrorCounters are made by the planner per scanned table (TableContext::errors), bumped by
// any reader thread, and shown by the job's status line and summary.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sluice {

struct SourceErrorCounters {
  std::atomic<uint64_t> dead_letters{0};  // written to the table's dead-letter destination
  std::atomic<uint64_t> skipped{0};       // dropped under '*.ignore-parse-errors'
};

/// One undecodable record. Views are valid for the duration of DeadLetterWriter::Write().
struct DeadLetter {
  std::optional<std::string_view> key;    // raw message key (nullopt: none, e.g. files)
  std::optional<std::string_view> value;  // raw record bytes (nullopt: a Kafka tombstone)
  std::string_view table;                 // the source table's name
  std::string_view source;                // topic, or file path
  int32_t partition = -1;                 // Kafka partition; -1 for files
  int64_t offset = -1;                    // Kafka offset, or the file's line number (1-based)
  std::string_view error;                 // why it failed ("unknown schema id 42")
  int64_t timestamp_micros = 0;           // when it was dead-lettered (wall clock)
};

/// Where one reader sends its dead letters. One per SplitReader (not shared between threads);
/// writers of one table may append to the same destination.
class DeadLetterWriter {
 public:
  virtual ~DeadLetterWriter() = default;
  /// Queues or writes one record. An error here (destination unreachable) fails the job: a dead
  /// letter must never be lost silently.
  virtual Status Write(const DeadLetter& letter) = 0;
  /// Makes everything written so far durable (called before source positions are committed).
  virtual Status Flush() = 0;
};

}  // namespace sluice
