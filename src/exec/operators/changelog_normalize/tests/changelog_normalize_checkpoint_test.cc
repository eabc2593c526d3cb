// ChangelogNormalize checkpoints: restored at every cut of a random upsert stream (new keys,
// changed and identical rows, tombstones of known and unknown keys, NULL keys) the operator emits
// exactly what an uninterrupted one does; rescaled state keeps every key and its row; damaged
// state is a DecodeError.

#include <gtest/gtest.h>

#include "exec/operators/changelog_normalize/changelog_normalize_operator.h"
#include "exec/operators/tests/checkpoint_harness.h"
#include "exec/operators/tests/checkpoint_inputs.h"

namespace sluice::testing {
namespace {

std::shared_ptr<ChangelogNormalizeNode> Node(std::vector<int> keys) {
  auto node = std::make_shared<ChangelogNormalizeNode>();
  node->id = "normalize-1";
  node->keys = std::move(keys);
  node->changelog = ChangelogMode::kUpdating;
  auto input = InputNode(EventFields(), ChangelogMode::kUpdating);
  node->output_schema = input->output_schema;
  node->inputs.push_back(input);
  return node;
}

const std::vector<std::vector<int>>& KeyCases() {
  static const std::vector<std::vector<int>> cases = {{kId}, {kId, kName}};
  return cases;
}

TEST(ChangelogNormalizeCheckpointTest, EveryCutRestoresExactly) {
  for (const std::vector<int>& keys : KeyCases()) {
    SCOPED_TRACE("keys=" + std::to_string(keys.size()));
    for (uint64_t seed : {61, 62}) {
      const Script script = EventGenerator(seed).Make(InputKind::kUpsert, 40);
      ExpectEveryCutRestoresExactly(*Node(keys), script);
      const Lines lines = RunUninterrupted(*Node(keys), script);
      EXPECT_GT(CountLines(lines, "-U["), 0u);
      EXPECT_GT(CountLines(lines, "-D["), 0u);
    }
  }
}

TEST(ChangelogNormalizeCheckpointTest, RescaleKeepsEveryKey) {
  for (const std::vector<int>& keys : KeyCases()) {
    SCOPED_TRACE("keys=" + std::to_string(keys.size()));
    const Script script = EventGenerator(67).Make(InputKind::kUpsert, 40);
    for (size_t cut : {script.size() / 3, script.size() / 2, script.size() - 5}) {
      ExpectRescaleKeepsEveryKey(*Node(keys), keys, script, cut, 2, 3);
      ExpectRescaleKeepsEveryKey(*Node(keys), keys, script, cut, 3, 1);
    }
  }
}

TEST(ChangelogNormalizeCheckpointTest, SnapshotIsACopy) {
  const Script script = EventGenerator(71).Make(InputKind::kUpsert, 30);
  ExpectSnapshotIsACopy(*Node({kId}), script, script.size() / 2);
}

TEST(ChangelogNormalizeCheckpointTest, DamagedStateIsADecodeError) {
  for (const std::vector<int>& keys : KeyCases()) {
    SCOPED_TRACE("keys=" + std::to_string(keys.size()));
    const Script script = EventGenerator(73).Make(InputKind::kUpsert, 20);
    ExpectDamageIsDetected(*Node(keys), script, script.size() / 2);
  }
}

TEST(ChangelogNormalizeCheckpointTest, StateOfAnotherKeyIsRefused) {
  const Script script = EventGenerator(79).Make(InputKind::kUpsert, 10);
  InMemorySections view(SnapshotAt(*Node({kId}), script, 6));
  Instance other(*Node({kName}));
  EXPECT_EQ(other.Restore({&view}, 1).code(), ErrorCode::kDecodeError);
}

}  // namespace
}  // namespace sluice::testing
