#pragma once
// Thin RAII layer over librdkafka shared by the kafka source, sinks and dead-letter writer:
// configuration from a table's 'properties.*' (Java client spellings translated), a log sink
// that keeps librdkafka's messages off the terminal (the CLI draws a status line there) but
// remembers the last warning for error messages, and blocking metadata look-ups with deadlines.

#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice {

using KafkaProperties = std::map<std::string, std::string>;

struct KafkaHandleDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaHandleDeleter>;

struct KafkaTopicDeleter {
  void operator()(rd_kafka_topic_t* rkt) const { rd_kafka_topic_destroy(rkt); }
};
using KafkaTopicHandle = std::unique_ptr<rd_kafka_topic_t, KafkaTopicDeleter>;

struct KafkaPartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
using KafkaPartitionList =
    std::unique_ptr<rd_kafka_topic_partition_list_t, KafkaPartitionListDeleter>;

/// What librdkafka logged (from its own threads). Warnings and errors are remembered so that a
/// timeout can say why ("Connect to ipv4#127.0.0.1:9 failed: Connection refused"); nothing is
/// printed unless the table sets 'properties.debug'.
class KafkaLog {
 public:
  explicit KafkaLog(bool print) : print_(print) {}
  void Add(int level, const char* facility, const char* message);
  /// The most recent warning or error, or "".
  std::string Last() const;

 private:
  const bool print_;
  mutable std::mutex mutex_;
  std::string last_;
};

/// What a client's librdkafka opaque points at: its log and the caller's own opaque.
struct KafkaClientContext {
  std::shared_ptr<KafkaLog> log;
  void* user = nullptr;
};

/// The caller's opaque given to MakeKafkaClient(), from a callback's `opaque` argument.
inline void* KafkaUserOpaque(void* opaque) {
  return opaque ? static_cast<KafkaClientContext*>(opaque)->user : nullptr;
}

/// A client (producer or consumer) with its log; the handle is destroyed first.
struct KafkaClient {
  std::shared_ptr<KafkaLog> log;
  std::unique_ptr<KafkaClientContext> context;
  KafkaHandle handle;
  rd_kafka_t* get() const { return handle.get(); }
  /// " (last client message: ...)" or "": appended to errors.
  std::string LastLogSuffix() const;
};

/// Turns a table's 'properties.*' options into librdkafka properties: the prefix is stripped and
/// Java client spellings librdkafka lacks are translated ('auto.offset.reset' = 'none' ->
/// 'error'; 'sasl.jaas.config' with PlainLoginModule/ScramLoginModule -> sasl.username and
/// sasl.password). Flink's own source properties ('partition.discovery.interval.ms',
/// 'client.id.prefix', 'commit.offsets.on.checkpoint', 'register.consumer.metrics') and the
/// Java (de)serializer classes are taken out: the connector reads them itself or has no use
/// for them.
Result<KafkaProperties> TranslateProperties(const std::map<std::string, std::string>& options);

/// Checks every property against librdkafka's configuration (names and values) without
/// creating a client: a user error naming 'properties.<key>'.
Status CheckProperties(const KafkaProperties& properties);

/// Creates a client of `type` from `properties`. `setup` installs the caller's callbacks on the
/// configuration; they receive a KafkaClientContext as opaque (KafkaUserOpaque() gives back
/// `opaque`). An unknown or bad property is a user error naming 'properties.<key>'.
Result<KafkaClient> MakeKafkaClient(rd_kafka_type_t type, const KafkaProperties& properties,
                                    void* opaque = nullptr,
                                    void (*setup)(rd_kafka_conf_t*) = nullptr);

/// Partition ids of `topic` (sorted), waiting up to `timeout_ms` for the cluster. A topic that does
/// not exist is a NotFound error; an unreachable cluster an IoError naming the servers.
Result<std::vector<int32_t>> TopicPartitions(const KafkaClient& client, const std::string& topic,
                                             int timeout_ms);

/// Every topic of the cluster with its partition ids, waiting up to `timeout_ms`. Unlike a
/// request for one topic, this never makes a broker auto-create anything.
Result<std::map<std::string, std::vector<int32_t>>> ListTopicPartitions(const KafkaClient& client,
                                                                        int timeout_ms);

/// "orders[3]".
std::string TopicPartitionName(std::string_view topic, int32_t partition);

/// Status for a librdkafka error code with `what` as context.
Status KafkaError(std::string_view what, rd_kafka_resp_err_t err);

}  // namespace sluice
