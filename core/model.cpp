#include "model.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "embedding.h"
#include "errors.h"
#include "matmul.h"
#include "softmax_loss.h"

namespace charrnn {

Model Model::create(const ModelConfig& config, const Vocab& vocab, uint64_t seed) {
  validate(config);
  if (count_parameters(config) * 4 > kMaxTrainingBytes)
    throw Error("This model would have " + std::to_string(static_cast<uint64_t>(count_parameters(config))) +
                " parameters, too many to hold in memory. Lower the hidden size, embedding size or layers.");
  Model m;
  m.config = config;
  m.vocab = vocab;
  m.layout = make_layout(config);
  m.params.assign(m.layout.total, 0.0f);
  Rng rng(seed);
  const int H = config.hidden_size;
  const float k = 1.0f / std::sqrt(static_cast<float>(H));
  for (const TensorSlot& t : m.layout.tensors) {
    float* p = m.params.data() + t.offset;
    const float scale = t.name == "embedding" ? 1.0f : k;
    for (size_t i = 0; i < t.size; i++) p[i] = rng.uniform(-scale, scale);
  }
  if (const auto init_bias = m.cell().init_bias)
    for (const LayerSlots& s : m.layout.layers) init_bias(m.params.data() + s.b, H);
  return m;
}

LayerWeights Model::layer_weights(int l) const {
  const LayerSlots& s = layout.layers[static_cast<size_t>(l)];
  const float* p = params.data();
  return {p + s.wx, p + s.wh, p + s.b, cell().has_bhn ? p + s.bhn : nullptr};
}

void RecurrentState::resize(int n_layers, int batch, int hidden) {
  layers = n_layers, B = batch, H = hidden;
  h.assign(static_cast<size_t>(n_layers), std::vector<float>(static_cast<size_t>(batch) * hidden, 0.0f));
  c = h;
}

void RecurrentState::zero() {
  for (auto& v : h) std::fill(v.begin(), v.end(), 0.0f);
  for (auto& v : c) std::fill(v.begin(), v.end(), 0.0f);
}

void Activations::allocate(const ModelConfig& c, int batch, int steps, Use purpose) {
  B = batch, T = steps, use = purpose;
  const Cell& cell = cell_of(c.cell);
  const bool training = purpose == Use::Training;
  const size_t TB = static_cast<size_t>(B) * T, H = c.hidden_size, E = c.embed_size, V = c.vocab_size;
  const size_t GH = static_cast<size_t>(cell.gates) * H;
  const bool dropout = training && c.dropout > 0.0f;
  embedded.assign(TB * E, 0.0f);
  layers.assign(static_cast<size_t>(c.layers), Layer{});
  for (int l = 0; l < c.layers; l++) {
    Layer& L = layers[static_cast<size_t>(l)];
    const size_t I = l == 0 ? E : H;
    if (dropout && l > 0) {
      L.x_dropped.assign(TB * I, 0.0f);
      L.mask.assign(TB * I, 0.0f);
    }
    L.hs.assign((TB + B) * H, 0.0f);
    if (cell.has_cell_state) L.cs.assign((TB + B) * H, 0.0f);
    L.gates.assign(TB * GH, 0.0f);
    L.cache.assign(cell.cache_floats(T, B, c.hidden_size), 0.0f);
    L.wh_packed.assign(recurrent_pack_floats(cell, c.hidden_size, B), 0.0f);
  }
  top_dropped.clear(), top_mask.clear();
  if (dropout) {
    top_dropped.assign(TB * H, 0.0f);
    top_mask.assign(TB * H, 0.0f);
  }
  logits.assign(TB * V, 0.0f);
  dh_a.clear(), dh_b.clear(), dgates.clear(), cell_scratch.clear();
  if (training) {
    dh_a.assign(TB * std::max(H, E), 0.0f);
    dh_b.assign(TB * std::max(H, E), 0.0f);
    dgates.assign(TB * GH, 0.0f);
    cell_scratch.assign(cell.backward_scratch_floats(T, B, c.hidden_size), 0.0f);
  }
}

namespace {

// out = in * mask over rows [T*B, n] (row t*B + b), with a fresh inverted-dropout mask (kept units
// scaled by 1/(1-p)) drawn from stream b's own generator: a stream's masks are the same whichever
// shard (thread) computes it.
void dropout_forward(float* out, float* mask, const float* in, int TB, int B, int n, float p, Rng* stream_rngs) {
  const float keep_scale = 1.0f / (1.0f - p);
  for (int row = 0; row < TB; row++) {
    Rng& rng = stream_rngs[row % B];
    const size_t o = static_cast<size_t>(row) * n;
    for (int i = 0; i < n; i++) {
      mask[o + i] = rng.uniform() < p ? 0.0f : keep_scale;
      out[o + i] = in[o + i] * mask[o + i];
    }
  }
}

LayerActivations layer_view(Activations::Layer& L, const float* x) {
  return {x, L.hs.data(), L.cs.empty() ? nullptr : L.cs.data(), L.gates.data(), L.cache.data(), L.wh_packed.data()};
}

LayerGrads layer_grads(const Model& m, int l, float* grads) {
  const LayerSlots& s = m.layout.layers[static_cast<size_t>(l)];
  return {grads + s.wx, grads + s.wh, grads + s.b, m.cell().has_bhn ? grads + s.bhn : nullptr};
}

}  // namespace

double model_forward(const Model& model, Activations& acts, const RecurrentState& state, const int32_t* inputs,
                     const int32_t* targets, int B, int T, Rng* dropout_rngs) {
  const ModelConfig& c = model.config;
  const Cell& cell = model.cell();
  const int H = c.hidden_size, E = c.embed_size, V = c.vocab_size;
  const size_t TB = static_cast<size_t>(T) * B, BH = static_cast<size_t>(B) * H;
  const bool dropout = dropout_rngs != nullptr && c.dropout > 0.0f && acts.use == Activations::Use::Training;
  acts.dropout_active = dropout;

  embedding_forward(acts.embedded.data(), model.embedding(), inputs, static_cast<int>(TB), E);
  const float* x = acts.embedded.data();
  for (int l = 0; l < c.layers; l++) {
    Activations::Layer& L = acts.layers[static_cast<size_t>(l)];
    const int I = l == 0 ? E : H;
    if (dropout && l > 0) {
      dropout_forward(L.x_dropped.data(), L.mask.data(), x, static_cast<int>(TB), B, I, c.dropout, dropout_rngs);
      x = L.x_dropped.data();
    }
    std::memcpy(L.hs.data(), state.h[static_cast<size_t>(l)].data(), BH * sizeof(float));
    if (cell.has_cell_state) std::memcpy(L.cs.data(), state.c[static_cast<size_t>(l)].data(), BH * sizeof(float));
    cell.forward({T, B, I, H}, model.layer_weights(l), layer_view(L, x));
    x = L.hs.data() + BH;  // h1..hT of this layer feed the next
  }
  if (dropout) {
    dropout_forward(acts.top_dropped.data(), acts.top_mask.data(), x, static_cast<int>(TB), B, H, c.dropout, dropout_rngs);
    x = acts.top_dropped.data();
  }
  // logits [T*B, V] = h_top [T*B, H] @ output.w [H, V] + output.b
  matmul(acts.logits.data(), x, model.output_w(), static_cast<int>(TB), H, V, false);
  add_bias_rows(acts.logits.data(), model.output_b(), static_cast<int>(TB), V);
  if (!targets) return 0.0;
  return softmax_cross_entropy_forward(acts.logits.data(), targets, static_cast<int>(TB), V);
}

void model_backward(const Model& model, Activations& acts, const int32_t* inputs, const int32_t* targets, int B, int T,
                    float* grads, float loss_scale) {
  const ModelConfig& c = model.config;
  const Cell& cell = model.cell();
  const ParamLayout& lay = model.layout;
  const int H = c.hidden_size, E = c.embed_size, V = c.vocab_size;
  const size_t TB = static_cast<size_t>(T) * B, BH = static_cast<size_t>(B) * H;
  const bool dropout = acts.dropout_active;
  const int L_top = c.layers - 1;

  float* dlogits = acts.logits.data();
  softmax_cross_entropy_backward(dlogits, targets, static_cast<int>(TB), V, loss_scale);
  const float* h_top = dropout ? acts.top_dropped.data() : acts.layers[static_cast<size_t>(L_top)].hs.data() + BH;
  matmul_tn(grads + lay.output_w, h_top, dlogits, H, static_cast<int>(TB), V, true);
  add_column_sums(grads + lay.output_b, dlogits, static_cast<int>(TB), V);
  float* dh = acts.dh_a.data();
  float* dx = acts.dh_b.data();
  matmul_nt(dh, dlogits, model.output_w(), static_cast<int>(TB), V, H, false);
  if (dropout) for (size_t i = 0; i < TB * H; i++) dh[i] *= acts.top_mask[i];

  for (int l = L_top; l >= 0; l--) {
    Activations::Layer& L = acts.layers[static_cast<size_t>(l)];
    const int I = l == 0 ? E : H;
    const float* x = l == 0 ? acts.embedded.data()
                            : (dropout ? L.x_dropped.data() : acts.layers[static_cast<size_t>(l - 1)].hs.data() + BH);
    cell.backward({T, B, I, H}, model.layer_weights(l), layer_view(L, x),
                  {dh, acts.dgates.data(), acts.cell_scratch.data(), dx}, layer_grads(model, l, grads));
    if (dropout && l > 0) for (size_t i = 0; i < TB * I; i++) dx[i] *= L.mask[i];
    std::swap(dh, dx);  // this layer's input gradient is the next layer down's output gradient
  }
  embedding_backward(grads + lay.embedding, dh, inputs, static_cast<int>(TB), E);
}

void read_final_state(const Model& model, const Activations& acts, int B, int T, RecurrentState& state) {
  const size_t BH = static_cast<size_t>(B) * model.config.hidden_size;
  const bool has_c = model.cell().has_cell_state;
  for (int l = 0; l < model.config.layers; l++) {
    const Activations::Layer& L = acts.layers[static_cast<size_t>(l)];
    std::memcpy(state.h[static_cast<size_t>(l)].data(), L.hs.data() + T * BH, BH * sizeof(float));
    if (has_c) std::memcpy(state.c[static_cast<size_t>(l)].data(), L.cs.data() + T * BH, BH * sizeof(float));
  }
}

}  // namespace charrnn
