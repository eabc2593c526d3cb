#include "connectors/kafka/kafka_source_control.h"

#include <chrono>

#include "connectors/kafka/kafka_source_position.h"

namespace sluice {

namespace {
constexpr int kDiscoveryTimeoutMs = 5000;  // one metadata request of the discovery thread
}  // namespace

Result<std::unique_ptr<KafkaSourceControl>> KafkaSourceControl::Make(const std::string& table,
                                                                     KafkaProperties properties,
                                                                     const std::string& group_id,
                                                                     KafkaTopicFilter filter) {
  properties["group.id"] = group_id;
  properties["enable.auto.commit"] = "false";
  properties["enable.auto.offset.store"] = "false";
  properties.erase("group.instance.id");  // never joins: a static member id would be misleading
  // Nothing is fetched: metadata refreshes of its own are not needed either.
  properties["topic.metadata.refresh.interval.ms"] = "-1";
  properties["client.id"] =
      (properties.count("client.id") ? properties["client.id"] : "sluice-" + table) + "-control";
  std::unique_ptr<KafkaSourceControl> control(
      new KafkaSourceControl(table, group_id, std::move(filter)));
  auto client = MakeKafkaClient(RD_KAFKA_CONSUMER, properties);
  if (!client.ok()) return client.status().WithContext("table '" + table + "'");
  control->client_ = std::move(client).value();
  return control;
}

KafkaSourceControl::~KafkaSourceControl() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (discovery_.joinable()) discovery_.join();
  if (client_.get()) rd_kafka_consumer_close(client_.get());
}

Result<std::map<std::string, std::vector<int32_t>>> KafkaSourceControl::ListTopics(
    int timeout_ms) const {
  auto topics = ListTopicPartitions(client_, timeout_ms);
  if (!topics.ok()) return topics.status().WithContext("table '" + table_ + "'");
  return topics;
}

Result<std::map<std::string, std::vector<int32_t>>> KafkaSourceControl::Refresh(int timeout_ms) {
  SLUICE_ASSIGN_OR_RETURN(auto topics, ListTopics(timeout_ms));
  order_.Merge(filter_.Select(topics));
  return topics;
}

void KafkaSourceControl::StartDiscovery(int64_t interval_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (discovery_.joinable() || stop_ || interval_ms <= 0) return;
  discovery_ = std::thread([this, interval_ms] { DiscoveryLoop(interval_ms); });
}

void KafkaSourceControl::DiscoveryLoop(int64_t interval_ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    // A failed listing (cluster unreachable) is retried at the next interval; readers keep
    // reading what they have.
    Refresh(kDiscoveryTimeoutMs).status().IgnoreError();
    lock.lock();
  }
}

Status KafkaSourceControl::Commit(CheckpointId id, const std::vector<StreamPosition>& positions,
                                  int timeout_ms) {
  const std::string what = "table '" + table_ + "': cannot commit the offsets of checkpoint " +
                           std::to_string(id) + " to group '" + group_id_ + "'";
  KafkaPartitionList list(
      rd_kafka_topic_partition_list_new(std::max<int>(1, static_cast<int>(positions.size()))));
  for (const StreamPosition& position : positions) {
    auto decoded = DecodeKafkaPosition(position);
    if (!decoded.ok()) return decoded.status().WithContext(what);
    const auto& [tp, state] = *decoded;
    if (state.next < 0) continue;  // nothing read from it yet: its committed offset stays
    rd_kafka_topic_partition_list_add(list.get(), tp.first.c_str(), tp.second)->offset = state.next;
  }
  if (list->cnt == 0) return Status::OK();
  // Through a queue with a deadline: a synchronous rd_kafka_commit() waits for the coordinator
  // without limit, and this runs on the checkpoint coordinator's thread.
  rd_kafka_queue_t* queue = rd_kafka_queue_new(client_.get());
  rd_kafka_resp_err_t err =
      rd_kafka_commit_queue(client_.get(), list.get(), queue, nullptr, nullptr);
  Status status;
  if (err) {
    status = KafkaError(what, err);
  } else {
    rd_kafka_event_t* event = rd_kafka_queue_poll(queue, timeout_ms);
    if (!event) {
      status = Status::IoError(what + ": no answer within " + std::to_string(timeout_ms / 1000) +
                               " s" + client_.LastLogSuffix());
    } else {
      err = rd_kafka_event_error(event);
      if (err) {
        status = KafkaError(what, err);
      } else if (const rd_kafka_topic_partition_list_t* result =
                     rd_kafka_event_topic_partition_list(event)) {
        std::string failed;
        rd_kafka_resp_err_t first = RD_KAFKA_RESP_ERR_NO_ERROR;
        for (int i = 0; i < result->cnt; ++i) {
          if (!result->elems[i].err) continue;
          if (!first) first = result->elems[i].err;
          failed += (failed.empty() ? "" : ", ") +
                    TopicPartitionName(result->elems[i].topic, result->elems[i].partition);
        }
        if (first) status = KafkaError(what + " (" + failed + ")", first);
      }
      rd_kafka_event_destroy(event);
    }
  }
  rd_kafka_queue_destroy(queue);
  return status;
}

}  // namespace sluice
