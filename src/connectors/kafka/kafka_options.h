#pragma once
// A kafka / upsert-kafka table's WITH options, checked and resolved once (Flink 1.20 names and
// rules) into what readers and writers need: topics, client properties, the key and value formats
// with the columns each one carries, startup and bounded modes, sink settings, and the metadata
// columns at the end of the table's physical schema.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "connectors/connector.h"
#include "connectors/kafka/kafka_client.h"
#include "formats/format.h"

namespace sluice {

enum class KafkaStartupMode { kEarliest, kLatest, kGroupOffsets, kTimestamp, kSpecificOffsets };
enum class KafkaBoundedMode { kUnbounded, kLatest, kGroupOffsets, kTimestamp, kSpecificOffsets };
enum class KafkaPartitioner { kDefault, kFixed, kRoundRobin };
enum class KafkaDeliveryGuarantee { kNone, kAtLeastOnce, kExactlyOnce };
enum class KafkaMetadata { kTopic, kPartition, kOffset, kTimestamp, kTimestampType, kLeaderEpoch };

/// One side of a message (key or value): its format, the format's options (prefix 'key.' /
/// 'value.' stripped) and the physical columns it carries.
struct KafkaFormatConfig {
  const FormatSpec* format = nullptr;
  Options options;
  /// The format's fields: the columns below, key columns without 'key.fields-prefix'.
  Schema schema;
  /// For each schema field, its index among the table's physical columns.
  std::vector<int> columns;
};

struct KafkaTableConfig {
  std::string table;  // for messages
  bool upsert = false;
  std::vector<std::string> topics;  // 'topic' ('a;b')
  std::string topic_pattern;        // 'topic-pattern' (a regular expression), else ""
  /// librdkafka properties ('properties.*' translated), bootstrap.servers included.
  KafkaProperties properties;
  std::string bootstrap_servers;
  /// 'properties.group.id'; empty when the table has none.
  std::string group_id;

  KafkaFormatConfig value;
  /// Present with 'key.format' (kafka) and always for upsert-kafka (the primary key).
  std::optional<KafkaFormatConfig> key;
  /// 'value.fields-include' = 'EXCEPT_KEY'.
  bool value_except_key = false;
  /// Columns in the table's physical schema before the metadata columns.
  size_t num_physical = 0;
  /// One per metadata column (they follow the physical ones), in order.
  std::vector<KafkaMetadata> metadata;

  // Source.
  KafkaStartupMode startup = KafkaStartupMode::kGroupOffsets;
  int64_t startup_timestamp_ms = 0;
  std::map<int32_t, int64_t> startup_offsets;
  KafkaBoundedMode bounded = KafkaBoundedMode::kUnbounded;
  int64_t bounded_timestamp_ms = 0;
  std::map<int32_t, int64_t> bounded_offsets;
  /// 'scan.topic-partition-discovery.interval' in ms; <= 0 disables discovery.
  int64_t discovery_interval_ms = 5 * 60 * 1000;
  /// Offsets are committed to the group (a group id was given and 'properties.commit.offsets.
  /// on.checkpoint' is not 'false').
  bool commit_offsets = false;
  bool has_dead_letters = false;

  // Sink.
  KafkaPartitioner partitioner = KafkaPartitioner::kDefault;
  /// 'sink.delivery-guarantee' = 'at-least-once' (default): Flush() waits for every ack.
  bool at_least_once = true;
  KafkaDeliveryGuarantee guarantee = KafkaDeliveryGuarantee::kAtLeastOnce;
  /// 'sink.transactional-id-prefix'; empty: 'sluice-<pipeline>-<first 8 chars of the sink uid>'.
  std::string transactional_id_prefix;
  /// 'sink.commit.timeout' in ms: how long a commit is retried before the job fails.
  int64_t commit_timeout_ms = 10 * 60 * 1000;
};

/// Resolves a source table (kafka when !upsert, else upsert-kafka).
Result<KafkaTableConfig> ParseKafkaSourceConfig(const TableContext& context, bool upsert);
/// Resolves a sink table.
Result<KafkaTableConfig> ParseKafkaSinkConfig(const TableContext& context, bool upsert);

/// 'partition:0,offset:42;partition:1,offset:300' -> {0: 42, 1: 300}.
Result<std::map<int32_t, int64_t>> ParseSpecificOffsets(const std::string& key,
                                                        const std::string& text);

/// The metadata keys both connectors declare (Flink's names and types; 'headers' is missing:
/// sluice has no MAP type yet).
const std::vector<MetadataDef>& KafkaMetadataDefs();

}  // namespace sluice
