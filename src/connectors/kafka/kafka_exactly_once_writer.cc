#include "connectors/kafka/kafka_exactly_once_writer.h"

#include "connectors/kafka/kafka_epoch_log.h"
#include "connectors/kafka/kafka_message_encoder.h"

namespace sluice {

namespace {

constexpr int kMetadataTimeoutMs = 30000;

class KafkaExactlyOnceWriter final : public SinkWriter {
 public:
  KafkaExactlyOnceWriter(const KafkaTableConfig& config, int instance, std::string sink_dir,
                         std::string run_id, std::string transactional_id)
      : config_(config),
        instance_(instance),
        transactional_id_(std::move(transactional_id)),
        encoder_(config_, instance, /*resolve_key_partitions=*/true),
        log_(sink_dir + "/" + std::to_string(instance),
             (run_id.empty() ? std::string("epoch") : run_id) + ".inprogress") {}

  Status Open() override {
    SLUICE_RETURN_IF_ERROR(encoder_.Open());
    // The partition count ('fixed', 'round-robin', murmur2 of keys) and a check that the topic
    // exists, from a short-lived client: the writer itself never talks to Kafka again.
    const std::string what =
        std::string(config_.upsert ? "upsert-kafka" : "kafka") + " sink '" + config_.table + "'";
    auto client = MakeKafkaClient(RD_KAFKA_CONSUMER, config_.properties);
    if (!client.ok()) return client.status().WithContext(what);
    auto partitions = TopicPartitions(*client, config_.topics[0], kMetadataTimeoutMs);
    if (!partitions.ok()) return partitions.status().WithContext(what);
    encoder_.set_partitions(static_cast<int32_t>(partitions->size()));
    return Status::OK();
  }

  Status Write(const Batch& batch) override {
    return encoder_.Encode(batch, [&](const KafkaMessageView& m) {
      record_.partition = m.partition;
      record_.timestamp_ms = m.timestamp_ms;
      record_.key = m.key;
      record_.value = m.value;
      return log_.Append(record_);
    });
  }

  // Staged rows become visible only when their checkpoint is committed.
  Status Flush() override { return Status::OK(); }

  Result<std::string> PreCommit(CheckpointId id) override {
    if (log_.records() == 0) return std::string();
    const std::string name = KafkaEpochLogName(id);
    SLUICE_ASSIGN_OR_RETURN(KafkaEpochLogStats stats, log_.Finish(name));
    KafkaEpochCommittable committable;
    committable.transactional_id = transactional_id_;
    committable.path = std::to_string(instance_) + "/" + name;
    committable.records = stats.records;
    committable.bytes = stats.bytes;
    return EncodeKafkaCommittable(committable);
  }

  // Rows after the last PreCommit belong to no checkpoint: they are produced again after a
  // restore.
  Status Close() override {
    log_.Abandon();
    return Status::OK();
  }

 private:
  const KafkaTableConfig config_;  // a copy: the encoder refers to it
  const int instance_;
  const std::string transactional_id_;
  KafkaMessageEncoder encoder_;
  KafkaEpochLogWriter log_;
  KafkaLogRecord record_;
};

}  // namespace

std::unique_ptr<SinkWriter> MakeKafkaExactlyOnceWriter(const KafkaTableConfig& config, int instance,
                                                       std::string sink_dir, std::string run_id,
                                                       std::string transactional_id) {
  return std::make_unique<KafkaExactlyOnceWriter>(config, instance, std::move(sink_dir),
                                                  std::move(run_id), std::move(transactional_id));
}

}  // namespace sluice
