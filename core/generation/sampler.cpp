#include "generation/sampler.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <numeric>

#include "errors.h"
#include "model/settings.h"
#include "numerics/matmul.h"
#include "numerics/softmax_loss.h"

namespace charrnn {

namespace {

// The ranges are the settings table's (model/settings.cpp); argmax ignores the temperature.
void check_options(const SampleOptions& o) {
  const Setting& t = setting_of(&SampleOptions::temperature);
  const float lo = static_cast<float>(t.min), hi = static_cast<float>(t.max);
  if (!o.argmax && !(std::isfinite(o.temperature) && o.temperature >= lo && o.temperature <= hi)) {
    char message[128];
    std::snprintf(message, sizeof message, "The %s must be between %g and %g.", t.label, lo, hi);
    throw Error(message);
  }
  const Setting& k = setting_of(&SampleOptions::top_k);
  if (o.top_k < k.min) throw Error(std::string(k.label) + " must be 0 (off) or a positive number.");
}

}  // namespace

Sampler::Sampler(const Model& model, const SampleOptions& options) : model_(&model), options_(options), rng_(options.seed) {
  check_options(options);
  const ModelConfig& c = model.config;
  acts_.allocate(c, 1, 1, Activations::Use::Inference);
  state_.resize(c, 1);
  if (model.lines && model.vocab.contains(U'\n')) line_start_ = model.vocab.id(U'\n');
  probs_.assign(static_cast<size_t>(c.vocab_size), 0.0f);
  prime("");
}

void Sampler::set_options(const SampleOptions& options) {
  check_options(options);
  if (options.seed != options_.seed) rng_.reseed(options.seed);
  options_ = options;
}

void Sampler::feed(int id) {
  const int32_t input = id;
  // A lines model learned every line from the zero state with the line break as its first input
  // (line_examples.h): after a line ends, the next starts afresh, so a long sample is line after
  // line as it was trained, not a state it never saw.
  if (id == line_start_) state_.zero();
  model_forward(*model_, acts_, state_, &input, nullptr, 1, 1, nullptr);
  read_final_state(*model_, acts_, 1, 1, state_);
  std::copy(acts_.logits.begin(), acts_.logits.end(), probs_.begin());
  softmax_with_temperature(probs_.data(), model_->config.vocab_size, options_.argmax ? 1.0f : options_.temperature);
  primed_ = true;
}

void Sampler::start(const std::vector<int32_t>& ids) {
  state_.zero();
  primed_ = false;
  // Training carries the hidden state across batches, so a model rarely sees the all-zero state
  // and a sample started from it begins with noise. A line break is the neutral context every
  // text has: start as if one had just been read (it is not part of the output).
  if (model_->vocab.contains(U'\n')) feed(model_->vocab.id(U'\n'));
  for (int32_t id : ids) feed(id);
}

void Sampler::prime(const std::string& utf8_text) { start(model_->vocab.encode(utf8_text, "priming text")); }

std::u32string Sampler::prime_known(const std::string& utf8_text) {
  std::u32string left_out;
  start(model_->vocab.encode_known(utf8_text, &left_out));
  return left_out;
}

int Sampler::choose() {
  const int V = model_->config.vocab_size;
  if (options_.argmax) return static_cast<int>(std::max_element(probs_.begin(), probs_.end()) - probs_.begin());
  const float* p = probs_.data();
  std::vector<float> kept;
  if (options_.top_k > 0 && options_.top_k < V) {
    // Keep the k largest probabilities; ties resolved by id so every platform agrees.
    std::vector<int> order(static_cast<size_t>(V));
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + options_.top_k, order.end(),
                      [p](int a, int b) { return p[a] > p[b] || (p[a] == p[b] && a < b); });
    kept.assign(static_cast<size_t>(V), 0.0f);
    for (int i = 0; i < options_.top_k; i++) kept[static_cast<size_t>(order[static_cast<size_t>(i)])] = p[order[static_cast<size_t>(i)]];
    p = kept.data();
  }
  float total = 0.0f;
  for (int v = 0; v < V; v++) total += p[v];
  const float u = rng_.uniform() * total;
  float acc = 0.0f;
  for (int v = 0; v < V; v++) {
    acc += p[v];
    if (u < acc) return v;
  }
  for (int v = V - 1; v >= 0; v--)
    if (p[v] > 0.0f) return v;
  return V - 1;
}

int Sampler::next_id() {
  if (!primed_) {
    // No priming text: start from a random character, as char-rnn does.
    const int V = model_->config.vocab_size;
    feed(static_cast<int>(rng_.uniform() * static_cast<float>(V)) % V);
  }
  const int id = choose();
  feed(id);
  return id;
}

std::string Sampler::next(int n) {
  std::vector<int32_t> ids;
  ids.reserve(static_cast<size_t>(std::max(0, n)));
  for (int i = 0; i < n; i++) ids.push_back(next_id());
  return model_->vocab.decode(ids);
}

std::string sample_text(const Model& model, const std::string& prime, int length, const SampleOptions& options) {
  if (length < 0 || length > 10000000) throw Error("The sample length must be between 0 and 10,000,000.");
  Sampler s(model, options);
  s.prime(prime);
  return s.next(length);
}

}  // namespace charrnn
