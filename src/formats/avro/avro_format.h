#pragma once
// The 'avro' format: one Avro binary record per message, no header, written and read with the
// schema Flink derives from the table (AvroSchemaFromTable), as Flink's avro format.
//
// Options (Flink 1.20's names):
//   avro.encoding                  Default: 'binary'. 'json' (Avro's JSON encoding) is refused.
//   avro.codec                     Accepted and checked (null, deflate, snappy, bzip2, xz): it
//                                  compresses Avro container files, and records here are always
//                                  framed by the transport (Kafka messages), never files.
//   avro.timestamp_mapping.legacy  Default: true. See AvroSchemaFromTable().
//
// framed_by_transport: SplitRecords() frames nothing (returns 0); each RecordInput record is one
// whole message. A file sink refuses the format.

#include "formats/format.h"

namespace sluice {

struct AvroFormatOptions {
  bool legacy_timestamp_mapping = true;
  /// Skip bad records (reported in DecodeResult::skipped) instead of stopping. Flink's avro
  /// format has no such option; connectors may set it for their dead-letter handling.
  bool ignore_parse_errors = false;
};

/// Reads the avro.* options of a table.
Result<AvroFormatOptions> ParseAvroOptions(const Options& options);

/// INTERVAL columns and column names that are not Avro names are Unsupported.
Result<std::unique_ptr<RecordDecoder>> MakeAvroRecordDecoder(const Schema& schema,
                                                             const AvroFormatOptions& options);
Result<std::unique_ptr<RecordEncoder>> MakeAvroRecordEncoder(const Schema& schema,
                                                             const AvroFormatOptions& options);

extern const FormatSpec kAvroFormat;

}  // namespace sluice
