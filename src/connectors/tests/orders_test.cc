#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "connectors/orders/order_generator.h"
#include "connectors/orders/orders_connector.h"
#include "connectors/orders/orders_options.h"
#include "connectors/orders/orders_source.h"
#include "connectors/tests/test_tables.h"
#include "formats/json/json_format.h"

namespace sluice {
namespace {

using testing::DrainSplit;
using testing::MakeContext;
using testing::MakeTable;
using testing::TempDir;

Schema OrderSchema() {
  return Schema{{{"order_id", LogicalType::Varchar()},
                 {"customer_id", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()},
                 {"status", LogicalType::Varchar()},
                 {"timestamp", LogicalType::Bigint()}}};
}

Result<std::unique_ptr<Source>> MakeSource(const Schema& schema, Options options) {
  options["connector"] = "orders";
  return kOrdersConnector.make_source(MakeContext(MakeTable("orders", schema, options)));
}

OrdersConfig Config(Options options) {
  auto config = ParseOrdersConfig(options, /*now_ms=*/0);
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return *config;
}

TEST(OrdersTest, FillsColumnsByName) {
  auto source = MakeSource(OrderSchema(), {{"number-of-rows", "3"},
                                           {"rows-per-second", "unlimited"},
                                           {"orders.customers", "50"},
                                           {"orders.statuses", "completed"}});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  auto splits = (*source)->ListSplits(1);
  std::vector<std::string> rows = DrainSplit(**source, (*splits)[0]);
  ASSERT_EQ(rows.size(), 3u);
  // 2026-01-01 00:00:00 UTC = 1767225600000 ms; 1000 events per event-time second.
  EXPECT_EQ(rows[0].substr(0, 19), "+I[ord-00000000, cu");
  EXPECT_NE(rows[0].find(", completed, 1767225600000]"), std::string::npos) << rows[0];
  EXPECT_NE(rows[2].find(", completed, 1767225600002]"), std::string::npos) << rows[2];
  EXPECT_NE(rows[1].find("+I[ord-00000001, cust-00"), std::string::npos) << rows[1];
}

TEST(OrdersTest, TimeColumnsMayBeTimestampsAndIdsNumbers) {
  Schema schema{{{"order_id", LogicalType::Bigint()},
                 {"event_time", LogicalType::Timestamp(3)},
                 {"ts", LogicalType::TimestampLtz(3)},
                 {"Amount", LogicalType::Decimal(10, 2)}}};
  auto source = MakeSource(schema, {{"number-of-rows", "2"},
                                    {"rows-per-second", "unlimited"},
                                    {"orders.events-per-second-of-event-time", "0.5"}});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  auto splits = (*source)->ListSplits(1);
  std::vector<std::string> rows = DrainSplit(**source, (*splits)[0]);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].substr(0, 46), "+I[1, 2026-01-01T00:00:02, 2026-01-01T00:00:02");
}

TEST(OrdersTest, UnknownColumnsAndWrongTypesAreErrors) {
  Schema unknown{{{"order_id", LogicalType::Varchar()}, {"price", LogicalType::Double()}}};
  EXPECT_EQ(MakeSource(unknown, {}).status().message(),
            "orders connector: unknown column 'price'; it generates order_id, customer_id, "
            "amount, status, timestamp, event_time, ts");
  Schema wrong{{{"status", LogicalType::Int()}}};
  EXPECT_EQ(MakeSource(wrong, {}).status().message(),
            "orders connector: column 'status' must be STRING, not INT");
  EXPECT_EQ(MakeSource(OrderSchema(), {{"orders.late-ratio", "2"}}).status().message(),
            "option 'orders.late-ratio' expects a number from 0 to 1");
  EXPECT_EQ(MakeSource(OrderSchema(), {{"orders.start-time", "soon"}}).status().message(),
            "option 'orders.start-time' expects 'yyyy-MM-dd HH:mm:ss' or 'now', got 'soon'");
}

TEST(OrdersTest, EventsDoNotDependOnTheNumberOfSplits) {
  Options options{{"number-of-rows", "101"}, {"rows-per-second", "unlimited"}};
  auto one = MakeSource(OrderSchema(), options);
  auto three = MakeSource(OrderSchema(), options);
  std::vector<std::string> single = DrainSplit(**one, (*(*one)->ListSplits(1))[0]);
  std::vector<std::string> merged;
  auto splits = (*three)->ListSplits(3);
  for (const auto& split : *splits) {
    std::vector<std::string> part = DrainSplit(**three, split, 10);
    EXPECT_GE(part.size(), 33u);
    merged.insert(merged.end(), part.begin(), part.end());
  }
  ASSERT_EQ(single.size(), 101u);
  std::sort(single.begin(), single.end());
  std::sort(merged.begin(), merged.end());
  EXPECT_EQ(single, merged);
}

TEST(OrdersTest, OutOfOrderAndLateSharesFollowTheOptions) {
  OrdersConfig config = Config({{"orders.max-out-of-orderness", "3 s"},
                                {"orders.late-ratio", "0.1"},
                                {"orders.late-by", "2 min"},
                                {"orders.seed", "9"}});
  auto generator = OrderGenerator::Make(OrderSchema(), config);
  ASSERT_TRUE(generator.ok());
  constexpr int kEvents = 20000;
  int late = 0, late_flags = 0, behind_previous = 0;
  int64_t max_seen = INT64_MIN, previous = INT64_MIN;
  std::map<int, int> statuses;
  for (int i = 0; i < kEvents; ++i) {
    OrderEvent e = generator->Generate(i);
    const int64_t nominal = config.start_time_ms + i;  // 1000 events per event-time second
    int64_t delay = nominal - e.timestamp_ms;
    EXPECT_GE(delay, 0);
    if (e.late) {
      EXPECT_GE(delay, 120'000);
      EXPECT_LE(delay, 123'000);
      ++late_flags;
    } else {
      EXPECT_LE(delay, 3'000);
    }
    // Late for a watermark of max-seen minus the out-of-orderness bound.
    if (i > 0 && e.timestamp_ms < max_seen - 3'000) ++late;
    if (e.timestamp_ms < previous) ++behind_previous;
    max_seen = std::max(max_seen, e.timestamp_ms);
    previous = e.timestamp_ms;
    ++statuses[e.status];
    EXPECT_GE(e.amount_cents, 100);
    EXPECT_LE(e.amount_cents, 50'000);
    EXPECT_LT(e.customer, 1000);
  }
  EXPECT_NEAR(late_flags / double(kEvents), 0.1, 0.01);
  // Late events land behind the watermark; on-time ones only rarely (jitter at the edge).
  EXPECT_NEAR(late / double(kEvents), 0.1, 0.015);
  EXPECT_GT(behind_previous / double(kEvents), 0.3);  // 3 s of jitter over 1 ms steps
  // Default weights: created 10, paid 20, completed 60, cancelled 10.
  EXPECT_NEAR(statuses[2] / double(kEvents), 0.6, 0.02);
  EXPECT_NEAR(statuses[0] / double(kEvents), 0.1, 0.02);

  OrdersConfig in_order = Config({});
  auto ordered = OrderGenerator::Make(OrderSchema(), in_order);
  for (int i = 1; i < 1000; ++i) {
    EXPECT_GT(ordered->Generate(i).timestamp_ms, ordered->Generate(i - 1).timestamp_ms);
  }
}

TEST(OrdersTest, RawPathRecordsExactlyTheEmittedRows) {
  TempDir dir;
  const std::string raw = dir.File("raw.jsonl");
  auto source = MakeSource(
      OrderSchema(),
      {{"number-of-rows", "25"}, {"rows-per-second", "unlimited"}, {"orders.raw-path", raw}});
  ASSERT_TRUE(source.ok());
  auto splits = (*source)->ListSplits(1);
  std::vector<std::string> emitted = DrainSplit(**source, (*splits)[0], 7);
  std::string text = testing::ReadFile(raw);
  ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 25);
  EXPECT_EQ(text.substr(0, 43), R"({"order_id":"ord-00000000","customer_id":"c)");

  // Decoding the raw file gives the emitted rows, in order.
  auto decoder = kJsonFormat.make_decoder(OrderSchema(), {});
  std::vector<std::string_view> records;
  (*decoder)->SplitRecords(text, true, SIZE_MAX, &records);
  Batch batch;
  DecodeResult result;
  ASSERT_TRUE((*decoder)->Decode({records, nullptr, false}, &batch, &result).ok());
  ASSERT_EQ(batch.num_rows(), emitted.size());
  for (size_t r = 0; r < emitted.size(); ++r) EXPECT_EQ(batch.RowToString(r), emitted[r]);
}

TEST(OrdersTest, RawPathIsADirectoryWithSeveralSplits) {
  TempDir dir;
  const std::string raw = dir.File("raw");
  auto source = MakeSource(
      OrderSchema(),
      {{"number-of-rows", "10"}, {"rows-per-second", "unlimited"}, {"orders.raw-path", raw}});
  auto splits = (*source)->ListSplits(2);
  for (const auto& split : *splits) DrainSplit(**source, split);
  EXPECT_EQ(OrdersSource::RawPathFor(raw, 1, 2), raw + "/split-1.jsonl");
  std::string first = testing::ReadFile(raw + "/split-0.jsonl");
  std::string second = testing::ReadFile(raw + "/split-1.jsonl");
  EXPECT_EQ(std::count(first.begin(), first.end(), '\n'), 5);
  EXPECT_EQ(std::count(second.begin(), second.end(), '\n'), 5);
  EXPECT_NE(second.find("ord-00000001"), std::string::npos);
}

}  // namespace
}  // namespace sluice
