#pragma once
// RecordDecoder: turns encoded records (JSON lines, CSV rows) into rows of a Batch.
//
// Lifecycle: a format's make_decoder builds one decoder per reader (file split, Kafka partition);
// it is used by one thread at a time and keeps scratch state between calls.
//
// Framing and decoding are separate steps so that every transport can use the same decoder: a
// file reader calls SplitRecords() on a block of bytes, a message queue hands each message over
// as one record. Decode() works on many records per call (one virtual call per block, not per
// row) and writes straight into the batch's columns.
//
// A record that fails to decode is data, not a crash: with the format's ignore-parse-errors
// option it is skipped and reported in DecodeResult::skipped (record index and reason, so a
// dead-letter queue can keep the raw bytes); otherwise Decode() stops at it and returns a
// DecodeError whose message is the reason, with DecodeResult::consumed = the failed record's
// index. Callers add where the record came from ("orders.json line 17: ...").

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/batch.h"
#include "common/status.h"

namespace sluice {

/// Readable bytes a padded record has after its end (simdjson parses in place with this much).
constexpr size_t kRecordPadding = 64;

/// Records handed to Decode(): views into memory that `owner` keeps alive.
struct RecordInput {
  std::span<const std::string_view> records;
  /// When set, decoded strings may point into the record bytes (zero copy) and the batch's
  /// columns keep `owner` alive. When null, string bytes are copied into the columns.
  std::shared_ptr<const void> owner;
  /// Every record is followed by at least kRecordPadding readable bytes.
  bool padded = false;
};

/// A record that could not be decoded: its index in RecordInput::records and why.
struct RecordError {
  size_t record = 0;
  std::string reason;  // "expected a number for column 'amount', got \"abc\""
};

struct DecodeResult {
  /// Records handled from the front of the input (decoded or skipped). After a DecodeError this
  /// is the index of the record that failed.
  size_t consumed = 0;
  /// Rows appended to the batch.
  size_t rows = 0;
  /// Records dropped under ignore-parse-errors, in input order.
  std::vector<RecordError> skipped;
};

class RecordDecoder {
 public:
  virtual ~RecordDecoder() = default;

  /// The physical schema rows are decoded into.
  virtual const Schema& schema() const = 0;

  /// Appends views of up to `max_records` complete records at the front of `data` to `records`
  /// and returns how many bytes they (and any blank or comment lines between them) span. With
  /// `at_end`, a final record without a terminator counts as complete.
  virtual size_t SplitRecords(std::string_view data, bool at_end, size_t max_records,
                              std::vector<std::string_view>* records) const = 0;

  /// Appends one row per good record to `out` (an empty Batch gets the schema's columns). See
  /// the header comment for errors. `result` is reset first.
  virtual Status Decode(const RecordInput& input, Batch* out, DecodeResult* result) = 0;
};

}  // namespace sluice
