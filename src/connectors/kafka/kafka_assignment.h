#pragma once
// Static partition assignment of a checkpointed Kafka source (docs/design/checkpoints.md §1.2).
//
// Under the group protocol a partition can move between readers at any time, so no barrier
// sees one consistent offset for it. In checkpoint mode the source assigns partitions itself:
// the table's partitions are put in one order — sorted by (topic, partition) when the source
// lists them first, partitions discovered later appended in sorted batches, never reordered —
// and reader k of n owns the partitions at positions i with i % n == k. The order is shared by
// the readers of one source, so they agree on every partition's owner; a restore (any
// parallelism) starts from a freshly sorted order.

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace sluice {

using KafkaTopicPartition = std::pair<std::string, int32_t>;

/// Which topics a table reads: a list ('topic') or a regular expression over the whole name
/// ('topic-pattern'; ECMAScript syntax, Kafka's internal topics never match).
class KafkaTopicFilter {
 public:
  static Result<KafkaTopicFilter> Make(const std::vector<std::string>& topics,
                                       const std::string& pattern);
  bool Matches(const std::string& topic) const;

  /// The table's partitions in `listing` (topic -> partition ids), sorted.
  std::vector<KafkaTopicPartition> Select(
      const std::map<std::string, std::vector<int32_t>>& listing) const;

 private:
  std::set<std::string> topics_;
  std::optional<std::regex> pattern_;
};

/// The append-only partition order shared by the readers of one source. Thread-safe.
class KafkaPartitionOrder {
 public:
  /// Appends the partitions of `partitions` not in the order yet, sorted; returns how many.
  size_t Merge(std::vector<KafkaTopicPartition> partitions);
  /// Partitions at positions [from, end) owned by reader `reader` of `readers`, where `end` (if
  /// given, set) is the size of the order then.
  std::vector<KafkaTopicPartition> Owned(int reader, int readers, size_t from = 0,
                                         size_t* end = nullptr) const;
  /// Grows with every Merge() that added something: a cheap "anything new?" test for readers.
  size_t size() const { return size_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::vector<KafkaTopicPartition> order_;
  std::set<KafkaTopicPartition> known_;
  std::atomic<size_t> size_{0};
};

}  // namespace sluice
