#include "trainer.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "errors.h"
#include "utf8.h"

namespace charrnn {

SplitText split_text(const Vocab& vocab, const std::string& utf8_text, const TrainConfig& config) {
  std::vector<int32_t> ids = vocab.encode(utf8_text, "training text");
  if (ids.empty()) throw Error("The text is empty. Paste or load some text to train on.");
  const size_t n = ids.size();
  const size_t n_val = static_cast<size_t>(static_cast<double>(n) * config.val_fraction);
  const size_t need = static_cast<size_t>(config.seq_len) + 1;
  if (n - n_val < need) {
    const size_t total_need = static_cast<size_t>(std::ceil(static_cast<double>(need) / (1.0 - config.val_fraction)));
    throw Error("The text is too short: it has " + std::to_string(n) + " characters, and a sequence length of " +
                std::to_string(config.seq_len) + " needs at least " + std::to_string(total_need) +
                " (including the validation part). Use more text or a shorter sequence length.");
  }
  SplitText s;
  s.train.assign(ids.begin(), ids.end() - static_cast<std::ptrdiff_t>(n_val));
  s.val.assign(ids.end() - static_cast<std::ptrdiff_t>(n_val), ids.end());
  return s;
}

Model create_model_for_text(const std::string& utf8_text, ModelConfig config, const TrainConfig& train) {
  validate(train);
  Vocab vocab = Vocab::from_text(utf8_text);
  if (vocab.size() < 2)
    throw Error("The text has only one distinct character (" + describe_code_point(vocab.symbols()[0]) +
                "): there is nothing to predict. Use a text with at least two different characters.");
  config.vocab_size = vocab.size();
  validate(config);
  check_memory(config, train);
  return Model::create(config, vocab, train.seed);
}

Trainer::Trainer(Model model, const TrainConfig& config, const std::string& utf8_text)
    : model_(std::move(model)), config_(config), rng_(config.seed ^ 0xD1B54A32D192ED03ull), lr_(config.learning_rate) {
  validate(config_);
  validate(model_.config);
  check_memory(model_.config, config_);
  text_ = split_text(model_.vocab, utf8_text, config_);
  const int B = config_.batch_size, T = config_.seq_len;
  streams_ = TextStreams(&text_.train, B, T);
  acts_.allocate(model_.config, B, T);
  state_.resize(model_.config.layers, B, model_.config.hidden_size);
  eval_state_.resize(model_.config.layers, B, model_.config.hidden_size);
  opt_.reset(config_.optimizer, model_.params.size());
  grads_.assign(model_.params.size(), 0.0f);
  inputs_.assign(static_cast<size_t>(B) * T, 0);
  targets_.assign(static_cast<size_t>(B) * T, 0);
}

void Trainer::set_text(const std::string& utf8_text) {
  SplitText fresh = split_text(model_.vocab, utf8_text, config_);  // throws before anything changes
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

Trainer::Resumable Trainer::resumable() const {
  Resumable r{iteration_, epoch_, streams_.step_in_epoch(), lr_, {}};
  rng_.get_state(r.rng_state);
  return r;
}

void Trainer::restore(const Resumable& r) {
  iteration_ = r.iteration;
  epoch_ = r.epoch;
  streams_.set_step_in_epoch(r.step_in_epoch);
  lr_ = r.learning_rate;
  rng_.set_state(r.rng_state);
}

}  // namespace charrnn
