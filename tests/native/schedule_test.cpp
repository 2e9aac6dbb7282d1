// The learning rate follows a time budget (schedule.h): for each budget the page offers, half a
// cosine from the peak down to the floor exactly as the budget ends; a change of budget goes
// on from the same clock with the same model; until stopped, the rate halves on a validation
// plateau and never falls below its floor, over a long run on a simulated clock; a checkpoint
// carries the schedule so a resumed run goes on along it.
#include <cmath>

#include "test_helpers.h"
#include "training/schedule.h"

namespace charrnn {
namespace {

using S = LearningRateSchedule;

class BudgetShape : public ::testing::TestWithParam<double> {};

TEST_P(BudgetShape, FallsFromThePeakToTheFloorAsTheBudgetEnds) {
  const double B = GetParam();
  S s;
  s.set_budget(B);
  EXPECT_DOUBLE_EQ(s.factor(0.0), 1.0) << "the peak at the start";
  double previous = s.factor(0.0);
  for (int i = 1; i <= 1000; i++) {
    const double t = B * i / 1000.0;
    const double f = s.factor(t);
    EXPECT_LE(f, previous) << "never rises (t " << t << ")";
    EXPECT_GE(f, S::kBudgetFloor);
    previous = f;
  }
  EXPECT_NEAR(s.factor(B / 2), (1.0 + S::kBudgetFloor) / 2, 1e-9) << "half-way: half-way down";
  EXPECT_DOUBLE_EQ(s.factor(B), S::kBudgetFloor) << "the floor as the budget ends";
  EXPECT_DOUBLE_EQ(s.factor(10 * B), S::kBudgetFloor) << "and after it";
  EXPECT_GT(s.factor(0.9 * B), S::kBudgetFloor) << "not before";
}

// The page's budgets: 3 minutes, 10 minutes, an hour; and a short one.
INSTANTIATE_TEST_SUITE_P(PageBudgets, BudgetShape, ::testing::Values(180.0, 600.0, 3600.0, 30.0));

TEST(Schedule, WithoutABudgetTheFixedDecayApplies) {
  TrainConfig tc = test::small_train_config();
  tc.lr_decay = 0.5f;
  tc.lr_decay_every = 2;
  Trainer t = test::make_trainer(test::small_model_config(CellType::GRU), tc);
  t.train(4);
  EXPECT_FLOAT_EQ(t.learning_rate(), tc.learning_rate * 0.25f);
}

TEST(Schedule, ATrainerFollowsItsBudgetAndGoesOnAfterAChangeOfBudget) {
  TrainConfig tc = test::small_train_config();
  tc.lr_decay = 0.5f;  // ignored under a budget
  tc.lr_decay_every = 1;
  Trainer t = test::make_trainer(test::small_model_config(CellType::GRU), tc);
  const float peak = tc.learning_rate;
  t.set_budget(180);
  EXPECT_FLOAT_EQ(t.learning_rate(), peak);
  for (int i = 0; i < 20; i++) {
    t.set_clock(6.0 * i);  // a simulated clock: 6 s a step
    const StepResult r = t.step();
    ASSERT_FALSE(r.skipped);
    EXPECT_NEAR(t.learning_rate(), peak * t.schedule().factor(t.clock()), 1e-9);
  }
  const std::vector<float> weights = t.model().params;
  const int64_t iteration = t.iteration();
  t.set_clock(120);
  const float at_3_minutes = t.learning_rate();
  t.set_budget(3600);  // the visitor chose an hour at minute 2
  EXPECT_EQ(t.iteration(), iteration) << "the same model goes on";
  EXPECT_TRUE(test::bit_identical(t.model().params, weights));
  EXPECT_DOUBLE_EQ(t.clock(), 120.0) << "from the same clock";
  EXPECT_NEAR(t.learning_rate(), peak * S(S::State{3600}).factor(120), 1e-9) << "along the hour's curve";
  EXPECT_GT(t.learning_rate(), at_3_minutes) << "an hour's curve is higher at minute 2 than 3 minutes'";
  t.step();
  EXPECT_EQ(t.iteration(), iteration + 1);
  // The visitor sets a rate: the curve scales so that the rate is that now.
  t.set_learning_rate(1e-3f);
  EXPECT_FLOAT_EQ(t.learning_rate(), 1e-3f);
  t.set_clock(3600);
  EXPECT_NEAR(t.learning_rate(), 1e-3 * S::kBudgetFloor / S(S::State{3600}).factor(120), 1e-9);
}

TEST(Schedule, BadBudgetsAreRefusedAndChangeNothing) {
  Trainer t = test::make_trainer(test::small_model_config(CellType::GRU), test::small_train_config());
  for (double b : {-1.0, std::nan("")})
    EXPECT_THAT(test::error_message([&] { t.set_budget(b); }), test::HasSubstr("time budget"));
  EXPECT_FALSE(t.schedule().active());
  EXPECT_THAT(test::error_message([&] { t.set_clock(-5); }), test::HasSubstr("clock"));
}

TEST(Schedule, UntilStoppedHalvesOnAPlateauAndNeverFallsBelowItsFloor) {
  S s;
  s.set_budget(S::kUntilStopped);
  EXPECT_DOUBLE_EQ(s.factor(0), 1.0);
  // Ten simulated hours, a validation every 6 s: the loss improves for an hour, then stays flat.
  double lowest = 1.0;
  int lowered = 0;
  for (double t = 0; t < 10 * 3600; t += 6) {
    const double val = t < 3600 ? 2.0 - t / 3600 : 1.0 + 0.001 * std::sin(t);
    const double before = s.factor(t);
    if (s.observe_validation(t, val)) lowered++;
    if (t < 3600) EXPECT_DOUBLE_EQ(s.factor(t), 1.0) << "improving: the peak";
    EXPECT_LE(s.factor(t), std::max(before, 1.0));
    lowest = std::min(lowest, s.factor(t));
  }
  EXPECT_GE(lowered, 2) << "plateaus lower the rate";
  EXPECT_DOUBLE_EQ(lowest, S::kPlateauFloor) << "down to the floor";
  EXPECT_GE(s.factor(10 * 3600), S::kPlateauFloor) << "and never below it";
  // A plateau is measured in time, not in validations: many at one moment lower nothing.
  S quick;
  quick.set_budget(S::kUntilStopped);
  quick.observe_validation(100, 1.5);
  for (int i = 0; i < 1000; i++) EXPECT_FALSE(quick.observe_validation(100 + 0.01 * i, 1.5));
}

TEST(Schedule, ACheckpointCarriesTheSchedule) {
  TrainConfig tc = test::small_train_config();
  tc.val_fraction = 0.2f;
  Trainer t = test::make_trainer(test::small_model_config(CellType::LSTM), tc);
  t.set_budget(S::kUntilStopped);
  t.set_clock(300);
  t.observe_validation(2.5);
  t.set_clock(500);
  t.observe_validation(2.6);  // a plateau of 200 s: halved
  ASSERT_DOUBLE_EQ(t.schedule().state().plateau_scale, 0.5);
  t.step();
  const std::string file = save_model(t.model(), &t, {/*checkpoint=*/true, /*f16=*/false});
  const LoadedModel loaded = test::load_bytes(file);
  Trainer resumed(loaded.model, loaded.train_config, test::small_text());
  restore_checkpoint(resumed, loaded);
  EXPECT_TRUE(resumed.schedule().until_stopped());
  EXPECT_DOUBLE_EQ(resumed.schedule().state().plateau_scale, 0.5);
  EXPECT_DOUBLE_EQ(resumed.clock(), t.clock());
  EXPECT_FLOAT_EQ(resumed.learning_rate(), t.learning_rate());
  resumed.set_clock(1000);
  t.set_clock(1000);
  EXPECT_EQ(resumed.step().loss, t.step().loss) << "a resumed run goes on bit for bit";
  EXPECT_TRUE(test::bit_identical(resumed.model().params, t.model().params));
  // Without a budget, nothing of it is written.
  Trainer plain = test::make_trainer(test::small_model_config(CellType::LSTM), tc);
  plain.step();
  EXPECT_EQ(save_model(plain.model(), &plain, {true, false}).find("schedule"), std::string::npos);
}

}  // namespace
}  // namespace charrnn
