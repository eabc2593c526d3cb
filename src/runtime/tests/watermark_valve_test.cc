#include "runtime/watermark_valve.h"

#include <gtest/gtest.h>

#include "runtime/operator.h"

namespace sluice {
namespace {

TEST(WatermarkValveTest, OutputIsMinOverProducersAndOnlyAdvances) {
  WatermarkValve valve(3);
  EXPECT_FALSE(valve.OnWatermark(0, 10).watermark);
  EXPECT_FALSE(valve.OnWatermark(1, 20).watermark);
  auto update = valve.OnWatermark(2, 5);
  ASSERT_TRUE(update.watermark);
  EXPECT_EQ(*update.watermark, 5);
  update = valve.OnWatermark(2, 30);
  ASSERT_TRUE(update.watermark);
  EXPECT_EQ(*update.watermark, 10);
  // A producer going back is ignored: watermarks are monotonic per producer.
  EXPECT_FALSE(valve.OnWatermark(0, 3).watermark);
  EXPECT_EQ(valve.InputWatermark(0), 10);
  // Reaching the current output again does not re-emit.
  EXPECT_FALSE(valve.OnWatermark(0, 10).watermark);
  update = valve.OnWatermark(0, 25);
  ASSERT_TRUE(update.watermark);
  EXPECT_EQ(*update.watermark, 20);
  EXPECT_EQ(valve.output_watermark(), 20);
}

TEST(WatermarkValveTest, IdleProducerIsLeftOutOfTheMinimum) {
  WatermarkValve valve(2);
  valve.OnWatermark(0, 100);
  EXPECT_EQ(valve.output_watermark(), kMinWatermark);
  auto update = valve.SetIdle(1, true);
  ASSERT_TRUE(update.watermark);
  EXPECT_EQ(*update.watermark, 100);
  EXPECT_FALSE(update.became_idle);
  EXPECT_FALSE(valve.output_idle());
  update = valve.OnWatermark(0, 150);
  ASSERT_TRUE(update.watermark);
  EXPECT_EQ(*update.watermark, 150);
}

TEST(WatermarkValveTest, AllIdleFlushesMaxAndGoesIdle) {
  WatermarkValve valve(2);
  valve.OnWatermark(0, 10);
  valve.OnWatermark(1, 40);
  EXPECT_EQ(valve.output_watermark(), 10);
  EXPECT_FALSE(valve.SetIdle(1, true).became_idle);
  EXPECT_EQ(valve.output_watermark(), 10);
  auto update = valve.SetIdle(0, true);
  EXPECT_TRUE(update.became_idle);
  ASSERT_TRUE(update.watermark);
  EXPECT_EQ(*update.watermark, 40);
  EXPECT_TRUE(valve.output_idle());
}

TEST(WatermarkValveTest, ReactivatedProducerRejoinsOnlyWhenCaughtUp) {
  WatermarkValve valve(2);
  valve.OnWatermark(0, 10);
  valve.SetIdle(1, true);
  valve.OnWatermark(0, 50);
  EXPECT_EQ(valve.output_watermark(), 50);
  // Producer 1 comes back with data, its watermark still far behind: it must not stall output.
  auto update = valve.OnData(1);
  EXPECT_FALSE(update.became_active);  // the output itself never went idle
  EXPECT_FALSE(valve.IsIdle(1));
  update = valve.OnWatermark(0, 60);
  ASSERT_TRUE(update.watermark);
  EXPECT_EQ(*update.watermark, 60);
  // Once it catches up it counts again and holds the output back.
  EXPECT_FALSE(valve.OnWatermark(1, 65).watermark);
  update = valve.OnWatermark(0, 100);
  ASSERT_TRUE(update.watermark);
  EXPECT_EQ(*update.watermark, 65);
}

TEST(WatermarkValveTest, IdleTaskBecomesActiveBeforeData) {
  WatermarkValve valve(1);
  valve.OnWatermark(0, 5);
  auto update = valve.SetIdle(0, true);
  EXPECT_TRUE(update.became_idle);
  update = valve.OnData(0);
  EXPECT_TRUE(update.became_active);
  EXPECT_FALSE(valve.output_idle());
  // A watermark from an idle producer also reactivates it.
  valve.SetIdle(0, true);
  update = valve.OnWatermark(0, 9);
  EXPECT_TRUE(update.became_active);
  ASSERT_TRUE(update.watermark);
  EXPECT_EQ(*update.watermark, 9);
}

TEST(WatermarkValveTest, EndedProducersNoLongerCount) {
  WatermarkValve valve(2);
  valve.OnWatermark(0, 10);
  valve.OnWatermark(1, 3);
  EXPECT_EQ(valve.output_watermark(), 3);
  auto update = valve.OnEnd(1);
  ASSERT_TRUE(update.watermark);
  EXPECT_EQ(*update.watermark, 10);
  EXPECT_FALSE(valve.AllEnded());
  valve.OnEnd(0);
  EXPECT_TRUE(valve.AllEnded());
  EXPECT_FALSE(valve.OnWatermark(0, 99).watermark);
}

TEST(WatermarkValveTest, NoInputsIsEndedAtOnce) {
  WatermarkValve valve(0);
  EXPECT_TRUE(valve.AllEnded());
}

}  // namespace
}  // namespace sluice
