#include "shard.h"

#include <algorithm>
#include <cmath>

namespace charrnn {

int shard_first_stream(int B, int shards, int s) {
  return static_cast<int>(static_cast<int64_t>(B) * s / shards);
}

void Shard::allocate(const ModelConfig& config, int first_stream, int streams, int T, size_t n_params) {
  first = first_stream, count = streams;
  acts.allocate(config, count, T, Activations::Use::Training);
  state.resize(config.layers, count, config.hidden_size);
  eval_state.resize(config.layers, count, config.hidden_size);
  inputs.assign(static_cast<size_t>(T) * count, 0);
  targets.assign(static_cast<size_t>(T) * count, 0);
  grads.assign(n_params, 0.0f);
}

void Shard::run(const Model& model, const int32_t* batch_inputs, const int32_t* batch_targets, int B, int T,
                Rng* stream_rngs) {
  for (int t = 0; t < T; t++) {
    const size_t from = static_cast<size_t>(t) * B + first, to = static_cast<size_t>(t) * count;
    std::copy_n(batch_inputs + from, count, inputs.begin() + static_cast<std::ptrdiff_t>(to));
    std::copy_n(batch_targets + from, count, targets.begin() + static_cast<std::ptrdiff_t>(to));
  }
  loss_sum = model_forward(model, acts, state, inputs.data(), targets.data(), count, T, stream_rngs + first);
  std::fill(grads.begin(), grads.end(), 0.0f);
  if (!std::isfinite(loss_sum)) return;
  model_backward(model, acts, inputs.data(), targets.data(), count, T, grads.data(),
                 1.0f / (static_cast<float>(B) * static_cast<float>(T)));
}

}  // namespace charrnn
