#include "connectors/kafka/kafka_dead_letter.h"

#include <ctime>

#include "connectors/kafka/kafka_producer.h"

namespace sluice {

namespace {

// '2026-01-01T00:00:05.123Z'.
std::string IsoTime(int64_t micros) {
  int64_t seconds = micros >= 0 ? micros / 1000000 : (micros - 999999) / 1000000;
  int64_t millis = (micros - seconds * 1000000) / 1000;
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buffer;
}

class KafkaDeadLetterWriter final : public DeadLetterWriter {
 public:
  KafkaDeadLetterWriter(std::unique_ptr<KafkaProducer> producer, std::string topic)
      : producer_(std::move(producer)), topic_(producer_->Topic(topic)) {}

  Status Write(const DeadLetter& letter) override {
    rd_kafka_headers_t* headers = rd_kafka_headers_new(6);
    auto add = [&](const char* name, std::string_view value) {
      rd_kafka_header_add(headers, name, -1, value.data(), static_cast<ssize_t>(value.size()));
    };
    add("sluice.error", letter.error);
    add("sluice.table", letter.table);
    add("sluice.source.topic", letter.source);
    add("sluice.source.partition", std::to_string(letter.partition));
    add("sluice.source.offset", std::to_string(letter.offset));
    add("sluice.time", IsoTime(letter.timestamp_micros));
    SLUICE_RETURN_IF_ERROR(producer_->Produce(topic_.get(), RD_KAFKA_PARTITION_UA, letter.key,
                                              letter.value, 0, headers));
    producer_->Poll();
    return Status::OK();
  }

  Status Flush() override { return producer_->Flush(); }

 private:
  std::unique_ptr<KafkaProducer> producer_;
  KafkaTopicHandle topic_;
};

}  // namespace

Result<std::unique_ptr<DeadLetterWriter>> MakeKafkaDeadLetterWriter(const TableContext& context,
                                                                    const std::string& topic) {
  if (topic.empty()) return Status::InvalidOption("option 'dead-letter.topic' is empty");
  SLUICE_ASSIGN_OR_RETURN(KafkaProperties properties, TranslateProperties(context.table->options));
  if (!properties.count("bootstrap.servers")) {
    return Status::InvalidOption("option 'dead-letter.topic' needs 'properties.bootstrap.servers'");
  }
  // Nothing else than the key's murmur2 would be surprising for a copy of the original records.
  properties.erase("partitioner");
  properties["client.id"] = "sluice-dead-letters-" + context.table->name;
  SLUICE_ASSIGN_OR_RETURN(
      auto producer,
      KafkaProducer::Make(std::move(properties), "dead-letter topic '" + topic + "' of table '" +
                                                     context.table->name + "'"));
  return std::unique_ptr<DeadLetterWriter>(
      std::make_unique<KafkaDeadLetterWriter>(std::move(producer), topic));
}

}  // namespace sluice
