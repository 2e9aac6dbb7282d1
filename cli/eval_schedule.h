// When `charrnn train` evaluates on the validation split (and checkpoints): every --eval-every
// steps when given; otherwise --evals times per run, spread over it: as the share of the run done
// (RunLimits::fraction_done: steps, epochs or time, whichever ends first) passes 1/N, 2/N, ...,
// the last being the final evaluation when it stops. So a run of 800 steps shows its validation
// loss as often as one of a million. A run with no end (until stopped) evaluates every
// kEndlessEvalSeconds, often enough for the schedule's plateau test (schedule.h: 120 s).
#pragma once
#include <cstdint>

namespace charrnn_cli {

class EvalSchedule {
 public:
  static constexpr double kEndlessEvalSeconds = 30;

  EvalSchedule(int64_t every_steps, int evals) : every_steps_(every_steps), evals_(evals) {}

  // After a step: whether to evaluate now (the final evaluation at the stop is not asked here).
  // fraction_done NaN: a run with no end, timed by elapsed_seconds.
  bool due(int64_t iteration, double fraction_done, double elapsed_seconds);

 private:
  int64_t every_steps_;  // 0: evals per run
  int evals_;
  int64_t passed_ = 0;  // how many of the marks 1/N, 2/N, ... the run has passed
  double next_seconds_ = kEndlessEvalSeconds;
};

}  // namespace charrnn_cli
