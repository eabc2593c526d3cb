#pragma once
// The 'debezium-json' format: Debezium change events, as Flink's debezium-json format. Rows carry
// RowKinds (FormatSpec::produces_changelog).
//
// Reading: a message is {"before": {...}, "after": {...}, "op": "c" | "r" | "u" | "d", ...} or,
// with 'debezium-json.schema-include' = 'true', {"schema": {...}, "payload": {<that>}}.
//   c, r  ->  +I(after)
//   u     ->  -U(before), +U(after)   ('before' must be there: REPLICA IDENTITY FULL in Postgres)
//   d     ->  -D(before)
// 'before' and 'after' are decoded into the table's physical columns by the json format's decoder
// (same field rules: by name, missing fields are NULL, timestamps as the json format reads them —
// Debezium's epoch-number timestamps need BIGINT columns, as in Flink). Other envelope fields
// ("source", "ts_ms", "transaction") are ignored. A null or empty message (a Kafka tombstone,
// which follows each delete) is skipped, neither a row nor an error. A bad message (malformed
// JSON, unknown op, a missing 'before'/'after', a field that does not decode) is one record error:
// under 'debezium-json.ignore-parse-errors' the whole message is skipped (never half an update).
//
// Framing: one message per record (a Kafka message). SplitRecords() also frames JSON lines, so a
// file of Debezium events, one per line, can be read.
//
// Writing: +I -> {"before":null,"after":{...},"op":"c"}, -D -> {"before":{...},"after":null,
// "op":"d"}, and an update as -U -> op "d", +U -> op "c" (as Flink writes it).
//
// Options (Flink's names):
//   debezium-json.schema-include          Default: false. Messages have the schema/payload wrapper
//                                         (Kafka Connect's JsonConverter schemas.enable). Reading
//                                         only, as in Flink.
//   debezium-json.ignore-parse-errors     Default: false. Skip (and count) bad messages.
//   debezium-json.timestamp-format.standard  Default: 'SQL'. Or 'ISO-8601' (as the json format).
//   debezium-json.map-null-key.mode       Default: 'FAIL'. Accepted ('FAIL', 'DROP', 'LITERAL');
//                                         sluice has no MAP type.
//   debezium-json.map-null-key.literal    Default: 'null'. Accepted.
//   debezium-json.encode.decimal-as-plain-number  Default: false. Accepted; decimals are plain.
//   debezium-json.encode.ignore-null-fields  Default: false. Leave NULL fields out when writing.

#include "formats/format.h"

namespace sluice {

extern const FormatSpec kDebeziumJsonFormat;

}  // namespace sluice
