// Trained weights survive a blow-up: the rollback point is only replaced by weights whose
// validation loss is healthy, so however many blow-ups follow (at 100, then 10, then 1), rolling
// back returns to the weights from before the first one.
#include <cmath>

#include "test_helpers.h"

namespace charrnn {
namespace {

class Rollback : public ::testing::TestWithParam<CellType> {};

TEST_P(Rollback, RepeatedBlowUpsKeepTheGoodModel) {
  TrainConfig tc = test::small_train_config();
  tc.learning_rate = 3e-3f;
  tc.val_fraction = 0.2f;
  Trainer t = test::make_trainer(test::small_model_config(GetParam(), 2), tc);
  t.train(60);
  const double good = t.evaluate();
  ASSERT_TRUE(t.mark_good(good));
  const int64_t good_iteration = t.iteration();
  for (float lr : {100.0f, 10.0f, 1.0f}) {
    t.set_learning_rate(lr);
    bool blew_up = false;
    // As the page's worker does: train in chunks, validate between them (the rollback point only
    // takes healthy weights), and roll back when a chunk blows up.
    for (int chunk = 0; chunk < 20 && !blew_up; chunk++) {
      const TrainSummary s = t.train(5);
      if (s.diverged) {
        const Trainer::RolledBack back = t.roll_back();
        EXPECT_EQ(back.iteration, good_iteration) << "at " << lr;
        EXPECT_EQ(back.val_loss, good);
        EXPECT_FLOAT_EQ(back.learning_rate, 3e-3f);
        EXPECT_LE(back.suggested_learning_rate, 3e-3f) << "a rate that can work, not a tenth of " << lr;
        EXPECT_LT(back.suggested_learning_rate, lr);
        blew_up = true;
      } else {
        t.mark_good(t.evaluate());
      }
    }
    EXPECT_TRUE(blew_up) << "learning rate " << lr;
    EXPECT_EQ(t.iteration(), good_iteration);
  }
  const double after = t.evaluate();
  EXPECT_NEAR(after, good, 0.03 * good);
  // And training goes on from there.
  t.set_learning_rate(3e-3f);
  const TrainSummary s = t.train(20);
  EXPECT_FALSE(s.diverged);
  EXPECT_EQ(s.applied, 20);
}

TEST_P(Rollback, RuinedWeightsAreNotMarkedGood) {
  Trainer t = test::make_trainer(test::small_model_config(GetParam()), test::small_train_config());
  t.train(20);
  const double good = t.evaluate();
  ASSERT_TRUE(t.mark_good(good));
  EXPECT_FALSE(t.mark_good(good * 1.5 + 1.0));
  EXPECT_FALSE(t.mark_good(std::nan("")));
  EXPECT_TRUE(t.mark_good(good * 1.1)) << "a little worse is still healthy";
}

TEST_P(Rollback, RollingBackRestoresEverythingExactly) {
  Trainer t = test::make_trainer(test::small_model_config(GetParam()), test::small_train_config());
  t.train(10);
  const std::vector<float> params = t.model().params, m = t.optimizer().m;
  const std::vector<float> h0 = t.carried_state().h[0];
  const int64_t iteration = t.iteration();
  const float lr = t.learning_rate();
  ASSERT_TRUE(t.mark_good(t.evaluate()));
  const StepResult next = t.step();  // what comes after the rollback point
  t.train(5);
  t.roll_back();
  EXPECT_TRUE(test::bit_identical(t.model().params, params));
  EXPECT_TRUE(test::bit_identical(t.optimizer().m, m));
  EXPECT_TRUE(test::bit_identical(t.carried_state().h[0], h0));
  EXPECT_EQ(t.iteration(), iteration);
  EXPECT_EQ(t.learning_rate(), lr);
  EXPECT_EQ(t.step().loss, next.loss) << "the data position and the dropout state came back too";
}

TEST_P(Rollback, BeforeAnyValidationTheStartingWeightsAreThePoint) {
  Trainer t = test::make_trainer(test::small_model_config(GetParam()), test::small_train_config());
  const std::vector<float> start = t.model().params;
  t.set_learning_rate(1000.0f);
  t.train(10);
  const Trainer::RolledBack back = t.roll_back();
  EXPECT_EQ(back.iteration, 0);
  EXPECT_TRUE(std::isnan(back.val_loss));
  EXPECT_TRUE(test::bit_identical(t.model().params, start));
}

INSTANTIATE_TEST_SUITE_P(Cells, Rollback, ::testing::Values(CellType::RNN, CellType::LSTM, CellType::GRU),
                         [](const ::testing::TestParamInfo<CellType>& info) { return cell_name(info.param); });

}  // namespace
}  // namespace charrnn
