// Model files: save -> load -> save is byte-exact (models and checkpoints, every cell and
// optimiser), a checkpoint resumes training bit for bit, and float16 files load back within
// half precision.
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "test_helpers.h"

namespace charrnn {
namespace {

using test::bit_identical;
using test::load_bytes;
using test::make_trainer;
using test::small_model_config;
using test::small_text;
using test::small_train_config;

void train(Trainer& t, int steps) {
  for (int i = 0; i < steps; i++) ASSERT_FALSE(t.step().skipped);
}

std::string name_of(CellType cell, OptimizerType opt) {
  return std::string(cell_name(cell)) + "_" + optimizer_name(opt);
}

class ModelFile : public ::testing::TestWithParam<std::tuple<CellType, OptimizerType>> {
 protected:
  CellType cell() const { return std::get<0>(GetParam()); }
  OptimizerType optimizer() const { return std::get<1>(GetParam()); }
  // Two layers, dropout and a decaying learning rate, so every piece of trainer state matters.
  ModelConfig model_config() const { return small_model_config(cell(), 2, 0.2f); }
  TrainConfig train_config() const {
    TrainConfig t = small_train_config(optimizer(), 5);
    t.lr_decay = 0.9f;
    t.lr_decay_every = 3;
    return t;
  }
};

TEST_P(ModelFile, ModelSaveLoadSaveIsByteExact) {
  Trainer t = make_trainer(model_config(), train_config());
  train(t, 3);
  const std::string first = save_model(t.model(), nullptr, {});
  const LoadedModel loaded = load_bytes(first);
  EXPECT_FALSE(loaded.is_checkpoint);
  EXPECT_TRUE(bit_identical(loaded.model.params, t.model().params));
  EXPECT_EQ(loaded.model.vocab.symbols(), t.model().vocab.symbols());
  EXPECT_EQ(to_json(loaded.model.config), to_json(t.model().config));
  EXPECT_EQ(save_model(loaded.model, nullptr, {}), first);
}

TEST_P(ModelFile, CheckpointSaveLoadSaveIsByteExact) {
  Trainer t = make_trainer(model_config(), train_config());
  train(t, 7);  // past the first epoch (5 steps) and two learning-rate decays
  SaveOptions checkpoint;
  checkpoint.checkpoint = true;
  const std::string first = save_model(t.model(), &t, checkpoint);
  const LoadedModel loaded = load_bytes(first);
  ASSERT_TRUE(loaded.is_checkpoint);
  EXPECT_EQ(to_json(loaded.train_config), to_json(t.config()));
  Trainer resumed(loaded.model, loaded.train_config, small_text());
  restore_checkpoint(resumed, loaded);
  EXPECT_EQ(resumed.iteration(), t.iteration());
  EXPECT_EQ(resumed.epoch(), t.epoch());
  EXPECT_EQ(resumed.learning_rate(), t.learning_rate());
  EXPECT_EQ(save_model(resumed.model(), &resumed, checkpoint), first);
}

TEST_P(ModelFile, CheckpointResumesWithBitIdenticalLosses) {
  const int N = 7, M = 9;
  Trainer original = make_trainer(model_config(), train_config());
  train(original, N);
  SaveOptions checkpoint;
  checkpoint.checkpoint = true;
  const std::string file = save_model(original.model(), &original, checkpoint);
  std::vector<float> expected;
  for (int i = 0; i < M; i++) expected.push_back(original.step().loss);

  const LoadedModel loaded = load_bytes(file);
  Trainer resumed(loaded.model, loaded.train_config, small_text());
  restore_checkpoint(resumed, loaded);
  std::vector<float> got;
  for (int i = 0; i < M; i++) got.push_back(resumed.step().loss);
  EXPECT_TRUE(bit_identical(got, expected)) << "first losses " << got[0] << " vs " << expected[0];
  EXPECT_TRUE(bit_identical(resumed.model().params, original.model().params));
  EXPECT_EQ(resumed.epoch(), original.epoch());
  EXPECT_EQ(resumed.learning_rate(), original.learning_rate());
}

// Without the checkpoint's state (a fresh trainer on the saved weights) the losses differ:
// the resume test above would notice a checkpoint that forgot something.
TEST_P(ModelFile, WeightsAloneDoNotResumeExactly) {
  Trainer original = make_trainer(model_config(), train_config());
  train(original, 7);
  const LoadedModel loaded = load_bytes(save_model(original.model(), nullptr, {}));
  Trainer fresh(loaded.model, original.config(), small_text());
  EXPECT_NE(fresh.step().loss, original.step().loss);
}

INSTANTIATE_TEST_SUITE_P(
    CellsAndOptimizers, ModelFile,
    ::testing::Combine(::testing::Values(CellType::RNN, CellType::LSTM, CellType::GRU),
                       ::testing::Values(OptimizerType::RMSProp, OptimizerType::Adam, OptimizerType::Adagrad)),
    [](const auto& info) { return name_of(std::get<0>(info.param), std::get<1>(info.param)); });

TEST(ModelFileF16, LoadsBackWithinHalfPrecision) {
  for (CellType cell : {CellType::RNN, CellType::LSTM, CellType::GRU}) {
    SCOPED_TRACE(cell_name(cell));
    Trainer t = make_trainer(small_model_config(cell, 2), small_train_config());
    train(t, 3);
    SaveOptions half;
    half.f16 = true;
    const std::string f16 = save_model(t.model(), nullptr, half);
    const std::string f32 = save_model(t.model(), nullptr, {});
    EXPECT_LT(f16.size(), f32.size() * 0.6);
    const LoadedModel loaded = load_bytes(f16);
    const std::vector<float>& want = t.model().params;
    ASSERT_EQ(loaded.model.params.size(), want.size());
    for (size_t i = 0; i < want.size(); i++) {
      // Round to nearest with 11 significant bits: relative error <= 2^-11; subnormals 2^-25.
      const float tol = std::max(std::abs(want[i]) * 0x1p-11f, 0x1p-25f);
      ASSERT_NEAR(loaded.model.params[i], want[i], tol) << "parameter " << i;
    }
    EXPECT_FALSE(bit_identical(loaded.model.params, want)) << "the weights were not rounded at all";
    // Saving the loaded model as float16 again changes nothing: the values are already halves.
    EXPECT_EQ(save_model(loaded.model, nullptr, half), f16);
  }
}

TEST(ModelFileF16, CheckpointsRefuseFloat16) {
  Trainer t = make_trainer(small_model_config(CellType::LSTM), small_train_config());
  SaveOptions options;
  options.checkpoint = true;
  options.f16 = true;
  EXPECT_THAT(test::error_message([&] { save_model(t.model(), &t, options); }), test::HasSubstr("float32"));
}

TEST(ModelFileCheckpoint, ACheckpointNeedsATrainer) {
  Trainer t = make_trainer(small_model_config(CellType::LSTM), small_train_config());
  SaveOptions options;
  options.checkpoint = true;
  EXPECT_THAT(test::error_message([&] { save_model(t.model(), nullptr, options); }),
              test::HasSubstr("training session"));
}

TEST(ModelFileCheckpoint, RestoringAPlainModelIsRefused) {
  Trainer t = make_trainer(small_model_config(CellType::GRU), small_train_config());
  const LoadedModel plain = load_bytes(save_model(t.model(), nullptr, {}));
  EXPECT_THAT(test::error_message([&] { restore_checkpoint(t, plain); }), test::HasSubstr("not a checkpoint"));
}

// A checkpoint that does not fit the trainer is refused before the trainer changes at all.
TEST(ModelFileCheckpoint, MismatchedTrainerIsRefusedAndLeftUnchanged) {
  Trainer source = make_trainer(small_model_config(CellType::LSTM), small_train_config());
  train(source, 4);
  SaveOptions options;
  options.checkpoint = true;
  const LoadedModel loaded = load_bytes(save_model(source.model(), &source, options));

  TrainConfig other_batch = small_train_config();
  other_batch.batch_size = 2;
  Trainer t(loaded.model, other_batch, small_text());
  train(t, 2);
  const std::vector<float> moments = t.optimizer().m;
  EXPECT_THAT(test::error_message([&] { restore_checkpoint(t, loaded); }), test::HasSubstr("batch size"));
  EXPECT_EQ(t.iteration(), 2);
  EXPECT_TRUE(bit_identical(t.optimizer().m, moments));

  // Same shapes of state, but a different vocabulary: the optimiser moments would not fit.
  const std::string other_text = small_text() + "QZ";
  Trainer wider = make_trainer(small_model_config(CellType::LSTM), small_train_config(), other_text);
  EXPECT_THAT(test::error_message([&] { restore_checkpoint(wider, loaded); }), test::HasSubstr("does not match"));
  EXPECT_EQ(wider.iteration(), 0);

  TrainConfig other_optimizer = small_train_config(OptimizerType::RMSProp);
  Trainer rmsprop(loaded.model, other_optimizer, small_text());
  EXPECT_THAT(test::error_message([&] { restore_checkpoint(rmsprop, loaded); }),
              test::HasSubstr("trained with adam but the training settings say rmsprop"));
  EXPECT_EQ(rmsprop.iteration(), 0);
}

}  // namespace
}  // namespace charrnn
