#pragma once
// The 'raw' format: each record (a Kafka message) is the value of the table's single physical
// column, as Flink's raw format.
//
// Column types: STRING (the bytes as text), and BOOLEAN (1 byte, non-zero is true), INT (4 bytes),
// BIGINT (8 bytes), DOUBLE (8 bytes, IEEE 754) in the byte order of 'raw.endianness'. Flink also
// has BYTES / VARBINARY and the small numeric types; sluice has no such types yet.
//
// Options (Flink's names):
//   raw.charset     Default: 'UTF-8'. The only charset accepted. Text that is not valid UTF-8
//                   is read with each bad sequence replaced by U+FFFD (as Java's decoder does).
//   raw.endianness  Default: 'big-endian'. Or 'little-endian'. For numeric columns.
//
// A null message (Kafka tombstone: a record view whose data() is null) reads as NULL; an empty
// message is '' for STRING and an error for numeric columns (wrong size). Writing, NULL becomes
// an empty record (Flink writes a null message; our encoders cannot say "null" through
// `row_ends`). Records are framed by the transport: SplitRecords() frames nothing.

#include <string>
#include <string_view>

#include "formats/format.h"

namespace sluice {

extern const FormatSpec kRawFormat;

/// Appends `text` to `out`, replacing each invalid UTF-8 sequence with U+FFFD.
void AppendUtf8Replacing(std::string_view text, std::string* out);

}  // namespace sluice
