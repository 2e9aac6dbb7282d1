#include "training/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "errors.h"
#include "text/line_examples.h"
#include "text/text_lines.h"
#include "text/text_streams.h"
#include "text/utf8.h"

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

namespace {

double monotonic_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Stream b's dropout generator: independent streams from one seed (splitmix64 inside Rng spreads
// neighbouring seeds apart).
Rng stream_rng(uint64_t seed, int b) {
  return Rng(seed ^ 0xD1B54A32D192ED03ull ^ (static_cast<uint64_t>(b) * 0x9E3779B97F4A7C15ull));
}

SplitText split_for(const Vocab& vocab, const std::vector<char32_t>& chars, const TrainConfig& config) {
  return config.lines ? split_lines(vocab, chars, config) : split_text(vocab, chars, config);
}

// Zeroes stream b's rows [b*H_l, (b+1)*H_l) of every layer's h (and c, when the cell has one).
void zero_stream(RecurrentState& s, int b) {
  for (auto* part : {&s.h, &s.c})
    for (size_t l = 0; l < part->size(); l++) {
      std::vector<float>& layer = (*part)[l];
      if (!layer.empty()) std::fill_n(layer.begin() + static_cast<std::ptrdiff_t>(b) * s.H[l], s.H[l], 0.0f);
    }
}

int64_t count_targets(const std::vector<int32_t>& targets) {
  return static_cast<int64_t>(std::count_if(targets.begin(), targets.end(), [](int32_t t) { return t != kNoTarget; }));
}

}  // namespace

Trainer::Trainer(Model model, const TrainConfig& config, const std::string& utf8_text, Parallelism parallelism)
    : Trainer(std::move(model), config, decode_training_text(utf8_text), std::move(parallelism)) {}

Trainer::Trainer(Model model, const TrainConfig& config, const std::vector<char32_t>& chars, Parallelism parallelism)
    : model_(std::move(model)), config_(config), parallel_for_(std::move(parallelism.parallel_for)),
      lr_(config.learning_rate), peak_lr_(config.learning_rate) {
  validate(config_);
  validate(model_.config);
  const int B = config_.batch_size, T = config_.seq_len;
  if (parallelism.shards < 1 || parallelism.shards > B)
    throw Error("The number of threads must be between 1 and the batch size (" + std::to_string(B) + ").");
  const int N = parallelism.shards;
  check_memory(model_.config, config_, kMaxTrainingBytes, N);
  text_ = split_for(model_.vocab, chars, config_);
  model_.lines = config_.lines;
  make_source();
  shards_.resize(static_cast<size_t>(N));
  for (int s = 0; s < N; s++) {
    const int first = shard_first_stream(B, N, s);
    shards_[static_cast<size_t>(s)].allocate(model_.config, first, shard_first_stream(B, N, s + 1) - first, T,
                                             model_.params.size());
  }
  for (int b = 0; b < B; b++) stream_rngs_.push_back(stream_rng(config_.seed, b));
  opt_.reset(config_.optimizer, model_.params.size());
  inputs_.assign(static_cast<size_t>(B) * T, 0);
  targets_.assign(static_cast<size_t>(B) * T, 0);
}

std::unique_ptr<Trainer> Trainer::for_new_model(const std::string& utf8_text, const ModelConfig& model,
                                                const TrainConfig& config, Parallelism parallelism) {
  const std::vector<char32_t> chars = decode_training_text(utf8_text);
  return std::make_unique<Trainer>(create_model_for_text(chars, model, config), config, chars, std::move(parallelism));
}

void Trainer::run_parallel(int count, const std::function<void(int)>& body) const {
  if (parallel_for_ && count > 1) parallel_for_(count, body);
  else for (int i = 0; i < count; i++) body(i);
}

RecurrentState Trainer::carried_state() const {
  const ModelConfig& c = model_.config;
  RecurrentState all;
  all.resize(c, config_.batch_size);
  for (const Shard& s : shards_)
    for (int l = 0; l < c.layers; l++) {
      const size_t L = static_cast<size_t>(l), H = static_cast<size_t>(c.hidden(l));
      std::copy(s.state.h[L].begin(), s.state.h[L].end(), all.h[L].begin() + static_cast<std::ptrdiff_t>(s.first * H));
      std::copy(s.state.c[L].begin(), s.state.c[L].end(), all.c[L].begin() + static_cast<std::ptrdiff_t>(s.first * H));
    }
  return all;
}

void Trainer::set_carried_state(const RecurrentState& all) {
  const bool has_c = model_.cell().has_cell_state;  // otherwise `all` may hold no c at all
  for (Shard& s : shards_)
    for (int l = 0; l < model_.config.layers; l++) {
      const size_t H = static_cast<size_t>(model_.config.hidden(l));
      const size_t L = static_cast<size_t>(l), from = s.first * H, n = static_cast<size_t>(s.count) * H;
      std::copy_n(all.h[L].begin() + static_cast<std::ptrdiff_t>(from), n, s.state.h[L].begin());
      if (has_c) std::copy_n(all.c[L].begin() + static_cast<std::ptrdiff_t>(from), n, s.state.c[L].begin());
    }
}

void Trainer::zero_carried_state() {
  for (Shard& s : shards_) s.state.zero();
}

void Trainer::make_source() {
  const int B = config_.batch_size, T = config_.seq_len;
  if (config_.lines)
    source_ = std::make_unique<LineExamples>(&text_.train, model_.vocab.id(U'\n'), B, T, config_.seed,
                                             LineExamples::AtEnd::Wrap);
  else
    source_ = std::make_unique<TextStreams>(&text_.train, B, T);
  fresh_.assign(static_cast<size_t>(B), 1);
}

void Trainer::set_text(const std::string& utf8_text) {
  check_between_steps("change the text");
  SplitText fresh = split_for(model_.vocab, decode_training_text(utf8_text), config_);  // throws before anything changes
  text_ = std::move(fresh);
  make_source();
  zero_carried_state();
}

void Trainer::set_learning_rate(float lr) {
  if (!std::isfinite(lr) || lr < 0.0f || lr > 1e4f) throw Error("The learning rate must be between 0 and 10000.");
  lr_ = lr;
  if (schedule_.active()) peak_lr_ = static_cast<float>(lr / schedule_.factor(clock_));
}

void Trainer::set_budget(double seconds) {
  const bool had = schedule_.active();
  schedule_.set_budget(seconds);  // throws on a bad budget, changing nothing
  if (!had) peak_lr_ = lr_;
  if (schedule_.active()) lr_ = static_cast<float>(peak_lr_ * schedule_.factor(clock_));
}

void Trainer::set_clock(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0.0) throw Error("The training clock must be a number of seconds from 0.");
  clock_ = seconds;
  if (schedule_.active()) lr_ = static_cast<float>(peak_lr_ * schedule_.factor(clock_));
}

bool Trainer::budget_spent() const {
  return schedule_.active() && !schedule_.until_stopped() && clock_ >= schedule_.budget();
}

bool Trainer::observe_validation(double val_loss) {
  const bool lowered = schedule_.observe_validation(clock_, val_loss);
  if (schedule_.active()) lr_ = static_cast<float>(peak_lr_ * schedule_.factor(clock_));
  return lowered;
}

void Trainer::set_dropout(float p) {
  if (!std::isfinite(p) || p < 0.0f || p > 0.95f) throw Error("Dropout must be between 0 and 0.95.");
  const bool had_masks = model_.config.dropout > 0.0f;
  model_.config.dropout = p;
  // Activations hold the masks' buffers only when dropout is on: a model trained without it gets them now.
  if (!had_masks && p > 0.0f)
    for (Shard& s : shards_) s.acts.allocate(model_.config, s.count, config_.seq_len, Activations::Use::Training);
}

void Trainer::set_weights(const std::vector<float>& params) {
  if (params.size() != model_.params.size())
    throw Error("These weights belong to another model (" + std::to_string(params.size()) + " parameters, not " +
                std::to_string(model_.params.size()) + ").");
  model_.params = params;
}

void Trainer::start_at_iteration(int64_t iteration) {
  if (good_ || iteration_ != 0) throw Error("The iteration count can only be set before training starts.");
  if (iteration < 0) throw Error("The iteration count cannot be negative.");
  iteration_ = iteration;
}

double Trainer::epoch_progress() const {
  // After an epoch's last step the streams are back at step 0 but epoch_ only advances when the
  // next epoch starts: count the finished epoch as done, or progress would drop from ~1 to 0.
  const int64_t k = source_->step_in_epoch();
  if (k == 0 && iteration_ > 0) return static_cast<double>(epoch_ + 1);
  return static_cast<double>(epoch_) + static_cast<double>(k) / static_cast<double>(source_->steps_per_epoch());
}

StepResult Trainer::step() {
  begin_step();
  run_parallel(shards(), [&](int s) { run_shard(s); });
  return finish_step();
}

void Trainer::begin_step() {
  if (in_step_) throw Error("A training step is already under way: finish it first.");
  ensure_rollback_point();
  pending_ = StepResult{};
  pending_.epoch_start = source_->next(inputs_.data(), targets_.data(), fresh_.data());
  if (pending_.epoch_start && iteration_ > 0) epoch_++;
  // A stream starting a new example (every stream at an epoch's start; in lines mode, each new
  // line) starts from the zero state.
  for (Shard& s : shards_)
    for (int b = 0; b < s.count; b++)
      if (fresh_[static_cast<size_t>(s.first + b)]) zero_stream(s.state, b);
  pending_.chars = count_targets(targets_);
  n_targets_ = std::max<int64_t>(1, pending_.chars);  // at least one per stream
  iteration_++;
  for (Shard& s : shards_) s.gather(inputs_.data(), targets_.data(), config_.batch_size, config_.seq_len);
  if (schedule_.active()) lr_ = static_cast<float>(peak_lr_ * schedule_.factor(clock_));
  step_started_ = monotonic_seconds();
  in_step_ = true;
}

void Trainer::run_shard(int s) {
  Shard& shard = shards_.at(static_cast<size_t>(s));
  shard.compute(model_, config_.batch_size, config_.seq_len, stream_rngs_.data() + shard.first);
}

Shard& Trainer::export_shard(int s) {
  Shard& shard = shards_.at(static_cast<size_t>(s));
  shard.pack_state(shard.state, model_.cell().has_cell_state);
  shard.pack_rngs(stream_rngs_.data() + shard.first);
  return shard;
}

void Trainer::import_shard(int s, double loss_sum) {
  Shard& shard = shards_.at(static_cast<size_t>(s));
  shard.loss_sum = loss_sum;
  shard.unpack_rngs(stream_rngs_.data() + shard.first);
  if (std::isfinite(loss_sum)) shard.unpack_state(shard.next_state, model_.cell().has_cell_state);
}

StepResult Trainer::finish_step() {
  if (!in_step_) throw Error("There is no training step to finish: begin one first.");
  in_step_ = false;
  StepResult& r = pending_;
  const int B = config_.batch_size, T = config_.seq_len, N = shards();
  double loss_sum = 0.0;
  for (const Shard& s : shards_) loss_sum += s.loss_sum;
  r.loss = static_cast<float>(loss_sum / static_cast<double>(n_targets_));  // the mean over real targets
  if (std::isfinite(r.loss)) {
    // The batch's gradient: the shards' summed in shard order (so a shard count always gives the
    // same sums), into shard 0's buffer; each thread sums its own slice of the parameters.
    std::vector<float>& grads = shards_[0].grads;
    const size_t P = grads.size();
    run_parallel(N, [&](int part) {
      const size_t lo = P * static_cast<size_t>(part) / static_cast<size_t>(N);
      const size_t hi = P * static_cast<size_t>(part + 1) / static_cast<size_t>(N);
      for (int s = 1; s < N; s++) {
        const float* g = shards_[static_cast<size_t>(s)].grads.data();
        for (size_t i = lo; i < hi; i++) grads[i] += g[i];
      }
    });
    // Each shard scaled its gradient by 1/(T*B), knowing only its own streams (a replica in another
    // worker too). With padded lines the batch's mean is over fewer targets: rescale the sum.
    if (n_targets_ != static_cast<int64_t>(B) * T) {
      const float k = static_cast<float>(static_cast<double>(B) * T / static_cast<double>(n_targets_));
      for (float& g : grads) g *= k;
    }
    double sq = 0.0;
    for (float g : grads) sq += static_cast<double>(g) * g;
    r.grad_norm = static_cast<float>(std::sqrt(sq));
    if (std::isfinite(r.grad_norm)) {
      if (config_.grad_clip > 0.0f && r.grad_norm > config_.grad_clip) {
        const float scale = config_.grad_clip / r.grad_norm;
        for (float& g : grads) g *= scale;
      }
      if (config_.grad_clip_value > 0.0f) {
        const float v = config_.grad_clip_value;
        for (float& g : grads) g = std::min(v, std::max(-v, g));
      }
      optimizer_update(opt_, config_, lr_, model_.layout, model_.params.data(), grads.data());
      for (Shard& s : shards_) std::swap(s.state, s.next_state);
      last_loss_ = r.loss;
    } else {
      r.skipped = true;
    }
  } else {
    r.skipped = true;  // non-finite loss or gradient: nothing changes but the data position
  }
  clock_ += std::max(0.0, monotonic_seconds() - step_started_);
  if (schedule_.active()) {
    lr_ = static_cast<float>(peak_lr_ * schedule_.factor(clock_));
  } else if (config_.lr_decay_every > 0 && iteration_ % config_.lr_decay_every == 0) {
    // The fixed decay follows the iteration count: a skipped step still counts toward it.
    lr_ *= config_.lr_decay;
  }
  return r;
}

void TrainSummary::add(const StepResult& r) {
  steps++;
  chars += r.chars;
  if (r.skipped) {
    skipped++;
  } else {
    applied++;
    loss_sum += r.loss;
    grad_norm = r.grad_norm;
  }
}

void Trainer::conclude(TrainSummary& s) const {
  if (s.applied > 0) s.loss = static_cast<float>(s.loss_sum / s.applied);
  s.diverged = (s.applied == 0 && s.skipped > 0) || (s.applied > 0 && s.loss > diverged_loss());
}

TrainSummary Trainer::train(int max_steps, double max_seconds) {
  if (max_steps < 1 || max_steps > 1000000) throw Error("Training takes 1 to 1,000,000 steps at a time.");
  if (!(max_seconds > 0.0)) throw Error("The training time limit must be a positive number of seconds.");
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  TrainSummary s;
  while (s.steps < max_steps && !budget_spent()) {
    s.add(step());
    if (std::chrono::duration<double>(Clock::now() - start).count() >= max_seconds) break;
  }
  conclude(s);
  s.budget_spent = budget_spent();
  return s;
}

void Trainer::check_between_steps(const char* what) const {
  if (in_step_) throw Error(std::string("Cannot ") + what + " in the middle of a training step: finish it first.");
}

double Trainer::evaluate(int64_t max_chars) {
  check_between_steps("evaluate");  // it runs in the shards' buffers
  if (config_.lines) return evaluate_lines(max_chars);
  int64_t usable = static_cast<int64_t>(text_.val.size()) - 1;
  if (max_chars >= 0) usable = std::min(usable, max_chars);
  if (usable < 1) return std::numeric_limits<double>::quiet_NaN();
  const int T = config_.seq_len;
  const int Be = static_cast<int>(std::clamp<int64_t>(usable / T, 1, config_.batch_size));
  const int64_t L = usable / Be;  // each evaluation stream covers L predictions
  // Evaluation stream b runs on the shard that trains stream b, in that shard's buffers (forward
  // only, no dropout): the streams are independent, so the loss does not depend on the shard count
  // beyond the order of the sums.
  std::vector<double> shard_loss(shards_.size(), 0.0);
  run_parallel(shards(), [&](int si) {
    Shard& s = shards_[static_cast<size_t>(si)];
    const int n = std::clamp(Be - s.first, 0, s.count);  // this shard's evaluation streams
    if (n == 0) return;
    s.eval_state.zero();
    for (int64_t t0 = 0; t0 < L; t0 += T) {
      const int Tc = static_cast<int>(std::min<int64_t>(T, L - t0));
      for (int t = 0; t < Tc; t++) {
        for (int b = 0; b < n; b++) {
          const size_t pos = static_cast<size_t>((s.first + b) * L + t0 + t);
          s.inputs[static_cast<size_t>(t) * n + b] = text_.val[pos];
          s.targets[static_cast<size_t>(t) * n + b] = text_.val[pos + 1];
        }
      }
      shard_loss[static_cast<size_t>(si)] +=
          model_forward(model_, s.acts, s.eval_state, s.inputs.data(), s.targets.data(), n, Tc, nullptr);
      read_final_state(model_, s.acts, n, Tc, s.eval_state);
    }
  });
  double loss = 0.0;
  for (double l : shard_loss) loss += l;
  return loss / static_cast<double>(L * Be);
}

double Trainer::evaluate_lines(int64_t max_chars) {
  const int32_t nl = model_.vocab.id(U'\n');
  // Whole lines, up to max_chars (at least the first line).
  std::vector<int32_t> val = text_.val;
  if (max_chars >= 0 && static_cast<int64_t>(val.size()) > max_chars) {
    auto end = val.begin() + static_cast<std::ptrdiff_t>(max_chars);
    auto last_break = std::find(std::make_reverse_iterator(end), val.rend(), nl);
    end = last_break == val.rend() ? std::find(end, val.end(), nl) + 1 : last_break.base();
    val.erase(end, val.end());
  }
  const int64_t lines = std::count(val.begin(), val.end(), nl);
  if (lines == 0) return std::numeric_limits<double>::quiet_NaN();
  const int T = config_.seq_len;
  const int Be = static_cast<int>(std::min<int64_t>(lines, config_.batch_size));
  LineExamples examples(&val, nl, Be, T, config_.seed, LineExamples::AtEnd::Pad);
  std::vector<int32_t> inputs(static_cast<size_t>(T) * Be), targets(inputs.size());
  std::vector<uint8_t> fresh(static_cast<size_t>(Be));
  std::vector<double> shard_loss(shards_.size(), 0.0);
  int64_t n_targets = 0;
  for (int64_t k = 0; k < examples.steps_per_epoch(); k++) {
    examples.next(inputs.data(), targets.data(), fresh.data());
    n_targets += count_targets(targets);
    // Evaluation stream b runs on the shard that trains stream b, in its buffers (as evaluate()).
    run_parallel(shards(), [&](int si) {
      Shard& s = shards_[static_cast<size_t>(si)];
      const int n = std::clamp(Be - s.first, 0, s.count);
      if (n == 0) return;
      for (int b = 0; b < n; b++)
        if (fresh[static_cast<size_t>(s.first + b)]) zero_stream(s.eval_state, b);
      for (int t = 0; t < T; t++)
        for (int b = 0; b < n; b++) {
          s.inputs[static_cast<size_t>(t) * n + b] = inputs[static_cast<size_t>(t) * Be + s.first + b];
          s.targets[static_cast<size_t>(t) * n + b] = targets[static_cast<size_t>(t) * Be + s.first + b];
        }
      shard_loss[static_cast<size_t>(si)] +=
          model_forward(model_, s.acts, s.eval_state, s.inputs.data(), s.targets.data(), n, T, nullptr);
      read_final_state(model_, s.acts, n, T, s.eval_state);
    });
  }
  double loss = 0.0;
  for (double l : shard_loss) loss += l;
  return loss / static_cast<double>(n_targets);
}

double Trainer::diverged_loss() const { return 2.0 * std::log(static_cast<double>(model_.config.vocab_size)) + 1.0; }

Trainer::Snapshot Trainer::take_snapshot(double val_loss) const {
  return Snapshot{model_.params, opt_, carried_state(), resumable(), val_loss};
}

void Trainer::ensure_rollback_point() {
  if (!good_) good_ = std::make_unique<Snapshot>(take_snapshot(std::numeric_limits<double>::quiet_NaN()));
}

bool Trainer::mark_good(double val_loss) {
  check_between_steps("mark the weights good");
  if (std::isnan(val_loss) && text_.val.empty()) val_loss = last_loss_;  // nothing held out
  if (!std::isfinite(val_loss)) return false;
  const double reference = good_ ? good_->val_loss : std::numeric_limits<double>::quiet_NaN();
  const bool healthy = std::isfinite(reference) ? val_loss <= reference * 1.2 + 0.1 : val_loss < diverged_loss();
  if (!healthy) return false;
  if (good_) {
    // Reuse the buffers: this runs every few seconds while training.
    good_->params = model_.params;
    good_->optimizer = opt_;
    good_->state = carried_state();
    good_->resumable = resumable();
    good_->val_loss = val_loss;
  } else {
    good_ = std::make_unique<Snapshot>(take_snapshot(val_loss));
  }
  return true;
}

Trainer::RolledBack Trainer::roll_back() {
  const float blown_at = lr_;
  in_step_ = false;  // a step under way is dropped with everything after the point
  ensure_rollback_point();  // before any step: the weights as they are
  const Snapshot& s = *good_;
  model_.params = s.params;
  opt_ = s.optimizer;
  set_carried_state(s.state);
  iteration_ = s.resumable.iteration;
  epoch_ = s.resumable.epoch;
  source_->set_step_in_epoch(s.resumable.step_in_epoch);
  lr_ = s.resumable.learning_rate;
  for (size_t b = 0; b < stream_rngs_.size(); b++) stream_rngs_[b].set_state(&s.resumable.rng_state[4 * b]);
  return {iteration_, s.val_loss, lr_, std::min(blown_at / 10.0f, lr_)};
}

Trainer::Resumable Trainer::resumable() const {
  check_between_steps("save a checkpoint");  // the data position has moved, the weights not yet
  Resumable r{iteration_, epoch_, source_->step_in_epoch(), lr_, schedule_.state(), clock_, peak_lr_,
              std::vector<uint32_t>(4 * stream_rngs_.size())};
  for (size_t b = 0; b < stream_rngs_.size(); b++) stream_rngs_[b].get_state(&r.rng_state[4 * b]);
  return r;
}

void Trainer::restore(const Resumable& r, const OptimizerState& optimizer, const RecurrentState& state) {
  check_between_steps("restore a checkpoint");
  // Everything is checked before anything changes: a refused checkpoint leaves the trainer as it was.
  if (optimizer.m.size() != model_.params.size() || state.H != model_.config.hidden_per_layer() ||
      state.layers != model_.config.layers)
    throw Error("The checkpoint does not match this model (its size or vocabulary differs). "
                "Resume it with the model it was saved with.");
  if (optimizer.type != config_.optimizer)
    throw Error(std::string("The checkpoint was trained with ") + optimizer_name(optimizer.type) +
                " but the training settings say " + optimizer_name(config_.optimizer) + ".");
  const size_t B = static_cast<size_t>(config_.batch_size);
  if (static_cast<size_t>(state.B) != B) throw Error("The checkpoint's batch size does not match the training settings.");
  if (r.rng_state.size() != 4 * B && r.rng_state.size() != 4)
    throw Error("The checkpoint's random state does not match its batch size.");
  if (!std::isfinite(r.learning_rate) || r.learning_rate < 0.0f)
    throw Error("The checkpoint's learning rate is not a valid number.");
  iteration_ = r.iteration;
  epoch_ = r.epoch;
  source_->set_step_in_epoch(r.step_in_epoch);
  lr_ = r.learning_rate;
  if (r.rng_state.size() == 4 * B) {
    for (size_t b = 0; b < B; b++) stream_rngs_[b].set_state(&r.rng_state[4 * b]);
  } else {  // one generator, from before per-stream dropout: the streams' seeds come from it
    Rng legacy;
    legacy.set_state(r.rng_state.data());
    for (size_t b = 0; b < B; b++)
      stream_rngs_[b].reseed(legacy.next_u32() | static_cast<uint64_t>(legacy.next_u32()) << 32);
  }
  // A checkpoint without a budget leaves the schedule as it is (none, for a trainer just made).
  if (r.schedule.budget_seconds != LearningRateSchedule::kNoBudget) {
    schedule_ = LearningRateSchedule(r.schedule);
    clock_ = r.clock_seconds;
    peak_lr_ = r.peak_learning_rate;
  }
  opt_ = optimizer;
  set_carried_state(state);
  good_.reset();  // the restored weights are the rollback point until a validation says otherwise
}

}  // namespace charrnn
