#pragma once
// 'connector' = 'kafka' and 'connector' = 'upsert-kafka': Apache Kafka topics through librdkafka,
// with Flink 1.20's option names (README.md in this folder's parent lists them).
//
//   kafka_options.h      options -> KafkaTableConfig (Flink's rules and messages)
//   kafka_source.h       consumer-group readers, partitions as watermark streams, commits
//   kafka_sink.h         kafka (append) and upsert-kafka (keys, tombstones) writers
//   kafka_dead_letter.h  'dead-letter.topic': undecodable records with provenance headers
//   kafka_producer.h     a producer that never drops a failed message silently
//   kafka_client.h       librdkafka configuration, logs, metadata look-ups

#include "connectors/connector.h"

namespace sluice {

extern const ConnectorSpec kKafkaConnector;
extern const ConnectorSpec kUpsertKafkaConnector;

}  // namespace sluice
