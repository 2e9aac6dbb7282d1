// Model files: a model (weights, configuration, vocabulary) or a checkpoint (also the optimiser
// state, carried hidden state, step count, data position and random state) as .safetensors.
//
// __metadata__ keys: format ("charrnn"), format_version ("1"), model_config (JSON), vocab (JSON
// array of code points); iteration (the training steps behind the weights, a JSON integer) and
// val_loss (their validation loss, nats/char, a JSON number) when known (files from before them
// load as iteration 0, no loss); examples ("lines" for a model trained on lines; absent
// otherwise); checkpoints add train_config (JSON) and trainer_state (JSON).
// Tensors: the parameters under their param_layout names; checkpoints add optimizer.m.<name>,
// optimizer.v.<name> (Adam) and state.h.<l>, state.c.<l> (LSTM) of shape [B, H_l].
// model_config holds hidden_sizes (one per layer, bottom first) only for a model whose layers
// differ in size; a uniform model's has hidden_size alone, as files always had.
#pragma once
#include <cstdint>
#include <limits>
#include <string>

#include "model/model.h"
#include "training/optimizer.h"
#include "training/trainer.h"

namespace charrnn {

struct SaveOptions {
  bool checkpoint = false;  // also store what training needs to resume exactly
  bool f16 = false;  // store weights as float16 (half the size; not for checkpoints)
  // The iteration to record: negative takes the trainer's (none without a trainer).
  int64_t iteration = -1;
  double val_loss = std::numeric_limits<double>::quiet_NaN();  // recorded when finite
};

std::string save_model(const Model& model, const Trainer* trainer, const SaveOptions& options);

struct LoadedModel {
  Model model;
  bool is_checkpoint = false;
  int64_t iteration = 0;  // from the metadata (a checkpoint's trainer state); 0 when the file has none
  double val_loss = std::numeric_limits<double>::quiet_NaN();  // from the metadata; NaN when it has none
  TrainConfig train_config;  // checkpoint only
  Trainer::Resumable resumable{};
  OptimizerState optimizer;
  RecurrentState state;
};

// Validates everything (see safetensors.h) plus shapes against the configuration and the
// vocabulary against the output layer. Throws charrnn::Error; never reads outside `bytes`.
LoadedModel load_model(const uint8_t* bytes, size_t size);

// The training settings to go on training a loaded model with: a checkpoint resumed exactly keeps
// its own; otherwise the given ones, and a model trained on lines goes on with lines.
TrainConfig settings_to_continue(const LoadedModel& loaded, TrainConfig given, bool resume);

// Puts a checkpoint's training state into a trainer built from its model and train_config.
void restore_checkpoint(Trainer& trainer, const LoadedModel& loaded);

}  // namespace charrnn
