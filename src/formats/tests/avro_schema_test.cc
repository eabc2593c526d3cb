#include "formats/avro/avro_schema.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

AvroSchema Parse(std::string_view json) {
  auto schema = AvroSchema::Parse(json);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString() << "\n" << json;
  return schema.ok() ? std::move(schema).value() : AvroSchema();
}

std::string ParseError(std::string_view json) {
  auto schema = AvroSchema::Parse(json);
  EXPECT_FALSE(schema.ok()) << json;
  if (schema.ok()) return "";
  EXPECT_EQ(schema.status().code(), ErrorCode::kInvalidArgument);
  return schema.status().message();
}

TEST(AvroSchemaTest, Primitives) {
  for (std::string_view name :
       {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}) {
    std::string quoted = "\"";
    quoted.append(name).append("\"");
    AvroSchema s = Parse(quoted);
    EXPECT_EQ(AvroTypeName(s.root().type), name);
    std::string object = R"({"type":)";
    object.append(quoted).append("}");
    AvroSchema wrapped = Parse(object);
    EXPECT_EQ(AvroTypeName(wrapped.root().type), name);
  }
}

TEST(AvroSchemaTest, RecordWithEveryKindOfField) {
  AvroSchema s = Parse(R"({
    "type": "record", "name": "Order", "namespace": "shop",
    "doc": "ignored",
    "fields": [
      {"name": "id", "type": "long"},
      {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
      {"name": "attrs", "type": {"type": "map", "values": ["null", "int"]}},
      {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "DONE"],
                                  "default": "NEW"}},
      {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 16}},
      {"name": "status2", "type": "Status"},
      {"name": "other", "type": "shop.Hash"},
      {"name": "note", "type": ["null", "string"], "default": null, "aliases": ["remark"]}
    ]})");
  const AvroNode& root = s.root();
  ASSERT_EQ(root.type, AvroType::kRecord);
  EXPECT_EQ(root.full_name, "shop.Order");
  EXPECT_EQ(root.short_name(), "Order");
  ASSERT_EQ(root.fields.size(), 8u);
  EXPECT_EQ(s.node(root.fields[1].type).type, AvroType::kArray);
  EXPECT_EQ(root.fields[1].default_json, "[]");
  EXPECT_EQ(s.node(root.fields[2].type).type, AvroType::kMap);
  const AvroNode& status = s.node(root.fields[3].type);
  EXPECT_EQ(status.full_name, "shop.Status");
  EXPECT_EQ(status.symbols, (std::vector<std::string>{"NEW", "DONE"}));
  EXPECT_EQ(status.enum_default, "NEW");
  EXPECT_EQ(s.node(root.fields[4].type).fixed_size, 16);
  // Named references resolve to the same node.
  EXPECT_EQ(root.fields[5].type, root.fields[3].type);
  EXPECT_EQ(root.fields[6].type, root.fields[4].type);
  EXPECT_EQ(root.fields[7].default_json, "null");
  EXPECT_EQ(root.fields[7].aliases, std::vector<std::string>{"remark"});
  EXPECT_EQ(s.Describe(root.fields[7].type), "[null, string]");
}

TEST(AvroSchemaTest, NamespacesAndRecursion) {
  AvroSchema s = Parse(R"({
    "type": "record", "name": "a.b.Node",
    "fields": [
      {"name": "value", "type": "int"},
      {"name": "inner", "type": {"type": "record", "name": "Inner", "fields": [
        {"name": "x", "type": {"type": "enum", "name": "E", "namespace": "", "symbols": ["A"]}}
      ]}},
      {"name": "e", "type": "E"},
      {"name": "next", "type": ["null", "Node"]}
    ]})");
  const AvroNode& root = s.root();
  EXPECT_EQ(root.full_name, "a.b.Node");
  EXPECT_EQ(s.node(root.fields[1].type).full_name, "a.b.Inner");
  EXPECT_EQ(s.node(s.node(root.fields[1].type).fields[0].type).full_name, "E");
  const AvroNode& next = s.node(root.fields[3].type);
  ASSERT_EQ(next.type, AvroType::kUnion);
  EXPECT_EQ(next.branches[1], s.root_index());  // the record itself
  // Written back, a recursive use is the short name and re-parses to the same shape.
  std::string json = s.ToJson();
  EXPECT_NE(json.find(R"(["null","Node"])"), std::string::npos) << json;
  AvroSchema again = Parse(json);
  EXPECT_EQ(again.ToJson(), json);
}

TEST(AvroSchemaTest, LogicalTypes) {
  AvroSchema s = Parse(R"({"type":"record","name":"R","fields":[
    {"name":"a","type":{"type":"long","logicalType":"timestamp-millis"}},
    {"name":"b","type":{"type":"long","logicalType":"timestamp-micros"}},
    {"name":"c","type":{"type":"long","logicalType":"local-timestamp-millis"}},
    {"name":"d","type":{"type":"long","logicalType":"local-timestamp-micros"}},
    {"name":"e","type":{"type":"int","logicalType":"date"}},
    {"name":"f","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
    {"name":"g","type":{"type":"fixed","name":"F","size":8,"logicalType":"decimal","precision":18}},
    {"name":"h","type":{"type":"string","logicalType":"uuid"}},
    {"name":"i","type":{"type":"string","logicalType":"date"}},
    {"name":"j","type":{"type":"bytes","logicalType":"decimal","precision":2,"scale":3}},
    {"name":"k","type":{"type":"fixed","name":"G","size":2,"logicalType":"decimal","precision":9}},
    {"name":"l","type":"long","logicalType":"timestamp-millis"}
  ]})");
  const AvroNode& r = s.root();
  auto logical = [&](int i) { return s.node(r.fields[i].type).logical; };
  EXPECT_EQ(logical(0), AvroLogicalType::kTimestampMillis);
  EXPECT_EQ(logical(1), AvroLogicalType::kTimestampMicros);
  EXPECT_EQ(logical(2), AvroLogicalType::kLocalTimestampMillis);
  EXPECT_EQ(logical(3), AvroLogicalType::kLocalTimestampMicros);
  EXPECT_EQ(logical(4), AvroLogicalType::kDate);
  EXPECT_EQ(logical(5), AvroLogicalType::kDecimal);
  EXPECT_EQ(s.node(r.fields[5].type).precision, 10);
  EXPECT_EQ(s.node(r.fields[5].type).scale, 2);
  EXPECT_EQ(logical(6), AvroLogicalType::kDecimal);
  EXPECT_EQ(s.node(r.fields[6].type).scale, 0);
  EXPECT_EQ(logical(7), AvroLogicalType::kUuid);
  // Invalid annotations are ignored, as the specification asks.
  EXPECT_EQ(logical(8), AvroLogicalType::kNone);
  EXPECT_EQ(logical(9), AvroLogicalType::kNone);   // scale > precision
  EXPECT_EQ(logical(10), AvroLogicalType::kNone);  // 9 digits do not fit 2 bytes
  // A logicalType on the field (not the type) is no annotation: a plain long.
  EXPECT_EQ(logical(11), AvroLogicalType::kNone);
  EXPECT_EQ(s.Describe(r.fields[5].type), "bytes (decimal(10, 2))");
}

TEST(AvroSchemaTest, ErrorsSayWhy) {
  EXPECT_NE(ParseError("{").find("not JSON"), std::string::npos);
  EXPECT_NE(ParseError(R"("strin")").find("unknown type 'strin'"), std::string::npos);
  EXPECT_NE(ParseError(R"({"type":"record","fields":[]})").find("record without a string 'name'"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"type":"record","name":"R"})").find("without a 'fields' array"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"type":"record","name":"R","fields":[{"name":"a"}]})")
                .find("field 'a' has no 'type'"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"},)"
                       R"({"name":"a","type":"int"}]})")
                .find("field 'a' twice"),
            std::string::npos);
  EXPECT_NE(ParseError(R"(["int","int"])").find("'int' twice"), std::string::npos);
  EXPECT_NE(ParseError(R"(["int",["string"]])").find("union may not directly contain a union"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"type":"enum","name":"E","symbols":["A","A"]})").find("'A' twice"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"type":"fixed","name":"F"})").find("size"), std::string::npos);
  EXPECT_NE(ParseError(R"({"type":"array"})").find("without 'items'"), std::string::npos);
  EXPECT_NE(ParseError(R"({"type":"record","name":"int","fields":[]})").find("primitive"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"type":"record","name":"R","fields":[{"name":"a","type":"R2"}]})")
                .find("unknown type 'R2'"),
            std::string::npos);
  EXPECT_NE(ParseError("42").find("expected a type name"), std::string::npos);
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += R"({"type":"array","items":)";
  deep += "\"int\"";
  for (int i = 0; i < 300; ++i) deep += "}";
  EXPECT_NE(ParseError(deep).find("nested too deeply"), std::string::npos);
}

TEST(AvroSchemaTest, TableSchemaAsFlinkDerivesIt) {
  Schema table{{{"id", LogicalType::Int(), /*nullable=*/false},
                {"name", LogicalType::Varchar()},
                {"amount", LogicalType::Double()},
                {"price", LogicalType::Decimal(10, 2)},
                {"ok", LogicalType::Boolean()},
                {"ts", LogicalType::Timestamp(3)},
                {"day", LogicalType::Date()},
                {"big", LogicalType::Bigint(), false}}};
  auto schema = AvroSchemaFromTable(table);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->ToJson(),
            R"({"type":"record","name":"record","namespace":"org.apache.flink.avro.generated",)"
            R"("fields":[{"name":"id","type":"int"},)"
            R"({"name":"name","type":["null","string"],"default":null},)"
            R"({"name":"amount","type":["null","double"],"default":null},)"
            R"({"name":"price","type":["null",{"type":"bytes","logicalType":"decimal",)"
            R"("precision":10,"scale":2}],"default":null},)"
            R"({"name":"ok","type":["null","boolean"],"default":null},)"
            R"({"name":"ts","type":["null",{"type":"long","logicalType":"timestamp-millis"}],)"
            R"("default":null},)"
            R"({"name":"day","type":["null",{"type":"int","logicalType":"date"}],"default":null},)"
            R"({"name":"big","type":"long"}]})");
  // It parses back to the same text.
  EXPECT_EQ(Parse(schema->ToJson()).ToJson(), schema->ToJson());
}

TEST(AvroSchemaTest, TimestampMappings) {
  Schema table{{{"a", LogicalType::Timestamp(3), false},
                {"b", LogicalType::Timestamp(6), false},
                {"c", LogicalType::TimestampLtz(3), false},
                {"d", LogicalType::TimestampLtz(6), false}}};
  auto logical = [](const AvroSchema& s, int i) {
    return AvroLogicalTypeName(s.node(s.root().fields[i].type).logical);
  };
  auto legacy = AvroSchemaFromTable(table, true);
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(logical(*legacy, 0), "timestamp-millis");
  EXPECT_EQ(logical(*legacy, 1), "timestamp-micros");
  EXPECT_EQ(logical(*legacy, 2), "timestamp-millis");
  EXPECT_EQ(logical(*legacy, 3), "timestamp-micros");
  auto modern = AvroSchemaFromTable(table, false);
  ASSERT_TRUE(modern.ok());
  EXPECT_EQ(logical(*modern, 0), "local-timestamp-millis");
  EXPECT_EQ(logical(*modern, 1), "local-timestamp-micros");
  EXPECT_EQ(logical(*modern, 2), "timestamp-millis");
  EXPECT_EQ(logical(*modern, 3), "timestamp-micros");
}

TEST(AvroSchemaTest, TableSchemaRejectsWhatAvroCannotHold) {
  auto interval = AvroSchemaFromTable(Schema{{{"i", LogicalType::Interval()}}});
  EXPECT_EQ(interval.status().code(), ErrorCode::kUnsupported);
  auto bad_name = AvroSchemaFromTable(Schema{{{"order-id", LogicalType::Int()}}});
  EXPECT_EQ(bad_name.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(bad_name.status().message().find("order-id"), std::string::npos);
}

}  // namespace
}  // namespace sluice
