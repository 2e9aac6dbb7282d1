// A step whose loss or gradient is not finite is skipped: StepResult.skipped is set and the
// weights, optimiser state and carried hidden state are bit-identical to before it.
#include <cmath>
#include <limits>
#include <vector>

#include "test_helpers.h"

namespace charrnn {
namespace {

using test::bit_identical;

struct Snapshot {
  std::vector<float> params, m, v, h0;
  int64_t optimizer_steps;

  explicit Snapshot(const Trainer& t)
      : params(t.model().params),
        m(t.optimizer().m),
        v(t.optimizer().v),
        h0(t.carried_state().h[0]),
        optimizer_steps(t.optimizer().steps) {}

  void expect_same_as(const Trainer& t) const {
    EXPECT_TRUE(bit_identical(t.model().params, params)) << "weights changed";
    EXPECT_TRUE(bit_identical(t.optimizer().m, m)) << "first optimiser moment changed";
    EXPECT_TRUE(bit_identical(t.optimizer().v, v)) << "second optimiser moment changed";
    EXPECT_TRUE(bit_identical(t.carried_state().h[0], h0)) << "carried state changed";
    EXPECT_EQ(t.optimizer().steps, optimizer_steps);
  }
};

class SkippedStep : public ::testing::TestWithParam<CellType> {
 protected:
  Trainer trainer_ = test::make_trainer(test::small_model_config(GetParam(), 2), test::small_train_config());

  float& weight(const char* tensor, size_t index) { return test::live_weight(trainer_, tensor, index); }
};

TEST_P(SkippedStep, NaNWeightSkipsAndChangesNothing) {
  trainer_.step();
  trainer_.step();  // a non-zero carried state and optimiser state
  weight("layer0.wh", 3) = std::numeric_limits<float>::quiet_NaN();
  const Snapshot before(trainer_);
  const StepResult r = trainer_.step();
  EXPECT_TRUE(r.skipped);
  EXPECT_TRUE(std::isnan(r.loss));
  before.expect_same_as(trainer_);
  EXPECT_EQ(trainer_.iteration(), 3) << "the data position still moves on";

  // Repair the weight and training carries on.
  weight("layer0.wh", 3) = 0.0f;
  const StepResult next = trainer_.step();
  EXPECT_FALSE(next.skipped);
  EXPECT_TRUE(std::isfinite(next.loss));
}

TEST_P(SkippedStep, InfiniteWeightSkips) {
  weight("output.b", 0) = std::numeric_limits<float>::infinity();
  const Snapshot before(trainer_);
  EXPECT_TRUE(trainer_.step().skipped);
  before.expect_same_as(trainer_);
}

TEST_P(SkippedStep, SkippedStepStillCountsTowardTheDecay) {
  TrainConfig tc = test::small_train_config();
  tc.lr_decay = 0.5f;
  tc.lr_decay_every = 3;
  Trainer t = test::make_trainer(test::small_model_config(GetParam(), 2), tc);
  const float lr = t.learning_rate();
  t.step();
  t.step();
  EXPECT_EQ(t.learning_rate(), lr);
  test::live_weight(t, "output.b", 0) = std::numeric_limits<float>::quiet_NaN();
  ASSERT_TRUE(t.step().skipped);  // iteration 3
  EXPECT_EQ(t.learning_rate(), lr * 0.5f) << "the schedule follows the iteration count";
}

// A finite loss with a non-finite gradient. An infinite embedding entry saturates every gate of
// the rows where its character is the input (sigmoid/tanh of +-inf are exact 0, 1, +-1), so the
// forward pass and the loss stay finite; but those rows' gate derivatives are exactly 0, and the
// weight gradient x^T @ dpre then holds inf * 0 = NaN.
TEST_P(SkippedStep, FiniteLossWithNonFiniteGradientSkips) {
  trainer_.step();
  const int space = trainer_.model().vocab.id(U' ');
  weight("embedding", static_cast<size_t>(space * trainer_.model().config.embed_size)) =
      std::numeric_limits<float>::infinity();
  const Snapshot before(trainer_);
  const StepResult r = trainer_.step();
  EXPECT_TRUE(r.skipped);
  EXPECT_TRUE(std::isfinite(r.loss)) << "this test wants the gradient path, not the loss path";
  EXPECT_FALSE(std::isfinite(r.grad_norm));
  before.expect_same_as(trainer_);
}

// A runaway learning rate: steps are taken until one is skipped (or a bound passes), and the
// weights after a skipped step are those from before it.
TEST_P(SkippedStep, HugeLearningRateIsSafe) {
  trainer_.set_learning_rate(1e4f);
  for (int i = 0; i < 200; i++) {
    const Snapshot before(trainer_);
    const StepResult r = trainer_.step();
    if (r.skipped) {
      before.expect_same_as(trainer_);
      return;
    }
    for (float p : trainer_.model().params) ASSERT_TRUE(std::isfinite(p)) << "a step that was not skipped left NaN/inf";
  }
}

INSTANTIATE_TEST_SUITE_P(Cells, SkippedStep, ::testing::Values(CellType::RNN, CellType::LSTM, CellType::GRU),
                         [](const ::testing::TestParamInfo<CellType>& info) { return cell_name(info.param); });

}  // namespace
}  // namespace charrnn
