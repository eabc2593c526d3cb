// Randomized check (fixed seed) of TUMBLE, HOP and CUMULATE against a naive per-row window
// assignment: 10k rows with out-of-order timestamps, random batch sizes, a bounded-delay
// watermark (so some rows are late), and every key layout (none, fixed-width, bytes).

#include <gtest/gtest.h>

#include <random>

#include "exec/operators/tests/operator_harness.h"
#include "exec/operators/tests/window_reference.h"

namespace sluice::testing {
namespace {

using K = AggregateKind;

const std::vector<Field> kInput = {F("name", LogicalType::Varchar()), F("id", LogicalType::Int()),
                                   F("v", LogicalType::Int()), F("ts", LogicalType::Timestamp(3))};

struct Case {
  std::string label;
  WindowSpec window;
  std::vector<int> keys;
  std::function<std::vector<WindowReference::Window>(int64_t)> windows_of;
};

std::string KeyText(const std::vector<int>& keys, const std::optional<std::string>& name, int id) {
  std::string text;
  for (int k : keys) {
    if (!text.empty()) text += ", ";
    text += k == 0 ? name.value_or("null") : std::to_string(id);
  }
  return text;
}

void RunRandomized(const Case& c) {
  SCOPED_TRACE(c.label);
  const LogicalType t = LogicalType::Int();
  auto node = WindowNode(InputNode(kInput), c.window, c.keys,
                         {CountStar(), Agg(K::kSum, 2, t), Agg(K::kMin, 2, t), Agg(K::kMax, 2, t),
                          Agg(K::kCount, 2, t, /*distinct=*/true)});
  Harness h(*node);
  WindowReference reference(c.windows_of);
  std::mt19937_64 random(20240601);
  const int64_t base = Ts("2024-01-01 00:00:00");
  const int64_t delay = Seconds(10);
  const size_t end_column = c.keys.size() + 5 + 1;
  int64_t max_ts = INT64_MIN;
  size_t late = 0;
  size_t produced = 0;
  int row = 0;
  while (row < 10'000) {
    const int batch_rows = std::min<int>(1 + random() % 500, 10'000 - row);
    std::vector<std::vector<Value>> values;
    std::vector<ReferenceRow> reference_rows;
    for (int i = 0; i < batch_rows; ++i, ++row) {
      // Mostly increasing time with jitter from 30 s behind to 5 s ahead; 2% of the rows
      // are up to 3 minutes behind.
      int64_t ts = base + row * 100 * kMicrosPerMilli +
                   static_cast<int64_t>(random() % 35'000) * kMicrosPerMilli - Seconds(30);
      if (random() % 50 == 0) ts -= static_cast<int64_t>(random() % 180'000) * kMicrosPerMilli;
      std::optional<std::string> name;
      if (random() % 20) name = "n" + std::to_string(random() % 40);
      const int id = static_cast<int>(random() % 30) - 10;
      const int v = static_cast<int>(random() % 100) - 20;
      values.push_back({name ? Value::Varchar(*name) : Value::Null(LogicalType::Varchar()),
                        Value::Int(id), Value::Int(v), Value::Timestamp(ts)});
      reference_rows.push_back({KeyText(c.keys, name, id), v, ts});
      max_ts = std::max(max_ts, ts);
    }
    h.Process(testing::Rows(Schema{kInput}, values));
    late += reference.Add(reference_rows);
    ASSERT_EQ(h.metrics().late_rows, late) << "after row " << row;

    const size_t batches_before = h.collector().batches().size();
    const int64_t watermark = max_ts - delay;
    Strings fired = h.Watermark(watermark);
    produced += fired.size();
    std::sort(fired.begin(), fired.end());
    ASSERT_EQ(fired, reference.Advance(watermark)) << "watermark after row " << row;
    // Windows come out by end.
    int64_t last_end = INT64_MIN;
    for (size_t b = batches_before; b < h.collector().batches().size(); ++b) {
      const Batch& batch = h.collector().batches()[b];
      for (size_t r = 0; r < batch.num_rows(); ++r) {
        const int64_t end = batch.column(end_column)->Get<int64_t>(r);
        ASSERT_LE(last_end, end);
        last_end = end;
      }
    }
  }
  Strings rest = h.Finish();
  std::sort(rest.begin(), rest.end());
  EXPECT_EQ(rest, reference.Advance(kMaxWatermark));
  // The data does exercise late rows and fired windows.
  EXPECT_GT(late, 0u);
  EXPECT_GT(produced, 10u);
}

TEST(WindowRandomizedTest, TumbleMatchesReference) {
  const int64_t size = Minutes(1);
  for (std::vector<int> keys : {std::vector<int>{0}, {1}, {0, 1}, {}}) {
    RunRandomized({"tumble keys=" + std::to_string(keys.size()), Tumble(3, size), keys,
                   [&](int64_t ts) { return TumbleWindowsOf(ts, size); }});
  }
}

TEST(WindowRandomizedTest, HopMatchesReference) {
  for (auto [slide, size] : {std::pair{Seconds(20), Minutes(1)}, {Seconds(25), Minutes(1)}}) {
    for (std::vector<int> keys : {std::vector<int>{0}, {1}, {}}) {
      RunRandomized({"hop slide=" + std::to_string(slide) + " keys=" + std::to_string(keys.size()),
                     Hop(3, slide, size), keys,
                     [=](int64_t ts) { return HopWindowsOf(ts, slide, size); }});
    }
  }
}

TEST(WindowRandomizedTest, CumulateMatchesReference) {
  const int64_t step = Seconds(10);
  const int64_t max_size = Minutes(1);
  RunRandomized({"cumulate", Cumulate(3, step, max_size), {0, 1}, [=](int64_t ts) {
                   return CumulateWindowsOf(ts, step, max_size);
                 }});
}

}  // namespace
}  // namespace sluice::testing
