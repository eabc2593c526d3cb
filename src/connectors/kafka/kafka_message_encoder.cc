#include "connectors/kafka/kafka_message_encoder.h"

namespace sluice {

namespace {

Batch Project(const Batch& batch, const std::vector<int>& columns) {
  std::vector<ColumnPtr> out;
  out.reserve(columns.size());
  for (int c : columns) out.push_back(batch.column(static_cast<size_t>(c)));
  Batch projected(std::move(out), batch.num_rows());
  if (batch.has_row_kinds()) projected.set_row_kinds(batch.row_kinds());
  return projected;
}

// Row r's record; a text format's line end is not part of the message.
std::string_view Record(const std::string& bytes, const std::vector<size_t>& ends, size_t r,
                        const FormatSpec& format) {
  size_t begin = r == 0 ? 0 : ends[r - 1];
  size_t end = ends[r];
  if (!format.framed_by_transport) {
    if (end > begin && bytes[end - 1] == '\n') --end;
    if (end > begin && bytes[end - 1] == '\r') --end;
  }
  return std::string_view(bytes).substr(begin, end - begin);
}

}  // namespace

KafkaMessageEncoder::KafkaMessageEncoder(const KafkaTableConfig& config, int instance,
                                         bool resolve_key_partitions)
    : config_(config), instance_(instance), resolve_key_partitions_(resolve_key_partitions) {}

Status KafkaMessageEncoder::Open() {
  SLUICE_ASSIGN_OR_RETURN(value_encoder_, config_.value.format->make_encoder(
                                              config_.value.schema, config_.value.options));
  if (config_.key) {
    SLUICE_ASSIGN_OR_RETURN(
        key_encoder_, config_.key->format->make_encoder(config_.key->schema, config_.key->options));
  }
  for (size_t j = 0; j < config_.metadata.size(); ++j) {
    if (config_.metadata[j] == KafkaMetadata::kTimestamp) {
      timestamp_column_ = static_cast<int>(config_.num_physical + j);
    }
  }
  return Status::OK();
}

int32_t KafkaMessageEncoder::Partition(const std::optional<std::string_view>& key) {
  switch (config_.partitioner) {
    case KafkaPartitioner::kFixed:
      return instance_ % partitions_;
    case KafkaPartitioner::kRoundRobin:
      return static_cast<int32_t>(round_robin_++ % static_cast<uint64_t>(partitions_));
    case KafkaPartitioner::kDefault:
      break;
  }
  if (resolve_key_partitions_ && key) {
    // librdkafka's murmur2 partitioner does not look at the topic handle.
    return rd_kafka_msg_partitioner_murmur2(nullptr, key->data(), key->size(), partitions_, nullptr,
                                            nullptr);
  }
  return RD_KAFKA_PARTITION_UA;
}

Status KafkaMessageEncoder::Encode(const Batch& batch,
                                   const std::function<Status(const KafkaMessageView&)>& emit) {
  const size_t rows = batch.num_rows();
  if (rows == 0) return Status::OK();
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
  const Column* timestamps =
      timestamp_column_ >= 0 ? batch.column(static_cast<size_t>(timestamp_column_)).get() : nullptr;
  KafkaMessageView message;
  for (size_t r = 0; r < rows; ++r) {
    const RowKind kind = batch.row_kind(r);
    message.value.reset();
    if (config_.upsert) {
      if (kind == RowKind::kUpdateBefore) continue;
      if (kind != RowKind::kDelete) {
        message.value = Record(values_, value_ends_, r, *config_.value.format);
      }
    } else {
      message.value = Record(values_, value_ends_, r, *config_.value.format);
    }
    message.key.reset();
    if (key_encoder_) message.key = Record(keys_, key_ends_, r, *config_.key->format);
    message.timestamp_ms = 0;
    if (timestamps && !timestamps->IsNull(r)) {
      int64_t micros = timestamps->Get<int64_t>(r);
      message.timestamp_ms = micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000);
    }
    message.partition = Partition(message.key);
    SLUICE_RETURN_IF_ERROR(emit(message));
  }
  return Status::OK();
}

}  // namespace sluice
