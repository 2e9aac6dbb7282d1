#include "training/shard.h"

#include <algorithm>
#include <cmath>

namespace charrnn {

int shard_first_stream(int B, int shards, int s) {
  return static_cast<int>(static_cast<int64_t>(B) * s / shards);
}

void Shard::allocate(const ModelConfig& config, int first_stream, int streams, int T, size_t n_params) {
  first = first_stream, count = streams;
  acts.allocate(config, count, T, Activations::Use::Training);
  state.resize(config, count);
  next_state.resize(config, count);
  eval_state.resize(config, count);
  inputs.assign(static_cast<size_t>(T) * count, 0);
  targets.assign(static_cast<size_t>(T) * count, 0);
  grads.assign(n_params, 0.0f);
  size_t state_floats = 0;  // sum over layers of h and c, [Bs, H_l] each
  for (int l = 0; l < config.layers; l++) state_floats += 2 * static_cast<size_t>(count) * config.hidden(l);
  state_flat.assign(state_floats, 0.0f);
  rng_flat.assign(static_cast<size_t>(count) * 4, 0u);
}

void Shard::gather(const int32_t* batch_inputs, const int32_t* batch_targets, int B, int T) {
  for (int t = 0; t < T; t++) {
    const size_t from = static_cast<size_t>(t) * B + first, to = static_cast<size_t>(t) * count;
    std::copy_n(batch_inputs + from, count, inputs.begin() + static_cast<std::ptrdiff_t>(to));
    std::copy_n(batch_targets + from, count, targets.begin() + static_cast<std::ptrdiff_t>(to));
  }
}

void Shard::compute(const Model& model, int B, int T, Rng* rngs) {
  loss_sum = model_forward(model, acts, state, inputs.data(), targets.data(), count, T, rngs);
  std::fill(grads.begin(), grads.end(), 0.0f);
  if (!std::isfinite(loss_sum)) return;
  read_final_state(model, acts, count, T, next_state);
  model_backward(model, acts, inputs.data(), targets.data(), count, T, grads.data(),
                 1.0f / (static_cast<float>(B) * static_cast<float>(T)));
}

void Shard::run(const Model& model, const int32_t* batch_inputs, const int32_t* batch_targets, int B, int T,
                Rng* stream_rngs) {
  gather(batch_inputs, batch_targets, B, T);
  compute(model, B, T, stream_rngs + first);
}

// state_flat is sized for h and c; a cell without a cell state leaves the c half unused (zeros).
void Shard::pack_state(const RecurrentState& from, bool has_cell_state) {
  float* out = state_flat.data();
  for (int l = 0; l < from.layers; l++) {
    const size_t L = static_cast<size_t>(l), n = static_cast<size_t>(count) * from.H[L];
    out = std::copy_n(from.h[L].begin(), n, out);
    out = has_cell_state ? std::copy_n(from.c[L].begin(), n, out) : out + n;
  }
}

void Shard::unpack_state(RecurrentState& to, bool has_cell_state) const {
  const float* in = state_flat.data();
  for (int l = 0; l < to.layers; l++) {
    const size_t L = static_cast<size_t>(l), n = static_cast<size_t>(count) * to.H[L];
    std::copy_n(in, n, to.h[L].begin());
    if (has_cell_state) std::copy_n(in + n, n, to.c[L].begin());
    in += 2 * n;
  }
}

void Shard::pack_rngs(const Rng* rngs) {
  for (int b = 0; b < count; b++) rngs[b].get_state(&rng_flat[4 * static_cast<size_t>(b)]);
}

void Shard::unpack_rngs(Rng* rngs) const {
  for (int b = 0; b < count; b++) rngs[b].set_state(&rng_flat[4 * static_cast<size_t>(b)]);
}

}  // namespace charrnn
