#include "run_limits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "recipe_settings.h"

namespace charrnn_cli {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string minutes_words(double minutes) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%g-minute", minutes);
  return buf;
}

}  // namespace

RunLimits::RunLimits(const TrainOptions& o, charrnn::Trainer& t)
    : o_(o),
      start_iteration_(t.iteration()),
      start_epoch_(t.epoch_progress()),
      steps_per_epoch_(t.steps_per_epoch()),
      clock0_(t.clock()) {
  const bool minutes = o.max_minutes > 0;
  const bool fixed_decay_given = o.given.count("lr_decay") > 0 || o.given.count("lr_decay_every") > 0;
  if (o.resume.empty()) {
    if (minutes && !fixed_decay_given) t.set_budget(budget_seconds(o.max_minutes));
    else if (minutes) time_note_ = " --max-minutes only limits the time: the decay you gave stays.";
  } else if (t.schedule().active()) {
    // The checkpoint's budget goes on; --max-minutes moves its end to M minutes from now.
    if (minutes) t.set_budget(std::isinf(o.max_minutes) ? o.max_minutes : clock0_ + o.max_minutes * 60);
    resumed_budget_ = !minutes;
  } else if (minutes) {
    time_note_ = " --max-minutes only limits the time: the checkpoint has no time budget.";
  }
  budget_ = t.schedule().active();
  if (budget_) run_seconds_ = t.schedule().until_stopped() ? kInf : std::max(0.0, t.budget() - clock0_);
  else run_seconds_ = minutes ? o.max_minutes * 60 : kInf;
  const bool time_limited = budget_ || minutes;
  max_epochs_ = o.max_epochs_given || !time_limited ? o.max_epochs : kInf;
}

void RunLimits::set_clock(charrnn::Trainer& t, double elapsed) const { t.set_clock(clock0_ + elapsed); }

RunLimits::Stop RunLimits::stop(const charrnn::Trainer& t, double elapsed) const {
  if (o_.max_steps > 0 && t.iteration() >= o_.max_steps) return Stop::Steps;
  if (t.epoch_progress() >= max_epochs_) return Stop::Epochs;
  if (budget_) return t.budget_spent() ? Stop::Budget : Stop::None;
  if (elapsed >= run_seconds_) return Stop::Minutes;
  return Stop::None;
}

double RunLimits::steps_total() const {
  double total = (max_epochs_ - start_epoch_) * static_cast<double>(steps_per_epoch_);
  if (o_.max_steps > 0) total = std::min(total, static_cast<double>(o_.max_steps - start_iteration_));
  return total;
}

bool RunLimits::endless() const { return std::isinf(steps_total()) && std::isinf(run_seconds_); }

double RunLimits::fraction_done(const charrnn::Trainer& t, double elapsed) const {
  if (endless()) return std::numeric_limits<double>::quiet_NaN();
  double f = 0;
  const double steps = steps_total();
  if (std::isfinite(steps))
    f = steps > 0 ? static_cast<double>(t.iteration() - start_iteration_) / steps : 1.0;
  if (std::isfinite(run_seconds_)) f = std::max(f, run_seconds_ > 0 ? elapsed / run_seconds_ : 1.0);
  return std::clamp(f, 0.0, 1.0);
}

double RunLimits::seconds_left(const charrnn::Trainer& t, double elapsed) const {
  double left = kInf;
  const int64_t done = t.iteration() - start_iteration_;
  if (done > 0 && std::isfinite(steps_total()))
    left = (steps_total() - static_cast<double>(done)) * elapsed / static_cast<double>(done);
  left = std::min(left, run_seconds_ - elapsed);
  return std::isfinite(left) ? std::max(0.0, left) : std::numeric_limits<double>::quiet_NaN();
}

std::string RunLimits::describe(Stop s) const {
  char buf[160];
  switch (s) {
    case Stop::Steps:
      return "--max-steps " + std::to_string(o_.max_steps) + " reached";
    case Stop::Epochs:
      std::snprintf(buf, sizeof buf, "--max-epochs %g reached%s", o_.max_epochs,
                    o_.max_epochs_given ? "" : " (the default without --max-minutes)");
      return buf;
    case Stop::Budget:
      if (resumed_budget_) return "the checkpoint's time budget is spent";
      std::snprintf(buf, sizeof buf, "the %s budget (--max-minutes %g) is spent", minutes_words(o_.max_minutes).c_str(),
                    o_.max_minutes);
      return buf;
    case Stop::Minutes:
      std::snprintf(buf, sizeof buf, "--max-minutes %g reached", o_.max_minutes);
      return buf;
    case Stop::None:
      break;
  }
  return "";
}

}  // namespace charrnn_cli
