#pragma once
// Turns the rows of a kafka / upsert-kafka sink into messages (key, value, timestamp, partition):
// shared by the writer that produces directly (at-least-once, none) and the one that stages
// epochs in a log (exactly-once), so both write the same bytes to the same partitions.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/kafka/kafka_options.h"

namespace sluice {

struct KafkaMessageView {
  int32_t partition = -1;  // RD_KAFKA_PARTITION_UA: the producer's partitioner decides
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;  // nullopt: a tombstone
  int64_t timestamp_ms = 0;               // 0: now
};

class KafkaMessageEncoder {
 public:
  /// `resolve_key_partitions`: 'default' partitions keyed messages here (murmur2 of the key,
  /// as librdkafka's murmur2_random does) instead of leaving them to the producer — an epoch log
  /// records where each message goes. Keyless messages stay unassigned either way.
  KafkaMessageEncoder(const KafkaTableConfig& config, int instance, bool resolve_key_partitions);

  /// Makes the key and value encoders.
  Status Open();
  /// For 'fixed', 'round-robin' and resolved keys: the topic's partition count.
  void set_partitions(int32_t partitions) { partitions_ = partitions > 0 ? partitions : 1; }

  /// Encodes `batch` and calls `emit` once per message, in row order (-U rows of upsert-kafka
  /// produce none). The views are valid during the call only.
  Status Encode(const Batch& batch, const std::function<Status(const KafkaMessageView&)>& emit);

 private:
  int32_t Partition(const std::optional<std::string_view>& key);

  const KafkaTableConfig& config_;
  const int instance_;
  const bool resolve_key_partitions_;
  std::unique_ptr<RecordEncoder> value_encoder_;
  std::unique_ptr<RecordEncoder> key_encoder_;
  int timestamp_column_ = -1;
  int32_t partitions_ = 1;
  uint64_t round_robin_ = 0;
  std::string values_, keys_;
  std::vector<size_t> value_ends_, key_ends_;
};

}  // namespace sluice
