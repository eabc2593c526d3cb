#include "connectors/kafka/kafka_client.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

namespace sluice {

namespace {

constexpr std::string_view kPropertiesPrefix = "properties.";

// The value of `name="..."` (or name='...') in a JAAS line, or "".
std::string JaasValue(std::string_view jaas, std::string_view name) {
  size_t pos = 0;
  while ((pos = jaas.find(name, pos)) != std::string_view::npos) {
    size_t after = pos + name.size();
    bool word_start = pos == 0 || jaas[pos - 1] == ' ' || jaas[pos - 1] == '\t';
    while (after < jaas.size() && jaas[after] == ' ') ++after;
    if (word_start && after < jaas.size() && jaas[after] == '=') {
      ++after;
      while (after < jaas.size() && jaas[after] == ' ') ++after;
      if (after < jaas.size() && (jaas[after] == '"' || jaas[after] == '\'')) {
        char quote = jaas[after];
        size_t end = jaas.find(quote, after + 1);
        if (end != std::string_view::npos) {
          return std::string(jaas.substr(after + 1, end - after - 1));
        }
      }
    }
    pos += name.size();
  }
  return "";
}

void LogCallback(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  auto* context = static_cast<KafkaClientContext*>(rd_kafka_opaque(rk));
  if (context && context->log) context->log->Add(level, facility, message);
}

}  // namespace

void KafkaLog::Add(int level, const char* facility, const char* message) {
  if (print_) std::fprintf(stderr, "kafka %d %s: %s\n", level, facility, message);
  if (level > 4) return;  // LOG_WARNING and worse only
  // "property x is a consumer property and will be ignored by this producer": expected, since
  // one table's properties configure its consumers and producers alike.
  if (std::string_view(facility) == "CONFWARN") return;
  std::lock_guard<std::mutex> lock(mutex_);
  last_ = message;
}

std::string KafkaLog::Last() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_;
}

std::string KafkaClient::LastLogSuffix() const {
  std::string last = log ? log->Last() : "";
  return last.empty() ? "" : " (last client message: " + last + ")";
}

Result<KafkaProperties> TranslateProperties(const std::map<std::string, std::string>& options) {
  KafkaProperties out;
  for (const auto& [key, value] : options) {
    if (key.compare(0, kPropertiesPrefix.size(), kPropertiesPrefix) != 0) continue;
    std::string name = key.substr(kPropertiesPrefix.size());
    if (name.empty()) continue;
    if (name == "partition.discovery.interval.ms" || name == "client.id.prefix" ||
        name == "commit.offsets.on.checkpoint" || name == "register.consumer.metrics" ||
        name == "key.deserializer" || name == "value.deserializer" || name == "key.serializer" ||
        name == "value.serializer") {
      continue;  // Flink's own source properties / Java classes: handled by the connector
    }
    if (name == "auto.offset.reset" && value == "none") {
      out[name] = "error";
      continue;
    }
    if (name == "sasl.jaas.config") {
      // librdkafka has no JAAS: take the user name and password of the PLAIN / SCRAM modules.
      std::string username = JaasValue(value, "username");
      std::string password = JaasValue(value, "password");
      if (value.find("PlainLoginModule") == std::string::npos &&
          value.find("ScramLoginModule") == std::string::npos) {
        return Status::InvalidOption(
            "option 'properties.sasl.jaas.config': only PlainLoginModule and ScramLoginModule "
            "are understood (librdkafka has no JAAS); set 'properties.sasl.username' and "
            "'properties.sasl.password' (or 'properties.sasl.oauthbearer.*') instead");
      }
      if (username.empty()) {
        return Status::InvalidOption(
            "option 'properties.sasl.jaas.config' has no username=\"...\"");
      }
      out.emplace("sasl.username", username);
      out.emplace("sasl.password", password);
      if (value.find("PlainLoginModule") != std::string::npos) {
        out.emplace("sasl.mechanism", "PLAIN");
      }
      continue;
    }
    out[name] = value;
  }
  return out;
}

Status CheckProperties(const KafkaProperties& properties) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [key, value] : properties) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof(error)) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return Status::InvalidOption("option 'properties." + key + "': " + error);
    }
  }
  rd_kafka_conf_destroy(conf);
  return Status::OK();
}

Result<KafkaClient> MakeKafkaClient(rd_kafka_type_t type, const KafkaProperties& properties,
                                    void* opaque, void (*setup)(rd_kafka_conf_t*)) {
  char error[512];
  auto print = properties.find("debug");
  KafkaClient client;
  client.log = std::make_shared<KafkaLog>(print != properties.end() && !print->second.empty());
  client.context = std::make_unique<KafkaClientContext>();
  client.context->log = client.log;
  client.context->user = opaque;
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [key, value] : properties) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof(error)) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return Status::InvalidOption("option 'properties." + key + "': " + error);
    }
  }
  rd_kafka_conf_set_log_cb(conf, LogCallback);
  rd_kafka_conf_set_opaque(conf, client.context.get());
  if (setup) setup(conf);
  rd_kafka_t* rk = rd_kafka_new(type, conf, error, sizeof(error));
  if (!rk) {
    rd_kafka_conf_destroy(conf);
    std::string last = client.log->Last();
    return Status::InvalidOption(std::string("cannot create a Kafka client: ") + error +
                                 (last.empty() ? "" : " (" + last + ")"));
  }
  client.handle = KafkaHandle(rk);
  return client;
}

Result<std::vector<int32_t>> TopicPartitions(const KafkaClient& client, const std::string& topic,
                                             int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  rd_kafka_resp_err_t last = RD_KAFKA_RESP_ERR_NO_ERROR;
  KafkaTopicHandle rkt(rd_kafka_topic_new(client.get(), topic.c_str(), nullptr));
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) break;
    const rd_kafka_metadata_t* metadata = nullptr;
    last = rd_kafka_metadata(client.get(), 0, rkt.get(), &metadata,
                             static_cast<int>(std::min<int64_t>(left, 5000)));
    if (last == RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::vector<int32_t> partitions;
      rd_kafka_resp_err_t topic_err = RD_KAFKA_RESP_ERR_NO_ERROR;
      for (int t = 0; t < metadata->topic_cnt; ++t) {
        const rd_kafka_metadata_topic_t& mt = metadata->topics[t];
        if (topic != mt.topic) continue;
        topic_err = mt.err;
        for (int p = 0; p < mt.partition_cnt; ++p) partitions.push_back(mt.partitions[p].id);
      }
      rd_kafka_metadata_destroy(metadata);
      if (topic_err == RD_KAFKA_RESP_ERR_NO_ERROR && !partitions.empty()) {
        std::sort(partitions.begin(), partitions.end());
        return partitions;
      }
      last = topic_err != RD_KAFKA_RESP_ERR_NO_ERROR ? topic_err
                                                     : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
      if (last == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
          last == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE) {
        // Just created (or auto-created by this request): give the cluster a moment.
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      return KafkaError("topic '" + topic + "'", last);
    }
  }
  if (last == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
    return Status::NotFound("Kafka topic '" + topic + "' does not exist");
  }
  if (last == RD_KAFKA_RESP_ERR_NO_ERROR || last == RD_KAFKA_RESP_ERR__TIMED_OUT ||
      last == RD_KAFKA_RESP_ERR__TRANSPORT || last == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
    return Status::IoError("no answer from the Kafka cluster within " +
                           std::to_string(timeout_ms / 1000) + " s while looking up topic '" +
                           topic + "'" + client.LastLogSuffix());
  }
  return KafkaError("topic '" + topic + "'", last);
}

Result<std::map<std::string, std::vector<int32_t>>> ListTopicPartitions(const KafkaClient& client,
                                                                        int timeout_ms) {
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(client.get(), 1, nullptr, &metadata, timeout_ms);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::IoError("no answer from the Kafka cluster within " +
                           std::to_string(timeout_ms / 1000) + " s: " + rd_kafka_err2str(err) +
                           client.LastLogSuffix());
  }
  std::map<std::string, std::vector<int32_t>> topics;
  for (int t = 0; t < metadata->topic_cnt; ++t) {
    const rd_kafka_metadata_topic_t& mt = metadata->topics[t];
    if (mt.err) continue;
    std::vector<int32_t>& ids = topics[mt.topic];
    for (int p = 0; p < mt.partition_cnt; ++p) ids.push_back(mt.partitions[p].id);
    std::sort(ids.begin(), ids.end());
  }
  rd_kafka_metadata_destroy(metadata);
  return topics;
}

std::string TopicPartitionName(std::string_view topic, int32_t partition) {
  return std::string(topic) + "[" + std::to_string(partition) + "]";
}

Status KafkaError(std::string_view what, rd_kafka_resp_err_t err) {
  std::string message = std::string(what) + ": " + rd_kafka_err2str(err);
  switch (err) {
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_INVALID_CONFIG:
      return Status::InvalidOption(message);
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
      return Status::NotFound(message);
    default:
      return Status::IoError(message);
  }
}

}  // namespace sluice
