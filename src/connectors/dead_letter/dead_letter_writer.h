#pragma once
// Dead-letter writers for source tables (runtime/dead_letter.h says what a dead letter is).
//
// A source table picks the destination with one of its WITH options:
//   'dead-letter.topic' = 'orders.dlq'   a Kafka topic (connectors/kafka/kafka_dead_letter.h)
//   'dead-letter.path'  = 'out/dlq/'     JSON lines in a file or a directory
// Both at once is an error; neither means no dead-letter queue (bad records fail the job, or are
// skipped under the format's '*.ignore-parse-errors').
//
// Path destinations write one JSON object per line:
//   {"table":"orders","source":"/data/orders.json","partition":-1,"offset":17,
//    "error":"expected a number for column 'amount', got
//    \"abc\"","time":"2026-01-01T00:00:05.123Z",
//    "key_base64":null,"value_base64":"eyJhbW91bnQiOiAiYWJjIn0=","value_text":"{\"amount\":
//    \"abc\"}"}
// The bytes are always there in base64 (nothing is lost); "value_text" repeats them as text when
// they are valid UTF-8 (else null), for humans. A path that ends with '/' or is an existing
// directory gets one file per writer, 'dead-letters-<table>-<pid>-<n>.jsonl' (created on the first
// dead letter); any other path is one file that every writer appends to. Each line is written by a
// single write() on an O_APPEND descriptor, so writers on several threads (or processes) never
// interleave partial lines. Flush() fsyncs.

#include <memory>
#include <string>
#include <string_view>

#include "connectors/connector.h"
#include "runtime/dead_letter.h"

namespace sluice {

/// The options every source connector with a dead-letter queue declares.
inline constexpr std::string_view kDeadLetterTopicOption = "dead-letter.topic";
inline constexpr std::string_view kDeadLetterPathOption = "dead-letter.path";

/// Checks the table's dead-letter options without creating anything.
Status CheckDeadLetterOptions(const Options& options);

/// The writer for one reader of the table, or nullptr when the table has no dead-letter option.
Result<std::unique_ptr<DeadLetterWriter>> MakeDeadLetterWriter(const TableContext& context);

/// A writer of JSON lines into `path` (a file, or a directory as described above).
Result<std::unique_ptr<DeadLetterWriter>> MakeFileDeadLetterWriter(const std::string& table,
                                                                   const std::string& path);

/// The JSON line (with its '\n') a path destination writes for `letter`.
std::string DeadLetterJsonLine(const DeadLetter& letter);

/// Standard base64 (RFC 4648, with padding).
void AppendBase64(std::string_view bytes, std::string* out);

}  // namespace sluice
