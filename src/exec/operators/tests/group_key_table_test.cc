// GroupKeyTable and GroupKeyCodec: dense ids, NULL keys, erase and reuse, growth, arena
// compaction, and decoding keys back into columns.

#include "exec/operators/group_key_table.h"

#include <gtest/gtest.h>

#include "exec/operators/group_key_codec.h"

namespace sluice {
namespace {

Batch MakeBatch(const Schema& schema, const std::vector<std::vector<Value>>& rows) {
  BatchBuilder builder(schema);
  for (const auto& row : rows) builder.AppendRow(row);
  return builder.Finish();
}

std::vector<uint32_t> Insert(GroupKeyTable& table, const GroupKeyCodec& codec, const Batch& batch,
                             std::vector<uint32_t>* created = nullptr) {
  EncodedKeys keys;
  codec.Encode(batch, &keys);
  std::vector<uint32_t> groups(batch.num_rows());
  std::vector<uint32_t> scratch;
  table.FindOrInsert(keys, nullptr, batch.num_rows(), nullptr, groups.data(),
                     created ? created : &scratch);
  return groups;
}

std::vector<std::string> DecodeAll(const GroupKeyCodec& codec, const GroupKeyTable& table,
                                   const std::vector<uint32_t>& groups) {
  Batch decoded(codec.Decode(table, groups.data(), groups.size()), groups.size());
  std::vector<std::string> rows;
  for (size_t i = 0; i < groups.size(); ++i) rows.push_back(decoded.RowToString(i));
  return rows;
}

TEST(GroupKeyTableTest, FixedKeysGetDenseIdsInInsertionOrder) {
  Schema schema{{{"x", LogicalType::Bigint()}}};
  GroupKeyCodec codec({0}, {LogicalType::Bigint()});
  ASSERT_EQ(codec.layout(), KeyLayout::kFixed);
  GroupKeyTable table(codec.layout());
  std::vector<uint32_t> created;
  auto groups = Insert(table, codec,
                       MakeBatch(schema, {{Value::Bigint(7)},
                                          {Value::Bigint(-1)},
                                          {Value::Null(LogicalType::Bigint())},
                                          {Value::Bigint(7)},
                                          {Value::Null(LogicalType::Bigint())}}),
                       &created);
  EXPECT_EQ(groups, (std::vector<uint32_t>{0, 1, 2, 0, 2}));
  EXPECT_EQ(created, (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_TRUE(table.is_null_key(2));
  EXPECT_EQ(DecodeAll(codec, table, {0, 1, 2}),
            (std::vector<std::string>{"+I[7]", "+I[-1]", "+I[null]"}));
}

TEST(GroupKeyTableTest, NegativeZeroIsTheSameDoubleKey) {
  Schema schema{{{"d", LogicalType::Double()}}};
  GroupKeyCodec fixed({0}, {LogicalType::Double()});
  GroupKeyTable table(fixed.layout());
  auto groups =
      Insert(table, fixed, MakeBatch(schema, {{Value::Double(0.0)}, {Value::Double(-0.0)}}));
  EXPECT_EQ(groups[0], groups[1]);

  Schema two{{{"d", LogicalType::Double()}, {"i", LogicalType::Int()}}};
  GroupKeyCodec bytes({0, 1}, {LogicalType::Double(), LogicalType::Int()});
  GroupKeyTable bytes_table(bytes.layout());
  auto g = Insert(
      bytes_table, bytes,
      MakeBatch(two, {{Value::Double(0.0), Value::Int(1)}, {Value::Double(-0.0), Value::Int(1)}}));
  EXPECT_EQ(g[0], g[1]);
}

TEST(GroupKeyTableTest, ByteKeysRoundTripEveryType) {
  Schema schema{{{"s", LogicalType::Varchar()},
                 {"i", LogicalType::Int()},
                 {"dec", LogicalType::Decimal(20, 3)},
                 {"b", LogicalType::Boolean()},
                 {"t", LogicalType::Timestamp(3)},
                 {"d", LogicalType::Date()}}};
  std::vector<LogicalType> types;
  for (const Field& f : schema.fields) types.push_back(f.type);
  GroupKeyCodec codec({0, 1, 2, 3, 4, 5}, types);
  ASSERT_EQ(codec.layout(), KeyLayout::kBytes);
  GroupKeyTable table(codec.layout());
  const Value null_s = Value::Null(LogicalType::Varchar());
  auto groups = Insert(
      table, codec,
      MakeBatch(schema,
                {{Value::Varchar("x"), Value::Int(1), Value::Decimal(-12345, 20, 3),
                  Value::Boolean(true), Value::Timestamp(1000), Value::Date(3)},
                 {Value::Varchar(""), Value::Int(1), Value::Decimal(0, 20, 3),
                  Value::Boolean(false), Value::Timestamp(0), Value::Date(0)},
                 {null_s, Value::Int(1), Value::Decimal(0, 20, 3), Value::Boolean(false),
                  Value::Timestamp(0), Value::Date(0)},
                 {Value::Varchar("x"), Value::Int(1), Value::Decimal(-12345, 20, 3),
                  Value::Boolean(true), Value::Timestamp(1000), Value::Date(3)},
                 {Value::Varchar("x"), Value::Null(LogicalType::Int()),
                  Value::Null(LogicalType::Decimal(20, 3)), Value::Null(LogicalType::Boolean()),
                  Value::Null(LogicalType::Timestamp(3)), Value::Null(LogicalType::Date())}}));
  // "" and NULL are different keys.
  EXPECT_EQ(groups, (std::vector<uint32_t>{0, 1, 2, 0, 3}));
  EXPECT_EQ(
      DecodeAll(codec, table, {3, 2, 1, 0}),
      (std::vector<std::string>{"+I[x, null, null, null, null, null]",
                                "+I[null, 1, 0.000, false, 1970-01-01T00:00, 1970-01-01]",
                                "+I[, 1, 0.000, false, 1970-01-01T00:00, 1970-01-01]",
                                "+I[x, 1, -12.345, true, 1970-01-01T00:00:00.001, 1970-01-04]"}));
}

TEST(GroupKeyTableTest, InsertMaskAndLookupsFromAnotherTable) {
  Schema schema{{{"i", LogicalType::Int()}}};
  GroupKeyCodec codec({0}, {LogicalType::Int()});
  GroupKeyTable table(codec.layout());
  Batch batch = MakeBatch(schema, {{Value::Int(1)}, {Value::Int(2)}, {Value::Int(1)}});
  EncodedKeys keys;
  codec.Encode(batch, &keys);
  std::vector<uint32_t> groups(3);
  std::vector<uint32_t> created;
  const uint8_t may_insert[] = {0, 1, 1};
  table.FindOrInsert(keys, nullptr, 3, may_insert, groups.data(), &created);
  // Row 0 may not insert key 1 and it is not there yet; row 2 inserts it.
  EXPECT_EQ(groups, (std::vector<uint32_t>{GroupKeyTable::kNoGroup, 0, 1}));

  GroupKeyTable other(codec.layout());
  EXPECT_EQ(other.FindKeyOf(table, 1), GroupKeyTable::kNoGroup);
  bool inserted = false;
  EXPECT_EQ(other.InsertKeyOf(table, 1, &inserted), 0u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(other.FindKeyOf(table, 1), 0u);
  EXPECT_EQ(other.InsertKeyOf(table, 1, &inserted), 0u);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(other.fixed_key(0), 1u);
}

TEST(GroupKeyTableTest, EraseReusesIdsAndSurvivesGrowth) {
  Schema schema{{{"s", LogicalType::Varchar()}}};
  GroupKeyCodec codec({0}, {LogicalType::Varchar()});
  GroupKeyTable table(codec.layout());
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 20'000; ++i) rows.push_back({Value::Varchar("key-" + std::to_string(i))});
  auto groups = Insert(table, codec, MakeBatch(schema, rows));
  EXPECT_EQ(table.size(), 20'000u);
  for (uint32_t g = 0; g < 20'000; g += 2) table.Erase(g);
  EXPECT_EQ(table.size(), 10'000u);
  EXPECT_FALSE(table.IsLive(0));
  EXPECT_TRUE(table.IsLive(1));
  // Surviving keys are still found; erased ones come back with reused ids.
  auto again = Insert(table, codec, MakeBatch(schema, rows));
  for (uint32_t i = 1; i < 20'000; i += 2) ASSERT_EQ(again[i], i);
  for (uint32_t i = 0; i < 20'000; i += 2) ASSERT_LT(again[i], 20'000u);
  EXPECT_EQ(table.size(), 20'000u);
  EXPECT_EQ(table.group_limit(), 20'000u);
  EXPECT_EQ(DecodeAll(codec, table, {again[4], again[5]}),
            (std::vector<std::string>{"+I[key-4]", "+I[key-5]"}));
}

TEST(GroupKeyTableTest, ArenaIsCompactedAfterManyErasures) {
  Schema schema{{{"s", LogicalType::Varchar()}}};
  GroupKeyCodec codec({0}, {LogicalType::Varchar()});
  GroupKeyTable table(codec.layout());
  const std::string padding(500, 'p');
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back({Value::Varchar(std::to_string(i) + padding)});
  Insert(table, codec, MakeBatch(schema, rows));
  for (uint32_t g = 0; g < 1000; ++g) {
    if (g % 10) table.Erase(g);  // 450 KB of dead keys: compaction runs
  }
  std::vector<uint32_t> live;
  for (uint32_t g = 0; g < 1000; g += 10) live.push_back(g);
  auto decoded = DecodeAll(codec, table, live);
  for (size_t i = 0; i < live.size(); ++i) {
    ASSERT_EQ(decoded[i], "+I[" + std::to_string(live[i]) + padding + "]");
  }
  auto found = Insert(table, codec, MakeBatch(schema, {{Value::Varchar("990" + padding)}}));
  EXPECT_EQ(found[0], 990u);
}

TEST(GroupKeyTableTest, NoKeysIsOneGroup) {
  GroupKeyCodec codec;
  ASSERT_EQ(codec.layout(), KeyLayout::kNone);
  GroupKeyTable table(codec.layout());
  Schema schema{{{"x", LogicalType::Int()}}};
  auto groups = Insert(table, codec, MakeBatch(schema, {{Value::Int(1)}, {Value::Int(2)}}));
  EXPECT_EQ(groups, (std::vector<uint32_t>{0, 0}));
  table.Erase(0);
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(Insert(table, codec, MakeBatch(schema, {{Value::Int(3)}})), std::vector<uint32_t>{0});
}

}  // namespace
}  // namespace sluice
