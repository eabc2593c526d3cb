// GroupKeyTable checkpoints and rescale routing: a restored table has the same ids, finds every
// key, reuses the same free ids and keeps its bytes; GroupsRoutedTo keeps exactly the keys the
// hash exchange sends to an instance, including the NULL key whose stored hash is not the
// exchange's.

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "columnar/hash.h"
#include "exec/operators/group_key_codec.h"
#include "exec/operators/group_key_table.h"
#include "exec/operators/key_routing.h"
#include "runtime/exchange_output.h"

namespace sluice {
namespace {

Batch MakeBatch(const Schema& schema, const std::vector<std::vector<Value>>& rows) {
  BatchBuilder builder(schema);
  for (const auto& row : rows) builder.AppendRow(row);
  return builder.Finish();
}

std::vector<uint32_t> FindOrInsert(GroupKeyTable& table, const GroupKeyCodec& codec,
                                   const Batch& batch, std::vector<uint32_t>* created,
                                   bool insert = true) {
  EncodedKeys keys;
  codec.Encode(batch, &keys);
  std::vector<uint32_t> groups(batch.num_rows());
  std::vector<uint8_t> may_insert(batch.num_rows(), insert ? 1 : 0);
  table.FindOrInsert(keys, nullptr, batch.num_rows(), may_insert.data(), groups.data(), created);
  return groups;
}

// Rows of (name VARCHAR, id BIGINT): many keys, some NULL.
Batch RandomKeys(std::mt19937_64& random, size_t rows) {
  Schema schema{{{"name", LogicalType::Varchar()}, {"id", LogicalType::Bigint()}}};
  std::vector<std::vector<Value>> values;
  for (size_t i = 0; i < rows; ++i) {
    values.push_back({random() % 17 == 0 ? Value::Null(LogicalType::Varchar())
                                         : Value::Varchar("key-" + std::to_string(random() % 300)),
                      random() % 13 == 0 ? Value::Null(LogicalType::Bigint())
                                         : Value::Bigint(static_cast<int64_t>(random() % 300))});
  }
  return MakeBatch(schema, values);
}

TEST(KeyStateTest, RestoredTableHasTheSameIdsAndFreeList) {
  for (std::vector<int> key_columns : {std::vector<int>{1}, {0}, {0, 1}}) {
    SCOPED_TRACE(key_columns.size());
    std::vector<LogicalType> types;
    for (int k : key_columns)
      types.push_back(k == 0 ? LogicalType::Varchar() : LogicalType::Bigint());
    GroupKeyCodec codec(key_columns, types);
    GroupKeyTable table(codec.layout());
    std::mt19937_64 random(3);
    std::vector<uint32_t> created;
    const Batch inserted = RandomKeys(random, 2000);
    const std::vector<uint32_t> groups = FindOrInsert(table, codec, inserted, &created);
    // Erase a third of the keys: tombstones, free ids, dead arena bytes.
    for (uint32_t g = 0; g < table.group_limit(); g += 3) table.Erase(g);

    StateEncoder encoder;
    table.WriteState(encoder);
    const std::string bytes = encoder.Take();
    GroupKeyTable restored(codec.layout());
    StateDecoder decoder(bytes, "test");
    ASSERT_TRUE(restored.ReadState(decoder, codec).ok());
    ASSERT_TRUE(decoder.Finish().ok());
    EXPECT_EQ(restored.size(), table.size());
    EXPECT_EQ(restored.group_limit(), table.group_limit());

    // Every surviving key is found under its id; erased ones are not.
    std::vector<uint32_t> scratch;
    const std::vector<uint32_t> found = FindOrInsert(restored, codec, inserted, &scratch, false);
    for (size_t i = 0; i < groups.size(); ++i) {
      EXPECT_EQ(found[i], groups[i] % 3 == 0 ? GroupKeyTable::kNoGroup : groups[i]) << i;
    }
    // New keys get the same (reused) ids in both tables.
    const Batch more = RandomKeys(random, 500);
    std::vector<uint32_t> created_live, created_restored;
    EXPECT_EQ(FindOrInsert(table, codec, more, &created_live),
              FindOrInsert(restored, codec, more, &created_restored));
    EXPECT_EQ(created_live, created_restored);
    std::vector<uint32_t> live;
    for (uint32_t g = 0; g < table.group_limit(); ++g) {
      if (table.IsLive(g)) live.push_back(g);
    }
    Batch a(codec.Decode(table, live.data(), live.size()), live.size());
    Batch b(codec.Decode(restored, live.data(), live.size()), live.size());
    for (size_t i = 0; i < live.size(); ++i) ASSERT_EQ(a.RowToString(i), b.RowToString(i));
  }
}

TEST(KeyStateTest, RoutingMatchesTheHashExchange) {
  // Single fixed-width keys with NULLs (stored with hash 0), DOUBLE keys (-0.0), strings, and
  // composite keys: each key is kept by exactly the instance the exchange sends its rows to.
  Schema schema{{{"name", LogicalType::Varchar()},
                 {"id", LogicalType::Bigint()},
                 {"d", LogicalType::Double()}}};
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 400; ++i) {
    rows.push_back({i % 11 == 0 ? Value::Null(LogicalType::Varchar())
                                : Value::Varchar("k" + std::to_string(i % 97)),
                    i % 7 == 0 ? Value::Null(LogicalType::Bigint()) : Value::Bigint(i % 89),
                    i % 5 == 0   ? Value::Null(LogicalType::Double())
                    : i % 5 == 1 ? Value::Double(-0.0)
                                 : Value::Double(i % 31 * 0.5)});
  }
  const Batch batch = MakeBatch(schema, rows);
  for (std::vector<int> key_columns : {std::vector<int>{1}, {2}, {0}, {2, 0, 1}}) {
    std::vector<LogicalType> types;
    for (int k : key_columns) types.push_back(schema[k].type);
    GroupKeyCodec codec(key_columns, types);
    GroupKeyTable table(codec.layout());
    std::vector<uint32_t> created;
    const std::vector<uint32_t> groups = FindOrInsert(table, codec, batch, &created);
    std::vector<uint64_t> hashes(batch.num_rows());
    HashRows(batch, key_columns, hashes.data());
    for (int parallelism : {1, 2, 3, 5}) {
      std::vector<int> owner(table.group_limit(), -1);
      for (int instance = 0; instance < parallelism; ++instance) {
        for (uint32_t g : GroupsRoutedTo(codec, table, instance, parallelism)) {
          ASSERT_EQ(owner[g], -1) << "group " << g << " kept twice";
          owner[g] = instance;
        }
      }
      for (size_t i = 0; i < batch.num_rows(); ++i) {
        ASSERT_EQ(owner[groups[i]], static_cast<int>(HashTarget(hashes[i], parallelism)))
            << "row " << batch.RowToString(i) << " keys " << key_columns.size();
      }
    }
  }
}

TEST(KeyStateTest, InconsistentTablesAreRefused) {
  GroupKeyCodec codec({1}, {LogicalType::Bigint()});
  GroupKeyTable table(codec.layout());
  std::mt19937_64 random(5);
  std::vector<uint32_t> created;
  FindOrInsert(table, codec, RandomKeys(random, 200), &created);
  StateEncoder encoder;
  table.WriteState(encoder);
  const std::string good = encoder.Take();
  // The bucket array follows the layout byte: a u64 count, then (group, tag) pairs. Point the
  // first used bucket at a group that does not exist.
  std::string bad = good;
  uint64_t buckets = 0;
  std::memcpy(&buckets, bad.data() + 1, 8);
  bool changed = false;
  for (uint64_t b = 0; b < buckets && !changed; ++b) {
    uint32_t group = 0;
    std::memcpy(&group, bad.data() + 9 + b * 8, 4);
    if (group < 0xfffffffeu) {
      group = 100000;
      std::memcpy(bad.data() + 9 + b * 8, &group, 4);
      changed = true;
    }
  }
  ASSERT_TRUE(changed);
  GroupKeyTable restored(codec.layout());
  StateDecoder decoder(bad, "test");
  const Status status = restored.ReadState(decoder, codec);
  EXPECT_EQ(status.code(), ErrorCode::kDecodeError);
  EXPECT_NE(status.message().find("bucket"), std::string::npos) << status.ToString();
  // Another layout.
  GroupKeyCodec bytes_codec({0}, {LogicalType::Varchar()});
  GroupKeyTable bytes_table(bytes_codec.layout());
  StateDecoder other(good, "test");
  EXPECT_EQ(bytes_table.ReadState(other, bytes_codec).code(), ErrorCode::kDecodeError);
}

}  // namespace
}  // namespace sluice
