// TUMBLE/HOP/CUMULATE checkpoints: restored at every cut of a random input (late and NULL-time
// rows, pauses, re-fires with allowed lateness) the operator emits exactly what an uninterrupted
// one does; rescaled state keeps every key; damaged state is a DecodeError; expired windows leave
// no state behind.

#include <gtest/gtest.h>

#include "exec/operators/slicing_window_operator.h"
#include "exec/operators/tests/checkpoint_harness.h"
#include "exec/operators/tests/window_checkpoint_cases.h"

namespace sluice::testing {
namespace {

std::vector<WindowCase> Cases() {
  return WindowCases({{"tumble", Tumble(kTs, Minutes(1))},
                      {"hop", Hop(kTs, Seconds(20), Minutes(1))},
                      {"cumulate", Cumulate(kTs, Seconds(20), Minutes(1))}});
}

TEST(SlicingWindowCheckpointTest, EveryCutRestoresExactly) {
  for (const WindowCase& c : Cases()) {
    SCOPED_TRACE(c.label);
    const Script script = EventGenerator(101).Make(InputKind::kAppend, 40);
    ExpectEveryCutRestoresExactly(*c.Node(), script);
    // The input exercises late rows, and re-fires when lateness is allowed.
    const Lines lines = RunUninterrupted(*c.Node(), script);
    EXPECT_GT(CountLines(lines, "late "), 0u);
    EXPECT_EQ(CountLines(lines, "-U[") > 0, c.lateness > 0);
  }
}

TEST(SlicingWindowCheckpointTest, RescaleKeepsEveryKey) {
  for (const WindowCase& c : Cases()) {
    if (c.keys.empty()) continue;  // a global window runs at parallelism 1
    SCOPED_TRACE(c.label);
    const Script script = EventGenerator(202).Make(InputKind::kAppend, 40);
    for (size_t cut : {script.size() / 3, script.size() - 8}) {
      ExpectRescaleKeepsEveryKey(*c.Node(), c.keys, script, cut, 2, 3);
      ExpectRescaleKeepsEveryKey(*c.Node(), c.keys, script, cut, 3, 1);
    }
  }
}

TEST(SlicingWindowCheckpointTest, SnapshotIsACopy) {
  for (const WindowCase& c : Cases()) {
    SCOPED_TRACE(c.label);
    const Script script = EventGenerator(7).Make(InputKind::kAppend, 30);
    ExpectSnapshotIsACopy(*c.Node(), script, script.size() / 2);
  }
}

TEST(SlicingWindowCheckpointTest, DamagedStateIsADecodeError) {
  for (const WindowCase& c : Cases()) {
    if (c.keys.size() != 1 || c.lateness == 0) continue;  // the richest state, two layouts
    SCOPED_TRACE(c.label);
    const Script script = EventGenerator(9).Make(InputKind::kAppend, 24);
    ExpectDamageIsDetected(*c.Node(), script, script.size() - 3);
  }
}

TEST(SlicingWindowCheckpointTest, ExpiredWindowsLeaveNoState) {
  for (const WindowCase& c : Cases()) {
    SCOPED_TRACE(c.label);
    auto node = c.Node();
    const Script script = EventGenerator(13).Make(InputKind::kAppend, 30);
    Instance instance(*node);
    ASSERT_TRUE(instance.Run(script, 0, script.size()).ok());
    auto& op = static_cast<SlicingWindowOperator&>(instance.op());
    ASSERT_GT(op.slice_count(), 0u);
    // A day after the last event every window has fired and its lateness has passed.
    Recorder fired;
    ASSERT_TRUE(instance.op().OnWatermark(Ts("2024-03-02 10:00:00"), fired).ok());
    EXPECT_EQ(op.slice_count(), 0u);
    ExpectSnapshotSizeOfFreshInstance(*node, instance);
  }
}

TEST(SlicingWindowCheckpointTest, RestoredWatermarkDoesNotFireAgain) {
  auto node = WindowNode(InputNode(EventFields()), Tumble(kTs, Minutes(1)), {kName}, {CountStar()});
  const Schema schema{EventFields()};
  auto row = [](const char* name, const char* ts) {
    return std::vector<Value>{Value::Varchar(name), Value::Int(1), Value::Decimal(1, 10, 2),
                              Value::Double(1), Value::Timestamp(Ts(ts))};
  };
  Instance first(*node);
  first.Run({{Rows(schema, {row("a", "2024-03-01 10:00:10"), row("a", "2024-03-01 10:01:10")}), 0},
             {std::nullopt, Ts("2024-03-01 10:01:00")}},
            0, 2);
  ASSERT_EQ(first.lines().size(), 1u);  // the first window fired
  InMemorySections view(first.Snapshot());
  Instance second(*node);
  ASSERT_TRUE(second.Restore({&view}, 1).ok());
  // A row for the fired window is late; the open window fires once, with its restored row.
  second.Run({{Rows(schema, {row("a", "2024-03-01 10:00:20"), row("a", "2024-03-01 10:01:20")}), 0},
              {std::nullopt, Ts("2024-03-01 10:01:00")},
              {std::nullopt, Ts("2024-03-01 10:02:00")}},
             0, 3);
  EXPECT_EQ(second.lines(),
            (Lines{"late +I[a, 1, 0.01, 1.0, 2024-03-01T10:00:20]",
                   "+I[a, 2, 2024-03-01T10:01, 2024-03-01T10:02, 2024-03-01T10:01:59.999]"}));
}

}  // namespace
}  // namespace sluice::testing
