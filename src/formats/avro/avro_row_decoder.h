#pragma once
// Avro binary records -> rows of a Batch, through a decode program compiled once per writer
// schema.
//
// AvroRowProgram::Compile() resolves a writer schema against the table's columns (and the reader
// schema, for field defaults) the way Avro schema resolution does, and flattens the result into
// a list of steps: per writer field, "read this Avro type into column k with this conversion" or
// "skip it"; unions become a branch dispatch; reader columns the writer lacks are filled with
// the reader field's default (encoded once at compile time and decoded like data) or NULL.
// Decoding then runs the steps over each record's bytes and writes straight into the columns:
// no per-record allocation, no generic value tree.
//
// Fields are matched by name: exact first (Avro is case-sensitive), then the reader field's
// aliases, then case-insensitively. Conversions (writer type -> column type):
//   BOOLEAN        boolean
//   INT            int; long (a value outside INT's range is a record error)
//   BIGINT         int, long (with any logical type: timestamp-millis stays milliseconds)
//   DOUBLE         int, long, float, double
//   DECIMAL(p,s)   bytes / fixed with logical type decimal (rescaled to s, half-up), or without
//                  one (unscaled at s); int, long. More than p digits is a record error.
//   STRING         string, bytes (raw bytes, not UTF-8 checked), enum (the symbol)
//   TIMESTAMP(p) / TIMESTAMP_LTZ(p)  long with timestamp-* or local-timestamp-* (millis, micros,
//                  nanos; the instant or wall clock is kept as is); a plain long in the reader
//                  field's unit (millis for p <= 3, as Flink's derived schema). Truncated to p
//                  fractional digits.
//   DATE           int (date or plain)
// A union is read branch by branch: its null branch sets NULL (an error for a NOT NULL column);
// a branch that cannot be read into the column is a record error only when a record takes it.
//
// Deviations from Flink (whose Avro resolution ignores logical types): a writer's timestamp unit
// and decimal scale are honoured instead of being reinterpreted in the reader's; enum -> STRING
// is accepted (Avro itself refuses enum -> string). Like Flink, bytes after the end of the record
// are ignored (a producer that appended fields to its schema still decodes).
//
// Corrupt input never crashes: every read is bounds-checked, and a truncated body, malformed
// varint, negative length, out-of-range union or enum index, or value that does not fit its
// column is a record error with the reason.

#include <memory>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/status.h"
#include "formats/avro/avro_schema.h"
#include "formats/record_decoder.h"

namespace sluice {

/// The batch columns one Decode() call writes into, shared by the programs it runs.
class AvroRowSink {
 public:
  /// Binds to `out` (given the schema's columns when empty), sized for `count` more rows.
  /// With `allow_views`, strings may point into the records' bytes.
  Status Begin(const Schema& schema, Batch* out, size_t count, bool allow_views);
  /// Row `row` failed: clears the NULL marks it may have left (the slot is reused).
  void UndoRow(size_t row);
  /// Trims the columns to `rows` rows and keeps `owner` alive where strings point into it.
  void End(Batch* out, size_t rows, const std::shared_ptr<const void>& owner);

  /// Why the last DecodeRecord() failed.
  std::string& reason() { return reason_; }

 private:
  friend class AvroRowProgram;
  std::vector<Column*> columns_;
  std::vector<uint8_t*> data_;
  std::vector<uint8_t> used_views_;
  std::vector<LogicalType> types_;
  std::vector<std::shared_ptr<const void>> keep_alive_;  // program storage strings point into
  bool allow_views_ = false;
  std::string reason_;
};

class AvroRowProgram {
 public:
  /// Resolves `writer` (a record schema) against the table columns. `reader` is the reader
  /// schema (a record whose fields name the columns; AvroSchemaFromTable() when the table gave
  /// none): its fields give defaults and, for plain longs, the timestamp unit. Errors name the
  /// field and both types.
  static Result<std::shared_ptr<const AvroRowProgram>> Compile(const AvroSchema& writer,
                                                               const Schema& columns,
                                                               const AvroSchema& reader);

  /// Decodes one record into row `row` of the sink's columns. False on a bad record, with the
  /// reason in sink->reason().
  bool DecodeRecord(const uint8_t* data, size_t size, AvroRowSink* sink, size_t row) const;

  /// Number of steps (for tests).
  size_t num_steps() const { return steps_.size(); }

  struct Step {
    uint8_t op = 0;
    uint8_t small = 0;    // op-specific flags (null branch, NOT NULL, zero-width items, precision)
    uint16_t name = 0;    // index into names_, for messages
    uint32_t column = 0;  // target column
    uint32_t arg = 0;     // op-specific: sub-program, fixed size, first symbol, branch table
    int32_t arg2 = 0;     // op-specific: count, unit, scales
  };
  struct Range {
    uint32_t begin = 0;
    uint32_t end = 0;
  };

 private:
  friend class AvroProgramCompiler;
  bool Run(uint32_t program, const uint8_t*& p, const uint8_t* end, AvroRowSink* sink, size_t row,
           int depth) const;
  bool Fail(AvroRowSink* sink, const Step& step, std::string reason) const;

  std::vector<Step> steps_;
  std::vector<Range> programs_;                        // sub-programs: ranges of steps_
  std::vector<uint32_t> branch_programs_;              // union branches: program ids
  std::vector<std::string> names_;                     // field names for messages
  std::vector<std::string> messages_;                  // kError steps
  std::shared_ptr<std::vector<std::string>> strings_;  // enum symbols, default bytes
  uint32_t main_ = 0;
  bool has_symbols_ = false;
};

}  // namespace sluice
