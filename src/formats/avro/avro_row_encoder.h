#pragma once
// Rows of a Batch -> Avro binary records of a given record schema (the table's derived schema, or
// the explicit 'avro-confluent.schema'), compiled once into per-field steps.
//
// Each writer field takes the column of the same name (exact, then case-insensitive). A union
// field writes its null branch for NULL and, for values, the branch that fits the column best
// (["null","long"] for BIGINT: branch 1). Column -> Avro conversions: BOOLEAN boolean; INT int
// (or long, double, float); BIGINT long (or double, float, int when in range); DOUBLE double (or
// float); DECIMAL bytes/fixed decimal (rescaled to the field's scale, half-up) or plain bytes
// (unscaled); STRING string, bytes or enum (the symbol must exist); TIMESTAMP / TIMESTAMP_LTZ
// long in the field's timestamp unit (plain long: millis for p <= 3, else micros); DATE int.
// A writer field without a column writes its default (encoded once). No framing is added.

#include <memory>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/status.h"
#include "formats/avro/avro_schema.h"

namespace sluice {

class AvroRowWriter {
 public:
  /// TypeError when a field cannot take its column's type, or a field without a column has no
  /// default.
  static Result<std::unique_ptr<AvroRowWriter>> Make(const AvroSchema& writer,
                                                     const Schema& columns);

  /// Appends row `row` of `batch` as one record. A value the schema cannot hold (NULL for a
  /// non-nullable field, an unknown enum symbol, a decimal too wide) is a SinkError naming the
  /// column.
  Status AppendRow(const Batch& batch, size_t row, std::string* out) const;

  struct Step {
    uint8_t op = 0;
    int8_t null_branch = -1;    // union index of null, or -1
    int32_t value_branch = -1;  // union index of the value, or -1 (not a union)
    uint32_t column = 0;
    int32_t arg = 0;
    int32_t arg2 = 0;
    int64_t size = 0;  // fixed decimals
  };

 private:
  std::vector<Step> steps_;
  std::vector<std::string> constants_;             // default bytes
  std::vector<std::vector<std::string>> symbols_;  // enum fields
  std::vector<std::string> field_names_;
  Schema columns_;
};

}  // namespace sluice
