// Seeded determinism: the same seed gives bit-identical models, losses and weights after training
// (dropout included); a different seed gives a different run.
#include <vector>

#include "test_helpers.h"

namespace charrnn {
namespace {

using test::bit_identical;
using test::make_trainer;
using test::small_model_config;
using test::small_train_config;

std::vector<float> train_losses(Trainer& t, int steps) {
  std::vector<float> losses;
  for (int i = 0; i < steps; i++) losses.push_back(t.step().loss);
  return losses;
}

class Determinism : public ::testing::TestWithParam<CellType> {};

TEST_P(Determinism, SameSeedGivesBitIdenticalParameters) {
  const ModelConfig mc = small_model_config(GetParam(), 2, /*dropout=*/0.25f);
  Trainer a = make_trainer(mc, small_train_config(OptimizerType::RMSProp, 11));
  Trainer b = make_trainer(mc, small_train_config(OptimizerType::RMSProp, 11));
  ASSERT_TRUE(bit_identical(a.model().params, b.model().params)) << "initialisation";
  const std::vector<float> la = train_losses(a, 12), lb = train_losses(b, 12);
  EXPECT_TRUE(bit_identical(la, lb));
  EXPECT_TRUE(bit_identical(a.model().params, b.model().params));
  EXPECT_TRUE(bit_identical(a.optimizer().m, b.optimizer().m));
}

TEST_P(Determinism, DifferentSeedsGiveDifferentRuns) {
  const ModelConfig mc = small_model_config(GetParam(), 2, 0.25f);
  Trainer a = make_trainer(mc, small_train_config(OptimizerType::RMSProp, 11));
  Trainer b = make_trainer(mc, small_train_config(OptimizerType::RMSProp, 12));
  EXPECT_FALSE(bit_identical(a.model().params, b.model().params)) << "initialisation";
  train_losses(a, 5);
  train_losses(b, 5);
  EXPECT_FALSE(bit_identical(a.model().params, b.model().params));
}

// The dropout masks come from the trainer's generator, not the initialisation: two trainers that
// start from the same weights but different seeds take different steps.
TEST_P(Determinism, DropoutMasksFollowTheTrainerSeed) {
  const ModelConfig mc = small_model_config(GetParam(), 2, 0.5f);
  TrainConfig ta = small_train_config(OptimizerType::Adam, 1), tb = small_train_config(OptimizerType::Adam, 2);
  const Model start = create_model_for_text(test::small_text(), mc, ta);
  Trainer a(start, ta, test::small_text()), b(start, tb, test::small_text());
  EXPECT_NE(a.step().loss, b.step().loss);
  EXPECT_FALSE(bit_identical(a.model().params, b.model().params));
}

INSTANTIATE_TEST_SUITE_P(Cells, Determinism, ::testing::Values(CellType::RNN, CellType::LSTM, CellType::GRU),
                         [](const ::testing::TestParamInfo<CellType>& info) { return cell_name(info.param); });

}  // namespace
}  // namespace charrnn
