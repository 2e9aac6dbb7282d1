#include "inspection/reach.h"

#include <algorithm>
#include <cmath>

#include "errors.h"
#include "text/batch_source.h"

namespace charrnn {

ReachProbe::ReachProbe(const Model& model, const std::string& utf8_text, int max_distance)
    : model_(model), ids_(model.vocab.encode(utf8_text, "text to measure")), D_(max_distance) {
  if (ids_.empty()) throw Error("The text to measure is empty. Use a text of at least two characters.");
  if (max_distance < 1 || max_distance > kMaxReachDistance)
    throw Error("The distance must be between 1 and " + std::to_string(kMaxReachDistance) + " characters; got " +
                std::to_string(max_distance) + ".");
  const ModelConfig& c = model.config;
  acts_.allocate(c, 1, D_, Activations::Use::Training);
  state_.resize(c, 1);
  targets_.assign(static_cast<size_t>(D_), kNoTarget);
  grads_.assign(model.params.size(), 0.0f);
  d_embedded_.assign(static_cast<size_t>(D_) * c.embed_size, 0.0f);
  // The inspection's start context: the text is read as if after a line break.
  if (model.vocab.contains(U'\n')) {
    const int32_t nl = model.vocab.id(U'\n');
    model_forward(model, acts_, state_, &nl, nullptr, 1, 1, nullptr);
    read_final_state(model, acts_, 1, 1, state_);
  }
}

void ReachProbe::read_up_to(int position) {
  while (streamed_ < position) {
    const int steps = std::min(D_, position - streamed_);
    model_forward(model_, acts_, state_, ids_.data() + streamed_, nullptr, 1, steps, nullptr);
    read_final_state(model_, acts_, 1, steps, state_);
    streamed_ += steps;
  }
}

const std::vector<float>& ReachProbe::gradient_at(int t) {
  if (t < 1 || t >= chars())
    throw Error("The position must be between 1 and " + std::to_string(chars() - 1) + " (the text has " +
                std::to_string(chars()) + " characters); got " + std::to_string(t) + ".");
  if (t < last_t_) throw Error("Positions must be asked in ascending order.");
  last_t_ = t;
  const int start = std::max(0, t - D_), K = t - start, E = model_.config.embed_size;
  read_up_to(start);
  // Window inputs x_start..x_{t-1} [K]; one target, x_t, at the last step: loss = -ln p(x_t | x_<t).
  const int32_t* inputs = ids_.data() + start;
  std::fill(targets_.begin(), targets_.end(), kNoTarget);
  targets_[static_cast<size_t>(K - 1)] = ids_[static_cast<size_t>(t)];
  std::fill(grads_.begin(), grads_.end(), 0.0f);
  // Dropout off (no generators): the function whose gradient this is is the inspection's.
  model_forward(model_, acts_, state_, inputs, targets_.data(), 1, K, nullptr);
  model_backward(model_, acts_, inputs, targets_.data(), 1, K, grads_.data(), 1.0f, d_embedded_.data());
  // d ln p / d e_{t-k} = -d loss / d embedded row K - k.
  gradient_.assign(static_cast<size_t>(K) * E, 0.0f);
  for (int k = 1; k <= K; k++) {
    const float* row = d_embedded_.data() + static_cast<size_t>(K - k) * E;
    float* out = gradient_.data() + static_cast<size_t>(k - 1) * E;
    for (int e = 0; e < E; e++) out[e] = -row[e];
  }
  return gradient_;
}

std::vector<float> ReachProbe::sizes_at(int t) {
  const std::vector<float>& g = gradient_at(t);
  const size_t E = static_cast<size_t>(embed_size()), K = g.size() / E;
  std::vector<float> sizes(K);
  for (size_t k = 0; k < K; k++) {
    double sum = 0.0;
    for (size_t e = 0; e < E; e++) sum += static_cast<double>(g[k * E + e]) * g[k * E + e];
    sizes[k] = static_cast<float>(std::sqrt(sum));
  }
  return sizes;
}

std::vector<int32_t> reach_positions(int chars, int max_distance, int samples) {
  if (samples < 0) throw Error("The number of positions to sample must be 0 (every position) or more.");
  std::vector<int32_t> positions;
  const int first = chars - 1 >= max_distance ? max_distance : 1, eligible = chars - first;
  if (eligible <= 0) return positions;
  const int count = samples == 0 ? eligible : std::min(samples, eligible);
  for (int j = 0; j < count; j++) positions.push_back(first + static_cast<int>(static_cast<int64_t>(j) * eligible / count));
  return positions;
}

Reach reach_over_text(const Model& model, const std::string& utf8_text, const ReachOptions& options) {
  ReachProbe probe(model, utf8_text, options.max_distance);
  if (probe.chars() < 2) throw Error("The text to measure has one character: use a text of at least two.");
  Reach out;
  out.max_distance = options.max_distance;
  out.positions = reach_positions(probe.chars(), options.max_distance, options.samples);
  out.by_distance.assign(static_cast<size_t>(out.max_distance), 0.0);
  out.counts.assign(static_cast<size_t>(out.max_distance), 0);
  for (const int32_t t : out.positions) {
    const std::vector<float> sizes = probe.sizes_at(t);
    for (size_t k = 0; k < sizes.size(); k++) out.by_distance[k] += sizes[k], out.counts[k]++;
  }
  for (size_t k = 0; k < out.by_distance.size(); k++)
    if (out.counts[k] > 0) out.by_distance[k] /= static_cast<double>(out.counts[k]);
  return out;
}

std::vector<float> reach_at(const Model& model, const std::string& utf8_text, int position, int max_distance) {
  ReachProbe probe(model, utf8_text, max_distance);
  return probe.sizes_at(position);
}

}  // namespace charrnn
