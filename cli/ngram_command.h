// `charrnn ngram`: the interpolated Kneser-Ney n-gram baseline (core/inspection/ngram.h) on a
// training text, split as the trainer splits it; and `charrnn inspect --vs-ngram N`, the network's
// per-character probabilities beside the n-gram's and where its advantage falls.
#pragma once
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "inspection/inspect.h"
#include "inspection/ngram.h"
#include "model/config.h"
#include "model/model.h"

namespace charrnn_cli {

struct NgramOptions {
  std::string data;
  int order = charrnn::kDefaultNgramOrder;
  float val_fraction = charrnn::TrainConfig{}.val_fraction;
  bool json = false;
};

CLI::App* add_ngram_command(CLI::App& app, NgramOptions& options);
int run_ngram(const NgramOptions& options);

// inspect's --vs-ngram N, --data FILE, --val-fraction F.
struct VsNgramOptions {
  int order = 0;  // 0: off
  std::string data;
  float val_fraction = charrnn::TrainConfig{}.val_fraction;
};
void add_vs_ngram_options(CLI::App* inspect, VsNgramOptions& options);

// The n-gram's p(actual) per character of the inspection, counted on the training part of
// options.data with the model's vocabulary (its characters must all be in it).
std::vector<float> ngram_p_actual_for(const charrnn::Model& model, const charrnn::Inspection& inspection,
                                      const VsNgramOptions& options);

}  // namespace charrnn_cli
