#include "connectors/kafka/kafka_sink.h"

#include "connectors/kafka/kafka_epoch_log.h"
#include "connectors/kafka/kafka_exactly_once_writer.h"
#include "connectors/kafka/kafka_message_encoder.h"
#include "connectors/kafka/kafka_producer.h"
#include "connectors/kafka/kafka_transaction_committer.h"

namespace sluice {

namespace {

constexpr int kMetadataTimeoutMs = 30000;

// 'at-least-once' and 'none': one producer per writer, messages sent as rows come.
class KafkaSinkWriter final : public SinkWriter {
 public:
  KafkaSinkWriter(const KafkaTableConfig& config, int instance)
      : config_(config), instance_(instance), encoder_(config_, instance, false) {}

  Status Open() override {
    SLUICE_RETURN_IF_ERROR(encoder_.Open());
    KafkaProperties properties = config_.properties;
    if (!properties.count("client.id")) {
      properties["client.id"] = "sluice-" + config_.table + "-" + std::to_string(instance_);
    }
    const std::string what =
        std::string(config_.upsert ? "upsert-kafka" : "kafka") + " sink '" + config_.table + "'";
    SLUICE_ASSIGN_OR_RETURN(producer_, KafkaProducer::Make(std::move(properties), what));
    topic_ = producer_->Topic(config_.topics[0]);
    // The topic must exist (a metadata request also creates it when the brokers auto-create);
    // 'fixed' and 'round-robin' need its partition count.
    auto partitions = TopicPartitions(producer_->client(), config_.topics[0], kMetadataTimeoutMs);
    if (!partitions.ok()) return partitions.status().WithContext(what);
    encoder_.set_partitions(static_cast<int32_t>(partitions->size()));
    return Status::OK();
  }

  Status Write(const Batch& batch) override {
    if (batch.num_rows() == 0) return producer_->CheckDelivery();
    SLUICE_RETURN_IF_ERROR(encoder_.Encode(batch, [&](const KafkaMessageView& m) {
      return producer_->Produce(topic_.get(), m.partition, m.key, m.value, m.timestamp_ms);
    }));
    producer_->Poll();
    return producer_->CheckDelivery();
  }

  Status Flush() override {
    if (!config_.at_least_once) {
      producer_->Poll();
      return producer_->CheckDelivery();
    }
    return producer_->Flush();
  }

  Status Close() override {
    if (!producer_) return Status::OK();
    Status status = producer_->Flush();
    topic_.reset();
    producer_.reset();
    return status;
  }

 private:
  const KafkaTableConfig config_;  // a copy: the encoder refers to it
  const int instance_;
  KafkaMessageEncoder encoder_;
  std::unique_ptr<KafkaProducer> producer_;
  KafkaTopicHandle topic_;
};

class KafkaSink final : public Sink {
 public:
  explicit KafkaSink(KafkaTableConfig config) : config_(std::move(config)) {}

  Status EnableCheckpointing(const SinkCheckpointing& checkpointing) override {
    if (!exactly_once()) return Status::OK();
    if (checkpointing.state_dir.empty() || checkpointing.sink_uid.empty()) {
      return Status::Internal("kafka sink '" + config_.table +
                              "': checkpointing without a state directory or sink uid");
    }
    checkpointing_ = checkpointing;
    prefix_ = config_.transactional_id_prefix;
    if (prefix_.empty()) {
      prefix_ = "sluice-" + checkpointing.pipeline + "-" + checkpointing.sink_uid.substr(0, 8);
    }
    return Status::OK();
  }

  Result<std::unique_ptr<SinkWriter>> CreateWriter(int instance, int parallelism) override {
    if (!exactly_once()) {
      return std::unique_ptr<SinkWriter>(std::make_unique<KafkaSinkWriter>(config_, instance));
    }
    SLUICE_RETURN_IF_ERROR(NeedsCheckpointing());
    return MakeKafkaExactlyOnceWriter(
        config_, instance, KafkaSinkStateDir(checkpointing_->state_dir, checkpointing_->sink_uid),
        checkpointing_->run_id, prefix_ + "-" + std::to_string(instance));
  }

  Result<std::unique_ptr<SinkCommitter>> CreateCommitter() override {
    if (!exactly_once()) return std::unique_ptr<SinkCommitter>();
    SLUICE_RETURN_IF_ERROR(NeedsCheckpointing());
    return std::unique_ptr<SinkCommitter>(std::make_unique<KafkaTransactionCommitter>(
        config_, KafkaSinkStateDir(checkpointing_->state_dir, checkpointing_->sink_uid), prefix_));
  }

 private:
  bool exactly_once() const { return config_.guarantee == KafkaDeliveryGuarantee::kExactlyOnce; }

  Status NeedsCheckpointing() const {
    if (checkpointing_) return Status::OK();
    return Status::InvalidOption(
        "table '" + config_.table +
        "': 'sink.delivery-guarantee' = 'exactly-once' needs checkpoints, which are off: set "
        "'execution.checkpointing.interval' (e.g. SET 'execution.checkpointing.interval' = "
        "'10 s'), or use 'at-least-once'");
  }

  KafkaTableConfig config_;
  std::optional<SinkCheckpointing> checkpointing_;
  std::string prefix_;
};

}  // namespace

Result<std::unique_ptr<Sink>> MakeKafkaSink(const TableContext& context, bool upsert) {
  SLUICE_ASSIGN_OR_RETURN(KafkaTableConfig config, ParseKafkaSinkConfig(context, upsert));
  return std::unique_ptr<Sink>(std::make_unique<KafkaSink>(std::move(config)));
}

}  // namespace sluice
