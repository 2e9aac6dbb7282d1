// Training: owns the model, its gradients, the optimiser, the batch streams and the carried state.
// One step() is one truncated-BPTT batch: forward, backward, clip, update — unless the loss or the
// gradients are not finite, in which case nothing changes but the data position.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "config.h"
#include "model.h"
#include "optimizer.h"
#include "rng.h"
#include "text_streams.h"

namespace charrnn {

struct StepResult {
  float loss = 0.0f;  // mean nats per character over the batch
  float grad_norm = 0.0f;  // global norm before clipping
  bool skipped = false;  // true: non-finite loss or gradient; weights untouched
  bool epoch_start = false;
};

// The training text after the checks: train and validation ids, split from the end.
struct SplitText {
  std::vector<int32_t> train, val;
};

// Decodes, encodes with the vocabulary and splits; throws when the text cannot train T steps.
SplitText split_text(const Vocab& vocab, const std::string& utf8_text, const TrainConfig& config);

// A model for a text: builds the vocabulary, checks text and settings and the memory they need
// (before allocating anything), then initialises. Throws charrnn::Error on any bad input.
Model create_model_for_text(const std::string& utf8_text, ModelConfig config, const TrainConfig& train);

class Trainer {
 public:
  // Checks the settings and the memory, then allocates. The text must fit the model's vocabulary.
  Trainer(Model model, const TrainConfig& config, const std::string& utf8_text);
  // The batch streams point into this object's own text: it stays where it was built.
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  StepResult step();
  // Mean validation loss in nats per character over (at most max_chars of) the validation split.
  // NaN when the text has no validation part.
  double evaluate(int64_t max_chars = -1);
  // Replaces the training text (same vocabulary), restarting at its first epoch.
  void set_text(const std::string& utf8_text);

  const Model& model() const { return model_; }
  Model& model() { return model_; }
  const TrainConfig& config() const { return config_; }
  void set_learning_rate(float lr);
  float learning_rate() const { return lr_; }
  int64_t iteration() const { return iteration_; }
  int64_t epoch() const { return epoch_; }
  double epoch_progress() const;  // epochs done, fractional
  size_t train_chars() const { return text_.train.size(); }
  size_t val_chars() const { return text_.val.size(); }
  int64_t steps_per_epoch() const { return streams_.steps_per_epoch(); }

  // Everything a checkpoint needs to resume exactly (model_file.cpp reads and writes these).
  struct Resumable {
    int64_t iteration, epoch, step_in_epoch;
    float learning_rate;
    uint32_t rng_state[4];
  };
  Resumable resumable() const;
  void restore(const Resumable& r);
  OptimizerState& optimizer() { return opt_; }
  const OptimizerState& optimizer() const { return opt_; }
  RecurrentState& carried_state() { return state_; }
  const RecurrentState& carried_state() const { return state_; }

 private:
  // Forward, backward and update on the batch in inputs_/targets_; sets r.skipped (and changes
  // nothing) when the loss or the gradient is not finite.
  void learn_from_batch(StepResult& r);

  Model model_;
  TrainConfig config_;
  SplitText text_;
  TextStreams streams_;
  Activations acts_;
  RecurrentState state_, eval_state_;
  OptimizerState opt_;
  std::vector<float> grads_;
  std::vector<int32_t> inputs_, targets_;
  Rng rng_;
  float lr_;
  int64_t iteration_ = 0, epoch_ = 0;
};

}  // namespace charrnn
