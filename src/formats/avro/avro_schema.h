#pragma once
// Avro schemas: the parsed model of an Avro schema JSON document, and the schema Flink derives
// from a table (AvroSchemaConverter), which is both the reader schema of the 'avro' /
// 'avro-confluent' formats and the schema their encoders write and register.
//
// The model is a flat list of nodes; a node refers to others by index, so a named type is stored
// once and every reference to it (including recursive ones) is the same index.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/batch.h"
#include "common/status.h"

namespace sluice {

enum class AvroType : uint8_t {
  kNull,
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kBytes,
  kString,
  kRecord,
  kEnum,
  kArray,
  kMap,
  kUnion,
  kFixed,
};

/// Logical type annotations. One that does not fit its type (e.g. 'date' on a string, a decimal
/// whose scale exceeds its precision) is ignored, as the Avro specification asks.
enum class AvroLogicalType : uint8_t {
  kNone,
  kDecimal,  // bytes or fixed
  kUuid,     // string or fixed(16)
  kDate,     // int: days since 1970-01-01
  kTimeMillis,
  kTimeMicros,
  kTimestampMillis,  // long: an instant (UTC)
  kTimestampMicros,
  kTimestampNanos,
  kLocalTimestampMillis,  // long: a wall-clock time, no zone
  kLocalTimestampMicros,
  kLocalTimestampNanos,
  kDuration,  // fixed(12)
};

std::string_view AvroTypeName(AvroType type);
/// "timestamp-millis", or "" for kNone.
std::string_view AvroLogicalTypeName(AvroLogicalType type);
/// The unit of a timestamp logical type (local or not): 0 millis, 1 micros, 2 nanos; -1 when it
/// is not a timestamp.
int AvroTimestampUnit(AvroLogicalType type);

struct AvroField {
  std::string name;
  int type = -1;  // node index
  std::vector<std::string> aliases;
  /// The field's "default" as JSON text ("null", "0", "\"x\"", "[]"); empty when absent.
  std::string default_json;
  bool has_default() const { return !default_json.empty(); }
};

struct AvroNode {
  AvroType type = AvroType::kNull;
  AvroLogicalType logical = AvroLogicalType::kNone;
  int precision = 0;                 // decimal
  int scale = 0;                     // decimal
  std::string full_name;             // named types (record, enum, fixed): "ns.Name"
  std::vector<std::string> aliases;  // named types: full names
  std::vector<AvroField> fields;     // record
  std::vector<std::string> symbols;  // enum
  std::string enum_default;          // enum: the symbol readers use for unknown ones, or ""
  std::vector<int> branches;         // union: node indices
  int items = -1;                    // array: node index; map: the values' node index
  int64_t fixed_size = 0;            // fixed

  bool is_named() const {
    return type == AvroType::kRecord || type == AvroType::kEnum || type == AvroType::kFixed;
  }
  /// "Name" of "ns.Name".
  std::string_view short_name() const;
};

class AvroSchema {
 public:
  /// Parses an Avro schema document. Errors are InvalidArgument with the reason ("invalid Avro
  /// schema: record 'Order' field 'id' has no 'type'").
  static Result<AvroSchema> Parse(std::string_view json);

  const AvroNode& node(int index) const { return nodes_[index]; }
  const AvroNode& root() const { return nodes_[root_]; }
  int root_index() const { return root_; }
  size_t num_nodes() const { return nodes_.size(); }

  /// The schema as compact JSON, each named type written out once (later uses by full name),
  /// attributes in Avro's order ({"type":"record","name":..,"namespace":..,"fields":[..]}).
  std::string ToJson() const;
  /// Human-readable type of a node for messages: "string", "[\"null\",\"long\"]",
  /// "long (timestamp-millis)", "record Order".
  std::string Describe(int index) const;

  // Building (AvroSchemaFromTable and tests).
  int AddNode(AvroNode node);
  void set_root(int index) { root_ = index; }
  AvroNode& mutable_node(int index) { return nodes_[index]; }

 private:
  std::vector<AvroNode> nodes_;
  int root_ = -1;
};

/// The namespace and name Flink gives the record it derives from a table.
constexpr std::string_view kFlinkAvroRecordName = "org.apache.flink.avro.generated.record";

/// The Avro schema Flink 1.20 derives from a table's physical columns (AvroSchemaConverter):
/// a record "org.apache.flink.avro.generated.record" with one field per column; a nullable
/// column is the union ["null", T] with default null, a NOT NULL column plain T. BOOLEAN boolean,
/// INT int, BIGINT long, DOUBLE double, STRING string, DECIMAL(p,s) bytes with logical type
/// decimal(p,s), DATE int (date).
///
/// Timestamps follow Flink's 'avro.timestamp_mapping.legacy' (default true):
///   legacy      TIMESTAMP(p<=3) long timestamp-millis
///   non-legacy  TIMESTAMP(p<=3) long local-timestamp-millis, TIMESTAMP(4..6)
///   local-timestamp-micros,
///               TIMESTAMP_LTZ(p<=3) long timestamp-millis, TIMESTAMP_LTZ(4..6) timestamp-micros
/// Where Flink refuses to derive a schema under the legacy mapping (TIMESTAMP(p>3): "Avro does not
/// support TIMESTAMP type with precision"; TIMESTAMP_LTZ: "Unsupported to derive Schema") we
/// derive timestamp-micros / timestamp-millis|micros instead, so those tables still work.
/// INTERVAL columns are an Unsupported error.
Result<AvroSchema> AvroSchemaFromTable(const Schema& schema, bool legacy_timestamp_mapping = true);

}  // namespace sluice
