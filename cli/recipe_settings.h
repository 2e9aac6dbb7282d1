// A new training run's settings: the recipe's for its text (core/training/recipe.h, the page's
// too), with every setting given on the command line in place of the recipe's. Also the recipe's
// values as `charrnn train --help` and `charrnn recipe` show them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/settings.h"
#include "options.h"
#include "training/recipe.h"

namespace charrnn_cli {

struct RunSettings {
  charrnn::Recipe recipe;  // as the recipe picked it, with its reason
  charrnn::ModelConfig model;  // the run's: the recipe's, with the given settings in place
  charrnn::TrainConfig train;
  std::vector<std::string> given_flags;  // the flags that replaced the recipe's, e.g. "--hidden"
};

// Characters (code points) of a UTF-8 text: the size the recipe goes by.
int64_t count_chars(const std::string& utf8);

// The time budget --max-minutes asks for, in seconds: 0 none, infinity until stopped.
double budget_seconds(double max_minutes);

// Throws charrnn::Error for a bad cell, optimiser or hidden-size list (the core's message). A
// list of hidden sizes without --layers sets the number of layers.
RunSettings settings_for_new_run(const TrainOptions& options, int64_t text_chars);

// "Recipe: <reason>" and, when settings were given, which ones replaced the recipe's.
std::string describe_recipe(const RunSettings& settings);

// How the learning rate moves over a run with this budget (0 none, infinity until stopped), one
// sentence: "The learning rate falls × 0.9 every 250 steps." or the budget's schedule.
std::string schedule_words(double budget_seconds, const charrnn::TrainConfig& train);

// A setting's value in a recipe, as a command line writes it ("gru", "0.05", "192" or "256,128").
std::string setting_value(const charrnn::Setting& setting, const charrnn::ModelConfig& model,
                          const charrnn::TrainConfig& train);

// What --help shows as a setting's default: the recipe's value for a large text without a
// budget, followed by kVariesMark when the recipe picks another for a smaller text, lines or a
// long budget. Empty for a switch (--lines).
std::string recipe_default_label(const charrnn::Setting& setting);
constexpr const char* kVariesMark = "*";

}  // namespace charrnn_cli
