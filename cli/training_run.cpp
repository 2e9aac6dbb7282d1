#include "training_run.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "file_io.h"
#include "interrupt.h"
#include "files/model_file.h"
#include "recipe_settings.h"

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
                with_thousands(t.steps_per_epoch()).c_str(), charrnn::optimizer_name(c.optimizer), c.learning_rate,
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

TrainingRun::TrainingRun(const TrainOptions& o, charrnn::Trainer& t, std::string preamble)
    : o_(o),
      t_(t),
      preamble_(std::move(preamble)),
      bar_(!o.quiet && !o.log_json),
      start_(Clock::now()),
      limits_(o, t),
      evals_(o.eval_every, o.evals),
      kept_(o, t) {}

double TrainingRun::elapsed() const { return seconds_since(start_); }

int64_t TrainingRun::periodic_chars() const { return o_.eval_chars == 0 ? -1 : o_.eval_chars; }

int TrainingRun::run() {
  if (!preamble_.empty()) say(preamble_);
  say(describe_run(t_) + "\n" + schedule_words(t_.budget(), t_.config()) + limits_.time_note());
  if (t_.iteration() > 0) {
    char rate[64];
    std::snprintf(rate, sizeof rate, " (learning rate now %.3g).", t_.learning_rate());
    say("Resuming at step " + std::to_string(t_.iteration()) + rate);
  }
  ensure_directory(o_.checkpoint_dir);
  if (const RunLimits::Stop s = limits_.stop(t_, 0); s != RunLimits::Stop::None) {
    // Still writes --save: this is how a checkpoint becomes a (float16) model file.
    for (const std::string& path : {o_.save, o_.save_latest})
      if (!path.empty()) write_file_atomically(path, charrnn::save_model(t_.model(), &t_, {false, o_.f16}));
    say("Nothing to train: the checkpoint is already at the limit (" + limits_.describe(s) + ")." +
        (o_.save.empty() ? "" : "\nModel: " + o_.save + " (the checkpoint's weights, step " +
                                    std::to_string(t_.iteration()) + ")"));
    return 0;
  }
  install_interrupt_handler();
  for (;;) {
    const auto step_start = Clock::now();
    const charrnn::StepResult r = t_.step();
    train_seconds_ += seconds_since(step_start);
    chars_trained_ += r.chars;
    if (!r.skipped) smoothed_loss_ = std::isnan(smoothed_loss_) ? r.loss : 0.95 * smoothed_loss_ + 0.05 * r.loss;
    limits_.set_clock(t_, elapsed());
    const RunLimits::Stop stop = limits_.stop(t_, elapsed());
    const bool evaluate_now =
        stop != RunLimits::Stop::None || evals_.due(t_.iteration(), limits_.fraction_done(t_, elapsed()), elapsed());
    // The final evaluation covers the whole validation split (KeptWeights compares it with the
    // best); the periodic ones may be capped.
    double val = NAN;
    if (stop != RunLimits::Stop::None) val = last_val_ = t_.evaluate(-1);
    else if (evaluate_now) val = evaluate(periodic_chars());
    if (o_.log_json) log_step(r, val, evaluate_now);
    bar_.update(progress(), evaluate_now);
    if (stop != RunLimits::Stop::None) return finish(stop);
    if (interrupt_requested()) return interrupted();
    if (evaluate_now) say(step_and_val(t_.iteration(), val) + "checkpoint " + write_checkpoint());
  }
}

double TrainingRun::evaluate(int64_t max_chars) {
  const double val = last_val_ = t_.evaluate(max_chars);
  if (t_.observe_validation(val)) {  // until stopped: a plateau
    char buf[160];
    std::snprintf(buf, sizeof buf, "Validation loss has not improved for a while: the learning rate halves to %.3g.",
                  t_.learning_rate());
    say(buf);
  }
  kept_.offer(t_, val);
  return val;
}

Progress TrainingRun::progress() const {
  Progress p;
  p.step = t_.iteration();
  p.epoch = t_.epoch_progress();
  p.loss = smoothed_loss_;
  p.val_loss = last_val_;
  // Characters predicted, not batch × sequence length: a padded line's padding is no work done.
  p.chars_per_second = train_seconds_ > 0 ? static_cast<double>(chars_trained_) / train_seconds_ : 0;
  const double done = limits_.fraction_done(t_, elapsed());
  p.fraction_done = std::isnan(done) ? 0 : done;
  p.seconds_left = limits_.seconds_left(t_, elapsed());
  p.endless = limits_.endless();
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

int TrainingRun::finish(RunLimits::Stop stop) {
  const std::string checkpoint = write_checkpoint();  // the last step's state, to resume from
  const std::string kept = kept_.finish(t_, last_val_, /*whole=*/true);
  bar_.clear();
  char summary[192];
  std::snprintf(summary, sizeof summary, "Finished at step %lld, epoch %.2f, in %s (training %.0f chars/s): ",
                static_cast<long long>(t_.iteration()), t_.epoch_progress(), format_duration(elapsed()).c_str(),
                progress().chars_per_second);
  std::string text = summary + limits_.describe(stop) + ".";
  if (!std::isnan(last_val_)) {
    char val[96];
    std::snprintf(val, sizeof val, " Validation loss %.4f nats/char.", last_val_);
    text += val;
  }
  say(text + "\nCheckpoint: " + checkpoint + kept);
  return 0;
}

int TrainingRun::interrupted() {
  // The last weights compete with the best as the periodic evaluations measure them (quick).
  const bool saving = !o_.save.empty() || !o_.save_latest.empty();
  const double val = saving ? t_.evaluate(periodic_chars()) : NAN;
  const std::string checkpoint = write_checkpoint();
  const std::string kept = kept_.finish(t_, val, /*whole=*/false);
  bar_.clear();
  // Said even with --quiet: the user asked for it and needs the paths.
  std::fprintf(stderr, "Interrupted at step %lld: checkpoint saved to %s.%s\nResume with: charrnn train --data %s --resume %s\n",
               static_cast<long long>(t_.iteration()), checkpoint.c_str(), kept.c_str(), o_.data.c_str(),
               checkpoint.c_str());
  return 128 + interrupt_signal();
}

void TrainingRun::say(const std::string& text) {
  if (!o_.quiet) bar_.message(text);
}

}  // namespace charrnn_cli
