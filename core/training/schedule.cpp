#include "training/schedule.h"

#include <algorithm>
#include <cmath>

#include "errors.h"

namespace charrnn {

void LearningRateSchedule::set_budget(double seconds) {
  if (std::isnan(seconds) || seconds < 0.0)
    throw Error("The time budget must be a number of seconds above 0 (or infinite: until stopped).");
  s_.budget_seconds = seconds;
}

double LearningRateSchedule::factor(double t) const {
  if (!active()) return 1.0;
  if (until_stopped()) return s_.plateau_scale;
  const double B = s_.budget_seconds;
  t = std::max(0.0, t);
  if (t >= B) return kBudgetFloor;
  const double progress = t / B;  // 0 at the start, 1 at the budget's end
  return kBudgetFloor + (1.0 - kBudgetFloor) * 0.5 * (1.0 + std::cos(M_PI * progress));
}

bool LearningRateSchedule::observe_validation(double t, double val_loss) {
  if (!until_stopped() || !std::isfinite(val_loss)) return false;
  if (std::isnan(s_.best_val) || val_loss < s_.best_val - kMinImprovement) {
    s_.best_val = std::isnan(s_.best_val) ? val_loss : std::min(s_.best_val, val_loss);
    s_.best_at = t;
    return false;
  }
  if (t - s_.best_at < kPatienceSeconds || s_.plateau_scale <= kPlateauFloor) return false;
  s_.plateau_scale = std::max(kPlateauFloor, s_.plateau_scale * kPlateauStep);
  s_.best_at = t;  // the lower rate gets its own patience
  return true;
}

}  // namespace charrnn
