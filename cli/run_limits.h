// When a `charrnn train` run stops, and how much of it is done: its step and epoch limits and its
// time, either a budget the learning rate follows (schedule.h) or a plain time limit.
//
// A new run with --max-minutes M gets a budget of M minutes (inf: until stopped), unless
// --lr-decay or --lr-decay-every was given: that fixed decay stays and M only limits the time. A
// resumed checkpoint keeps its own schedule: one with a budget goes on to its end, or to M
// minutes from now when --max-minutes is given; one without a budget takes M as a time limit.
// --max-epochs 50 applies by default only to runs without any time limit.
#pragma once
#include <cstdint>
#include <string>

#include "options.h"
#include "training/trainer.h"

namespace charrnn_cli {

class RunLimits {
 public:
  enum class Stop { None, Steps, Epochs, Budget, Minutes };

  // Sets the trainer's time budget as above (before its first step of this run).
  RunLimits(const TrainOptions& options, charrnn::Trainer& trainer);

  // After each step: the trainer's clock follows the wall time this run has taken (evaluations
  // and checkpoints included), from where the checkpoint's clock left off.
  void set_clock(charrnn::Trainer& trainer, double elapsed_seconds) const;

  Stop stop(const charrnn::Trainer& trainer, double elapsed_seconds) const;
  // The share of this run done (0..1), by whichever limit is nearest; NaN when it has no end
  // (until stopped, or --max-minutes inf, without a step or epoch limit).
  double fraction_done(const charrnn::Trainer& trainer, double elapsed_seconds) const;
  // Seconds left at the pace so far; NaN when unknown or endless.
  double seconds_left(const charrnn::Trainer& trainer, double elapsed_seconds) const;
  bool endless() const;
  // " --max-minutes only limits the time: ..." when it sets no budget; empty otherwise.
  std::string time_note() const { return time_note_; }

  // The limit as the final line says it, e.g. "--max-steps 100 reached" or "the 3-minute budget
  // (--max-minutes 3) is spent".
  std::string describe(Stop stop) const;

 private:
  double steps_total() const;  // steps this run may take before a step or epoch limit (inf: none)

  const TrainOptions& o_;
  int64_t start_iteration_;
  double start_epoch_;
  int64_t steps_per_epoch_;
  double clock0_;  // the trainer's clock when the run started
  bool budget_ = false;  // the trainer's schedule follows a budget (finite or until stopped)
  bool resumed_budget_ = false;  // ...the checkpoint's, without --max-minutes
  double run_seconds_;  // this run's time: to the budget's end or the time limit; inf: none
  double max_epochs_;  // inf: none
  std::string time_note_;
};

}  // namespace charrnn_cli
