#pragma once
// KafkaSink: the kafka and upsert-kafka sinks. One producer per writer (parallel instance), or
// with 'exactly-once' one transactional producer per writer on the committer thread.
//
// kafka: one message per row; the value is the value format's record of the value columns (a
// text format's '\n' is not part of the message), the key the key format's record of
// 'key.fields' (no key without 'key.format'). Inserts only, unless the value format carries row
// kinds itself (debezium-json). 'sink.partitioner': 'default' = murmur2 of the key (the Java
// client's partitioner; keyless rows are spread), 'fixed' = writer i writes partition
// i % partitions, 'round-robin' = partitions in turn. The writable metadata column 'timestamp'
// sets the message timestamp (NULL: now).
//
// upsert-kafka: the key is the PRIMARY KEY's columns in 'key.format'; +I and +U write the value,
// -D writes a tombstone (NULL value), -U is skipped (the +U that follows replaces it).
//
// 'sink.delivery-guarantee' = 'at-least-once' (default): Flush() returns once every message is
// acknowledged; 'none': Flush() does not wait (Close() still does). A message that cannot be
// delivered fails the job either way. 'exactly-once' needs checkpoints: writers stage each epoch
// in a local log and the committer produces it in one Kafka transaction with a marker once the
// checkpoint is complete (kafka_exactly_once_writer.h, kafka_transaction_committer.h;
// 'sink.transactional-id-prefix', 'sink.commit.timeout'). Read the topic with
// 'isolation.level' = 'read_committed' to see each row once.

#include <memory>

#include "connectors/connector.h"
#include "connectors/kafka/kafka_options.h"

namespace sluice {

/// make_sink of kafka (upsert = false) and upsert-kafka.
Result<std::unique_ptr<Sink>> MakeKafkaSink(const TableContext& context, bool upsert);

}  // namespace sluice
