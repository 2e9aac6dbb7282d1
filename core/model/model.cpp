#include "model/model.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "numerics/embedding.h"
#include "errors.h"
#include "numerics/matmul.h"
#include "numerics/softmax_loss.h"

namespace charrnn {

Model Model::create(const ModelConfig& config, const Vocab& vocab, uint64_t seed) {
  validate(config);
  if (count_parameters(config) * 4 > kMaxTrainingBytes)
    throw Error("This model would have " + std::to_string(static_cast<uint64_t>(count_parameters(config))) +
                " parameters, too many to hold in memory. Lower the hidden size, embedding size or layers.");
  Model m;
  m.config = config;
  // [128, 128] from a list is a uniform model: stored and named as one.
  set_hidden_sizes(m.config, config.hidden_per_layer());
  m.vocab = vocab;
  m.layout = make_layout(config);
  m.params.assign(m.layout.total, 0.0f);
  Rng rng(seed);
  // Each layer's tensors (and the output layer's) by 1/sqrt(H) of the layer they belong to.
  for (const TensorSlot& t : m.layout.tensors) {
    float* p = m.params.data() + t.offset;
    const float scale = t.fan_in_hidden == 0 ? 1.0f : 1.0f / std::sqrt(static_cast<float>(t.fan_in_hidden));
    for (size_t i = 0; i < t.size; i++) p[i] = rng.uniform(-scale, scale);
  }
  if (const auto init_bias = m.cell().init_bias)
    for (int l = 0; l < config.layers; l++)
      init_bias(m.params.data() + m.layout.layers[static_cast<size_t>(l)].b, config.hidden(l));
  return m;
}

LayerWeights Model::layer_weights(int l) const {
  const LayerSlots& s = layout.layers[static_cast<size_t>(l)];
  const float* p = params.data();
  return {p + s.wx, p + s.wh, p + s.b, cell().has_bhn ? p + s.bhn : nullptr};
}

void RecurrentState::resize(const ModelConfig& config, int batch) {
  layers = config.layers, B = batch, H = config.hidden_per_layer();
  h.clear();
  for (int l = 0; l < layers; l++) h.emplace_back(static_cast<size_t>(batch) * H[static_cast<size_t>(l)], 0.0f);
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
  const size_t TB = static_cast<size_t>(B) * T, E = c.embed_size, V = c.vocab_size;
  // The backward buffers are shared by the layers: sized for the widest.
  const size_t H_max = static_cast<size_t>(c.widest_hidden()), H_top = static_cast<size_t>(c.top_hidden());
  const bool dropout = training && c.dropout > 0.0f;
  embedded.assign(TB * E, 0.0f);
  layers.assign(static_cast<size_t>(c.layers), Layer{});
  for (int l = 0; l < c.layers; l++) {
    Layer& L = layers[static_cast<size_t>(l)];
    const size_t H = static_cast<size_t>(c.hidden(l)), GH = static_cast<size_t>(cell.gates) * H;
    const size_t I = l == 0 ? E : static_cast<size_t>(c.hidden(l - 1));
    if (dropout && l > 0) {
      L.x_dropped.assign(TB * I, 0.0f);
      L.mask.assign(TB * I, 0.0f);
    }
    L.hs.assign((TB + B) * H, 0.0f);
    if (cell.has_cell_state) L.cs.assign((TB + B) * H, 0.0f);
    L.gates.assign(TB * GH, 0.0f);
    L.cache.assign(cell.cache_floats(T, B, static_cast<int>(H)), 0.0f);
    L.wh_packed.assign(recurrent_pack_floats(cell, static_cast<int>(H), B), 0.0f);
  }
  top_dropped.clear(), top_mask.clear();
  if (dropout) {
    top_dropped.assign(TB * H_top, 0.0f);
    top_mask.assign(TB * H_top, 0.0f);
  }
  logits.assign(TB * V, 0.0f);
  dh_a.clear(), dh_b.clear(), dgates.clear(), cell_scratch.clear();
  if (training) {
    dh_a.assign(TB * std::max(H_max, E), 0.0f);
    dh_b.assign(TB * std::max(H_max, E), 0.0f);
    dgates.assign(TB * cell.gates * H_max, 0.0f);
    size_t scratch = 0;
    for (int l = 0; l < c.layers; l++) scratch = std::max(scratch, cell.backward_scratch_floats(T, B, c.hidden(l)));
    cell_scratch.assign(scratch, 0.0f);
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
  const int E = c.embed_size, V = c.vocab_size, H_top = c.top_hidden();
  const size_t TB = static_cast<size_t>(T) * B;
  const bool dropout = dropout_rngs != nullptr && c.dropout > 0.0f && acts.use == Activations::Use::Training;
  acts.dropout_active = dropout;

  embedding_forward(acts.embedded.data(), model.embedding(), inputs, static_cast<int>(TB), E);
  const float* x = acts.embedded.data();  // [T*B, I] this layer's input
  for (int l = 0; l < c.layers; l++) {
    Activations::Layer& L = acts.layers[static_cast<size_t>(l)];
    const int H = c.hidden(l), I = l == 0 ? E : c.hidden(l - 1);
    const size_t BH = static_cast<size_t>(B) * H;
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
    dropout_forward(acts.top_dropped.data(), acts.top_mask.data(), x, static_cast<int>(TB), B, H_top, c.dropout,
                    dropout_rngs);
    x = acts.top_dropped.data();
  }
  // logits [T*B, V] = h_top [T*B, H_top] @ output.w [H_top, V] + output.b
  matmul(acts.logits.data(), x, model.output_w(), static_cast<int>(TB), H_top, V, false);
  add_bias_rows(acts.logits.data(), model.output_b(), static_cast<int>(TB), V);
  if (!targets) return 0.0;
  return softmax_cross_entropy_forward(acts.logits.data(), targets, static_cast<int>(TB), V);
}

void model_backward(const Model& model, Activations& acts, const int32_t* inputs, const int32_t* targets, int B, int T,
                    float* grads, float loss_scale, float* d_embedded) {
  const ModelConfig& c = model.config;
  const Cell& cell = model.cell();
  const ParamLayout& lay = model.layout;
  const int E = c.embed_size, V = c.vocab_size, H_top = c.top_hidden();
  const size_t TB = static_cast<size_t>(T) * B;
  const bool dropout = acts.dropout_active;
  const int L_top = c.layers - 1;
  // h1..hT of layer l: [T*B, H_l], after its carried-in block of B rows.
  auto layer_outputs = [&](int l) { return acts.layers[static_cast<size_t>(l)].hs.data() + static_cast<size_t>(B) * c.hidden(l); };

  float* dlogits = acts.logits.data();
  softmax_cross_entropy_backward(dlogits, targets, static_cast<int>(TB), V, loss_scale);
  const float* h_top = dropout ? acts.top_dropped.data() : layer_outputs(L_top);
  matmul_tn(grads + lay.output_w, h_top, dlogits, H_top, static_cast<int>(TB), V, true);
  add_column_sums(grads + lay.output_b, dlogits, static_cast<int>(TB), V);
  float* dh = acts.dh_a.data();  // [T*B, H_l] d loss / d h of the layer being run back
  float* dx = acts.dh_b.data();  // [T*B, I_l] d loss / d its input
  matmul_nt(dh, dlogits, model.output_w(), static_cast<int>(TB), V, H_top, false);
  if (dropout) for (size_t i = 0; i < TB * H_top; i++) dh[i] *= acts.top_mask[i];

  for (int l = L_top; l >= 0; l--) {
    Activations::Layer& L = acts.layers[static_cast<size_t>(l)];
    const int H = c.hidden(l), I = l == 0 ? E : c.hidden(l - 1);
    const float* x = l == 0 ? acts.embedded.data() : (dropout ? L.x_dropped.data() : layer_outputs(l - 1));
    cell.backward({T, B, I, H}, model.layer_weights(l), layer_view(L, x),
                  {dh, acts.dgates.data(), acts.cell_scratch.data(), dx}, layer_grads(model, l, grads));
    if (dropout && l > 0) for (size_t i = 0; i < TB * I; i++) dx[i] *= L.mask[i];
    std::swap(dh, dx);  // this layer's input gradient is the next layer down's output gradient
  }
  if (d_embedded) std::memcpy(d_embedded, dh, TB * E * sizeof(float));
  embedding_backward(grads + lay.embedding, dh, inputs, static_cast<int>(TB), E);
}

void read_final_state(const Model& model, const Activations& acts, int B, int T, RecurrentState& state) {
  const bool has_c = model.cell().has_cell_state;
  for (int l = 0; l < model.config.layers; l++) {
    const size_t BH = static_cast<size_t>(B) * model.config.hidden(l);
    const Activations::Layer& L = acts.layers[static_cast<size_t>(l)];
    std::memcpy(state.h[static_cast<size_t>(l)].data(), L.hs.data() + T * BH, BH * sizeof(float));
    if (has_c) std::memcpy(state.c[static_cast<size_t>(l)].data(), L.cs.data() + T * BH, BH * sizeof(float));
  }
}

}  // namespace charrnn
