#include "runtime/operator_task.h"

#include <gtest/gtest.h>

#include <thread>

#include "runtime/tests/test_operators.h"
#include "runtime/tests/test_sources.h"

namespace sluice {
namespace {

using testkit::IdTsRows;
using testkit::RecordingOutput;

struct Harness {
  explicit Harness(int producers) : channel(64, producers) {}

  void Build(std::vector<ChainedOperator> ops) {
    auto out = std::make_unique<RecordingOutput>();
    output = out.get();
    auto chain = std::make_unique<OperatorChain>(std::move(ops), std::move(out), ChainContext{});
    task = std::make_unique<OperatorTask>("test task", &channel, std::move(chain));
  }
  Status RunToEnd() {
    RunControl control;
    return task->Run(control);
  }

  Channel channel;
  RecordingOutput* output = nullptr;
  std::unique_ptr<OperatorTask> task;
};

std::vector<ChainedOperator> Ops(std::unique_ptr<Operator> a,
                                 std::unique_ptr<Operator> b = nullptr) {
  std::vector<ChainedOperator> ops;
  ops.push_back({std::move(a), "op0"});
  if (b) ops.push_back({std::move(b), "op1"});
  return ops;
}

TEST(OperatorTaskTest, FiredRowsPrecedeTheWatermarkThatFiredThem) {
  Harness h(2);
  h.Build(Ops(std::make_unique<testkit::AddToId>(100),
              std::make_unique<testkit::HoldUntilWatermark>()));
  auto& ch = h.channel;
  ASSERT_TRUE(ch.Push(Message::Data(0, IdTsRows({{1, 10}, {2, 30}}))).ok());
  ASSERT_TRUE(ch.Push(Message::Data(1, IdTsRows({{3, 15}}))).ok());
  ASSERT_TRUE(ch.Push(Message::Watermark(0, 20)).ok());  // min still at producer 1's -inf
  ASSERT_TRUE(ch.Push(Message::Watermark(1, 16)).ok());  // min 16: fires ts 10, 15
  ASSERT_TRUE(ch.Push(Message::Watermark(1, 40)).ok());  // min 20: nothing to fire
  ASSERT_TRUE(ch.Push(Message::End(0)).ok());            // min 40: fires ts 30
  ASSERT_TRUE(ch.Push(Message::Data(1, IdTsRows({{4, 50}}))).ok());
  ASSERT_TRUE(ch.Push(Message::End(1)).ok());  // final watermark fires ts 50
  ASSERT_TRUE(h.RunToEnd().ok());
  EXPECT_EQ(h.output->events(),
            (std::vector<std::string>{"row 101", "row 103", "wm 16", "wm 20", "row 102", "wm 40",
                                      "row 104", "wm max", "end"}));
}

TEST(OperatorTaskTest, IdleProducerDoesNotHoldBackAndStatusIsForwarded) {
  Harness h(2);
  h.Build({});
  auto& ch = h.channel;
  ASSERT_TRUE(ch.Push(Message::Watermark(0, 10)).ok());
  ASSERT_TRUE(ch.Push(Message::Status(1, true)).ok());              // -> wm 10
  ASSERT_TRUE(ch.Push(Message::Status(0, true)).ok());              // all idle -> idle
  ASSERT_TRUE(ch.Push(Message::Data(1, IdTsRows({{5, 1}}))).ok());  // active before the row
  ASSERT_TRUE(ch.Push(Message::End(0)).ok());
  ASSERT_TRUE(ch.Push(Message::End(1)).ok());
  ASSERT_TRUE(h.RunToEnd().ok());
  EXPECT_EQ(h.output->events(),
            (std::vector<std::string>{"wm 10", "idle", "active", "row 5", "wm max", "end"}));
}

TEST(OperatorTaskTest, OperatorErrorEndsTheTaskWithContext) {
  Harness h(1);
  h.Build(Ops(std::make_unique<testkit::FailOnId>(7)));
  ASSERT_TRUE(h.channel.Push(Message::Data(0, IdTsRows({{1, 1}, {7, 2}}))).ok());
  Status status = h.RunToEnd();
  EXPECT_EQ(status.code(), ErrorCode::kRuntimeError);
  EXPECT_NE(status.message().find("boom at id 7"), std::string::npos);
  EXPECT_NE(status.message().find("FailOnId [op0]"), std::string::npos);
  EXPECT_FALSE(h.output->Contains("end"));
}

TEST(OperatorTaskTest, ErrorFromFurtherDownTheChainKeepsItsOwnContext) {
  Harness h(1);
  h.Build(Ops(std::make_unique<testkit::AddToId>(1), std::make_unique<testkit::FailOnId>(8)));
  ASSERT_TRUE(h.channel.Push(Message::Data(0, IdTsRows({{7, 1}}))).ok());
  Status status = h.RunToEnd();
  EXPECT_NE(status.message().find("FailOnId [op1]"), std::string::npos);
  EXPECT_EQ(status.message().find("AddToId"), std::string::npos) << status.message();
}

TEST(OperatorTaskTest, StopRequestEndsABlockedTask) {
  Harness h(1);
  h.Build({});
  RunControl control;
  Status status;
  std::thread runner([&] { status = h.task->Run(control); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto start = std::chrono::steady_clock::now();
  control.RequestStop();
  runner.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(status.code(), ErrorCode::kCancelled);
}

}  // namespace
}  // namespace sluice
