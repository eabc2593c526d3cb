#include "runtime/sink_output.h"

#include <gtest/gtest.h>

#include "runtime/tests/test_sources.h"

namespace sluice {
namespace {

using std::chrono::milliseconds;

struct SinkHarness {
  std::shared_ptr<testkit::CollectedRows> rows = std::make_shared<testkit::CollectedRows>();
  std::atomic<uint64_t> written{0};
  std::atomic<int64_t> watermark{kMinWatermark};
  std::unique_ptr<SinkOutput> output =
      std::make_unique<SinkOutput>("out", std::make_unique<testkit::CollectingWriter>(rows, 0),
                                   milliseconds(100), &written, &watermark);
  int flushes() {
    std::lock_guard<std::mutex> lock(rows->mutex);
    return rows->flushes;
  }
  int closes() {
    std::lock_guard<std::mutex> lock(rows->mutex);
    return rows->closes;
  }
};

TEST(SinkOutputTest, FlushesOnTheIntervalOnlyAfterWritesAndAtEnd) {
  SinkHarness h;
  ASSERT_TRUE(h.output->Open().ok());
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(h.output->OnTimer(start + milliseconds(500)).ok());
  EXPECT_EQ(h.flushes(), 0) << "nothing written: nothing to flush";
  ASSERT_TRUE(h.output->Collect(testkit::IdTsRows({{1, 1}, {2, 2}})).ok());
  ASSERT_TRUE(h.output->OnTimer(start + milliseconds(10)).ok());
  EXPECT_EQ(h.flushes(), 0) << "interval not reached";
  ASSERT_TRUE(h.output->OnTimer(start + milliseconds(150)).ok());
  EXPECT_EQ(h.flushes(), 1);
  ASSERT_TRUE(h.output->OnTimer(start + milliseconds(400)).ok());
  EXPECT_EQ(h.flushes(), 1) << "no writes since the last flush";
  ASSERT_TRUE(h.output->EmitWatermark(77).ok());
  EXPECT_EQ(h.watermark.load(), 77);
  ASSERT_TRUE(h.output->EmitEnd().ok());
  EXPECT_EQ(h.flushes(), 2);
  EXPECT_EQ(h.closes(), 1);
  EXPECT_EQ(h.written.load(), 2u);
  h.output.reset();
  EXPECT_EQ(h.closes(), 1) << "closed once";
}

TEST(SinkOutputTest, AbortClosesWithoutFlushing) {
  SinkHarness h;
  ASSERT_TRUE(h.output->Open().ok());
  ASSERT_TRUE(h.output->Collect(testkit::IdTsRows({{1, 1}})).ok());
  h.output->Abort();
  EXPECT_EQ(h.flushes(), 0);
  EXPECT_EQ(h.closes(), 1);
}

}  // namespace
}  // namespace sluice
