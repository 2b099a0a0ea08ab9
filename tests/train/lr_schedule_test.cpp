// The learning-rate schedules produce the documented rate sequences (train/lr_schedule.h).

#include "e3/train/lr_schedule.h"

#include <gtest/gtest.h>

#include <cmath>

namespace e3::train {
namespace {

ScheduleOptions options(ScheduleKind kind) {
  ScheduleOptions o;
  o.kind = kind;
  o.base = 1e-3;
  return o;
}

TEST(LearningRateSchedule, ConstantIsTable31) {
  const LearningRateSchedule schedule(options(ScheduleKind::constant));
  for (int64_t step : {0, 1, 100, 100000}) EXPECT_EQ(schedule.rate(step), 1e-3);
}

TEST(LearningRateSchedule, WarmUpIsLinear) {
  auto o = options(ScheduleKind::constant);
  o.warmup_steps = 4;
  const LearningRateSchedule schedule(o);
  EXPECT_DOUBLE_EQ(schedule.rate(0), 0.25e-3);
  EXPECT_DOUBLE_EQ(schedule.rate(1), 0.5e-3);
  EXPECT_DOUBLE_EQ(schedule.rate(3), 1e-3);
  EXPECT_DOUBLE_EQ(schedule.rate(4), 1e-3);
}

TEST(LearningRateSchedule, CosineDecaysToItsFloorOverThePlannedRun) {
  auto o = options(ScheduleKind::cosine);
  o.warmup_steps = 10;
  o.total_steps = 110;
  o.min = 1e-5;
  const LearningRateSchedule schedule(o);
  EXPECT_DOUBLE_EQ(schedule.rate(4), 1e-3 * 5.0 / 10.0);  // warming up
  EXPECT_DOUBLE_EQ(schedule.rate(10), 1e-3);
  EXPECT_DOUBLE_EQ(schedule.rate(60), 1e-5 + (1e-3 - 1e-5) * 0.5);  // half way
  EXPECT_DOUBLE_EQ(schedule.rate(35), 1e-5 + (1e-3 - 1e-5) * 0.5 * (1.0 + std::cos(M_PI * 0.25)));
  EXPECT_DOUBLE_EQ(schedule.rate(110), 1e-5);
  EXPECT_DOUBLE_EQ(schedule.rate(500), 1e-5);  // beyond the plan: the floor
  for (int64_t s = 10; s < 110; ++s) EXPECT_GE(schedule.rate(s), schedule.rate(s + 1)) << s;
}

TEST(LearningRateSchedule, PlateauReducesAfterPatienceValidationsWithoutImprovement) {
  auto o = options(ScheduleKind::plateau);
  o.factor = 0.5;
  o.patience = 2;
  o.min = 3e-4;
  LearningRateSchedule schedule(o);
  EXPECT_FALSE(schedule.observe(1.0));  // the first is the best so far
  EXPECT_FALSE(schedule.observe(0.9));  // improves
  EXPECT_FALSE(schedule.observe(0.95));
  EXPECT_FALSE(schedule.observe(0.91));
  EXPECT_EQ(schedule.rate(7), 1e-3);
  EXPECT_TRUE(schedule.observe(0.92));  // the third in a row without improvement
  EXPECT_DOUBLE_EQ(schedule.rate(7), 0.5e-3);
  EXPECT_FALSE(schedule.observe(0.8));  // improves: the count restarts
  for (int i = 0; i < 2; ++i) EXPECT_FALSE(schedule.observe(0.85));
  EXPECT_TRUE(schedule.observe(0.85));
  EXPECT_DOUBLE_EQ(schedule.rate(7), 3e-4);  // 2.5e-4 is below the minimum
  for (int i = 0; i < 2; ++i) EXPECT_FALSE(schedule.observe(0.85));
  EXPECT_FALSE(schedule.observe(0.85)) << "at the minimum a reduction changes nothing";
  EXPECT_DOUBLE_EQ(schedule.rate(7), 3e-4);
  // Its state carries over: a schedule built from it continues where this one is.
  const LearningRateSchedule resumed(o, schedule.state());
  EXPECT_EQ(resumed.rate(7), schedule.rate(7));
  EXPECT_EQ(resumed.state().bad, schedule.state().bad);
}

TEST(LearningRateSchedule, NamesParse) {
  EXPECT_EQ(schedule_kind_from_string("cosine"), ScheduleKind::cosine);
  EXPECT_THROW(schedule_kind_from_string("step"), std::invalid_argument);
}

}  // namespace
}  // namespace e3::train
