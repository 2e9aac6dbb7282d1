// The command line: the options of each subcommand, with their defaults taken from the core's
// ModelConfig / TrainConfig / SampleOptions so that `--help` always shows the real defaults.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "model/config.h"
#include "inspection/inspect.h"
#include "generation/line_sampler.h"
#include "generation/sampler.h"

namespace charrnn_cli {

struct TrainOptions {
  std::string data;
  std::string cell = charrnn::cell_name(charrnn::ModelConfig{}.cell);
  std::string hidden = std::to_string(charrnn::ModelConfig{}.hidden_size);  // "256" or one per layer "256,128"
  std::string optimizer = charrnn::optimizer_name(charrnn::TrainConfig{}.optimizer);
  charrnn::ModelConfig model;  // cell, hidden sizes and vocab_size are filled in later
  charrnn::TrainConfig train;  // optimizer is filled in later
  double max_epochs = 50;  // char-rnn's default
  int64_t max_steps = 0;  // 0: no limit (the option only accepts positive values)
  double max_minutes = 0;  // 0: no limit
  int64_t eval_every = 1000;  // char-rnn's eval_val_every
  int64_t eval_chars = 100000;  // 0: the whole validation split
  std::string checkpoint_dir = "checkpoints";
  std::string save;
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
  bool echo_prime = false;
  int lines = 0;  // > 0: that many whole lines instead of --length characters
  int max_line = charrnn::kDefaultMaxLineChars;
  bool mark = false;  // tag each line as from the text (--data) or new
  std::string data;
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
CLI::App* add_info_command(CLI::App& app, InfoOptions& options);
CLI::App* add_inspect_command(CLI::App& app, InspectOptions& options);
CLI::App* add_neurons_command(CLI::App& app, NeuronsOptions& options);
// `charrnn schema`: the settings table as JSON (core/model/settings.h), on stdout.
CLI::App* add_schema_command(CLI::App& app);

}  // namespace charrnn_cli
