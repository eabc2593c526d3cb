#pragma once
// Dead letters to a Kafka topic ('dead-letter.topic'): the original key and value bytes, unchanged,
// with headers saying where they came from and why they failed:
//   sluice.error             the decode error
//   sluice.table             the source table
//   sluice.source.topic      the topic (or file) the record was read from
//   sluice.source.partition  its partition (decimal; -1 for files)
//   sluice.source.offset     its offset (decimal; the line number for files)
//   sluice.time              when it was dead-lettered, '2026-01-01T00:00:05.123Z'
// The producer uses the source table's 'properties.*' (bootstrap servers, SASL/SSL). Write()
// queues; Flush() waits until every queued letter is acknowledged (bounded by the producer's
// 'message.timeout.ms', 120 s unless the table sets it) and fails if one could not be delivered.

#include <memory>
#include <string>

#include "connectors/connector.h"
#include "runtime/dead_letter.h"

namespace sluice {

Result<std::unique_ptr<DeadLetterWriter>> MakeKafkaDeadLetterWriter(const TableContext& context,
                                                                    const std::string& topic);

}  // namespace sluice
