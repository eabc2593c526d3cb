#include <gtest/gtest.h>

#include "connectors/connector.h"
#include "connectors/tests/test_tables.h"

namespace sluice {
namespace {

using testing::MakeTable;

Schema Columns() {
  return Schema{{{"id", LogicalType::Bigint()}, {"amount", LogicalType::Double()}}};
}

Status Validate(const std::string& connector, Options options) {
  options["connector"] = connector;
  auto spec = FindConnector(connector);
  EXPECT_TRUE(spec.ok()) << spec.status().ToString();
  return ValidateOptions(**spec, *MakeTable("t", Columns(), std::move(options)));
}

TEST(ConnectorRegistryTest, ListsEveryConnectorOnce) {
  std::vector<std::string> names;
  for (const ConnectorSpec* spec : AllConnectors()) names.emplace_back(spec->name);
  EXPECT_EQ(names, (std::vector<std::string>{"datagen", "orders", "filesystem", "print",
                                             "blackhole", "duckdb", "kafka", "upsert-kafka"}));
  for (const ConnectorSpec* spec : AllConnectors()) {
    EXPECT_TRUE(spec->make_source || spec->make_sink) << spec->name;
  }
}

TEST(ConnectorRegistryTest, FindConnectorSuggestsCloseNames) {
  auto found = FindConnector("datagn");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), ErrorCode::kInvalidOption);
  EXPECT_EQ(found.status().message(),
            "unknown connector 'datagn', did you mean 'datagen'? (known connectors: datagen, "
            "orders, filesystem, print, blackhole, duckdb, kafka, upsert-kafka)");
  EXPECT_EQ(FindConnector("kafka").status().message().find("did you mean"), std::string::npos);
}

TEST(ConnectorRegistryTest, UnknownOptionGetsADidYouMean) {
  EXPECT_EQ(Validate("datagen", {{"rows-per-secnd", "5"}}).message(),
            "unknown option 'rows-per-secnd' for connector 'datagen', did you mean "
            "'rows-per-second'?");
  EXPECT_EQ(Validate("datagen", {{"totally-unrelated", "5"}}).message(),
            "unknown option 'totally-unrelated' for connector 'datagen'");
  EXPECT_TRUE(Validate("datagen", {{"rows-per-second", "5"}, {"number-of-rows", "10"}}).ok());
}

TEST(ConnectorRegistryTest, HashKeysMatchColumnNames) {
  EXPECT_TRUE(Validate("datagen", {{"fields.id.kind", "sequence"},
                                   {"fields.id.start", "1"},
                                   {"fields.amount.min", "0"}})
                  .ok());
  EXPECT_EQ(Validate("datagen", {{"fields.amout.min", "0"}}).message(),
            "unknown option 'fields.amout.min' for connector 'datagen', did you mean "
            "'fields.amount.min'?");
  EXPECT_EQ(Validate("datagen", {{"fields.id.knd", "random"}}).message(),
            "unknown option 'fields.id.knd' for connector 'datagen', did you mean "
            "'fields.id.kind'?");
}

TEST(ConnectorRegistryTest, RequiredOptionsAndFormatOptions) {
  EXPECT_EQ(Validate("filesystem", {{"format", "json"}}).message(),
            "connector 'filesystem' needs option 'path'");
  EXPECT_TRUE(
      Validate("filesystem",
               {{"path", "/tmp/x"}, {"format", "json"}, {"json.ignore-parse-errors", "true"}})
          .ok());
  EXPECT_EQ(Validate("filesystem",
                     {{"path", "/tmp/x"}, {"format", "json"}, {"json.ignore-parse-error", "true"}})
                .message(),
            "unknown option 'json.ignore-parse-error' for connector 'filesystem', did you mean "
            "'json.ignore-parse-errors'?");
  EXPECT_EQ(
      Validate("filesystem", {{"path", "/tmp/x"}, {"format", "json"}, {"csv.field-delimiter", ";"}})
          .message(),
      "option 'csv.field-delimiter' belongs to format 'csv', but the table's format is "
      "'json'");
  // The list of known formats grows: check its start only.
  EXPECT_EQ(Validate("filesystem", {{"path", "/tmp/x"}, {"format", "jsn"}})
                .message()
                .rfind("unknown format 'jsn', did you mean 'json'? (known formats: json, csv", 0),
            0u);
  EXPECT_TRUE(Validate("duckdb", {{"path", ":memory:"}, {"table-name", "x"}}).ok());
  EXPECT_EQ(Validate("print", {{"print-identifer", "x"}}).message(),
            "unknown option 'print-identifer' for connector 'print', did you mean "
            "'print-identifier'?");
  EXPECT_EQ(Validate("blackhole", {{"path", "x"}}).message(),
            "unknown option 'path' for connector 'blackhole'");
}

}  // namespace
}  // namespace sluice
