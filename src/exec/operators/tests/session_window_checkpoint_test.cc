// SESSION window checkpoints: restored at every cut of a random input (merging sessions, late
// and NULL-time rows, re-fires with allowed lateness) the operator emits exactly what an
// uninterrupted one does; rescaled state keeps every key; damaged state is a DecodeError; expired
// sessions leave no state behind.

#include <gtest/gtest.h>

#include "exec/operators/session_window_operator.h"
#include "exec/operators/tests/checkpoint_harness.h"
#include "exec/operators/tests/window_checkpoint_cases.h"

namespace sluice::testing {
namespace {

std::vector<WindowCase> Cases() {
  return WindowCases({{"session", Session(kTs, Seconds(30))}});
}

TEST(SessionWindowCheckpointTest, EveryCutRestoresExactly) {
  for (const WindowCase& c : Cases()) {
    SCOPED_TRACE(c.label);
    size_t late = 0;
    size_t refired = 0;
    for (uint64_t seed : {31, 32}) {
      const Script script = EventGenerator(seed).Make(InputKind::kAppend, 40);
      ExpectEveryCutRestoresExactly(*c.Node(), script);
      const Lines lines = RunUninterrupted(*c.Node(), script);
      late += CountLines(lines, "late ");
      refired += CountLines(lines, "-U[");
    }
    // The inputs exercise late rows, and re-fires when lateness is allowed.
    EXPECT_GT(late, 0u);
    EXPECT_EQ(refired > 0, c.lateness > 0);
  }
}

TEST(SessionWindowCheckpointTest, RescaleKeepsEveryKey) {
  for (const WindowCase& c : Cases()) {
    if (c.keys.empty()) continue;  // a global session window runs at parallelism 1
    SCOPED_TRACE(c.label);
    const Script script = EventGenerator(41).Make(InputKind::kAppend, 40);
    for (size_t cut : {script.size() / 3, script.size() / 2, script.size() - 8}) {
      ExpectRescaleKeepsEveryKey(*c.Node(), c.keys, script, cut, 2, 3);
      ExpectRescaleKeepsEveryKey(*c.Node(), c.keys, script, cut, 3, 1);
    }
  }
}

TEST(SessionWindowCheckpointTest, SnapshotIsACopy) {
  for (const WindowCase& c : Cases()) {
    SCOPED_TRACE(c.label);
    const Script script = EventGenerator(43).Make(InputKind::kAppend, 30);
    ExpectSnapshotIsACopy(*c.Node(), script, script.size() / 2);
  }
}

TEST(SessionWindowCheckpointTest, DamagedStateIsADecodeError) {
  for (const WindowCase& c : Cases()) {
    if (c.keys.size() != 1 || c.lateness == 0) continue;  // the richest state, two layouts
    SCOPED_TRACE(c.label);
    const Script script = EventGenerator(47).Make(InputKind::kAppend, 24);
    ExpectDamageIsDetected(*c.Node(), script, script.size() - 3);
  }
}

TEST(SessionWindowCheckpointTest, ExpiredSessionsLeaveNoState) {
  for (const WindowCase& c : Cases()) {
    SCOPED_TRACE(c.label);
    auto node = c.Node();
    const Script script = EventGenerator(53).Make(InputKind::kAppend, 30);
    Instance instance(*node);
    ASSERT_TRUE(instance.Run(script, 0, script.size()).ok());
    auto& op = static_cast<SessionWindowOperator&>(instance.op());
    ASSERT_GT(op.session_count(), 0u);
    Recorder fired;
    ASSERT_TRUE(op.OnWatermark(Ts("2024-03-02 10:00:00"), fired).ok());
    EXPECT_EQ(op.session_count(), 0u);
    ExpectSnapshotSizeOfFreshInstance(*node, instance);
  }
}

}  // namespace
}  // namespace sluice::testing
