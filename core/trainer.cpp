#include "trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "errors.h"
#include "utf8.h"

namespace charrnn {

Model create_model_for_text(const std::vector<char32_t>& chars, ModelConfig config, const TrainConfig& train) {
  validate(train);
  Vocab vocab = Vocab::from_chars(chars);
  if (vocab.size() < 2)
    throw Error("The text has only one distinct character (" + describe_code_point(vocab.symbols()[0]) +
                "): there is nothing to predict. Use a text with at least two different characters.");
  config.vocab_size = vocab.size();
  validate(config);
  check_memory(config, train);
  return Model::create(config, vocab, train.seed);
}

Model create_model_for_text(const std::string& utf8_text, ModelConfig config, const TrainConfig& train) {
  return create_model_for_text(decode_training_text(utf8_text), config, train);
}

Trainer::Trainer(Model model, const TrainConfig& config, const std::string& utf8_text)
    : Trainer(std::move(model), config, decode_training_text(utf8_text)) {}

Trainer::Trainer(Model model, const TrainConfig& config, const std::vector<char32_t>& chars)
    : model_(std::move(model)), config_(config), rng_(config.seed ^ 0xD1B54A32D192ED03ull), lr_(config.learning_rate) {
  validate(config_);
  validate(model_.config);
  check_memory(model_.config, config_);
  text_ = split_text(model_.vocab, chars, config_);
  const int B = config_.batch_size, T = config_.seq_len;
  streams_ = TextStreams(&text_.train, B, T);
  acts_.allocate(model_.config, B, T, Activations::Use::Training);
  state_.resize(model_.config.layers, B, model_.config.hidden_size);
  eval_state_.resize(model_.config.layers, B, model_.config.hidden_size);
  opt_.reset(config_.optimizer, model_.params.size());
  grads_.assign(model_.params.size(), 0.0f);
  inputs_.assign(static_cast<size_t>(B) * T, 0);
  targets_.assign(static_cast<size_t>(B) * T, 0);
}

std::unique_ptr<Trainer> Trainer::for_new_model(const std::string& utf8_text, const ModelConfig& model,
                                                const TrainConfig& config) {
  const std::vector<char32_t> chars = decode_training_text(utf8_text);
  return std::make_unique<Trainer>(create_model_for_text(chars, model, config), config, chars);
}

void Trainer::set_text(const std::string& utf8_text) {
  SplitText fresh = split_text(model_.vocab, decode_training_text(utf8_text), config_);  // throws before anything changes
  text_ = std::move(fresh);
  streams_ = TextStreams(&text_.train, config_.batch_size, config_.seq_len);
  state_.zero();
}

void Trainer::set_learning_rate(float lr) {
  if (!std::isfinite(lr) || lr < 0.0f || lr > 1e4f) throw Error("The learning rate must be between 0 and 10000.");
  lr_ = lr;
}

double Trainer::epoch_progress() const {
  // After an epoch's last step the streams are back at step 0 but epoch_ only advances when the
  // next epoch starts: count the finished epoch as done, or progress would drop from ~1 to 0.
  const int64_t k = streams_.step_in_epoch();
  if (k == 0 && iteration_ > 0) return static_cast<double>(epoch_ + 1);
  return static_cast<double>(epoch_) + static_cast<double>(k) / static_cast<double>(streams_.steps_per_epoch());
}

StepResult Trainer::step() {
  ensure_rollback_point();
  StepResult r;
  r.epoch_start = streams_.next(inputs_.data(), targets_.data());
  if (r.epoch_start) {
    if (iteration_ > 0) epoch_++;
    state_.zero();
  }
  iteration_++;
  learn_from_batch(r);
  // The schedule follows the iteration count: a skipped step still counts toward the decay.
  if (config_.lr_decay_every > 0 && iteration_ % config_.lr_decay_every == 0) lr_ *= config_.lr_decay;
  return r;
}

TrainSummary Trainer::train(int max_steps, double max_seconds) {
  if (max_steps < 1 || max_steps > 1000000) throw Error("Training takes 1 to 1,000,000 steps at a time.");
  if (!(max_seconds > 0.0)) throw Error("The training time limit must be a positive number of seconds.");
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  TrainSummary s;
  while (s.steps < max_steps) {
    const StepResult r = step();
    s.steps++;
    if (r.skipped) {
      s.skipped++;
    } else {
      s.applied++;
      s.loss_sum += r.loss;
      s.grad_norm = r.grad_norm;
    }
    if (std::chrono::duration<double>(Clock::now() - start).count() >= max_seconds) break;
  }
  if (s.applied > 0) s.loss = static_cast<float>(s.loss_sum / s.applied);
  s.diverged = (s.applied == 0 && s.skipped > 0) || (s.applied > 0 && s.loss > diverged_loss());
  return s;
}

void Trainer::learn_from_batch(StepResult& r) {
  const int B = config_.batch_size, T = config_.seq_len;
  const double loss_sum = model_forward(model_, acts_, state_, inputs_.data(), targets_.data(), B, T, &rng_);
  r.loss = static_cast<float>(loss_sum / (static_cast<double>(B) * T));
  if (!std::isfinite(r.loss)) {
    r.skipped = true;
    return;
  }
  std::fill(grads_.begin(), grads_.end(), 0.0f);
  model_backward(model_, acts_, inputs_.data(), targets_.data(), B, T, grads_.data());
  double sq = 0.0;
  for (float g : grads_) sq += static_cast<double>(g) * g;
  r.grad_norm = static_cast<float>(std::sqrt(sq));
  if (!std::isfinite(r.grad_norm)) {
    r.skipped = true;
    return;
  }
  if (config_.grad_clip > 0.0f && r.grad_norm > config_.grad_clip) {
    const float scale = config_.grad_clip / r.grad_norm;
    for (float& g : grads_) g *= scale;
  }
  if (config_.grad_clip_value > 0.0f) {
    const float v = config_.grad_clip_value;
    for (float& g : grads_) g = std::min(v, std::max(-v, g));
  }
  optimizer_update(opt_, config_, lr_, model_.layout, model_.params.data(), grads_.data());
  read_final_state(model_, acts_, B, T, state_);
}

double Trainer::evaluate(int64_t max_chars) {
  int64_t usable = static_cast<int64_t>(text_.val.size()) - 1;
  if (max_chars >= 0) usable = std::min(usable, max_chars);
  if (usable < 1) return std::numeric_limits<double>::quiet_NaN();
  const int T = config_.seq_len;
  const int Be = static_cast<int>(std::clamp<int64_t>(usable / T, 1, config_.batch_size));
  const int64_t L = usable / Be;  // each evaluation stream covers L predictions
  eval_state_.zero();
  double loss = 0.0;
  for (int64_t t0 = 0; t0 < L; t0 += T) {
    const int Tc = static_cast<int>(std::min<int64_t>(T, L - t0));
    for (int t = 0; t < Tc; t++) {
      for (int b = 0; b < Be; b++) {
        const size_t pos = static_cast<size_t>(b * L + t0 + t);
        inputs_[static_cast<size_t>(t) * Be + b] = text_.val[pos];
        targets_[static_cast<size_t>(t) * Be + b] = text_.val[pos + 1];
      }
    }
    loss += model_forward(model_, acts_, eval_state_, inputs_.data(), targets_.data(), Be, Tc, nullptr);
    read_final_state(model_, acts_, Be, Tc, eval_state_);
  }
  return loss / static_cast<double>(L * Be);
}

double Trainer::diverged_loss() const { return 2.0 * std::log(static_cast<double>(model_.config.vocab_size)) + 1.0; }

Trainer::Snapshot Trainer::take_snapshot(double val_loss) const {
  return Snapshot{model_.params, opt_, state_, resumable(), val_loss};
}

void Trainer::ensure_rollback_point() {
  if (!good_) good_ = std::make_unique<Snapshot>(take_snapshot(std::numeric_limits<double>::quiet_NaN()));
}

bool Trainer::mark_good(double val_loss) {
  if (!std::isfinite(val_loss)) return false;
  const double reference = good_ ? good_->val_loss : std::numeric_limits<double>::quiet_NaN();
  const bool healthy = std::isfinite(reference) ? val_loss <= reference * 1.2 + 0.1 : val_loss < diverged_loss();
  if (!healthy) return false;
  if (good_) {
    // Reuse the buffers: this runs every few seconds while training.
    good_->params = model_.params;
    good_->optimizer = opt_;
    good_->state = state_;
    good_->resumable = resumable();
    good_->val_loss = val_loss;
  } else {
    good_ = std::make_unique<Snapshot>(take_snapshot(val_loss));
  }
  return true;
}

Trainer::RolledBack Trainer::roll_back() {
  const float blown_at = lr_;
  ensure_rollback_point();  // before any step: the weights as they are
  const Snapshot& s = *good_;
  model_.params = s.params;
  opt_ = s.optimizer;
  state_ = s.state;
  iteration_ = s.resumable.iteration;
  epoch_ = s.resumable.epoch;
  streams_.set_step_in_epoch(s.resumable.step_in_epoch);
  lr_ = s.resumable.learning_rate;
  rng_.set_state(s.resumable.rng_state);
  return {iteration_, s.val_loss, lr_, std::min(blown_at / 10.0f, lr_)};
}

Trainer::Resumable Trainer::resumable() const {
  Resumable r{iteration_, epoch_, streams_.step_in_epoch(), lr_, {}};
  rng_.get_state(r.rng_state);
  return r;
}

void Trainer::restore(const Resumable& r, const OptimizerState& optimizer, const RecurrentState& state) {
  // Everything is checked before anything changes: a refused checkpoint leaves the trainer as it was.
  if (optimizer.m.size() != model_.params.size() || state.H != state_.H || state.layers != state_.layers)
    throw Error("The checkpoint does not match this model (its size or vocabulary differs). "
                "Resume it with the model it was saved with.");
  if (optimizer.type != config_.optimizer)
    throw Error(std::string("The checkpoint was trained with ") + optimizer_name(optimizer.type) +
                " but the training settings say " + optimizer_name(config_.optimizer) + ".");
  if (state.B != state_.B) throw Error("The checkpoint's batch size does not match the training settings.");
  if (!std::isfinite(r.learning_rate) || r.learning_rate < 0.0f)
    throw Error("The checkpoint's learning rate is not a valid number.");
  iteration_ = r.iteration;
  epoch_ = r.epoch;
  streams_.set_step_in_epoch(r.step_in_epoch);
  lr_ = r.learning_rate;
  rng_.set_state(r.rng_state);
  opt_ = optimizer;
  state_ = state;
  good_.reset();  // the restored weights are the rollback point until a validation says otherwise
}

}  // namespace charrnn
