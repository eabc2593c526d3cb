#pragma once
// Kafka test fixtures: librdkafka's in-process mock cluster (real protocol on 127.0.0.1, no
// broker needed), a producer and a reader of whole topics, and a poll loop with a deadline.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "connectors/connector.h"

namespace sluice::testing {

struct KafkaMessage {
  int32_t partition = 0;
  int64_t offset = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
  int64_t timestamp_ms = -1;
  std::map<std::string, std::string> headers;
};

class MockKafka {
 public:
  explicit MockKafka(int brokers = 1) {
    char error[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t*, int, const char*, const char*) {});
    owner_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
    EXPECT_NE(owner_, nullptr) << error;
    cluster_ = rd_kafka_mock_cluster_new(owner_, brokers);
    EXPECT_NE(cluster_, nullptr);
    bootstraps_ = rd_kafka_mock_cluster_bootstraps(cluster_);

    conf = rd_kafka_conf_new();
    Set(conf, "bootstrap.servers", bootstraps_);
    Set(conf, "linger.ms", "0");
    rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t*, int, const char*, const char*) {});
    producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
    EXPECT_NE(producer_, nullptr) << error;
  }
  ~MockKafka() {
    if (producer_) rd_kafka_destroy(producer_);
    if (cluster_) rd_kafka_mock_cluster_destroy(cluster_);
    if (owner_) rd_kafka_destroy(owner_);
  }
  MockKafka(const MockKafka&) = delete;
  MockKafka& operator=(const MockKafka&) = delete;

  const std::string& bootstraps() const { return bootstraps_; }
  rd_kafka_mock_cluster_t* cluster() const { return cluster_; }

  void CreateTopic(const std::string& topic, int partitions) {
    ASSERT_EQ(rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }

  /// Produces and waits for the acknowledgement.
  void Produce(const std::string& topic, int32_t partition, std::optional<std::string> key,
               std::optional<std::string> value, int64_t timestamp_ms = 0) {
    void* key_data = key ? const_cast<char*>(key->data()) : nullptr;
    size_t key_size = key ? key->size() : 0;
    void* value_data = value ? const_cast<char*>(value->data()) : nullptr;
    size_t value_size = value ? value->size() : 0;
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key_data, key_size),
        RD_KAFKA_V_VALUE(value_data, value_size), RD_KAFKA_V_TIMESTAMP(timestamp_ms),
        RD_KAFKA_V_END);
    ASSERT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(err);
  }
  void Flush() { ASSERT_EQ(rd_kafka_flush(producer_, 10000), RD_KAFKA_RESP_ERR_NO_ERROR); }

  /// Every message of `topic` (all partitions, from the beginning), in partition then offset
  /// order. Waits at most 15 s.
  std::vector<KafkaMessage> ReadAll(const std::string& topic, int partitions) {
    char error[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    Set(conf, "bootstrap.servers", bootstraps_);
    Set(conf, "group.id", "test-reader");
    Set(conf, "enable.partition.eof", "true");
    rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t*, int, const char*, const char*) {});
    rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
    EXPECT_NE(consumer, nullptr) << error;
    std::vector<KafkaMessage> out;
    if (!consumer) return out;
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; ++p) {
      rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    }
    rd_kafka_assign(consumer, list);
    rd_kafka_topic_partition_list_destroy(list);
    int eofs = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (eofs < partitions && std::chrono::steady_clock::now() < deadline) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, 100);
      if (!m) continue;
      if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        ++eofs;
      } else if (!m->err) {
        KafkaMessage msg;
        msg.partition = m->partition;
        msg.offset = m->offset;
        if (m->key) msg.key = std::string(static_cast<const char*>(m->key), m->key_len);
        if (m->payload) msg.value = std::string(static_cast<const char*>(m->payload), m->len);
        rd_kafka_timestamp_type_t type;
        msg.timestamp_ms = rd_kafka_message_timestamp(m, &type);
        rd_kafka_headers_t* headers = nullptr;
        if (rd_kafka_message_headers(m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
          const char* name;
          const void* value;
          size_t size;
          for (size_t i = 0; !rd_kafka_header_get_all(headers, i, &name, &value, &size); ++i) {
            msg.headers[name] = std::string(static_cast<const char*>(value), size);
          }
        }
        out.push_back(std::move(msg));
      }
      rd_kafka_message_destroy(m);
    }
    EXPECT_EQ(eofs, partitions) << "timed out reading " << topic;
    rd_kafka_consumer_close(consumer);
    rd_kafka_destroy(consumer);
    std::sort(out.begin(), out.end(), [](const KafkaMessage& a, const KafkaMessage& b) {
      return a.partition != b.partition ? a.partition < b.partition : a.offset < b.offset;
    });
    return out;
  }

 private:
  static void Set(rd_kafka_conf_t* conf, const char* key, const std::string& value) {
    char error[256];
    ASSERT_EQ(rd_kafka_conf_set(conf, key, value.c_str(), error, sizeof(error)), RD_KAFKA_CONF_OK)
        << error;
  }

  rd_kafka_t* owner_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  rd_kafka_t* producer_ = nullptr;
  std::string bootstraps_;
};

/// Rows a reader produced, with the stream of each batch and the streams it reported ended.
struct PolledRows {
  std::vector<std::string> rows;
  std::vector<int64_t> row_streams;
  std::vector<int64_t> added;
  std::vector<int64_t> ended;
  bool end_of_split = false;
  Status status;
};

/// Polls `reader` until `done(rows)` holds, the split ends, an error, or `seconds` pass.
template <typename Done>
PolledRows PollUntil(SplitReader& reader, Done done, double seconds = 20, size_t max_rows = 1000,
                     PolledRows polled = {}) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  while (!done(polled) && !polled.end_of_split && std::chrono::steady_clock::now() < deadline) {
    auto start = std::chrono::steady_clock::now();
    auto batch = reader.Poll(max_rows, &polled.end_of_split);
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_LT(took, std::chrono::seconds(2)) << "Poll() blocked too long";
    if (!batch.ok()) {
      polled.status = batch.status();
      break;
    }
    EXPECT_LE(batch->num_rows(), max_rows);
    for (size_t r = 0; r < batch->num_rows(); ++r) {
      polled.rows.push_back(batch->RowToString(r));
      polled.row_streams.push_back(reader.LastPollStream());
    }
    int64_t stream;
    while (reader.TakeAddedStream(&stream)) polled.added.push_back(stream);
    while (reader.TakeEndedStream(&stream)) polled.ended.push_back(stream);
  }
  return polled;
}

inline auto RowCountAtLeast(size_t n) {
  return [n](const PolledRows& p) { return p.rows.size() >= n; };
}
inline auto Never() {
  return [](const PolledRows&) { return false; };
}

}  // namespace sluice::testing
