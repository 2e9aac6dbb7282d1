// Optimisers and the update rules around them: every optimiser learns; the first step of each has
// the size its formula says; clipping by global norm and by element, L2 and learning-rate decay do
// what their settings say.
//
// To see the gradient a step applied, Adam runs with beta1 = 0: its first moment after one step is
// then exactly that gradient (m = 0 * m + 1 * g).
#include <algorithm>
#include <cmath>
#include <vector>

#include "test_helpers.h"

namespace charrnn {
namespace {

using test::make_trainer;
using test::small_model_config;
using test::small_train_config;

double norm(const std::vector<float>& v) {
  double s = 0;
  for (float x : v) s += static_cast<double>(x) * x;
  return std::sqrt(s);
}

TrainConfig revealing_config() {
  TrainConfig t = small_train_config(OptimizerType::Adam);
  t.adam_beta1 = 0.0f;
  t.grad_clip = 0.0f;
  return t;
}

struct FirstStep {
  std::vector<float> applied_gradient;
  std::vector<float> params_before;
  StepResult result;
};

FirstStep first_step(const TrainConfig& config) {
  Trainer t = make_trainer(small_model_config(CellType::LSTM, 2), config);
  FirstStep s;
  s.params_before = t.model().params;
  s.result = t.step();
  s.applied_gradient = t.optimizer().m;
  return s;
}

class EveryOptimizer : public ::testing::TestWithParam<OptimizerType> {};

TEST_P(EveryOptimizer, ReducesTheLossOverAHundredSteps) {
  TrainConfig tc = small_train_config(GetParam());
  tc.learning_rate = GetParam() == OptimizerType::Adagrad ? 0.1f : 1e-2f;
  Trainer t = make_trainer(small_model_config(CellType::LSTM), tc);
  ASSERT_EQ(t.steps_per_epoch(), 5);
  // Compare whole epochs: the first and the last see the same five batches.
  double first = 0, last = 0;
  for (int i = 0; i < 100; i++) {
    const StepResult r = t.step();
    ASSERT_FALSE(r.skipped);
    if (i < 5) first += r.loss;
    if (i >= 95) last += r.loss;
  }
  EXPECT_LT(last, 0.7 * first) << "first epoch " << first / 5 << " nats/char, last " << last / 5;
}

// The first update of each optimiser, element by element, from the formula and the moments it
// stored (which hold g^2 or g): RMSProp lr*g/(sqrt(m)+eps), Adam with bias correction, Adagrad
// lr*g/sqrt(m+eps). For |g| >> eps each is lr * sign(g) (RMSProp: lr/sqrt(1-decay)), so most
// elements move by exactly that much.
TEST_P(EveryOptimizer, FirstStepFollowsItsFormula) {
  TrainConfig tc = small_train_config(GetParam());
  tc.learning_rate = 1e-3f;
  tc.grad_clip = 0.0f;
  Trainer t = make_trainer(small_model_config(CellType::GRU), tc);
  const std::vector<float> before = t.model().params;
  t.step();
  const OptimizerState& s = t.optimizer();
  const double lr = tc.learning_rate, eps = 1e-8;
  const double full = GetParam() == OptimizerType::RMSProp ? lr / std::sqrt(1.0 - tc.rmsprop_decay) : lr;
  int full_size = 0;
  for (size_t i = 0; i < before.size(); i++) {
    const double m = s.m[i];
    double expected = 0;
    switch (GetParam()) {
      case OptimizerType::RMSProp: expected = lr * std::sqrt(m / (1.0 - tc.rmsprop_decay)) / (std::sqrt(m) + eps); break;
      case OptimizerType::Adam:
        expected = lr * std::sqrt(1.0 - tc.adam_beta2) / (1.0 - tc.adam_beta1) * std::abs(m) / (std::sqrt(s.v[i]) + eps);
        break;
      case OptimizerType::Adagrad: expected = lr * std::sqrt(m) / std::sqrt(m + eps); break;
    }
    const double step = std::abs(static_cast<double>(t.model().params[i]) - before[i]);
    ASSERT_NEAR(step, expected, expected * 2e-3 + 1e-9) << "parameter " << i;
    full_size += std::abs(step - full) < full * 0.01;
  }
  EXPECT_GT(full_size, static_cast<int>(before.size() / 3)) << "of " << before.size();
}

INSTANTIATE_TEST_SUITE_P(Optimizers, EveryOptimizer,
                         ::testing::Values(OptimizerType::RMSProp, OptimizerType::Adam, OptimizerType::Adagrad),
                         [](const ::testing::TestParamInfo<OptimizerType>& info) {
                           return optimizer_name(info.param);
                         });

TEST(GradientClipping, GlobalNormScalesTheWholeGradientToTheLimit) {
  const FirstStep raw = first_step(revealing_config());
  const double raw_norm = norm(raw.applied_gradient);
  EXPECT_NEAR(raw.result.grad_norm, raw_norm, raw_norm * 1e-5) << "StepResult reports the norm before clipping";

  TrainConfig clipped_config = revealing_config();
  clipped_config.grad_clip = static_cast<float>(raw_norm / 4);
  const FirstStep clipped = first_step(clipped_config);
  EXPECT_EQ(clipped.result.grad_norm, raw.result.grad_norm);
  EXPECT_NEAR(norm(clipped.applied_gradient), clipped_config.grad_clip, clipped_config.grad_clip * 1e-5);
  for (size_t i = 0; i < raw.applied_gradient.size(); i++)
    ASSERT_NEAR(clipped.applied_gradient[i], raw.applied_gradient[i] / 4, std::abs(raw.applied_gradient[i]) * 1e-5);
}

TEST(GradientClipping, GlobalNormAboveTheGradientChangesNothing) {
  const FirstStep raw = first_step(revealing_config());
  TrainConfig loose = revealing_config();
  loose.grad_clip = raw.result.grad_norm * 2;
  EXPECT_TRUE(test::bit_identical(first_step(loose).applied_gradient, raw.applied_gradient));
}

TEST(GradientClipping, ElementwiseClampsEachElement) {
  const FirstStep raw = first_step(revealing_config());
  std::vector<float> magnitudes;
  for (float g : raw.applied_gradient) magnitudes.push_back(std::abs(g));
  std::nth_element(magnitudes.begin(), magnitudes.begin() + magnitudes.size() / 2, magnitudes.end());
  TrainConfig config = revealing_config();
  config.grad_clip_value = magnitudes[magnitudes.size() / 2];  // the median: half the elements get clipped
  const FirstStep clipped = first_step(config);
  const float v = config.grad_clip_value;
  int changed = 0;
  for (size_t i = 0; i < raw.applied_gradient.size(); i++) {
    const float g = raw.applied_gradient[i];
    ASSERT_EQ(clipped.applied_gradient[i], std::min(v, std::max(-v, g))) << "element " << i;
    changed += clipped.applied_gradient[i] != g;
  }
  EXPECT_GT(changed, static_cast<int>(raw.applied_gradient.size() / 4));
}

TEST(L2, AddsDecayTimesWeightToWeightsButNotToBiases) {
  const FirstStep raw = first_step(revealing_config());
  TrainConfig config = revealing_config();
  config.l2 = 0.05f;
  const FirstStep decayed = first_step(config);
  const Model model = create_model_for_text(test::small_text(), small_model_config(CellType::LSTM, 2), config);
  for (const TensorSlot& t : model.layout.tensors) {
    for (size_t i = t.offset; i < t.offset + t.size; i++) {
      const float g = raw.applied_gradient[i], p = raw.params_before[i];
      if (t.is_bias) ASSERT_EQ(decayed.applied_gradient[i], g) << t.name;
      else ASSERT_NEAR(decayed.applied_gradient[i], g + config.l2 * p, 1e-6f + std::abs(g) * 1e-5f) << t.name;
    }
  }
}

TEST(LearningRateDecay, MultipliesByDecayEveryInterval) {
  TrainConfig config = small_train_config(OptimizerType::RMSProp);
  config.learning_rate = 0.01f;
  config.lr_decay = 0.9f;
  config.lr_decay_every = 4;
  Trainer t = make_trainer(small_model_config(CellType::RNN), config);
  for (int k = 1; k <= 5; k++) {
    for (int i = 0; i < 3; i++) t.step();
    EXPECT_FLOAT_EQ(t.learning_rate(), 0.01f * std::pow(0.9f, static_cast<float>(k - 1))) << "before decay " << k;
    t.step();
    EXPECT_FLOAT_EQ(t.learning_rate(), 0.01f * std::pow(0.9f, static_cast<float>(k))) << "after decay " << k;
  }
}

TEST(LearningRateDecay, ZeroIntervalNeverDecays) {
  TrainConfig config = small_train_config(OptimizerType::RMSProp);
  config.lr_decay = 0.5f;
  config.lr_decay_every = 0;
  Trainer t = make_trainer(small_model_config(CellType::RNN), config);
  for (int i = 0; i < 12; i++) t.step();
  EXPECT_EQ(t.learning_rate(), config.learning_rate);
}

TEST(LearningRate, ZeroLeavesTheWeightsAlone) {
  Trainer t = make_trainer(small_model_config(CellType::LSTM), small_train_config(OptimizerType::Adam));
  t.set_learning_rate(0.0f);
  const std::vector<float> before = t.model().params;
  for (int i = 0; i < 3; i++) t.step();
  EXPECT_TRUE(test::bit_identical(t.model().params, before));
  EXPECT_THAT(test::error_message([&] { t.set_learning_rate(-1.0f); }), test::HasSubstr("between 0 and 10000"));
  EXPECT_THAT(test::error_message([&] { t.set_learning_rate(NAN); }), test::HasSubstr("between 0 and 10000"));
  EXPECT_EQ(t.learning_rate(), 0.0f);
}

}  // namespace
}  // namespace charrnn
