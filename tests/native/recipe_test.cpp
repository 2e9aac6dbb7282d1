// The recipe (recipe.h) the page and the CLI share: settings follow the text's size (a small text
// gets a smaller model with more dropout, so it is not recited in seconds), lines mode memorises,
// a long budget gets the larger model, and each recipe says why in a sentence. Every recipe is a
// valid configuration.
#include "test_helpers.h"
#include "model/param_layout.h"
#include "training/recipe.h"

namespace charrnn {
namespace {

int64_t parameters_of(const ModelConfig& m) {
  ModelConfig c = m;
  c.vocab_size = 80;
  return static_cast<int64_t>(make_layout(c).total);
}

TEST(Recipe, ASmallTextGetsASmallerModelWithMoreDropout) {
  const Recipe small = recipe_for(30000, false, 180);
  const Recipe large = recipe_for(1100000, false, 180);
  EXPECT_LT(parameters_of(small.model), parameters_of(large.model) / 2);
  EXPECT_GT(small.model.dropout, large.model.dropout);
  EXPECT_THAT(small.reason, test::HasSubstr("small text (30 k characters)"));
  EXPECT_THAT(large.reason, test::HasSubstr("GRU 2×192, dropout 0.05"));
  const Recipe medium = recipe_for(400000, false, 180);
  EXPECT_LT(parameters_of(medium.model), parameters_of(large.model));
  EXPECT_GT(parameters_of(medium.model), parameters_of(small.model));
}

TEST(Recipe, ALongRunGetsTheLargerModel) {
  const Recipe ten = recipe_for(1100000, false, 600);
  for (double budget : {3600.0, LearningRateSchedule::kUntilStopped}) {
    const Recipe hour = recipe_for(1100000, false, budget);
    EXPECT_GT(parameters_of(hour.model), parameters_of(ten.model));
    EXPECT_GT(hour.model.dropout, ten.model.dropout);
    EXPECT_THAT(hour.reason, test::HasSubstr("long run"));
  }
}

TEST(Recipe, LinesModeMemorises) {
  for (int64_t chars : {int64_t{2000}, int64_t{20000}, int64_t{2000000}}) {
    const Recipe r = recipe_for(chars, true, 180);
    EXPECT_TRUE(r.train.lines);
    EXPECT_EQ(r.train.val_fraction, 0.0f) << "every line is training data";
    EXPECT_EQ(r.model.dropout, 0.0f);
    EXPECT_THAT(r.reason, test::HasSubstr("memorises"));
  }
}

TEST(Recipe, EveryRecipeIsAValidConfiguration) {
  for (int64_t chars : {int64_t{10}, int64_t{30000}, int64_t{400000}, int64_t{5000000}})
    for (bool lines : {false, true})
      for (double budget : {0.0, 180.0, 600.0, 3600.0, LearningRateSchedule::kUntilStopped}) {
        Recipe r = recipe_for(chars, lines, budget);
        r.model.vocab_size = 80;
        EXPECT_NO_THROW(validate(r.model));
        EXPECT_NO_THROW(validate(r.train));
        EXPECT_FALSE(r.reason.empty());
      }
}

}  // namespace
}  // namespace charrnn
