// SESSION windows: merging (also out of order), partitioning, late rows, allowed lateness.

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "exec/operators/session_window_operator.h"
#include "exec/operators/tests/operator_harness.h"

namespace sluice::testing {
namespace {

using K = AggregateKind;

const std::vector<Field> kInput = {F("user", LogicalType::Varchar()),
                                   F("amount", LogicalType::Int()),
                                   F("ts", LogicalType::Timestamp(3))};

Batch Input(const std::vector<std::tuple<std::optional<std::string>, int, std::string>>& rows) {
  std::vector<std::vector<Value>> values;
  for (const auto& [user, amount, ts] : rows) {
    values.push_back({user ? Value::Varchar(*user) : Value::Null(LogicalType::Varchar()),
                      Value::Int(amount), Value::Timestamp(Ts("2024-01-01 " + ts))});
  }
  return testing::Rows(Schema{kInput}, values);
}

std::shared_ptr<WindowAggregateNode> Sessions(std::vector<int> keys, int64_t gap,
                                              int64_t lateness = 0) {
  return WindowNode(InputNode(kInput), Session(2, gap), keys,
                    {CountStar(), Agg(K::kSum, 1, LogicalType::Int())}, lateness);
}

TEST(SessionWindowTest, SessionsPerKeyFireByEndThenKey) {
  Harness h(*Sessions({0}, Minutes(10)));
  EXPECT_EQ(h.op().Name(), "SessionWindow");
  h.Process(Input(
      {{"a", 1, "00:00:00"}, {"a", 2, "00:05:00"}, {"b", 3, "00:03:00"}, {"a", 4, "00:20:00"}}));
  EXPECT_TRUE(h.Watermark(Ts("2024-01-01 00:12:59.998")).empty());
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:15:00")),
            (Strings{"+I[b, 1, 3, 2024-01-01T00:03, 2024-01-01T00:13, 2024-01-01T00:12:59.999]",
                     "+I[a, 2, 3, 2024-01-01T00:00, 2024-01-01T00:15, 2024-01-01T00:14:59.999]"}));
  EXPECT_EQ(h.Finish(),
            (Strings{"+I[a, 1, 4, 2024-01-01T00:20, 2024-01-01T00:30, 2024-01-01T00:29:59.999]"}));
  EXPECT_EQ(dynamic_cast<SessionWindowOperator&>(h.op()).session_count(), 0u);
}

TEST(SessionWindowTest, OutOfOrderRowBridgesTwoSessions) {
  const Strings merged = {
      "+I[a, 3, 7, 2024-01-01T00:00, 2024-01-01T00:25, 2024-01-01T00:24:59.999]"};
  {
    Harness h(*Sessions({0}, Minutes(10)));
    h.Process(Input({{"a", 1, "00:00:00"}}));
    h.Process(Input({{"a", 2, "00:15:00"}}));
    EXPECT_EQ(dynamic_cast<SessionWindowOperator&>(h.op()).session_count(), 2u);
    h.Process(Input({{"a", 4, "00:08:00"}}));
    EXPECT_EQ(dynamic_cast<SessionWindowOperator&>(h.op()).session_count(), 1u);
    EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:30:00")), merged);
  }
  {
    // The same within one batch: rows assigned before the merge follow the merged session.
    Harness h(*Sessions({0}, Minutes(10)));
    h.Process(Input({{"a", 1, "00:00:00"}, {"a", 2, "00:15:00"}, {"a", 4, "00:08:00"}}));
    EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:30:00")), merged);
  }
}

TEST(SessionWindowTest, RowExactlyOneGapLaterJoinsTheSession) {
  Harness h(*Sessions({}, Minutes(10)));
  h.Process(Input({{"a", 1, "00:00:00"}, {"b", 1, "00:10:00"}, {"c", 1, "00:20:00.001"}}));
  EXPECT_EQ(h.Finish(),
            (Strings{"+I[2, 2, 2024-01-01T00:00, 2024-01-01T00:20, 2024-01-01T00:19:59.999]",
                     "+I[1, 1, 2024-01-01T00:20:00.001, 2024-01-01T00:30:00.001, "
                     "2024-01-01T00:30]"}));
}

TEST(SessionWindowTest, NullKeysAreOnePartition) {
  Harness h(*Sessions({0}, Minutes(10)));
  h.Process(
      Input({{std::nullopt, 1, "00:00:00"}, {"a", 1, "00:01:00"}, {std::nullopt, 5, "00:02:00"}}));
  EXPECT_EQ(h.Finish(),
            (Strings{"+I[a, 1, 1, 2024-01-01T00:01, 2024-01-01T00:11, 2024-01-01T00:10:59.999]",
                     "+I[null, 2, 6, 2024-01-01T00:00, 2024-01-01T00:12, "
                     "2024-01-01T00:11:59.999]"}));
}

TEST(SessionWindowTest, RowsOpeningAnExpiredSessionAreLate) {
  Harness h(*Sessions({0}, Minutes(10)));
  h.Process(Input({{"a", 1, "00:00:00"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:30:00")).size(), 1u);
  h.Process(Input({{"a", 2, "00:05:00"}, {"c", 3, "00:25:00"}}));
  EXPECT_EQ(h.metrics().late_rows, 1u);
  EXPECT_EQ(h.late().rows, (Strings{"+I[a, 2, 2024-01-01T00:05]"}));
  EXPECT_EQ(h.Finish(),
            (Strings{"+I[c, 1, 3, 2024-01-01T00:25, 2024-01-01T00:35, 2024-01-01T00:34:59.999]"}));
}

TEST(SessionWindowTest, AllowedLatenessExtendsAFiredSessionAndRefiresAtItsNewEnd) {
  Harness h(*Sessions({0}, Minutes(10), Minutes(10)));
  h.Process(Input({{"a", 1, "00:00:00"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:10:00")),
            (Strings{"+I[a, 1, 1, 2024-01-01T00:00, 2024-01-01T00:10, 2024-01-01T00:09:59.999]"}));
  h.Process(Input({{"a", 2, "00:05:00"}}));
  EXPECT_EQ(h.metrics().late_rows, 0u);
  EXPECT_TRUE(h.Watermark(Ts("2024-01-01 00:12:00")).empty());  // new end 00:15 not reached
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:15:00")),
            (Strings{"-U[a, 1, 1, 2024-01-01T00:00, 2024-01-01T00:10, 2024-01-01T00:09:59.999]",
                     "+U[a, 2, 3, 2024-01-01T00:00, 2024-01-01T00:15, 2024-01-01T00:14:59.999]"}));
  EXPECT_EQ(dynamic_cast<SessionWindowOperator&>(h.op()).session_count(), 1u);
  EXPECT_TRUE(h.Watermark(Ts("2024-01-01 00:25:00")).empty());
  EXPECT_EQ(dynamic_cast<SessionWindowOperator&>(h.op()).session_count(), 0u);
}

TEST(SessionWindowTest, LateRowMergingTwoFiredSessionsRetractsBoth) {
  Harness h(*Sessions({0}, Minutes(5), Minutes(10)));
  h.Process(Input({{"b", 1, "00:00:00"}, {"b", 1, "00:08:00"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:13:00")).size(), 2u);
  h.Process(Input({{"b", 1, "00:04:00"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:14:00")),
            (Strings{"-D[b, 1, 1, 2024-01-01T00:08, 2024-01-01T00:13, 2024-01-01T00:12:59.999]",
                     "-U[b, 1, 1, 2024-01-01T00:00, 2024-01-01T00:05, 2024-01-01T00:04:59.999]",
                     "+U[b, 3, 3, 2024-01-01T00:00, 2024-01-01T00:13, 2024-01-01T00:12:59.999]"}));
}

TEST(SessionWindowTest, LateRowInsideAFiredSessionWithSameResultEmitsNothing) {
  auto node = WindowNode(InputNode(kInput), Session(2, Minutes(10)), {0},
                         {Agg(K::kMax, 1, LogicalType::Int())}, Minutes(10));
  Harness h(*node);
  h.Process(Input({{"a", 5, "00:00:00"}, {"a", 5, "00:04:00"}}));
  EXPECT_EQ(h.Watermark(Ts("2024-01-01 00:14:00")).size(), 1u);
  h.Process(Input({{"a", 1, "00:02:00"}}));
  EXPECT_TRUE(h.Watermark(Ts("2024-01-01 00:15:00")).empty());
}

TEST(SessionWindowTest, KeysAreDroppedWithTheirLastSession) {
  Harness h(*Sessions({0}, Minutes(1)));
  auto& op = dynamic_cast<SessionWindowOperator&>(h.op());
  for (int round = 0; round < 3; ++round) {
    std::vector<std::tuple<std::optional<std::string>, int, std::string>> rows;
    for (int k = 0; k < 100; ++k) {
      rows.push_back({"user" + std::to_string(k), 1, "0" + std::to_string(round * 2) + ":00:00"});
    }
    h.Process(Input(rows));
    EXPECT_EQ(op.session_count(), 100u);
    EXPECT_EQ(h.Watermark(Ts("2024-01-01 0" + std::to_string(round * 2 + 1) + ":00:00")).size(),
              100u);
    EXPECT_EQ(op.session_count(), 0u);
  }
}

TEST(SessionWindowTest, RandomOrderMatchesSortedMerging) {
  // Reference: per key, sort the rows by time and cut wherever the next row starts after the
  // current session's end (last + gap).
  std::mt19937 random(99);
  const int64_t gap = Minutes(5);
  const int64_t base = Ts("2024-01-01 00:00:00");
  std::map<std::string, std::vector<std::pair<int64_t, int>>> by_key;
  std::vector<std::tuple<std::optional<std::string>, int, std::string>> rows;
  for (int i = 0; i < 2000; ++i) {
    const std::string key = "k" + std::to_string(random() % 20);
    const int64_t ts = base + static_cast<int64_t>(random() % (5 * 3600)) * kMicrosPerSecond;
    const int value = static_cast<int>(random() % 10);
    by_key[key].push_back({ts, value});
    rows.push_back({key, value, FormatTimestampSql(ts, 0).substr(11)});
  }
  Strings expected;
  for (auto& [key, list] : by_key) {
    std::sort(list.begin(), list.end());
    for (size_t i = 0; i < list.size();) {
      int64_t end = list[i].first + gap;
      int64_t count = 0;
      int64_t sum = 0;
      size_t j = i;
      for (; j < list.size() && list[j].first <= end; ++j) {
        end = std::max(end, list[j].first + gap);
        ++count;
        sum += list[j].second;
      }
      expected.push_back("+I[" + key + ", " + std::to_string(count) + ", " + std::to_string(sum) +
                         ", " + FormatTimestampIso(list[i].first) + ", " + FormatTimestampIso(end) +
                         ", " + FormatTimestampIso(end - kMicrosPerMilli) + "]");
      i = j;
    }
  }
  Harness h(*Sessions({0}, gap));
  for (size_t begin = 0; begin < rows.size(); begin += 137) {
    h.Process(Input({rows.begin() + begin, rows.begin() + std::min(rows.size(), begin + 137)}));
  }
  Strings actual = h.Finish();
  std::sort(actual.begin(), actual.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(dynamic_cast<SessionWindowOperator&>(h.op()).session_count(), 0u);
}

}  // namespace
}  // namespace sluice::testing
