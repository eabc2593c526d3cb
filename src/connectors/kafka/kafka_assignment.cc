#include "connectors/kafka/kafka_assignment.h"

#include <algorithm>

namespace sluice {

Result<KafkaTopicFilter> KafkaTopicFilter::Make(const std::vector<std::string>& topics,
                                                const std::string& pattern) {
  KafkaTopicFilter filter;
  filter.topics_.insert(topics.begin(), topics.end());
  if (!pattern.empty()) {
    try {
      filter.pattern_.emplace(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return Status::InvalidOption("option 'topic-pattern': '" + pattern +
                                   "' is not a valid regular expression: " + e.what());
    }
  }
  return filter;
}

bool KafkaTopicFilter::Matches(const std::string& topic) const {
  if (!pattern_) return topics_.count(topic) > 0;
  // As the Java client (exclude.internal.topics): a pattern never picks the broker's own topics.
  if (topic == "__consumer_offsets" || topic == "__transaction_state") return false;
  return std::regex_match(topic, *pattern_);
}

std::vector<KafkaTopicPartition> KafkaTopicFilter::Select(
    const std::map<std::string, std::vector<int32_t>>& listing) const {
  std::vector<KafkaTopicPartition> out;
  for (const auto& [topic, partitions] : listing) {
    if (!Matches(topic)) continue;
    for (int32_t p : partitions) out.emplace_back(topic, p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

size_t KafkaPartitionOrder::Merge(std::vector<KafkaTopicPartition> partitions) {
  std::sort(partitions.begin(), partitions.end());
  std::lock_guard<std::mutex> lock(mutex_);
  size_t added = 0;
  for (KafkaTopicPartition& tp : partitions) {
    if (!known_.insert(tp).second) continue;
    order_.push_back(std::move(tp));
    ++added;
  }
  size_.store(order_.size(), std::memory_order_release);
  return added;
}

std::vector<KafkaTopicPartition> KafkaPartitionOrder::Owned(int reader, int readers, size_t from,
                                                            size_t* end) const {
  std::vector<KafkaTopicPartition> out;
  std::lock_guard<std::mutex> lock(mutex_);
  if (end) *end = order_.size();
  if (readers <= 0 || reader < 0) return out;
  for (size_t i = from; i < order_.size(); ++i) {
    if (static_cast<int>(i % static_cast<size_t>(readers)) == reader) out.push_back(order_[i]);
  }
  return out;
}

}  // namespace sluice
