#pragma once
// The checkpointed position of one Kafka partition (docs/design/checkpoints.md §1.2, §2):
// stream "<topic>/<partition>" (Kafka topic names cannot contain '/'), state a small JSON object
//   {"next":1234}                              resume at offset 1234 (the offset after the last
//                                              record handed to the runtime)
//   {"next":1234,"bound":5000}                 ... and end before 5000 (a bounded mode fixed it)
//   {"next":5000,"bound":5000,"ended":true}    the partition reached its end
//   {}  / {"bound":5000}                       nothing handed out yet: start by the startup mode
// Unknown keys are ignored so that later versions can add some.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "connectors/kafka/kafka_assignment.h"
#include "runtime/checkpoint_types.h"

namespace sluice {

struct KafkaPartitionPosition {
  int64_t next = -1;   // -1: not known (nothing handed out yet)
  int64_t bound = -1;  // -1: no bounded end
  bool ended = false;
};

/// "orders/3".
std::string KafkaStreamName(std::string_view topic, int32_t partition);

std::string EncodeKafkaPosition(const KafkaPartitionPosition& position);

/// The partition and position of `position`; an InvalidArgument naming the stream when it is
/// not one of ours.
Result<std::pair<KafkaTopicPartition, KafkaPartitionPosition>> DecodeKafkaPosition(
    const StreamPosition& position);

}  // namespace sluice
