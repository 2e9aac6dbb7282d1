// One recipe for a run, the page's and the CLI's alike: the model and training settings a run
// gets from the size of its text, whether it memorises lines, and its time budget. A setting the
// user gives wins over the recipe's; the recipe fills in the rest (the CLI's flags, the page's
// form, the JS API's engine.recipe()).
//
// Why these: the figures are in bench/results/recipe.jsonl and ttq_exploration.jsonl (charrnn_ttq
// at the character counts the page trains in each budget), the table in bench/README.md.
// - A large text (tinyshakespeare's 1 MB) in 3 or 10 minutes: a GRU 2×192 with dropout 0.05 is
//   the best of the settings tried at both; a larger model does not get enough steps.
// - An hour or until stopped: 100 M characters, a hundred passes over such a text: a larger model
//   with more dropout (GRU 2×256, 0.2) keeps learning where the 2×192 overfits.
// - A small text (tens of kB) is recited by a GRU 2×192 with little dropout within a minute (30 kB
//   of C: training loss 0.03, validation loss from 1.10 up to 1.55 in the 3 minutes' characters);
//   a GRU 2×128 with dropout 0.3 reaches 1.17 and stays near it (1.23) without reciting (training
//   loss 0.37); the best weights are kept either way.
// - Lines mode memorises a list on purpose (names, sentences): every line is training data (no
//   validation), short sequences, one wide layer, no dropout (bench/results/memorise_exploration.md).
#pragma once
#include <cstdint>
#include <string>

#include "model/config.h"

namespace charrnn {

struct Recipe {
  ModelConfig model;  // vocab_size left to the text
  TrainConfig train;
  std::string reason;  // one sentence for the user: what was chosen and why
};

// Texts below this many characters are small; from large_text_chars on, large.
constexpr int64_t kSmallTextChars = 200000;
constexpr int64_t kLargeTextChars = 800000;
// Budgets above this many seconds (an hour, until stopped) get the long-run model.
constexpr double kLongBudgetSeconds = 1200;

// budget_seconds: 0 no budget (then the fixed decay per step below applies), infinity until
// stopped, otherwise the budget. text_chars: characters of the whole text (before the split).
Recipe recipe_for(int64_t text_chars, bool lines, double budget_seconds);

}  // namespace charrnn
