#include "training_run.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "file_io.h"
#include "interrupt.h"
#include "files/model_file.h"

namespace charrnn_cli {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string with_thousands(long long n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); i++) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string describe_run(const charrnn::Trainer& t) {
  const charrnn::ModelConfig& m = t.model().config;
  const charrnn::TrainConfig& c = t.config();
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "%d-layer %s, hidden %s, embedding %d, dropout %g: %s parameters, %d symbols.\n"
                "%s training and %s validation characters%s; batch %d x %d characters, %s steps per epoch; %s, "
                "learning rate %g; %d thread%s.",
                m.layers, charrnn::cell_name(m.cell), charrnn::hidden_sizes_label(m).c_str(), m.embed_size, m.dropout,
                with_thousands(static_cast<long long>(t.model().params.size())).c_str(), m.vocab_size,
                with_thousands(static_cast<long long>(t.train_chars())).c_str(),
                with_thousands(static_cast<long long>(t.val_chars())).c_str(), c.lines ? " (each line an example)" : "",
                c.batch_size, c.seq_len,
                with_thousands(t.steps_per_epoch()).c_str(), charrnn::optimizer_name(c.optimizer), t.learning_rate(),
                t.shards(), t.shards() == 1 ? "" : "s");
  return buf;
}

std::string step_and_val(int64_t step, double val) {
  char buf[96];
  if (std::isnan(val)) std::snprintf(buf, sizeof buf, "step %lld: ", static_cast<long long>(step));
  else std::snprintf(buf, sizeof buf, "step %lld: validation loss %.4f, ", static_cast<long long>(step), val);
  return buf;
}

}  // namespace

TrainingRun::TrainingRun(const TrainOptions& o, charrnn::Trainer& t)
    : o_(o), t_(t), bar_(!o.quiet && !o.log_json), start_(Clock::now()), start_iteration_(t.iteration()) {}

int TrainingRun::run() {
  say(describe_run(t_));
  if (t_.iteration() > 0) say("Resuming at step " + std::to_string(t_.iteration()) + ".");
  ensure_directory(o_.checkpoint_dir);
  if (const Stop s = stop_reason(); s != Stop::None) {
    // Still writes --save: this is how a checkpoint becomes a (float16) model file.
    write_model();
    say("Nothing to train: the checkpoint is already at the limit (" + describe(s) + ")." +
        (o_.save.empty() ? "" : "\nModel: " + o_.save));
    return 0;
  }
  install_interrupt_handler();
  for (;;) {
    const auto step_start = Clock::now();
    const charrnn::StepResult r = t_.step();
    train_seconds_ += seconds_since(step_start);
    chars_trained_ += r.chars;
    if (!r.skipped) smoothed_loss_ = std::isnan(smoothed_loss_) ? r.loss : 0.95 * smoothed_loss_ + 0.05 * r.loss;
    const Stop stop = stop_reason();
    const bool evaluate_now = stop != Stop::None || t_.iteration() % o_.eval_every == 0;
    double val = NAN;
    if (evaluate_now) {
      // The final evaluation covers the whole validation split; the periodic ones may be capped.
      const int64_t cap = stop != Stop::None || o_.eval_chars == 0 ? -1 : o_.eval_chars;
      val = last_val_ = t_.evaluate(cap);
    }
    if (o_.log_json) log_step(r, val, evaluate_now);
    bar_.update(progress(), evaluate_now);
    if (stop != Stop::None) return finish(stop);
    if (interrupt_requested()) return interrupted();
    if (evaluate_now) say(step_and_val(t_.iteration(), val) + "checkpoint " + write_checkpoint());
  }
}

TrainingRun::Stop TrainingRun::stop_reason() const {
  if (o_.max_steps > 0 && t_.iteration() >= o_.max_steps) return Stop::Steps;
  if (t_.epoch_progress() >= o_.max_epochs) return Stop::Epochs;
  if (o_.max_minutes > 0 && seconds_since(start_) >= o_.max_minutes * 60) return Stop::Minutes;
  return Stop::None;
}

std::string TrainingRun::describe(Stop s) const {
  char buf[64];
  switch (s) {
    case Stop::Steps: return "--max-steps " + std::to_string(o_.max_steps);
    case Stop::Epochs: std::snprintf(buf, sizeof buf, "--max-epochs %g", o_.max_epochs); return buf;
    case Stop::Minutes: std::snprintf(buf, sizeof buf, "--max-minutes %g", o_.max_minutes); return buf;
    case Stop::None: break;
  }
  return "";
}

// Steps to go before the nearest step or epoch limit (the time limit is handled in progress()).
double TrainingRun::steps_left() const {
  double left = (o_.max_epochs - t_.epoch_progress()) * static_cast<double>(t_.steps_per_epoch());
  if (o_.max_steps > 0) left = std::min(left, static_cast<double>(o_.max_steps - t_.iteration()));
  return std::max(0.0, left);
}

Progress TrainingRun::progress() const {
  Progress p;
  p.step = t_.iteration();
  p.epoch = t_.epoch_progress();
  p.loss = smoothed_loss_;
  p.val_loss = last_val_;
  const double elapsed = seconds_since(start_);
  const int64_t steps_done = t_.iteration() - start_iteration_;
  // Characters predicted, not batch × sequence length: a padded line's padding is no work done.
  p.chars_per_second = train_seconds_ > 0 ? static_cast<double>(chars_trained_) / train_seconds_ : 0;
  // Time left at the pace so far, evaluations included.
  double left = steps_done > 0 ? steps_left() * elapsed / static_cast<double>(steps_done) : NAN;
  if (o_.max_minutes > 0) left = std::min(std::isnan(left) ? 1e300 : left, o_.max_minutes * 60 - elapsed);
  p.seconds_left = std::max(0.0, left);
  p.fraction_done = elapsed / (elapsed + p.seconds_left);
  return p;
}

void TrainingRun::log_step(const charrnn::StepResult& r, double val, bool evaluated) const {
  nlohmann::json line = {{"step", t_.iteration()}, {"epoch", t_.epoch_progress()}, {"loss", r.loss},
                         {"skipped", r.skipped},   {"grad_norm", r.grad_norm},    {"lr", t_.learning_rate()}};
  if (evaluated) line["val_loss"] = val;  // null when there is no validation split
  std::printf("%s\n", line.dump().c_str());
  std::fflush(stdout);
}

std::string TrainingRun::write_checkpoint() const {
  const std::string path = o_.checkpoint_dir + "/checkpoint-step" + std::to_string(t_.iteration()) + ".safetensors";
  write_file_atomically(path, charrnn::save_model(t_.model(), &t_, {/*checkpoint=*/true, /*f16=*/false}));
  return path;
}

void TrainingRun::write_model() const {
  if (o_.save.empty()) return;
  write_file_atomically(o_.save, charrnn::save_model(t_.model(), &t_, {/*checkpoint=*/false, o_.f16}));
}

int TrainingRun::finish(Stop stop) {
  const std::string checkpoint = write_checkpoint();
  write_model();
  bar_.clear();
  char summary[192];
  std::snprintf(summary, sizeof summary, "Finished at step %lld, epoch %.2f (%s), in %s (training %.0f chars/s)",
                static_cast<long long>(t_.iteration()), t_.epoch_progress(), describe(stop).c_str(),
                format_duration(seconds_since(start_)).c_str(), progress().chars_per_second);
  std::string text = summary;
  if (!std::isnan(last_val_)) {
    char val[96];
    std::snprintf(val, sizeof val, ": validation loss %.4f nats/char", last_val_);
    text += val;
  }
  text += ".\nCheckpoint: " + checkpoint;
  if (!o_.save.empty()) text += "\nModel: " + o_.save;
  say(text);
  return 0;
}

int TrainingRun::interrupted() {
  const std::string checkpoint = write_checkpoint();
  write_model();
  bar_.clear();
  // Said even with --quiet: the user asked for it and needs the path.
  std::fprintf(stderr,
               "Interrupted at step %lld: checkpoint saved to %s%s%s.\nResume with: charrnn train --data %s --resume %s\n",
               static_cast<long long>(t_.iteration()), checkpoint.c_str(), o_.save.empty() ? "" : ", model to ",
               o_.save.c_str(), o_.data.c_str(), checkpoint.c_str());
  return 128 + interrupt_signal();
}

void TrainingRun::say(const std::string& text) {
  if (!o_.quiet) bar_.message(text);
}

}  // namespace charrnn_cli
