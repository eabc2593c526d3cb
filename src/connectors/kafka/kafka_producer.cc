#include "connectors/kafka/kafka_producer.h"

#include <chrono>
#include <cstdlib>

namespace sluice {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

void KafkaProducer::OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque) {
  auto* self = static_cast<KafkaProducer*>(KafkaUserOpaque(opaque));
  if (!self) return;
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++self->delivered_;
    return;
  }
  if (self->failed_++ == 0) {
    self->first_error_ = TopicPartitionName(message->rkt ? rd_kafka_topic_name(message->rkt) : "?",
                                            message->partition) +
                         ": " + rd_kafka_err2str(message->err);
  }
}

Result<std::unique_ptr<KafkaProducer>> KafkaProducer::Make(KafkaProperties properties,
                                                           std::string what) {
  std::unique_ptr<KafkaProducer> producer(new KafkaProducer());
  producer->what_ = std::move(what);
  if (!properties.count("partitioner")) properties["partitioner"] = "murmur2_random";
  const bool transactional = properties.count("transactional.id") > 0;
  if (transactional) {
    // librdkafka caps a transactional producer's message timeout at transaction.timeout.ms
    // (60 s by default) and refuses a larger explicit one.
    producer->timeout_ms_ = 60000;
  } else if (!properties.count("message.timeout.ms") && !properties.count("delivery.timeout.ms")) {
    properties["message.timeout.ms"] = "120000";
  }
  for (const char* key : {"transaction.timeout.ms", "message.timeout.ms", "delivery.timeout.ms"}) {
    if (!transactional && key == std::string_view("transaction.timeout.ms")) continue;
    auto it = properties.find(key);
    if (it != properties.end()) {
      char* end = nullptr;
      long long ms = std::strtoll(it->second.c_str(), &end, 10);
      if (end && *end == '\0' && ms > 0) producer->timeout_ms_ = ms;
    }
  }
  auto setup = [](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_dr_msg_cb(conf, &KafkaProducer::OnDelivery);
  };
  auto client = MakeKafkaClient(RD_KAFKA_PRODUCER, properties, producer.get(), +setup);
  if (!client.ok()) return client.status().WithContext(producer->what_);
  producer->client_ = std::move(client).value();
  return producer;
}

KafkaProducer::~KafkaProducer() {
  // Messages still queued are dropped (the writer failed or was cancelled: Flush() reports
  // undelivered ones). The handle goes first, while the fields its callbacks touch still exist.
  if (client_.get()) {
    rd_kafka_purge(client_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    client_.handle.reset();
  }
}

KafkaTopicHandle KafkaProducer::Topic(const std::string& name) const {
  return KafkaTopicHandle(rd_kafka_topic_new(client_.get(), name.c_str(), nullptr));
}

void KafkaProducer::ResetDeliveryErrors() {
  failed_ = 0;
  first_error_.clear();
}

Status KafkaProducer::CheckDelivery() const {
  if (failed_ == 0) return Status::OK();
  return Status::SinkError(what_ + ": " + std::to_string(failed_) +
                           (failed_ == 1 ? " message was" : " messages were") +
                           " not delivered, first: " + first_error_ + client_.LastLogSuffix());
}

Status KafkaProducer::Produce(rd_kafka_topic_t* topic, int32_t partition,
                              std::optional<std::string_view> key,
                              std::optional<std::string_view> value, int64_t timestamp_ms,
                              rd_kafka_headers_t* headers) {
  SLUICE_RETURN_IF_ERROR(CheckDelivery());
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms_ + 5000);
  while (true) {
    void* key_data = key ? const_cast<char*>(key->data()) : nullptr;
    size_t key_size = key ? key->size() : 0;
    void* value_data = value ? const_cast<char*>(value->data()) : nullptr;
    size_t value_size = value ? value->size() : 0;
    rd_kafka_resp_err_t err =
        headers ? rd_kafka_producev(
                      client_.get(), RD_KAFKA_V_RKT(topic), RD_KAFKA_V_PARTITION(partition),
                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key_data, key_size),
                      RD_KAFKA_V_VALUE(value_data, value_size), RD_KAFKA_V_TIMESTAMP(timestamp_ms),
                      RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END)
                : rd_kafka_producev(
                      client_.get(), RD_KAFKA_V_RKT(topic), RD_KAFKA_V_PARTITION(partition),
                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key_data, key_size),
                      RD_KAFKA_V_VALUE(value_data, value_size), RD_KAFKA_V_TIMESTAMP(timestamp_ms),
                      RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::OK();
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      if (headers) rd_kafka_headers_destroy(headers);
      return Status::SinkError(what_ + ": cannot queue a message for topic '" +
                               rd_kafka_topic_name(topic) + "': " + rd_kafka_err2str(err));
    }
    // Backpressure: the local queue is full until the brokers acknowledge some messages.
    rd_kafka_poll(client_.get(), 100);
    if (failed_) {
      if (headers) rd_kafka_headers_destroy(headers);
      return CheckDelivery();
    }
    if (Clock::now() > deadline) {
      if (headers) rd_kafka_headers_destroy(headers);
      return Status::SinkError(what_ + ": the producer queue stayed full for " +
                               std::to_string(timeout_ms_ / 1000 + 5) + " s" +
                               client_.LastLogSuffix());
    }
  }
}

Status KafkaProducer::Flush() {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms_ + 5000);
  while (rd_kafka_outq_len(client_.get()) > 0 && Clock::now() < deadline) {
    rd_kafka_flush(client_.get(), 100);
  }
  rd_kafka_poll(client_.get(), 0);
  SLUICE_RETURN_IF_ERROR(CheckDelivery());
  int left = rd_kafka_outq_len(client_.get());
  if (left > 0) {
    return Status::SinkError(
        what_ + ": " + std::to_string(left) + " messages were not acknowledged within " +
        std::to_string(timeout_ms_ / 1000 + 5) + " s" + client_.LastLogSuffix());
  }
  return Status::OK();
}

}  // namespace sluice
