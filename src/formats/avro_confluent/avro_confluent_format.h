#pragma once
// The 'avro-confluent' format: Confluent's wire format (magic byte 0, 4-byte big-endian schema
// id, Avro binary body), as Flink 1.20's avro-confluent format and Confluent's
// KafkaAvroSerializer / KafkaAvroDeserializer.
//
// Reading: the writer schema is fetched from the registry by the id in each record (once per id
// for the whole process), resolved against the table's reader schema (the explicit
// 'avro-confluent.schema', or the schema derived from the table) into a decode program cached
// per id, and the body decoded with it. Per-record errors (DecodeError; the record can go to a
// dead-letter queue): wrong magic byte, record shorter than the header, unknown schema id,
// writer schema that cannot be read into the table, bad Avro body. A registry that cannot be
// reached is not the record's fault: Decode() then stops with a retryable IoError and
// DecodeResult::consumed = the record that needed it.
//
// Writing: the table's schema (or 'avro-confluent.schema') is registered under
// 'avro-confluent.subject' at the first Encode() (once per process), and every record is
// 0 + id + body. The Kafka connector sets the subject to '<topic>-value' / '<topic>-key' when the
// table does not.
//
// Options (Flink 1.20's names; the Kafka connector strips 'value.' / 'key.'):
//   avro-confluent.url                            required. Several may be comma-separated.
//   avro-confluent.subject                        needed for writing.
//   avro-confluent.schema                         explicit reader / writer schema (Avro JSON).
//   avro-confluent.basic-auth.credentials-source  USER_INFO (default when user-info is set) or
//                                                 URL (credentials in the URL); SASL_INHERIT is
//                                                 refused.
//   avro-confluent.basic-auth.user-info           'user:password'.
//   avro-confluent.bearer-auth.credentials-source STATIC_TOKEN (others are refused).
//   avro-confluent.bearer-auth.token              the token.
//   avro-confluent.ssl.truststore.location        PEM CA bundle (JKS is refused: convert it).
//   avro-confluent.ssl.truststore.password        accepted (PEM needs none).
//   avro-confluent.ssl.keystore.location          client certificate: PEM, or PKCS#12 (.p12/.pfx).
//   avro-confluent.ssl.keystore.password          its password.
// Flink's fallback keys avro-confluent.schema-registry.url / .subject / .schema are accepted.

#include "formats/avro_confluent/schema_registry_client.h"
#include "formats/format.h"

namespace sluice {

struct AvroConfluentOptions {
  SchemaRegistryConfig registry;
  std::string subject;  // empty: not given
  std::string schema;   // empty: derived from the table
  /// Skip bad records (reported in DecodeResult::skipped) instead of stopping. Not a Flink
  /// option; connectors may set it for their dead-letter handling.
  bool ignore_parse_errors = false;
};

/// Reads the avro-confluent.* options of a table.
Result<AvroConfluentOptions> ParseAvroConfluentOptions(const Options& options);

/// Uses SharedSchemaRegistry(options.registry) (the test seam applies).
Result<std::unique_ptr<RecordDecoder>> MakeAvroConfluentRecordDecoder(
    const Schema& schema, const AvroConfluentOptions& options);
/// Refuses a missing subject. The registry is first contacted at the first Encode().
Result<std::unique_ptr<RecordEncoder>> MakeAvroConfluentRecordEncoder(
    const Schema& schema, const AvroConfluentOptions& options);

/// The decoder and encoder with a given registry (no process-wide lookup).
Result<std::unique_ptr<RecordDecoder>> MakeAvroConfluentRecordDecoder(
    const Schema& schema, const AvroConfluentOptions& options,
    std::shared_ptr<SchemaRegistry> registry);
Result<std::unique_ptr<RecordEncoder>> MakeAvroConfluentRecordEncoder(
    const Schema& schema, const AvroConfluentOptions& options,
    std::shared_ptr<SchemaRegistry> registry);

extern const FormatSpec kAvroConfluentFormat;

}  // namespace sluice
