// Training: owns the model, its gradients, the optimiser, the batch streams and the carried state.
// One step() is one truncated-BPTT batch: forward, backward, clip, update — unless the loss or the
// gradients are not finite, in which case nothing changes but the data position.
//
// It also keeps the weights last known good (a rollback point): a blow-up (a learning rate far too
// high) returns to them however many blow-ups follow, because a point is only replaced by weights
// whose validation loss is not far above its own.
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "model/config.h"
#include "model/model.h"
#include "training/optimizer.h"
#include "numerics/rng.h"
#include "training/schedule.h"
#include "training/shard.h"
#include "text/batch_source.h"
#include "text/training_text.h"

namespace charrnn {

struct StepResult {
  float loss = 0.0f;  // mean nats per character over the batch
  float grad_norm = 0.0f;  // global norm before clipping
  bool skipped = false;  // true: non-finite loss or gradient; weights untouched
  bool epoch_start = false;
  // Characters the step predicted: the targets that count (batch × sequence length, less the
  // padding of short lines in lines mode). Characters per second are counted from these.
  int64_t chars = 0;
};

// What train() did: the mean is over the applied steps.
struct TrainSummary {
  int steps = 0, applied = 0, skipped = 0;
  int64_t chars = 0;  // characters predicted by every step, skipped ones too (StepResult::chars)
  double loss_sum = 0.0;  // nats per character, summed over the applied steps
  float loss = std::numeric_limits<float>::quiet_NaN();  // loss_sum / applied
  float grad_norm = 0.0f;  // of the last applied step
  // The run blew up: no step could be applied, or the mean loss is far above what a uniform
  // guess costs (diverged_loss()). Training stopped there; roll_back() returns to good weights.
  bool diverged = false;
  bool budget_spent = false;  // the time budget is up: train() stopped for it

  void add(const StepResult& r);  // counts one step (its loss if it was applied)
};

// A model for a text: builds the vocabulary, checks text and settings and the memory they need
// (before allocating anything), then initialises. Throws charrnn::Error on any bad input.
Model create_model_for_text(const std::vector<char32_t>& chars, ModelConfig config, const TrainConfig& train);
Model create_model_for_text(const std::string& utf8_text, ModelConfig config, const TrainConfig& train);

// Runs body(0) .. body(count - 1), in any order and at the same time if it likes, and returns
// when all are done. The default runs them one after another; the CLI passes a thread pool.
using ParallelFor = std::function<void(int count, const std::function<void(int)>& body)>;

// How a trainer computes a step: the batch's streams are split into `shards` (at most the batch
// size) whose gradients are summed in shard order. The same seed and shard count always give the
// same model; other shard counts differ only in the order floats are summed (dropout masks come
// from per-stream generators).
struct Parallelism {
  int shards = 1;
  ParallelFor parallel_for;  // empty: one after another
};

class Trainer {
 public:
  // Checks the settings and the memory, then allocates. The text must fit the model's vocabulary.
  Trainer(Model model, const TrainConfig& config, const std::vector<char32_t>& chars, Parallelism parallelism = {});
  Trainer(Model model, const TrainConfig& config, const std::string& utf8_text, Parallelism parallelism = {});
  // The batch streams point into this object's own text: it stays where it was built.
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // A new model and its trainer from one decoding of the text.
  static std::unique_ptr<Trainer> for_new_model(const std::string& utf8_text, const ModelConfig& model,
                                                const TrainConfig& config, Parallelism parallelism = {});

  StepResult step();  // begin_step(), every shard here (on parallel_for), finish_step()

  // A step whose shards run elsewhere (a browser's helper workers, each a ShardReplica with a copy
  // of the weights): begin_step() takes the next batch into every shard; then each shard runs
  // either here (run_shard) or in a replica (export_shard packs what it needs into the shard's
  // exchange buffers; the replica's gradient goes into shard(s).grads and import_shard takes its
  // loss, final state and generators back); finish_step() sums in shard order and updates. The
  // model is the same as step()'s, bit for bit. Nothing else may use the trainer in between.
  void begin_step();
  void run_shard(int s);
  Shard& export_shard(int s);
  void import_shard(int s, double loss_sum);
  StepResult finish_step();
  Shard& shard(int s) { return shards_.at(static_cast<size_t>(s)); }
  const Shard& shard(int s) const { return shards_.at(static_cast<size_t>(s)); }
  // The weights a replica needs before each step (params, [P]).
  const std::vector<float>& weights() const { return model_.params; }
  // Up to max_steps steps, stopping early after max_seconds, when the run blows up or when the
  // time budget is spent (then it may take none).
  TrainSummary train(int max_steps, double max_seconds = std::numeric_limits<double>::infinity());
  // Sets a summary's mean and whether the run blew up (train() does this for its own).
  void conclude(TrainSummary& s) const;
  // Mean validation loss in nats per character over (at most max_chars of) the validation split.
  // NaN when the text has no validation part.
  double evaluate(int64_t max_chars = -1);
  // Replaces the training text (same vocabulary), restarting at its first epoch.
  // In lines mode (TrainConfig::lines) each line is an example; see line_examples.h.
  void set_text(const std::string& utf8_text);

  // The rollback point. mark_good() offers the current weights with their validation loss: they
  // become the point when that loss is finite and not far above the point's own (at most 20% +
  // 0.1 nats above it; any finite loss below diverged_loss() for the first offer). Returns whether
  // they did. The weights a trainer starts with are the point until then. A text with no validation
  // part (lines mode, holding none out) has NaN for it: the last applied step's loss stands in.
  bool mark_good(double val_loss);
  struct RolledBack {
    int64_t iteration;  // of the weights restored
    double val_loss;  // their validation loss when marked (NaN: never measured)
    float learning_rate;  // the rate they trained at, now in force again
    float suggested_learning_rate;  // a rate to resume at: below the one that blew up, at most the rate in force
  };
  // Returns to the rollback point: weights, optimiser state, carried state, data position, random
  // state and learning rate, exactly as they were.
  RolledBack roll_back();
  // Mean loss (nats/char) above which a run has blown up: twice a uniform guess's, plus one.
  double diverged_loss() const;

  const Model& model() const { return model_; }
  const TrainConfig& config() const { return config_; }
  // Sets the rate now. Under a time budget it sets the schedule's peak so that the rate at this
  // moment is lr (the whole curve scales).
  void set_learning_rate(float lr);
  // The time budget (schedule.h): 0 none (the config's step decay), infinity until stopped,
  // otherwise seconds of training. The rate in force when a budget is first set is its peak.
  // Changing it goes on from the same clock.
  void set_budget(double seconds);
  double budget() const { return schedule_.budget(); }
  const LearningRateSchedule& schedule() const { return schedule_; }
  // The run's training time in seconds: each step adds its own duration; a driver that counts
  // time itself (the page: time running, validation included; the CLI: wall time) sets it.
  void set_clock(double seconds);
  double clock() const { return clock_; }
  // Until stopped: a validation loss at the current clock (a plateau lowers the rate). Returns
  // whether the rate was lowered.
  bool observe_validation(double val_loss);
  // A finite budget whose time is up: train() takes no more steps (step() still does).
  bool budget_spent() const;
  // Dropout acts on the next step (the weights do not depend on it): 0 to 0.95.
  void set_dropout(float p);
  // Puts other weights of this model in place (BestWeights restores its own); everything else
  // (optimiser state, carried state, data position) goes on. Throws when the size differs.
  void set_weights(const std::vector<float>& params);
  // A model loaded from a file (not a checkpoint) goes on counting from its own iteration.
  // Before the first step only.
  void start_at_iteration(int64_t iteration);
  float learning_rate() const { return lr_; }
  int64_t iteration() const { return iteration_; }
  int64_t epoch() const { return epoch_; }
  double epoch_progress() const;  // epochs done, fractional
  size_t train_chars() const { return text_.train.size(); }
  size_t val_chars() const { return text_.val.size(); }
  int64_t steps_per_epoch() const { return source_->steps_per_epoch(); }
  int shards() const { return static_cast<int>(shards_.size()); }

  // Everything a checkpoint needs to resume exactly (model_file.cpp reads and writes these).
  struct Resumable {
    int64_t iteration = 0, epoch = 0, step_in_epoch = 0;
    float learning_rate = 0.0f;
    // The time budget's schedule, its clock and peak rate (files from before budgets: none, 0).
    LearningRateSchedule::State schedule;
    double clock_seconds = 0.0;
    float peak_learning_rate = 0.0f;
    // The dropout generators' states, 4 words per stream. A file from before per-stream dropout
    // holds one generator's 4 words: restore() derives the streams' from it (resuming correctly,
    // not bit for bit).
    std::vector<uint32_t> rng_state;
  };
  Resumable resumable() const;
  const OptimizerState& optimizer() const { return opt_; }
  // The carried hidden state of all B streams (assembled from the shards).
  RecurrentState carried_state() const;
  // Puts a checkpoint's state in place; throws (changing nothing) when it does not fit this trainer.
  void restore(const Resumable& r, const OptimizerState& optimizer, const RecurrentState& state);

 private:
  struct Snapshot {
    std::vector<float> params;
    OptimizerState optimizer;
    RecurrentState state;
    Resumable resumable;
    double val_loss = std::numeric_limits<double>::quiet_NaN();
  };
  Snapshot take_snapshot(double val_loss) const;
  void ensure_rollback_point();
  void set_carried_state(const RecurrentState& state);  // splits [B, H] over the shards
  void zero_carried_state();
  // The batch source for config_ over text_.train: TextStreams, or LineExamples in lines mode.
  void make_source();
  // Mean validation loss in lines mode: each held-out line from a fresh state, padding ignored.
  double evaluate_lines(int64_t max_chars);
  void run_parallel(int count, const std::function<void(int)>& body) const;
  void check_between_steps(const char* what) const;  // throws while a begun step is not finished

  Model model_;
  TrainConfig config_;
  SplitText text_;
  std::unique_ptr<BatchSource> source_;
  std::vector<uint8_t> fresh_;  // [B] the streams the step's chunk starts afresh (state zeroed)
  std::vector<Shard> shards_;
  ParallelFor parallel_for_;
  std::vector<Rng> stream_rngs_;  // [B] dropout generators, one per stream
  OptimizerState opt_;
  std::vector<int32_t> inputs_, targets_;  // [T*B] the step's batch
  float lr_;
  LearningRateSchedule schedule_;
  float peak_lr_;  // under a budget, lr_ = peak_lr_ × schedule_.factor(clock_)
  double clock_ = 0.0;
  double step_started_ = 0.0;  // monotonic seconds at begin_step()
  int64_t iteration_ = 0, epoch_ = 0;
  StepResult pending_;  // the step between begin_step() and finish_step()
  bool in_step_ = false;
  int64_t n_targets_ = 0;  // the step's targets that count: T*B, fewer when lines are padded
  float last_loss_ = std::numeric_limits<float>::quiet_NaN();  // the last applied step's
  std::unique_ptr<Snapshot> good_;  // the rollback point; taken before the first step changes anything
};

}  // namespace charrnn
