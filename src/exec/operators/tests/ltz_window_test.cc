// Windows over TIMESTAMP_LTZ are cut on the session zone's wall clock (Asia/Shanghai, UTC+8).

#include <gtest/gtest.h>

#include "exec/operators/tests/operator_harness.h"

namespace sluice::testing {
namespace {

const std::vector<Field> kInput = {F("item", LogicalType::Varchar()),
                                   F("ts", LogicalType::TimestampLtz(3))};

// Instants given in UTC.
Batch Input(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::vector<std::vector<Value>> values;
  for (const auto& [item, utc] : rows) {
    values.push_back({Value::Varchar(item), Value::TimestampLtz(Ts(utc))});
  }
  return testing::Rows(Schema{kInput}, values);
}

WindowSpec Ltz(WindowSpec window) {
  window.time_is_ltz = true;
  return window;
}

TEST(LtzWindowTest, DailyTumbleRunsFromLocalMidnight) {
  auto node = WindowNode(InputNode(kInput), Ltz(Tumble(1, kMicrosPerDay)), {}, {CountStar()});
  Harness h(*node, "Asia/Shanghai");
  // 23:30 and 00:30 local: the same UTC day, different local days.
  h.Process(Input({{"a", "2024-01-01 15:30:00"}, {"b", "2024-01-01 16:30:00"}}));
  // window_start/end: local wall clock (TIMESTAMP(3)); window_time: the instant (printed in UTC).
  EXPECT_TRUE(h.Watermark(Ts("2024-01-01 15:59:59.998")).empty());
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 15:59:59.999")),
            (Strings{"+I[1, 2024-01-01T00:00, 2024-01-02T00:00, 2024-01-01T15:59:59.999]"}));
  EXPECT_EQ(h.Finish(),
            (Strings{"+I[1, 2024-01-02T00:00, 2024-01-03T00:00, 2024-01-02T15:59:59.999]"}));
}

TEST(LtzWindowTest, UtcSessionZoneCutsOnUtc) {
  auto node = WindowNode(InputNode(kInput), Ltz(Tumble(1, kMicrosPerDay)), {}, {CountStar()});
  Harness h(*node);
  h.Process(Input({{"a", "2024-01-01 15:30:00"}, {"b", "2024-01-01 16:30:00"}}));
  EXPECT_EQ(h.Finish(),
            (Strings{"+I[2, 2024-01-01T00:00, 2024-01-02T00:00, 2024-01-01T23:59:59.999]"}));
}

TEST(LtzWindowTest, LtzTypedBoundsHoldInstants) {
  auto node = WindowNode(InputNode(kInput), Ltz(Tumble(1, kMicrosPerHour)), {0}, {CountStar()});
  node->output_schema.fields[2].type = LogicalType::TimestampLtz(3);
  node->output_schema.fields[3].type = LogicalType::TimestampLtz(3);
  Harness h(*node, "Asia/Shanghai");
  h.Process(Input({{"a", "2024-01-01 15:30:00"}}));
  EXPECT_EQ(h.Finish(), (Strings{"+I[a, 1, 2024-01-01T15:00, 2024-01-01T16:00, "
                                 "2024-01-01T15:59:59.999]"}));
}

TEST(LtzWindowTest, HopAndSessionUseTheLocalClock) {
  auto hop = WindowNode(InputNode(kInput), Ltz(Hop(1, 12 * kMicrosPerHour, kMicrosPerDay)), {},
                        {CountStar()});
  Harness h(*hop, "Asia/Shanghai");
  h.Process(Input({{"a", "2024-01-01 15:30:00"}}));  // 2024-01-01 23:30 local
  EXPECT_EQ(h.Finish(),
            (Strings{"+I[1, 2024-01-01T00:00, 2024-01-02T00:00, 2024-01-01T15:59:59.999]",
                     "+I[1, 2024-01-01T12:00, 2024-01-02T12:00, 2024-01-02T03:59:59.999]"}));

  auto session =
      WindowNode(InputNode(kInput), Ltz(Session(1, 10 * kMicrosPerMinute)), {}, {CountStar()});
  Harness s(*session, "Asia/Shanghai");
  s.Process(Input({{"a", "2024-01-01 15:30:00"}, {"a", "2024-01-01 15:35:00"}}));
  EXPECT_TRUE(s.Watermark(Ts("2024-01-01 15:44:59.998")).empty());
  EXPECT_EQ(s.Watermark(Ts("2024-01-01 15:44:59.999")),
            (Strings{"+I[2, 2024-01-01T23:30, 2024-01-01T23:45, 2024-01-01T15:44:59.999]"}));
}

TEST(LtzWindowTest, RepeatedHourAtDstEndFiresAfterItsSecondPass) {
  // America/Los_Angeles, 2021-11-07: 01:00-02:00 local happens twice (PDT, then PST).
  auto node = WindowNode(InputNode(kInput), Ltz(Tumble(1, kMicrosPerHour)), {}, {CountStar()});
  Harness h(*node, "America/Los_Angeles");
  h.Process(Input({{"a", "2021-11-07 08:30:00"}, {"b", "2021-11-07 09:30:00"}}));  // 01:30 twice
  EXPECT_TRUE(h.Watermark(Ts("2021-11-07 09:00:00")).empty());
  EXPECT_EQ(h.Watermark(Ts("2021-11-07 09:59:59.999")),
            (Strings{"+I[2, 2021-11-07T01:00, 2021-11-07T02:00, 2021-11-07T09:59:59.999]"}));
}

}  // namespace
}  // namespace sluice::testing
