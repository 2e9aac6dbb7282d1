// Progress that travels with the weights: a model file records its iteration (and validation
// loss), files from before load as iteration 0, bad values are refused; the best weights are kept
// beside the latest, put back, saved and taken from a file; dropout changes while training.
#include <cmath>
#include <string>

#include "training/best_weights.h"
#include "test_helpers.h"

namespace charrnn {
namespace {

using test::bit_identical;
using test::error_message;
using test::HasSubstr;
using test::join_file;
using test::load_bytes;
using test::make_trainer;
using test::small_model_config;
using test::small_text;
using test::small_train_config;
using test::split_file;

void train(Trainer& t, int steps) {
  for (int i = 0; i < steps; i++) ASSERT_FALSE(t.step().skipped);
}

TEST(ModelProgress, AModelFileRecordsItsIterationAndALoadedTrainerGoesOnFromIt) {
  Trainer t = make_trainer(small_model_config(CellType::GRU), small_train_config());
  train(t, 5);
  const std::string file = save_model(t.model(), &t, {});
  EXPECT_EQ(split_file(file).header["__metadata__"]["iteration"], "5");
  const LoadedModel loaded = load_bytes(file);
  EXPECT_FALSE(loaded.is_checkpoint);
  EXPECT_EQ(loaded.iteration, 5);
  EXPECT_TRUE(std::isnan(loaded.val_loss));

  Trainer again(loaded.model, small_train_config(), small_text());
  again.start_at_iteration(loaded.iteration);
  train(again, 2);
  EXPECT_EQ(again.iteration(), 7);
  EXPECT_EQ(split_file(save_model(again.model(), &again, {})).header["__metadata__"]["iteration"], "7");
}

TEST(ModelProgress, FilesWithoutAnIterationLoadAsIterationZero) {
  Trainer t = make_trainer(small_model_config(CellType::LSTM), small_train_config());
  train(t, 3);
  test::FileParts parts = split_file(save_model(t.model(), &t, {}));
  parts.header["__metadata__"].erase("iteration");
  EXPECT_EQ(load_bytes(join_file(parts)).iteration, 0);
}

TEST(ModelProgress, ACheckpointsIterationIsItsTrainerState) {
  Trainer t = make_trainer(small_model_config(CellType::RNN), small_train_config());
  train(t, 4);
  SaveOptions checkpoint;
  checkpoint.checkpoint = true;
  EXPECT_EQ(load_bytes(save_model(t.model(), &t, checkpoint)).iteration, 4);
}

TEST(ModelProgress, BadIterationsAndLossesAreRefusedWithAMessage) {
  Trainer t = make_trainer(small_model_config(CellType::GRU), small_train_config());
  const std::string file = save_model(t.model(), &t, {});
  for (const char* bad : {"-1", "2.5", "\"7\"", "1e400", "9007199254740993", "x"}) {
    test::FileParts parts = split_file(file);
    parts.header["__metadata__"]["iteration"] = bad;
    EXPECT_THAT(error_message([&] { load_bytes(join_file(parts)); }), HasSubstr("its iteration is")) << bad;
  }
  for (const char* bad : {"-0.5", "NaN", "null", "\"1.2\""}) {
    test::FileParts parts = split_file(file);
    parts.header["__metadata__"]["val_loss"] = bad;
    EXPECT_THAT(error_message([&] { load_bytes(join_file(parts)); }), HasSubstr("its validation loss is")) << bad;
  }
}

TEST(ModelProgress, StartAtIterationOnlyBeforeTraining) {
  Trainer t = make_trainer(small_model_config(CellType::GRU), small_train_config());
  train(t, 1);
  EXPECT_THAT(error_message([&] { t.start_at_iteration(10); }), HasSubstr("before training starts"));
}

TEST(BestWeights, KeepsTheLowestLossOnlyAndPutsItBack) {
  Trainer t = make_trainer(small_model_config(CellType::LSTM, 2), small_train_config());
  BestWeights best;
  EXPECT_TRUE(best.empty());
  EXPECT_FALSE(best.offer(t, std::nan("")));
  EXPECT_TRUE(best.empty());
  train(t, 3);
  EXPECT_TRUE(best.offer(t, 2.0));
  const std::vector<float> kept = t.model().params;
  train(t, 3);
  EXPECT_FALSE(best.offer(t, 2.5));  // worse: the earlier weights stay
  EXPECT_FALSE(best.offer(t, 2.0));  // equal is not better
  EXPECT_EQ(best.iteration, 3);
  EXPECT_EQ(best.val_loss, 2.0);
  EXPECT_TRUE(bit_identical(best.params, kept));
  EXPECT_FALSE(bit_identical(t.model().params, kept));

  best.restore_into(t);
  EXPECT_TRUE(bit_identical(t.model().params, kept));
  EXPECT_EQ(t.iteration(), 6);  // the count goes on: the time spent is not undone
  train(t, 1);  // and training goes on from them

  train(t, 2);
  EXPECT_TRUE(best.offer(t, 1.5));
  EXPECT_EQ(best.iteration, 9);
}

TEST(BestWeights, EmptyBestSaysWhatToDo) {
  Trainer t = make_trainer(small_model_config(CellType::GRU), small_train_config());
  BestWeights best;
  EXPECT_THAT(error_message([&] { best.restore_into(t); }), HasSubstr("at the first validation"));
  EXPECT_THAT(error_message([&] { best.save(t, false); }), HasSubstr("at the first validation"));
}

TEST(BestWeights, SavedBestLoadsWithItsIterationAndLossAndIsAdoptedBack) {
  Trainer t = make_trainer(small_model_config(CellType::GRU, 2, 0.1f), small_train_config());
  train(t, 4);
  BestWeights best;
  ASSERT_TRUE(best.offer(t, 1.75));
  train(t, 3);
  const LoadedModel loaded = load_bytes(best.save(t, false));
  EXPECT_EQ(loaded.iteration, 4);
  EXPECT_EQ(loaded.val_loss, 1.75);
  EXPECT_TRUE(bit_identical(loaded.model.params, best.params));

  // The float16 copy is about half the size and within half precision of the weights.
  const std::string f16 = best.save(t, true);
  const LoadedModel half = load_bytes(f16);
  EXPECT_LT(f16.size(), best.save(t, false).size() * 6 / 10);
  for (size_t i = 0; i < best.params.size(); i++)
    EXPECT_NEAR(half.model.params[i], best.params[i], 1e-3f * (1.0f + std::fabs(best.params[i])));

  // A restored trainer (from an autosave) takes the best back from the file.
  BestWeights adopted;
  adopted.adopt(loaded, t);
  EXPECT_EQ(adopted.iteration, 4);
  EXPECT_EQ(adopted.val_loss, 1.75);
  EXPECT_TRUE(bit_identical(adopted.params, best.params));
}

TEST(BestWeights, SavedBestOfALinesModelIsALinesModel) {
  TrainConfig tc = small_train_config();
  tc.lines = true;
  tc.val_fraction = 0.4f;  // whole lines held out, so there is a validation loss to keep the best by
  Trainer t = make_trainer(small_model_config(CellType::GRU), tc);
  train(t, 2);
  BestWeights best;
  ASSERT_TRUE(best.offer(t, t.evaluate()));
  // Its samples are lines (sample --lines, the page's lines mode): the file must say so.
  EXPECT_TRUE(load_bytes(best.save(t, false)).model.lines);
}

TEST(BestWeights, AdoptRefusesAnotherModelsWeights) {
  Trainer t = make_trainer(small_model_config(CellType::GRU), small_train_config());
  Trainer other = make_trainer(small_model_config(CellType::LSTM), small_train_config());
  BestWeights best;
  ASSERT_TRUE(best.offer(other, 1.0));
  EXPECT_THAT(error_message([&] { BestWeights().adopt(load_bytes(best.save(other, false)), t); }),
              HasSubstr("belong to another model"));
  // A file without a validation loss cannot be the best.
  EXPECT_THAT(error_message([&] { BestWeights().adopt(load_bytes(save_model(t.model(), &t, {})), t); }),
              HasSubstr("validation loss"));
}

TEST(Dropout, CanBeRaisedWhileTrainingAndIsRecordedInTheFile) {
  Trainer t = make_trainer(small_model_config(CellType::LSTM, 2, 0.0f), small_train_config());
  train(t, 2);
  t.set_dropout(0.3f);  // the model had no masks' buffers: it gets them
  train(t, 2);
  EXPECT_FLOAT_EQ(load_bytes(save_model(t.model(), &t, {})).model.config.dropout, 0.3f);
  EXPECT_THAT(error_message([&] { t.set_dropout(0.96f); }), HasSubstr("between 0 and 0.95"));
  EXPECT_THAT(error_message([&] { t.set_dropout(std::nanf("")); }), HasSubstr("between 0 and 0.95"));
  EXPECT_FLOAT_EQ(t.model().config.dropout, 0.3f);
}

}  // namespace
}  // namespace charrnn
