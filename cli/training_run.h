// The training loop of `charrnn train`: steps until a limit (RunLimits: epochs, steps, a time
// budget), evaluates and checkpoints as EvalSchedule says, keeps the best weights (KeptWeights),
// reports progress, and on Ctrl-C finishes the step, writes a checkpoint and --save and returns
// 130. The Trainer (new or resumed) is built by train_command.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include "eval_schedule.h"
#include "kept_weights.h"
#include "options.h"
#include "progress_bar.h"
#include "run_limits.h"
#include "training/trainer.h"

namespace charrnn_cli {

class TrainingRun {
 public:
  // preamble: said first (the recipe's sentence for a new run). Sets the trainer's time budget.
  TrainingRun(const TrainOptions& options, charrnn::Trainer& trainer, std::string preamble);
  // Trains to the first limit; returns the process exit status (0, or 128 + signal if interrupted).
  int run();

 private:
  using Clock = std::chrono::steady_clock;

  double elapsed() const;
  int64_t periodic_chars() const;  // what a periodic evaluation reads: --eval-chars, -1 for all
  double evaluate(int64_t max_chars);  // also tells the schedule (until stopped) and KeptWeights
  Progress progress() const;
  void log_step(const charrnn::StepResult& result, double val_loss, bool evaluated) const;
  std::string write_checkpoint() const;  // returns its path
  int finish(RunLimits::Stop stop);
  int interrupted();
  void say(const std::string& text);

  const TrainOptions& o_;
  charrnn::Trainer& t_;
  std::string preamble_;
  ProgressBar bar_;
  Clock::time_point start_;
  RunLimits limits_;
  EvalSchedule evals_;
  KeptWeights kept_;
  double train_seconds_ = 0;  // time inside step(), for chars/s without evaluations and saving
  int64_t chars_trained_ = 0;  // characters the steps of this run predicted (StepResult::chars)
  double smoothed_loss_ = NAN, last_val_ = NAN;
};

}  // namespace charrnn_cli
