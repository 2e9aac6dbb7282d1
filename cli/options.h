// The command line: the options of each subcommand. Sampling defaults are the core's
// SampleOptions; a new training run's model and training defaults are the recipe's for its text
// (core/training/recipe.h, cli/recipe_settings.h), so `--help` shows the recipe's values.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "model/config.h"
#include "inspection/inspect.h"
#include "generation/line_sampler.h"
#include "generation/sampler.h"

namespace charrnn_cli {

struct TrainOptions {
  std::string data;
  // The settings as given on the command line; only those named in `given` count, the recipe
  // gives the rest (recipe_settings.h). Cell, optimiser and hidden sizes stay text until then.
  std::string cell, hidden, optimizer;  // hidden: "256" or one per layer "256,128"
  charrnn::ModelConfig model;
  charrnn::TrainConfig train;
  std::set<std::string> given;  // keys (settings.h) of the model and training settings given
  double max_epochs = 50;  // char-rnn's default; without a time limit only, unless given
  bool max_epochs_given = false;
  int64_t max_steps = 0;  // 0: no limit (the option only accepts positive values)
  double max_minutes = 0;  // 0: no limit; infinity: until stopped (--max-minutes inf)
  int64_t eval_every = 0;  // 0: --evals per run
  int evals = 20;  // evaluations per run, the final one included
  int64_t eval_chars = 100000;  // 0: the whole validation split
  std::string checkpoint_dir = "checkpoints";
  std::string save;  // the best weights (by validation loss)
  std::string save_latest;  // the last step's weights
  bool f16 = false;
  std::string resume;
  bool log_json = false;
  bool quiet = false;
  int threads = 0;  // 0: every core (at most the batch size)
};

struct SampleCommandOptions {
  std::string model;
  std::string prime;
  int length = 500;
  charrnn::SampleOptions sample;
  bool echo_prime = true;  // char-rnn prints the prime before the sample
  int lines = 0;  // > 0: that many whole lines instead of --length characters
  int max_line = charrnn::kDefaultMaxLineChars;
  bool mark = false;  // tag each line as from the text (--data) or new
  std::string data;
};

struct RecipeOptions {
  int64_t chars = -1;  // the text's size (-1: not given), or:
  std::string data;  // a text to measure
  bool lines = false;
  double max_minutes = 0;  // as `charrnn train --max-minutes`
  bool json = false;
};

struct InfoOptions {
  std::string model;
};

struct InspectOptions {
  std::string model, text, neuron;
  int top_k = charrnn::InspectOptions{}.top_k;
  bool json = false;
};

struct NeuronsOptions {
  std::string model, text;
  std::vector<std::string> properties;  // names as text_property_names() lists them; empty: all
  int per_property = 5;
  bool json = false;
};

CLI::App* add_train_command(CLI::App& app, TrainOptions& options);
CLI::App* add_sample_command(CLI::App& app, SampleCommandOptions& options);
CLI::App* add_recipe_command(CLI::App& app, RecipeOptions& options);
CLI::App* add_info_command(CLI::App& app, InfoOptions& options);
CLI::App* add_inspect_command(CLI::App& app, InspectOptions& options);
CLI::App* add_neurons_command(CLI::App& app, NeuronsOptions& options);
// `charrnn schema`: the settings table as JSON (core/model/settings.h), on stdout.
CLI::App* add_schema_command(CLI::App& app);

}  // namespace charrnn_cli
