// The training loop of `charrnn train`: steps until a limit (epochs, steps, minutes), evaluates
// and checkpoints every --eval-every steps, reports progress, and on Ctrl-C finishes the step,
// writes a checkpoint and returns 130. The Trainer (new or resumed) is built by train_command.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include "options.h"
#include "progress_bar.h"
#include "training/trainer.h"

namespace charrnn_cli {

class TrainingRun {
 public:
  TrainingRun(const TrainOptions& options, charrnn::Trainer& trainer);
  // Trains to the first limit; returns the process exit status (0, or 128 + signal if interrupted).
  int run();

 private:
  using Clock = std::chrono::steady_clock;
  enum class Stop { None, Epochs, Steps, Minutes };

  Stop stop_reason() const;  // checked after every step
  std::string describe(Stop stop) const;  // the option that set the limit, e.g. "--max-steps 100"
  double steps_left() const;
  Progress progress() const;
  void log_step(const charrnn::StepResult& result, double val_loss, bool evaluated) const;
  std::string write_checkpoint() const;  // returns its path
  void write_model() const;  // --save, if given
  int finish(Stop stop);
  int interrupted();
  void say(const std::string& text);

  const TrainOptions& o_;
  charrnn::Trainer& t_;
  ProgressBar bar_;
  Clock::time_point start_;
  int64_t start_iteration_;
  double train_seconds_ = 0;  // time inside step(), for chars/s without evaluations and saving
  int64_t chars_trained_ = 0;  // characters the steps of this run predicted (StepResult::chars)
  double smoothed_loss_ = NAN, last_val_ = NAN;
};

}  // namespace charrnn_cli
