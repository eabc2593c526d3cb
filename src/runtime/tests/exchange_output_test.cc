#include "runtime/exchange_output.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "runtime/fan_out_output.h"
#include "runtime/tests/test_sources.h"

namespace sluice {
namespace {

using std::chrono::milliseconds;

std::vector<Message> Drain(Channel& channel) {
  std::vector<Message> out;
  Message m;
  while (channel.Pop(&m, milliseconds(1)) == PopResult::kMessage) out.push_back(std::move(m));
  return out;
}

TEST(ExchangeOutputTest, HashKeepsAllRowsOfAKeyOnOneInstanceInOrder) {
  constexpr int kInstances = 4;
  std::vector<std::unique_ptr<Channel>> channels;
  std::vector<Channel*> raw;
  for (int i = 0; i < kInstances; ++i) {
    channels.push_back(std::make_unique<Channel>(64, 1));
    raw.push_back(channels.back().get());
  }
  auto out = ExchangeOutput::Hash(raw, {0, 0, 0, 0}, /*key_columns=*/{0});
  // Keys 0..36, sequence number in ts; three batches.
  int64_t seq = 0;
  for (int b = 0; b < 3; ++b) {
    std::vector<std::pair<int64_t, int64_t>> rows;
    for (int r = 0; r < 400; ++r) rows.emplace_back((r * 7 + b) % 37, seq++);
    ASSERT_TRUE(out->Collect(testkit::IdTsRows(rows)).ok());
  }
  std::map<int64_t, int> instance_of_key;
  std::map<int64_t, int64_t> last_seq_of_key;
  size_t total = 0;
  std::set<int> used;
  for (int i = 0; i < kInstances; ++i) {
    for (Message& m : Drain(*channels[i])) {
      ASSERT_EQ(m.kind, MessageKind::kBatch);
      for (size_t r = 0; r < m.batch.num_rows(); ++r) {
        int64_t key = m.batch.column(0)->Get<int64_t>(r);
        int64_t s = m.batch.column(1)->Get<int64_t>(r);
        auto [it, inserted] = instance_of_key.emplace(key, i);
        EXPECT_EQ(it->second, i) << "key " << key << " on two instances";
        auto last = last_seq_of_key.find(key);
        if (last != last_seq_of_key.end()) {
          EXPECT_GT(s, last->second);
        }
        last_seq_of_key[key] = s;
        used.insert(i);
        ++total;
      }
    }
  }
  EXPECT_EQ(total, 1200u);
  EXPECT_EQ(instance_of_key.size(), 37u);
  EXPECT_GE(used.size(), 3u) << "37 keys should spread over the instances";
}

TEST(ExchangeOutputTest, ControlMessagesAreBroadcastWithProducerIndex) {
  Channel a(8, 3), b(8, 3);
  auto out = ExchangeOutput::Rebalance({&a, &b}, {2, 1});
  ASSERT_TRUE(out->EmitWatermark(42).ok());
  ASSERT_TRUE(out->EmitStatus(true).ok());
  ASSERT_TRUE(out->EmitEnd().ok());
  auto ma = Drain(a);
  auto mb = Drain(b);
  ASSERT_EQ(ma.size(), 3u);
  ASSERT_EQ(mb.size(), 3u);
  EXPECT_EQ(ma[0].kind, MessageKind::kWatermark);
  EXPECT_EQ(ma[0].watermark, 42);
  EXPECT_EQ(ma[0].producer, 2);
  EXPECT_EQ(mb[0].producer, 1);
  EXPECT_EQ(ma[1].kind, MessageKind::kIdle);
  EXPECT_EQ(mb[2].kind, MessageKind::kEnd);
}

TEST(ExchangeOutputTest, RebalanceSendsWholeBatchesRoundRobin) {
  Channel a(8, 1), b(8, 1);
  auto out = ExchangeOutput::Rebalance({&a, &b}, {0, 0});
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(out->Collect(testkit::IdTsRows({{i, 0}, {i, 1}})).ok());
  }
  ASSERT_TRUE(out->Collect(Batch()).ok());  // empty batches are not sent
  auto ma = Drain(a);
  auto mb = Drain(b);
  ASSERT_EQ(ma.size(), 2u);
  ASSERT_EQ(mb.size(), 2u);
  EXPECT_EQ(ma[0].batch.column(0)->Get<int64_t>(0), 0);
  EXPECT_EQ(mb[0].batch.column(0)->Get<int64_t>(0), 1);
  EXPECT_EQ(ma[1].batch.column(0)->Get<int64_t>(0), 2);
  EXPECT_EQ(ma[1].batch.num_rows(), 2u);
}

TEST(ExchangeOutputTest, FanOutDeliversEverythingToEveryEdge) {
  Channel a(8, 1), b(8, 1);
  std::vector<std::unique_ptr<TaskOutput>> edges;
  edges.push_back(ExchangeOutput::Forward(&a, 0));
  edges.push_back(ExchangeOutput::Forward(&b, 0));
  FanOutOutput out(std::move(edges));
  ASSERT_TRUE(out.Collect(testkit::IdTsRows({{7, 1}})).ok());
  ASSERT_TRUE(out.EmitWatermark(5).ok());
  ASSERT_TRUE(out.EmitEnd().ok());
  for (Channel* c : {&a, &b}) {
    auto m = Drain(*c);
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0].batch.column(0)->Get<int64_t>(0), 7);
    EXPECT_EQ(m[1].watermark, 5);
    EXPECT_EQ(m[2].kind, MessageKind::kEnd);
  }
}

TEST(ExchangeOutputTest, HashTargetUsesHighBitsAndCoversAllInstances) {
  std::set<size_t> seen;
  for (uint64_t i = 0; i < 64; ++i) {
    size_t t = HashTarget(i << 58, 4);
    EXPECT_LT(t, 4u);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(HashTarget(0xFFFFFFFFFFFFFFFFull, 3), 2u);
}

}  // namespace
}  // namespace sluice
