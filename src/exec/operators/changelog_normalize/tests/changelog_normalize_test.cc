// ChangelogNormalize: an upsert stream (+U full rows, -D maybe key-only) becomes a proper
// changelog; identical updates and deletes of unknown keys emit nothing; the state keeps the last
// full row per key. Checked row by row and against a reference model over random batches.

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>

#include "exec/operators/changelog_normalize/changelog_normalize_operator.h"
#include "exec/operators/tests/operator_harness.h"

namespace sluice::testing {
namespace {

constexpr RowKind kI = RowKind::kInsert;
constexpr RowKind kUB = RowKind::kUpdateBefore;
constexpr RowKind kUA = RowKind::kUpdateAfter;
constexpr RowKind kD = RowKind::kDelete;

const std::vector<Field> kInput = {F("id", LogicalType::Bigint()),
                                   F("name", LogicalType::Varchar()),
                                   F("amount", LogicalType::Int())};

struct In {
  RowKind kind;
  int64_t id;
  std::optional<std::string> name;
  std::optional<int> amount;
};

Batch Input(const std::vector<In>& rows) {
  std::vector<std::vector<Value>> values;
  std::vector<RowKind> kinds;
  for (const In& r : rows) {
    values.push_back({Value::Bigint(r.id),
                      r.name ? Value::Varchar(*r.name) : Value::Null(LogicalType::Varchar()),
                      r.amount ? Value::Int(*r.amount) : Value::Null(LogicalType::Int())});
    kinds.push_back(r.kind);
  }
  return testing::Rows(Schema{kInput}, values, kinds);
}

std::shared_ptr<ChangelogNormalizeNode> Node(std::vector<Field> fields, std::vector<int> keys) {
  auto node = std::make_shared<ChangelogNormalizeNode>();
  node->id = "normalize-1";
  node->keys = std::move(keys);
  node->changelog = ChangelogMode::kUpdating;
  auto input = InputNode(fields, ChangelogMode::kUpdating);
  node->output_schema = input->output_schema;
  node->inputs.push_back(input);
  return node;
}

const ChangelogNormalizeOperator& Op(Harness& h) {
  return static_cast<const ChangelogNormalizeOperator&>(h.op());
}

TEST(ChangelogNormalizeTest, UpsertsBecomeInsertsUpdatesAndDeletes) {
  auto node = Node(kInput, {0});
  EXPECT_EQ(node->Describe(), "ChangelogNormalize(key=[id])");
  Harness h(*node);
  EXPECT_EQ(h.op().Name(), "ChangelogNormalize");
  EXPECT_EQ(h.Process(Input({{kUA, 1, "a", 10}, {kUA, 2, "b", 20}})),
            (Strings{"+I[1, a, 10]", "+I[2, b, 20]"}));
  EXPECT_EQ(h.Process(Input({{kUA, 1, "a", 15}})), (Strings{"-U[1, a, 10]", "+U[1, a, 15]"}));
  // An identical row changes nothing.
  EXPECT_TRUE(h.Process(Input({{kUA, 1, "a", 15}})).empty());
  // A tombstone carries only the key: the stored full row is deleted.
  EXPECT_EQ(h.Process(Input({{kD, 2, std::nullopt, std::nullopt}})), Strings{"-D[2, b, 20]"});
  // Deleting an unknown (or already deleted) key emits nothing.
  EXPECT_TRUE(h.Process(Input({{kD, 2, std::nullopt, std::nullopt}})).empty());
  EXPECT_TRUE(h.Process(Input({{kD, 3, std::nullopt, std::nullopt}})).empty());
  EXPECT_EQ(Op(h).key_count(), 1u);
  // A deleted key starts over with +I.
  EXPECT_EQ(h.Process(Input({{kUA, 2, "c", 1}})), Strings{"+I[2, c, 1]"});
  EXPECT_EQ(Op(h).key_count(), 2u);
  EXPECT_EQ(h.metrics().rows_in, 8u);
  EXPECT_EQ(h.metrics().rows_out, 6u);
}

TEST(ChangelogNormalizeTest, RowsOfOneKeyInOneBatchAreTakenInOrder) {
  Harness h(*Node(kInput, {0}));
  EXPECT_EQ(h.Process(Input({{kD, 1, std::nullopt, std::nullopt},  // unknown yet: nothing
                             {kUA, 1, "a", 1},
                             {kUA, 1, "a", 1},  // identical
                             {kUA, 1, "b", 1},
                             {kUA, 2, "x", 9},
                             {kD, 1, std::nullopt, std::nullopt},
                             {kD, 1, std::nullopt, std::nullopt},  // already gone
                             {kUA, 1, "c", 3},
                             {kUA, 1, "c", 4}})),
            (Strings{"+I[1, a, 1]", "-U[1, a, 1]", "+U[1, b, 1]", "+I[2, x, 9]", "-D[1, b, 1]",
                     "+I[1, c, 3]", "-U[1, c, 3]", "+U[1, c, 4]"}));
  EXPECT_EQ(h.Process(Input({{kUA, 1, "c", 4}, {kUA, 2, "x", 9}})), Strings{});
  // The stored rows are the last ones: updates and deletes refer to them.
  EXPECT_EQ(h.Process(Input({{kUA, 2, "y", 9}, {kD, 1, std::nullopt, std::nullopt}})),
            (Strings{"-U[2, x, 9]", "+U[2, y, 9]", "-D[1, c, 4]"}));
  // Created and deleted within one batch: nothing is kept.
  EXPECT_EQ(h.Process(Input({{kUA, 5, "t", 1}, {kD, 5, std::nullopt, std::nullopt}})),
            (Strings{"+I[5, t, 1]", "-D[5, t, 1]"}));
  EXPECT_EQ(Op(h).key_count(), 1u);
}

TEST(ChangelogNormalizeTest, IdenticalUpdateAfterDeleteAndReinsertInOneBatch) {
  Harness h(*Node(kInput, {0}));
  EXPECT_EQ(h.Process(Input({{kUA, 1, "a", 1}})), Strings{"+I[1, a, 1]"});
  EXPECT_EQ(h.Process(Input({{kUA, 1, "a", 1},
                             {kD, 1, std::nullopt, std::nullopt},
                             {kUA, 1, "a", 1},
                             {kUA, 1, "a", 1}})),
            (Strings{"-D[1, a, 1]", "+I[1, a, 1]"}));
  EXPECT_EQ(h.Process(Input({{kUA, 1, "a", 2}})), (Strings{"-U[1, a, 1]", "+U[1, a, 2]"}));
}

TEST(ChangelogNormalizeTest, InsertAndUpdateBeforeInputs) {
  Harness h(*Node(kInput, {0}));
  // +I is an upsert like +U; -U retracts like -D (Flink: there may be no +U after it).
  EXPECT_EQ(h.Process(Input({{kI, 1, "a", 1}, {kI, 1, "b", 1}})),
            (Strings{"+I[1, a, 1]", "-U[1, a, 1]", "+U[1, b, 1]"}));
  EXPECT_EQ(h.Process(Input({{kUB, 1, "b", 1}})), Strings{"-D[1, b, 1]"});
  // A batch without row kinds is all +I.
  BatchBuilder builder(Schema{kInput});
  builder.AppendRow({Value::Bigint(7), Value::Varchar("z"), Value::Int(1)});
  builder.AppendRow({Value::Bigint(7), Value::Varchar("z"), Value::Int(2)});
  EXPECT_EQ(h.Process(builder.Finish()), (Strings{"+I[7, z, 1]", "-U[7, z, 1]", "+U[7, z, 2]"}));
}

TEST(ChangelogNormalizeTest, NullsCompareEqualToNullsOnly) {
  Harness h(*Node(kInput, {0}));
  EXPECT_EQ(h.Process(Input({{kUA, 1, std::nullopt, std::nullopt}})), Strings{"+I[1, null, null]"});
  EXPECT_TRUE(h.Process(Input({{kUA, 1, std::nullopt, std::nullopt}})).empty());
  EXPECT_EQ(h.Process(Input({{kUA, 1, "", std::nullopt}})),
            (Strings{"-U[1, null, null]", "+U[1, , null]"}));
  EXPECT_EQ(h.Process(Input({{kUA, 1, std::nullopt, 0}})),
            (Strings{"-U[1, , null]", "+U[1, null, 0]"}));
  EXPECT_EQ(h.Process(Input({{kD, 1, std::nullopt, std::nullopt}})), Strings{"-D[1, null, 0]"});
}

TEST(ChangelogNormalizeTest, CompositeKeyOfStringAndInt) {
  const std::vector<Field> fields = {F("region", LogicalType::Varchar()),
                                     F("v", LogicalType::Int()), F("shop", LogicalType::Int()),
                                     F("price", LogicalType::Decimal(10, 2))};
  auto node = Node(fields, {0, 2});
  EXPECT_EQ(node->Describe(), "ChangelogNormalize(key=[region, shop])");
  Harness h(*node);
  auto row = [&](RowKind kind, const char* region, std::optional<int> v, int shop,
                 std::optional<int> cents) {
    return std::pair<std::vector<Value>, RowKind>(
        {Value::Varchar(region), v ? Value::Int(*v) : Value::Null(LogicalType::Int()),
         Value::Int(shop),
         cents ? Value::Decimal(*cents, 10, 2) : Value::Null(LogicalType::Decimal(10, 2))},
        kind);
  };
  auto batch = [&](std::vector<std::pair<std::vector<Value>, RowKind>> rows) {
    BatchBuilder b(Schema{fields});
    for (auto& [values, kind] : rows) b.AppendRow(values, kind);
    return b.Finish();
  };
  EXPECT_EQ(h.Process(batch(
                {row(kUA, "eu", 1, 1, 150), row(kUA, "eu", 2, 2, 150), row(kUA, "us", 3, 1, 150)})),
            (Strings{"+I[eu, 1, 1, 1.50]", "+I[eu, 2, 2, 1.50]", "+I[us, 3, 1, 1.50]"}));
  EXPECT_EQ(
      h.Process(batch({row(kUA, "eu", 1, 1, 175), row(kD, "us", std::nullopt, 1, std::nullopt)})),
      (Strings{"-U[eu, 1, 1, 1.50]", "+U[eu, 1, 1, 1.75]", "-D[us, 3, 1, 1.50]"}));
  EXPECT_EQ(Op(h).key_count(), 2u);
}

TEST(ChangelogNormalizeTest, ReclaimsBytesOfReplacedStrings) {
  Harness h(*Node(kInput, {0}));
  const std::string big(1000, 'x');
  for (int round = 0; round < 2000; ++round) {
    std::vector<In> rows;
    for (int64_t id = 0; id < 10; ++id) {
      rows.push_back({kUA, id, big + std::to_string(round), static_cast<int>(id)});
    }
    auto out = h.Process(Input(rows));
    // -U/+U per key; after a delete of key 3, +I for it.
    ASSERT_EQ(out.size(), round == 0 ? 10u : (round % 3 == 0 ? 19u : 20u));
    if (round % 3 == 2) {
      h.Process(Input({{kD, 3, std::nullopt, std::nullopt}}));
    }
  }
  // 2000 rounds wrote ~20 MB of strings; the live rows hold ~10 KB.
  EXPECT_LT(Op(h).store().string_bytes(), 4 * RowStore::kMinDeadBytes);
  EXPECT_EQ(Op(h).key_count(), 10u);
  EXPECT_EQ(h.Process(Input({{kD, 4, std::nullopt, std::nullopt}})),
            Strings{"-D[4, " + big + "1999, 4]"});
}

TEST(ChangelogNormalizeTest, NodeWithoutKeysIsAnInternalError) {
  auto created = CreateOperator(*Node(kInput, {}));
  EXPECT_EQ(created.status().code(), ErrorCode::kInternal);
  auto bad_key = CreateOperator(*Node(kInput, {5}));
  EXPECT_EQ(bad_key.status().code(), ErrorCode::kInternal);
}

// Reference: the rules applied one row at a time over a map of key -> last row.
class Reference {
 public:
  void Apply(const In& in, Strings* out) {
    auto it = rows_.find(in.id);
    if (IsAccumulate(in.kind)) {
      std::string row = Body(in);
      if (it == rows_.end()) {
        out->push_back("+I" + row);
        rows_[in.id] = row;
      } else if (it->second != row) {
        out->push_back("-U" + it->second);
        out->push_back("+U" + row);
        it->second = row;
      }
    } else if (it != rows_.end()) {
      out->push_back("-D" + it->second);
      rows_.erase(it);
    }
  }
  size_t size() const { return rows_.size(); }

 private:
  static std::string Body(const In& in) {
    return "[" + std::to_string(in.id) + ", " + (in.name ? *in.name : "null") + ", " +
           (in.amount ? std::to_string(*in.amount) : "null") + "]";
  }
  std::map<int64_t, std::string> rows_;
};

TEST(ChangelogNormalizeTest, MatchesRowAtATimeReferenceOverRandomBatches) {
  std::mt19937 rng(20240611);
  for (int trial = 0; trial < 20; ++trial) {
    Harness h(*Node(kInput, {0}));
    Reference reference;
    Strings expected, actual;
    const int keys = 1 + static_cast<int>(rng() % 40);
    for (int b = 0; b < 60; ++b) {
      std::vector<In> rows;
      const int size = 1 + static_cast<int>(rng() % 50);
      for (int r = 0; r < size; ++r) {
        In in;
        in.id = static_cast<int64_t>(rng() % keys);
        const uint32_t dice = rng() % 10;
        if (dice < 3) {
          in.kind = dice == 0 ? kUB : kD;  // tombstones carry only the key
        } else {
          in.kind = dice == 3 ? kI : kUA;
          // Few distinct values, so identical updates are common.
          if (rng() % 5) in.name = std::string(1, static_cast<char>('a' + rng() % 3));
          if (rng() % 5) in.amount = static_cast<int>(rng() % 3);
        }
        reference.Apply(in, &expected);
        rows.push_back(in);
      }
      for (auto& row : h.Process(Input(rows))) actual.push_back(std::move(row));
      ASSERT_EQ(actual, expected) << "trial " << trial << " batch " << b;
    }
    EXPECT_EQ(Op(h).key_count(), reference.size());
  }
}

}  // namespace
}  // namespace sluice::testing
