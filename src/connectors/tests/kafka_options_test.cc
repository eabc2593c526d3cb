// WITH-option validation of the kafka connectors: 'properties.*', and the format options that
// 'value.format' / 'key.format' prefix with 'value.' / 'key.' (as Flink).

#include <gtest/gtest.h>

#include "connectors/connector.h"
#include "connectors/kafka/kafka_options.h"
#include "connectors/tests/test_tables.h"

namespace sluice {
namespace {

using testing::MakeTable;

Status Validate(const std::string& connector, Options options) {
  options["connector"] = connector;
  if (connector != "filesystem" && !options.count("properties.bootstrap.servers")) {
    options["properties.bootstrap.servers"] = "127.0.0.1:9092";
  }
  auto spec = FindConnector(connector);
  EXPECT_TRUE(spec.ok()) << spec.status().ToString();
  Schema schema{{{"id", LogicalType::Bigint()}, {"amount", LogicalType::Double()}}};
  return ValidateOptions(**spec, *MakeTable("t", schema, std::move(options)));
}

TEST(KafkaOptionsTest, PropertiesArePassedThrough) {
  EXPECT_TRUE(Validate("kafka", {{"topic", "a"},
                                 {"format", "json"},
                                 {"properties.security.protocol", "SASL_SSL"},
                                 {"properties.sasl.mechanism", "PLAIN"}})
                  .ok());
  EXPECT_EQ(Validate("kafka", {{"topic", "a"}, {"format", "json"}, {"propertie.x", "1"}}).message(),
            "unknown option 'propertie.x' for connector 'kafka'");
  Options missing = {{"connector", "kafka"}, {"topic", "a"}, {"format", "json"}};
  auto spec = FindConnector("kafka");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(ValidateOptions(**spec, *MakeTable("t", Schema{}, missing)).message(),
            "connector 'kafka' needs option 'properties.bootstrap.servers'");
}

TEST(KafkaOptionsTest, FormatOptionsFollowTheFormatOption) {
  // 'format': unprefixed, as for files.
  EXPECT_TRUE(
      Validate("kafka", {{"topic", "a"}, {"format", "json"}, {"json.ignore-parse-errors", "true"}})
          .ok());
  // 'value.format' / 'key.format': prefixed.
  EXPECT_TRUE(Validate("kafka", {{"topic", "a"},
                                 {"value.format", "json"},
                                 {"value.json.ignore-parse-errors", "true"},
                                 {"key.format", "csv"},
                                 {"key.fields", "id"},
                                 {"key.csv.field-delimiter", ";"}})
                  .ok());
  EXPECT_EQ(
      Validate("kafka",
               {{"topic", "a"}, {"value.format", "json"}, {"json.ignore-parse-errors", "true"}})
          .message(),
      "option 'json.ignore-parse-errors' must be written 'value.json.ignore-parse-errors' "
      "when the format is chosen with 'value.format'");
  EXPECT_EQ(Validate("kafka",
                     {{"topic", "a"}, {"value.format", "json"}, {"value.csv.field-delimiter", ";"}})
                .message(),
            "option 'value.csv.field-delimiter' belongs to format 'csv', but the table's value "
            "format is 'json'");
  EXPECT_EQ(
      Validate("kafka",
               {{"topic", "a"}, {"value.format", "json"}, {"key.json.ignore-parse-errors", "true"}})
          .message(),
      "option 'key.json.ignore-parse-errors' belongs to format 'json', but the table's key "
      "format is not set");
  EXPECT_EQ(
      Validate("kafka",
               {{"topic", "a"}, {"value.format", "json"}, {"value.json.ignore-parse-eror", "true"}})
          .message(),
      "unknown option 'value.json.ignore-parse-eror' for connector 'kafka', did you mean "
      "'value.json.ignore-parse-errors'?");
  EXPECT_EQ(
      Validate("kafka", {{"topic", "a"}, {"value.format", "jsn"}}).message(),
      "option 'value.format': unknown format 'jsn', did you mean 'json'? (known formats: " +
          [] {
            std::string known;
            for (const FormatSpec* f : AllFormats()) {
              known += (known.empty() ? "" : ", ") + std::string(f->name);
            }
            return known;
          }() +
          ")");
  // Files keep their unprefixed options only.
  EXPECT_EQ(
      Validate("filesystem",
               {{"path", "/tmp"}, {"format", "json"}, {"value.json.ignore-parse-errors", "true"}})
          .message()
          .rfind("unknown option 'value.json.ignore-parse-errors'", 0),
      0u);
}

TEST(KafkaOptionsTest, UpsertKafkaOptions) {
  EXPECT_TRUE(Validate("upsert-kafka", {{"topic", "a"},
                                        {"key.format", "json"},
                                        {"value.format", "json"},
                                        {"sink.buffer-flush.max-rows", "10"}})
                  .ok());
  EXPECT_EQ(
      Validate(
          "upsert-kafka",
          {{"topic", "a"}, {"key.format", "json"}, {"value.format", "json"}, {"key.fields", "id"}})
          .message()
          .rfind("unknown option 'key.fields' for connector 'upsert-kafka'", 0),
      0u);
}

TEST(KafkaOptionsTest, SpecificOffsets) {
  auto offsets = ParseSpecificOffsets("k", "partition:0,offset:42;partition:1,offset:300");
  ASSERT_TRUE(offsets.ok());
  EXPECT_EQ(*offsets, (std::map<int32_t, int64_t>{{0, 42}, {1, 300}}));
  EXPECT_TRUE(ParseSpecificOffsets("k", " partition: 2 , offset: 5 ;").ok());
  EXPECT_FALSE(ParseSpecificOffsets("k", "partition:a,offset:1").ok());
  EXPECT_FALSE(ParseSpecificOffsets("k", "").ok());
}

TEST(KafkaOptionsTest, JaasConfigBecomesSaslUserAndPassword) {
  auto properties = TranslateProperties(
      {{"properties.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" "
        "password=\"p w\";"},
       {"properties.auto.offset.reset", "none"},
       {"properties.partition.discovery.interval.ms", "1000"},
       {"topic", "x"}});
  ASSERT_TRUE(properties.ok()) << properties.status().ToString();
  EXPECT_EQ(*properties, (KafkaProperties{{"auto.offset.reset", "error"},
                                          {"sasl.mechanism", "PLAIN"},
                                          {"sasl.password", "p w"},
                                          {"sasl.username", "u"}}));
}

}  // namespace
}  // namespace sluice
