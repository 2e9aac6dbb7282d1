#include "eval_schedule.h"

#include <cmath>

namespace charrnn_cli {

bool EvalSchedule::due(int64_t iteration, double fraction, double elapsed) {
  if (every_steps_ > 0) return iteration % every_steps_ == 0;
  if (std::isnan(fraction)) {
    if (elapsed < next_seconds_) return false;
    next_seconds_ = (std::floor(elapsed / kEndlessEvalSeconds) + 1) * kEndlessEvalSeconds;
    return true;
  }
  // Several marks passed in one step (a run shorter than N steps) make one evaluation.
  const auto passed = static_cast<int64_t>(std::floor(fraction * evals_ + 1e-9));  // 40/800 of 20 is 1
  if (passed <= passed_ || passed >= evals_) return false;  // the N-th is the final evaluation
  passed_ = passed;
  return true;
}

}  // namespace charrnn_cli
