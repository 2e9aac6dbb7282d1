// The learning rate over a run's time: a time budget's schedule, and "until I stop".
//
// With a budget of B seconds the rate follows half a cosine from the peak down to a floor that it
// reaches as the budget ends (Loshchilov & Hutter's SGDR without restarts): the
// largest steps early, when they pay most, and small ones at the end, which settle the weights in
// the valley the large ones found. A fixed decay per step (lr_decay every lr_decay_every steps)
// reaches its floor at a step count, so on a fast machine or a long run it spends most of the time
// at a rate too small to learn anything (the page's × 0.9 every 250 steps gave 1.371 at minute 10
// and 1.368 at minute 60).
//
// Until stopped (an infinite budget) there is no end to decay towards: the rate stays at the peak
// until the validation loss stops improving (a plateau: no new best for kPatienceSeconds), then
// halves, never below kPlateauFloor of the peak, so an hour or a day of training keeps learning.
//
//   budget    t < B:      factor = f + (1 - f) (1 + cos(pi t / B)) / 2,   f = kBudgetFloor
//             t >= B:     factor = f
//   until stopped:        factor = plateau scale (1, 1/2, 1/4, ... down to kPlateauFloor)
//
// No warm-up: Adam's bias-corrected first steps at the peak train char-rnn fine (the page always
// started so), and a warm-up left a model of a few seconds (Reset, then a look inside) nearly untrained.
//
// rate = peak × factor. The clock t is the run's training time in seconds (Trainer::clock()).
#pragma once
#include <cstdint>
#include <limits>

namespace charrnn {

class LearningRateSchedule {
 public:
  static constexpr double kNoBudget = 0.0;  // the TrainConfig's fixed decay per step applies
  static constexpr double kUntilStopped = std::numeric_limits<double>::infinity();

  static constexpr double kBudgetFloor = 0.05;  // the factor at the budget's end
  static constexpr double kPatienceSeconds = 120.0;  // until stopped: no new best for this long is a plateau
  static constexpr double kMinImprovement = 0.002;  // nats/char: a smaller gain is no new best
  static constexpr double kPlateauStep = 0.5;  // the factor a plateau multiplies by
  static constexpr double kPlateauFloor = 0.125;  // until stopped, never below this factor

  // What a checkpoint keeps of the schedule (see model_file.cpp), so a resumed run goes on with it.
  struct State {
    double budget_seconds = kNoBudget;
    double plateau_scale = 1.0;
    double best_val = std::numeric_limits<double>::quiet_NaN();  // until stopped: the best validation loss seen
    double best_at = 0.0;  // ...and the clock when it was seen (or the last plateau step)
  };

  LearningRateSchedule() = default;
  explicit LearningRateSchedule(const State& s) : s_(s) {}

  // 0: none; infinity: until stopped; otherwise seconds. Changing it keeps the clock: the run goes
  // on along the new budget's curve from where it is. Throws on a negative or NaN budget.
  void set_budget(double seconds);
  double budget() const { return s_.budget_seconds; }
  bool active() const { return s_.budget_seconds != kNoBudget; }
  bool until_stopped() const { return s_.budget_seconds == kUntilStopped; }

  // The multiplier of the peak rate at clock t (1 when no budget is set).
  double factor(double t) const;
  // Until stopped: a validation loss measured at clock t (a plateau lowers the scale). Returns
  // whether the rate was lowered. Ignored with a finite budget or none, and for NaN.
  bool observe_validation(double t, double val_loss);

  const State& state() const { return s_; }

 private:
  State s_;
};

}  // namespace charrnn
