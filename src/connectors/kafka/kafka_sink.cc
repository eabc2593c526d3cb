#include "connectors/kafka/kafka_sink.h"

#include "connectors/kafka/kafka_producer.h"

namespace sluice {

namespace {

constexpr int kMetadataTimeoutMs = 30000;

class KafkaSinkWriter final : public SinkWriter {
 public:
  KafkaSinkWriter(const KafkaTableConfig& config, int instance)
      : config_(config), instance_(instance) {}

  Status Open() override {
    SLUICE_ASSIGN_OR_RETURN(value_encoder_, config_.value.format->make_encoder(
                                                config_.value.schema, config_.value.options));
    if (config_.key) {
      SLUICE_ASSIGN_OR_RETURN(key_encoder_, config_.key->format->make_encoder(
                                                config_.key->schema, config_.key->options));
    }
    for (size_t j = 0; j < config_.metadata.size(); ++j) {
      if (config_.metadata[j] == KafkaMetadata::kTimestamp) {
        timestamp_column_ = static_cast<int>(config_.num_physical + j);
      }
    }
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
    partitions_ = static_cast<int32_t>(partitions->size());
    return Status::OK();
  }

  Status Write(const Batch& batch) override {
    const size_t rows = batch.num_rows();
    if (rows == 0) return producer_->CheckDelivery();
    const bool changelog_format = config_.value.format->produces_changelog;
    if (!config_.upsert && !changelog_format && batch.has_row_kinds()) {
      for (size_t r = 0; r < rows; ++r) {
        if (batch.row_kind(r) != RowKind::kInsert) {
          return Status::Unsupported(
              "table '" + config_.table + "' (kafka) only accepts inserts, got a " +
              std::string(RowKindShortString(batch.row_kind(r))) + " row; use 'upsert-kafka'");
        }
      }
    }
    values_.clear();
    value_ends_.clear();
    SLUICE_RETURN_IF_ERROR(value_encoder_->Encode(Project(batch, config_.value.columns), 0, rows,
                                                  &values_, &value_ends_));
    if (key_encoder_) {
      keys_.clear();
      key_ends_.clear();
      SLUICE_RETURN_IF_ERROR(
          key_encoder_->Encode(Project(batch, config_.key->columns), 0, rows, &keys_, &key_ends_));
    }
    const Column* timestamps = timestamp_column_ >= 0
                                   ? batch.column(static_cast<size_t>(timestamp_column_)).get()
                                   : nullptr;
    for (size_t r = 0; r < rows; ++r) {
      const RowKind kind = batch.row_kind(r);
      std::optional<std::string_view> value;
      if (config_.upsert) {
        if (kind == RowKind::kUpdateBefore) continue;
        if (kind != RowKind::kDelete)
          value = Record(values_, value_ends_, r, *config_.value.format);
      } else {
        value = Record(values_, value_ends_, r, *config_.value.format);
      }
      std::optional<std::string_view> key;
      if (key_encoder_) key = Record(keys_, key_ends_, r, *config_.key->format);
      int64_t timestamp_ms = 0;
      if (timestamps && !timestamps->IsNull(r)) {
        int64_t micros = timestamps->Get<int64_t>(r);
        timestamp_ms = micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000);
      }
      SLUICE_RETURN_IF_ERROR(
          producer_->Produce(topic_.get(), Partition(), key, value, timestamp_ms));
    }
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
  static Batch Project(const Batch& batch, const std::vector<int>& columns) {
    std::vector<ColumnPtr> out;
    out.reserve(columns.size());
    for (int c : columns) out.push_back(batch.column(static_cast<size_t>(c)));
    Batch projected(std::move(out), batch.num_rows());
    if (batch.has_row_kinds()) projected.set_row_kinds(batch.row_kinds());
    return projected;
  }

  // Row r's record; a text format's line end is not part of the message.
  static std::string_view Record(const std::string& bytes, const std::vector<size_t>& ends,
                                 size_t r, const FormatSpec& format) {
    size_t begin = r == 0 ? 0 : ends[r - 1];
    size_t end = ends[r];
    if (!format.framed_by_transport) {
      if (end > begin && bytes[end - 1] == '\n') --end;
      if (end > begin && bytes[end - 1] == '\r') --end;
    }
    return std::string_view(bytes).substr(begin, end - begin);
  }

  int32_t Partition() {
    switch (config_.partitioner) {
      case KafkaPartitioner::kFixed:
        return instance_ % partitions_;
      case KafkaPartitioner::kRoundRobin:
        return static_cast<int32_t>(round_robin_++ % static_cast<uint64_t>(partitions_));
      case KafkaPartitioner::kDefault:
        break;
    }
    return RD_KAFKA_PARTITION_UA;
  }

  const KafkaTableConfig config_;
  const int instance_;
  std::unique_ptr<RecordEncoder> value_encoder_;
  std::unique_ptr<RecordEncoder> key_encoder_;
  int timestamp_column_ = -1;
  std::unique_ptr<KafkaProducer> producer_;
  KafkaTopicHandle topic_;
  int32_t partitions_ = 1;
  uint64_t round_robin_ = 0;
  std::string values_, keys_;
  std::vector<size_t> value_ends_, key_ends_;
};

class KafkaSink final : public Sink {
 public:
  explicit KafkaSink(KafkaTableConfig config) : config_(std::move(config)) {}
  Result<std::unique_ptr<SinkWriter>> CreateWriter(int instance, int parallelism) override {
    return std::unique_ptr<SinkWriter>(std::make_unique<KafkaSinkWriter>(config_, instance));
  }

 private:
  KafkaTableConfig config_;
};

}  // namespace

Result<std::unique_ptr<Sink>> MakeKafkaSink(const TableContext& context, bool upsert) {
  SLUICE_ASSIGN_OR_RETURN(KafkaTableConfig config, ParseKafkaSinkConfig(context, upsert));
  return std::unique_ptr<Sink>(std::make_unique<KafkaSink>(std::move(config)));
}

}  // namespace sluice
