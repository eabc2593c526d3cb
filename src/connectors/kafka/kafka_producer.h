#pragma once
// KafkaProducer: a librdkafka producer as the kafka sinks and the dead-letter writer use it —
// delivery failures are collected (a failed message fails the job at the next call: nothing is
// dropped silently), a full local queue waits instead of failing, and Flush() waits for every
// acknowledgement, bounded by the producer's message timeout.
//
// Defaults on top of the table's 'properties.*': 'partitioner' = 'murmur2_random' (the Java
// client's default partitioner: murmur2 of the key; keyless messages are spread, sticky per
// batch) and 'message.timeout.ms' = 120000 (the Java client's delivery.timeout.ms), except for a
// transactional producer ('transactional.id' set), whose message timeout librdkafka caps at
// 'transaction.timeout.ms'.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "connectors/kafka/kafka_client.h"

namespace sluice {

class KafkaProducer {
 public:
  /// `what` names the producer in errors: "kafka sink 'orders_out'".
  static Result<std::unique_ptr<KafkaProducer>> Make(KafkaProperties properties, std::string what);
  ~KafkaProducer();

  rd_kafka_t* get() const { return client_.get(); }
  const KafkaClient& client() const { return client_; }
  /// A topic handle (cheaper than naming the topic per message).
  KafkaTopicHandle Topic(const std::string& name) const;

  /// Queues one message (bytes are copied). nullopt key / value: a NULL key / a tombstone.
  /// `timestamp_ms` 0 = now. `headers` (may be null) is taken over. Waits while librdkafka's
  /// queue is full; fails on an earlier delivery failure.
  Status Produce(rd_kafka_topic_t* topic, int32_t partition, std::optional<std::string_view> key,
                 std::optional<std::string_view> value, int64_t timestamp_ms = 0,
                 rd_kafka_headers_t* headers = nullptr);
  /// Serves delivery reports without waiting.
  void Poll() { rd_kafka_poll(client_.get(), 0); }
  /// The first delivery failure so far, as a SinkError.
  Status CheckDelivery() const;
  /// Forgets earlier delivery failures (a transactional producer after an abort: the aborted
  /// messages are produced again).
  void ResetDeliveryErrors();
  /// Waits until everything queued is acknowledged (or failed), at most the message timeout
  /// plus 5 s.
  Status Flush();
  /// Messages queued and not yet acknowledged.
  int InFlight() const { return rd_kafka_outq_len(client_.get()); }
  uint64_t delivered() const { return delivered_; }

 private:
  KafkaProducer() = default;
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);

  KafkaClient client_;
  std::string what_;
  int64_t timeout_ms_ = 120000;
  uint64_t delivered_ = 0;
  uint64_t failed_ = 0;
  std::string first_error_;
};

}  // namespace sluice
