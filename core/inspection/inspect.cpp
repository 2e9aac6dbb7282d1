#include "inspection/inspect.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "errors.h"
#include "numerics/softmax_loss.h"
#include "text/utf8.h"

namespace charrnn {

namespace {

constexpr int kChunk = 128;  // time steps per forward pass

// What the model holds after some prefix: the next-character distribution and the state per layer.
struct Current {
  std::vector<float> probs;  // [V], empty before any character was read
  std::vector<float> h, c;  // [L, H]
  std::vector<float> gates;  // [L, S, H]
};

// order: scratch of V ints.
void top_k_of(const float* p, int K, int32_t* ids, float* probs, std::vector<int>& order) {
  std::iota(order.begin(), order.end(), 0);
  // Ties resolved by id so every platform agrees (as the sampler's top-k).
  std::partial_sort(order.begin(), order.begin() + K, order.end(),
                    [p](int a, int b) { return p[a] > p[b] || (p[a] == p[b] && a < b); });
  for (int k = 0; k < K; k++) {
    ids[k] = order[static_cast<size_t>(k)];
    probs[k] = p[order[static_cast<size_t>(k)]];
  }
}

}  // namespace

Inspection inspect_text(const Model& model, const std::string& utf8_text, const InspectOptions& options) {
  const ModelConfig& cfg = model.config;
  const int V = cfg.vocab_size, L = cfg.layers, H = cfg.widest_hidden();
  const bool has_c = model.cell().has_cell_state;
  if (options.top_k < 1 || options.top_k > V)
    throw Error("top-k must be between 1 and the vocabulary size (" + std::to_string(V) + ").");
  std::vector<char32_t> text = decode_utf8(utf8_text);
  if (text.empty()) throw Error("The text to inspect is empty. Type or paste some text.");
  const int S = options.keep_gates ? model.cell().sigmoid_gates : 0;
  if (options.keep_gates && S == 0)
    throw Error(std::string("A model of ") + model.cell().name + " cells has no gates: gate values need an LSTM or a GRU model.");
  const double per_char = static_cast<double>(L) * H * ((has_c ? 2 : 1) + S);
  const int max_chars = static_cast<int>(std::min<double>(kMaxInspectChars, std::floor(kMaxInspectActivations / per_char)));
  if (text.size() > static_cast<size_t>(max_chars))
    throw Error("The text to inspect has " + std::to_string(text.size()) + " characters; this model can inspect at most " +
                std::to_string(max_chars) + " at a time. Use a shorter excerpt.");

  Inspection out;
  const int N = static_cast<int>(text.size()), K = options.top_k;
  out.chars = N, out.top_k = K, out.layers = L, out.hidden = H, out.has_cell_state = has_c;
  out.layer_hidden = cfg.hidden_per_layer();
  out.ids.resize(static_cast<size_t>(N));
  for (int i = 0; i < N; i++) {
    const char32_t cp = text[static_cast<size_t>(i)];
    out.ids[static_cast<size_t>(i)] = model.vocab.contains(cp) ? model.vocab.id(cp) : -1;
  }
  out.text = std::move(text);
  out.top_ids.assign(static_cast<size_t>(N) * K, 0);
  out.top_probs.assign(static_cast<size_t>(N) * K, 0.0f);
  out.p_actual.assign(static_cast<size_t>(N), 0.0f);
  out.h.assign(static_cast<size_t>(L) * N * H, 0.0f);
  if (has_c) out.c.assign(static_cast<size_t>(L) * N * H, 0.0f);
  out.gates_per_layer = S;
  out.gates.assign(static_cast<size_t>(L) * S * N * H, 0.0f);

  Activations acts;
  acts.allocate(cfg, 1, kChunk, Activations::Use::Inference);
  RecurrentState state;
  state.resize(cfg, 1);
  Current cur;
  cur.h.assign(static_cast<size_t>(L) * H, 0.0f);
  cur.c.assign(static_cast<size_t>(L) * H, 0.0f);
  cur.gates.assign(static_cast<size_t>(L) * S * H, 0.0f);
  const int G = model.cell().gates;
  // Reads acts' step t (B = 1) into cur.
  auto take_step = [&](int t) {
    const float* logits = acts.logits.data() + static_cast<size_t>(t) * V;
    cur.probs.assign(logits, logits + V);
    softmax_with_temperature(cur.probs.data(), V, 1.0f);
    for (int l = 0; l < L; l++) {
      const Activations::Layer& layer = acts.layers[static_cast<size_t>(l)];
      const int H_l = cfg.hidden(l);  // fills the first H_l of the row's H; the rest stay 0
      const float* h = layer.hs.data() + static_cast<size_t>(t + 1) * H_l;
      std::copy(h, h + H_l, cur.h.begin() + static_cast<std::ptrdiff_t>(l) * H);
      if (has_c) {
        const float* c = layer.cs.data() + static_cast<size_t>(t + 1) * H_l;
        for (int j = 0; j < H_l; j++) cur.c[static_cast<size_t>(l) * H + j] = std::tanh(c[j]);
      }
      // layer.gates row t [G*H_l]: gate block s at s*H_l, after the cell's nonlinearities.
      const float* gates = layer.gates.data() + static_cast<size_t>(t) * G * H_l;
      for (int g = 0; g < S; g++)
        std::copy_n(gates + static_cast<size_t>(g) * H_l, H_l, cur.gates.begin() + static_cast<std::ptrdiff_t>((l * S + g) * H));
    }
  };
  // The sampler's start context.
  if (model.vocab.contains(U'\n')) {
    const int32_t nl = model.vocab.id(U'\n');
    model_forward(model, acts, state, &nl, nullptr, 1, 1, nullptr);
    read_final_state(model, acts, 1, 1, state);
    take_step(0);
  }

  std::vector<int> order(static_cast<size_t>(V));
  std::vector<int32_t> chunk_ids;
  chunk_ids.reserve(kChunk);
  int i = 0;  // the next text position to write out
  // A lines model reads each line from the zero state with the line break as its first input, as
  // it was trained (line_examples.h, and the sampler): a line break starts a new pass.
  const int32_t line_start = model.lines && model.vocab.contains(U'\n') ? model.vocab.id(U'\n') : -1;
  while (i < N) {
    // The next up to kChunk known characters from position i on, in one forward pass.
    chunk_ids.clear();
    int end = i;
    while (end < N && static_cast<int>(chunk_ids.size()) < kChunk) {
      const int32_t id = out.ids[static_cast<size_t>(end)];
      if (line_start >= 0 && id == line_start && !chunk_ids.empty()) break;
      if (id >= 0) chunk_ids.push_back(id);
      end++;
    }
    const int Tc = static_cast<int>(chunk_ids.size());
    if (Tc > 0) {
      if (line_start >= 0 && chunk_ids[0] == line_start) state.zero();
      model_forward(model, acts, state, chunk_ids.data(), nullptr, 1, Tc, nullptr);
      read_final_state(model, acts, 1, Tc, state);
    }
    int t = 0;
    for (; i < end; i++) {
      const int32_t id = out.ids[static_cast<size_t>(i)];
      float& p = out.p_actual[static_cast<size_t>(i)];
      if (id < 0) p = 0.0f;
      else p = cur.probs.empty() ? std::numeric_limits<float>::quiet_NaN() : cur.probs[static_cast<size_t>(id)];
      if (id >= 0) take_step(t++);
      if (!cur.probs.empty())
        top_k_of(cur.probs.data(), K, out.top_ids.data() + static_cast<size_t>(i) * K,
                 out.top_probs.data() + static_cast<size_t>(i) * K, order);
      for (int l = 0; l < L; l++) {
        const size_t dst = (static_cast<size_t>(l) * N + i) * H;
        std::copy_n(cur.h.begin() + static_cast<std::ptrdiff_t>(l) * H, H, out.h.begin() + static_cast<std::ptrdiff_t>(dst));
        if (has_c)
          std::copy_n(cur.c.begin() + static_cast<std::ptrdiff_t>(l) * H, H, out.c.begin() + static_cast<std::ptrdiff_t>(dst));
        for (int g = 0; g < S; g++)
          std::copy_n(cur.gates.begin() + static_cast<std::ptrdiff_t>((l * S + g) * H), H,
                      out.gates.begin() + static_cast<std::ptrdiff_t>(((static_cast<size_t>(l) * S + g) * N + i) * H));
      }
    }
  }
  return out;
}

}  // namespace charrnn
