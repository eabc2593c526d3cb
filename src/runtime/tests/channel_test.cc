#include "runtime/channel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace sluice {
namespace {

using std::chrono::milliseconds;

TEST(ChannelTest, DeliversMessagesInOrderWithProducerTags) {
  Channel channel(4, 2);
  ASSERT_TRUE(channel.Push(Message::Watermark(1, 10)).ok());
  ASSERT_TRUE(channel.Push(Message::Status(0, true)).ok());
  ASSERT_TRUE(channel.Push(Message::End(1)).ok());
  Message m;
  ASSERT_EQ(channel.Pop(&m, milliseconds(10)), PopResult::kMessage);
  EXPECT_EQ(m.kind, MessageKind::kWatermark);
  EXPECT_EQ(m.producer, 1);
  EXPECT_EQ(m.watermark, 10);
  ASSERT_EQ(channel.Pop(&m, milliseconds(10)), PopResult::kMessage);
  EXPECT_EQ(m.kind, MessageKind::kIdle);
  EXPECT_EQ(m.producer, 0);
  ASSERT_EQ(channel.Pop(&m, milliseconds(10)), PopResult::kMessage);
  EXPECT_EQ(m.kind, MessageKind::kEnd);
  EXPECT_EQ(channel.Pop(&m, milliseconds(1)), PopResult::kTimeout);
}

TEST(ChannelTest, FullChannelBlocksProducerUntilConsumerPops) {
  Channel channel(2, 1);
  ASSERT_TRUE(channel.Push(Message::Watermark(0, 1)).ok());
  ASSERT_TRUE(channel.Push(Message::Watermark(0, 2)).ok());
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    EXPECT_TRUE(channel.Push(Message::Watermark(0, 3)).ok());
    pushed = true;
  });
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_FALSE(pushed.load()) << "push into a full channel must wait";
  EXPECT_EQ(channel.size(), 2u);

  Message m;
  ASSERT_EQ(channel.Pop(&m, milliseconds(100)), PopResult::kMessage);
  EXPECT_EQ(m.watermark, 1);
  producer.join();
  EXPECT_TRUE(pushed.load());
  ASSERT_EQ(channel.Pop(&m, milliseconds(100)), PopResult::kMessage);
  EXPECT_EQ(m.watermark, 2);
  ASSERT_EQ(channel.Pop(&m, milliseconds(100)), PopResult::kMessage);
  EXPECT_EQ(m.watermark, 3);
}

TEST(ChannelTest, CancelWakesBlockedProducerAndConsumer) {
  Channel full(1, 1);
  ASSERT_TRUE(full.Push(Message::End(0)).ok());
  Channel empty(1, 1);
  Status push_status;
  PopResult pop_result = PopResult::kMessage;
  auto start = std::chrono::steady_clock::now();
  std::thread producer([&] { push_status = full.Push(Message::End(0)); });
  std::thread consumer([&] {
    Message m;
    pop_result = empty.Pop(&m, std::chrono::seconds(30));
  });
  std::this_thread::sleep_for(milliseconds(20));
  full.Cancel();
  empty.Cancel();
  producer.join();
  consumer.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(push_status.code(), ErrorCode::kCancelled);
  EXPECT_EQ(pop_result, PopResult::kCancelled);
  EXPECT_EQ(full.Push(Message::End(0)).code(), ErrorCode::kCancelled);
}

TEST(ChannelTest, ManyProducersDeliverEverythingPerProducerInOrder) {
  constexpr int kProducers = 4;
  constexpr int kPerProducer = 500;
  Channel channel(3, kProducers);
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < kPerProducer; ++i) {
        ASSERT_TRUE(channel.Push(Message::Watermark(p, i)).ok());
      }
    });
  }
  std::vector<int64_t> last(kProducers, -1);
  for (int n = 0; n < kProducers * kPerProducer; ++n) {
    Message m;
    ASSERT_EQ(channel.Pop(&m, std::chrono::seconds(5)), PopResult::kMessage);
    EXPECT_EQ(m.watermark, last[m.producer] + 1);
    last[m.producer] = m.watermark;
  }
  for (auto& t : producers) t.join();
  for (int p = 0; p < kProducers; ++p) EXPECT_EQ(last[p], kPerProducer - 1);
}

TEST(ChannelTest, BlockedLaneIsSkippedUntilUnblockedAndKeepsItsOrder) {
  Channel channel(4, 2);
  ASSERT_TRUE(channel.Push(Message::MakeBarrier(0, Barrier{7})).ok());
  ASSERT_TRUE(channel.Push(Message::Watermark(0, 1)).ok());
  ASSERT_TRUE(channel.Push(Message::Watermark(1, 2)).ok());
  ASSERT_TRUE(channel.Push(Message::MakeBarrier(1, Barrier{7})).ok());
  Message m;
  ASSERT_EQ(channel.Pop(&m, milliseconds(10)), PopResult::kMessage);
  EXPECT_EQ(m.kind, MessageKind::kBarrier);
  EXPECT_EQ(m.producer, 0);
  channel.Block(0);
  // Producer 0's watermark is older, but its lane is blocked: producer 1 goes first.
  ASSERT_EQ(channel.Pop(&m, milliseconds(10)), PopResult::kMessage);
  EXPECT_EQ(m.producer, 1);
  EXPECT_EQ(m.watermark, 2);
  ASSERT_EQ(channel.Pop(&m, milliseconds(10)), PopResult::kMessage);
  EXPECT_EQ(m.kind, MessageKind::kBarrier);
  EXPECT_EQ(m.producer, 1);
  EXPECT_EQ(channel.Pop(&m, milliseconds(1)), PopResult::kTimeout) << "lane 0 is blocked";
  channel.UnblockAll();
  ASSERT_EQ(channel.Pop(&m, milliseconds(10)), PopResult::kMessage);
  EXPECT_EQ(m.producer, 0);
  EXPECT_EQ(m.watermark, 1);
}

TEST(ChannelTest, FullBlockedLaneDoesNotStopOtherProducers) {
  // With a shared capacity, producer 0 filling the channel behind its barrier would keep
  // producer 1 from ever delivering its own barrier: lanes have their own capacity.
  Channel channel(2, 2);
  channel.Block(0);
  ASSERT_TRUE(channel.Push(Message::Watermark(0, 1)).ok());
  ASSERT_TRUE(channel.Push(Message::Watermark(0, 2)).ok());
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    EXPECT_TRUE(channel.Push(Message::MakeBarrier(1, Barrier{3})).ok());
    pushed = true;
  });
  producer.join();
  EXPECT_TRUE(pushed.load());
  Message m;
  ASSERT_EQ(channel.Pop(&m, milliseconds(10)), PopResult::kMessage);
  EXPECT_EQ(m.kind, MessageKind::kBarrier);
}

TEST(ChannelTest, PushFromAnUnknownProducerIsAnError) {
  Channel channel(2, 1);
  EXPECT_EQ(channel.Push(Message::End(3)).code(), ErrorCode::kInternal);
}

}  // namespace
}  // namespace sluice
