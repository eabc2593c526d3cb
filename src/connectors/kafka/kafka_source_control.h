#pragma once
// KafkaSourceControl: the client a checkpointed Kafka source keeps besides its readers'
// consumers (docs/design/checkpoints.md §1.2). It
//   - lists the table's partitions into the shared KafkaPartitionOrder: once when the splits are
//     listed, then every discovery interval on its own thread, so that readers pick up new
//     partitions without blocking their Poll() on a metadata request;
//   - commits the offsets of completed checkpoints to the table's consumer group, called from
//     the checkpoint coordinator's thread (a librdkafka handle is thread-safe; the readers'
//     consumers belong to their task threads). The consumer never joins the group: the group id
//     is only the name the offsets are committed under, as lag tools read them.

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connectors/kafka/kafka_assignment.h"
#include "connectors/kafka/kafka_client.h"
#include "runtime/checkpoint_types.h"

namespace sluice {

class KafkaSourceControl {
 public:
  /// A consumer with `properties` in group `group_id` (not subscribed).
  static Result<std::unique_ptr<KafkaSourceControl>> Make(const std::string& table,
                                                          KafkaProperties properties,
                                                          const std::string& group_id,
                                                          KafkaTopicFilter filter);
  ~KafkaSourceControl();
  KafkaSourceControl(const KafkaSourceControl&) = delete;
  KafkaSourceControl& operator=(const KafkaSourceControl&) = delete;

  /// Every topic of the cluster with its partitions (waits up to timeout_ms).
  Result<std::map<std::string, std::vector<int32_t>>> ListTopics(int timeout_ms) const;
  /// Lists the cluster and merges the table's partitions into order(); returns the listing.
  Result<std::map<std::string, std::vector<int32_t>>> Refresh(int timeout_ms);
  /// Refresh() every interval_ms on a thread of its own, until destruction. Once only.
  void StartDiscovery(int64_t interval_ms);

  const KafkaPartitionOrder& order() const { return order_; }
  KafkaPartitionOrder& order() { return order_; }

  /// Commits `next` of every position that has one as the group's offset, waiting up to
  /// timeout_ms for the group coordinator. Errors name the checkpoint and the partitions.
  Status Commit(CheckpointId id, const std::vector<StreamPosition>& positions, int timeout_ms);

  const std::string& group_id() const { return group_id_; }
  rd_kafka_t* handle() const { return client_.get(); }

 private:
  KafkaSourceControl(std::string table, std::string group_id, KafkaTopicFilter filter)
      : table_(std::move(table)), group_id_(std::move(group_id)), filter_(std::move(filter)) {}
  void DiscoveryLoop(int64_t interval_ms);

  const std::string table_;
  const std::string group_id_;
  const KafkaTopicFilter filter_;
  KafkaClient client_;
  KafkaPartitionOrder order_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread discovery_;
};

}  // namespace sluice
