#pragma once
// The writer of the exactly-once Kafka sink (task thread): encodes rows as the direct writer
// does and appends the messages to the epoch log of the running checkpoint epoch; nothing is
// produced here. PreCommit(N) syncs the log as "<N>.log" and describes it in the committable
// that the committer (kafka_transaction_committer.h) produces once checkpoint N is complete.
// An epoch without messages has an empty committable: its marker stays where it is, which
// recovery handles (a marker below the restored checkpoint only means later epochs were empty).

#include <memory>
#include <string>

#include "connectors/kafka/kafka_options.h"
#include "runtime/sink.h"

namespace sluice {

/// `sink_dir`: <state_dir>/sinks/<sink uid>; the writer's logs go to <sink_dir>/<instance>/.
std::unique_ptr<SinkWriter> MakeKafkaExactlyOnceWriter(const KafkaTableConfig& config, int instance,
                                                       std::string sink_dir, std::string run_id,
                                                       std::string transactional_id);

}  // namespace sluice
