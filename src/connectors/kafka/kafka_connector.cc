#include "connectors/kafka/kafka_connector.h"

#include "connectors/kafka/kafka_sink.h"
#include "connectors/kafka/kafka_source.h"

namespace sluice {

namespace {

Result<std::unique_ptr<Source>> MakeAppendSource(const TableContext& context) {
  return MakeKafkaSource(context, /*upsert=*/false);
}

Result<std::unique_ptr<Source>> MakeUpsertSource(const TableContext& context) {
  return MakeKafkaSource(context, /*upsert=*/true);
}

Result<std::unique_ptr<Sink>> MakeAppendSink(const TableContext& context) {
  return MakeKafkaSink(context, /*upsert=*/false);
}

Result<std::unique_ptr<Sink>> MakeUpsertSink(const TableContext& context) {
  return MakeKafkaSink(context, /*upsert=*/true);
}

}  // namespace

namespace {

/// The sink delivery options both Kafka connectors share.
std::vector<OptionDef> WithDeliveryOptions(std::vector<OptionDef> options) {
  options.push_back(
      {"sink.delivery-guarantee", "at-least-once",
       "none, at-least-once or exactly-once (needs "
       "execution.checkpointing.interval; read with isolation.level=read_committed)."});
  options.push_back({"sink.transactional-id-prefix", "",
                     "exactly-once: prefix of the writers' transactional ids "
                     "('<prefix>-<writer>'); default 'sluice-<pipeline>-<sink uid>'."});
  options.push_back({"sink.commit.timeout", "10 min",
                     "exactly-once: how long a checkpoint's transaction is retried before the job "
                     "fails."});
  return options;
}

}  // namespace

const ConnectorSpec kKafkaConnector = {
    .name = "kafka",
    .description =
        "Apache Kafka topics: consumer-group source (partitions as watermark "
        "streams), append-only sink.",
    .options = WithDeliveryOptions({
        {"topic", "", "Topic to read or write; a source may list several, 'a;b'."},
        {"topic-pattern", "", "Source: regular expression of the topic names to read."},
        {"properties.bootstrap.servers", "", "Kafka brokers, 'host:port,host:port'.", true},
        {"properties.group.id", "",
         "Consumer group of the source; the offsets read are committed to it."},
        {"properties.*", "",
         "Any librdkafka property ('properties.security.protocol', "
         "'properties.sasl.mechanism', 'properties.ssl.ca.location', ...)."},
        {"format", "", "Format of the message value (or 'value.format')."},
        {"value.format", "", "Format of the message value."},
        {"key.format", "", "Format of the message key; needs 'key.fields'."},
        {"key.fields", "", "Columns carried in the key, 'a;b'."},
        {"key.fields-prefix", "",
         "Prefix of the key columns' names that the key format does not see."},
        {"value.fields-include", "ALL", "'ALL' or 'EXCEPT_KEY': columns in the value."},
        {"scan.startup.mode", "group-offsets",
         "earliest-offset, latest-offset, group-offsets, timestamp or specific-offsets."},
        {"scan.startup.timestamp-millis", "", "Start for 'timestamp' mode (epoch millis)."},
        {"scan.startup.specific-offsets", "",
         "Start for 'specific-offsets', 'partition:0,offset:42;partition:1,offset:300'."},
        {"scan.bounded.mode", "unbounded",
         "unbounded, latest-offset, group-offsets, timestamp or specific-offsets."},
        {"scan.bounded.timestamp-millis", "", "End for 'timestamp' mode (epoch millis)."},
        {"scan.bounded.specific-offsets", "", "End for 'specific-offsets' mode."},
        {"scan.topic-partition-discovery.interval", "5 min",
         "How often new partitions and topics (pattern) are looked for."},
        {"scan.watermark.idle-timeout", "",
         "Partitions without records this long stop holding the watermark back."},
        {"dead-letter.topic", "", "Kafka topic for records that cannot be decoded."},
        {"dead-letter.path", "", "File or directory for records that cannot be decoded."},
        {"sink.partitioner", "default", "default (murmur2 of the key), fixed or round-robin."},
        {"sink.parallelism", "", "Accepted; the sink runs at the query's parallelism."},
    }),
    .make_source = MakeAppendSource,
    .make_sink = MakeAppendSink,
    .metadata = KafkaMetadataDefs(),
};

const ConnectorSpec kUpsertKafkaConnector = {
    .name = "upsert-kafka",
    .description = "Apache Kafka topic as a changelog by key: upserts and tombstones.",
    .options = WithDeliveryOptions({
        {"topic", "", "Topic to read or write; a source may list several, 'a;b'.", true},
        {"properties.bootstrap.servers", "", "Kafka brokers, 'host:port,host:port'.", true},
        {"properties.group.id", "",
         "Consumer group of the source; the offsets read are committed to it."},
        {"properties.*", "", "Any librdkafka property."},
        {"key.format", "", "Format of the key (the PRIMARY KEY columns).", true},
        {"value.format", "", "Format of the value."},
        {"format", "", "Same as 'value.format'."},
        {"key.fields-prefix", "",
         "Prefix of the key columns' names that the key format does not see."},
        {"value.fields-include", "ALL", "'ALL' or 'EXCEPT_KEY': columns in the value."},
        {"scan.bounded.mode", "unbounded",
         "unbounded, latest-offset, group-offsets, timestamp or specific-offsets."},
        {"scan.bounded.timestamp-millis", "", "End for 'timestamp' mode (epoch millis)."},
        {"scan.bounded.specific-offsets", "", "End for 'specific-offsets' mode."},
        {"scan.topic-partition-discovery.interval", "5 min",
         "How often new partitions are looked for."},
        {"scan.watermark.idle-timeout", "",
         "Partitions without records this long stop holding the watermark back."},
        {"dead-letter.topic", "", "Kafka topic for records that cannot be decoded."},
        {"dead-letter.path", "", "File or directory for records that cannot be decoded."},
        {"sink.parallelism", "", "Accepted; the sink runs at the query's parallelism."},
        {"sink.buffer-flush.max-rows", "0", "Accepted; rows are sent as they come."},
        {"sink.buffer-flush.interval", "0", "Accepted; rows are sent as they come."},
    }),
    .make_source = MakeUpsertSource,
    .make_sink = MakeUpsertSink,
    .metadata = KafkaMetadataDefs(),
    .changelog_source = true,
};

}  // namespace sluice
