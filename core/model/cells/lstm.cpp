// The LSTM cell, forward and backward over T steps of B streams.
//
// Forward, one step (G = 4 gate blocks, in this order inside G*H: i, f, o, g):
//   pre = x @ wx + b + h_prev @ wh            [B, 4H]
//   i = sigmoid(pre_i)   input gate
//   f = sigmoid(pre_f)   forget gate (its bias starts at 1: init_bias)
//   o = sigmoid(pre_o)   output gate
//   g = tanh(pre_g)      candidate
//   c = f * c_prev + i * g
//   h = o * tanh(c)
//
// Buffers: gates [T*B, 4H] holds pre, then (i, f, o, g); cs [(T+1)*B, H] the cell states (cs[0]
// is the carried-in c0); the cache holds tanh(c) [T*B, H] for backward (and inspection reads c).
//
// Backward, one step, given dh (from the layer above plus the recurrent path from t+1) and dc_next
// (the gradient reaching c from step t+1 through f):
//   dc = dh * o * (1 - tanh(c)^2) + dc_next
//   dpre_i = dc * g * i(1 - i)          (c = ... + i * g)
//   dpre_f = dc * c_prev * f(1 - f)     (c = f * c_prev + ...)
//   dpre_o = dh * tanh(c) * o(1 - o)    (h = o * tanh(c))
//   dpre_g = dc * i * (1 - g^2)
//   dc_prev = dc * f                    carried to step t-1 (scratch: dc_next [B, H])
//   dh_prev += dpre @ wh^T
// and over all steps: dwx += x^T dpre, dwh += h_prev^T dpre, db += sum dpre.
#include "model/cells/lstm.h"

#include <algorithm>
#include <cstring>

#include "numerics/activations.h"
#include "model/cells/shared.h"

namespace charrnn::cells {
namespace {

constexpr int G = 4;

// Forget-gate bias 1 (Jozefowicz et al. 2015): remember by default early in training.
void init_bias(float* b, int H) { std::fill_n(b + H, H, 1.0f); }

size_t cache_floats(int T, int B, int H) { return static_cast<size_t>(T) * B * H; }  // tanh(c)
size_t backward_scratch_floats(int, int B, int H) { return static_cast<size_t>(B) * H; }  // dc_next

// a [B, 4H]: pre-activations in, gate values out; c = f*c_prev + i*g, h = o*tanh(c).
void pointwise(float* a, const float* c_prev, float* c, float* tanh_c, float* h, int B, int H) {
  for (int b = 0; b < B; b++) {
    float* i_g = a + static_cast<size_t>(b) * G * H;
    float* f_g = i_g + H;
    float* o_g = f_g + H;
    float* g_g = o_g + H;
    const size_t row = static_cast<size_t>(b) * H;
    const float* cp = c_prev + row;
    float* cb = c + row;
    float* tcb = tanh_c + row;
    float* hb = h + row;
    CHARRNN_ELEMENTWISE_LOOP
    for (int j = 0; j < H; j++) {
      const float i = sigmoid(i_g[j]), f = sigmoid(f_g[j]), o = sigmoid(o_g[j]), g = tanh_act(g_g[j]);
      const float cn = f * cp[j] + i * g;
      const float tc = tanh_act(cn);
      i_g[j] = i; f_g[j] = f; o_g[j] = o; g_g[j] = g;
      cb[j] = cn;
      tcb[j] = tc;
      hb[j] = o * tc;
    }
  }
}

void forward(const LayerShape& s, const LayerWeights& w, const LayerActivations& a) {
  const int B = s.B, H = s.H, GH = G * H;
  const size_t BH = static_cast<size_t>(B) * H, BGH = static_cast<size_t>(B) * GH;
  project_inputs(s, GH, w, a);
  const PreparedB wh = prepare_b(a.wh_packed, w.wh, H, GH, B);  // packed once for the T products
  float* tanh_c = a.cache;
  for (int t = 0; t < s.T; t++) {
    float* pre = a.gates + t * BGH;
    matmul_prepared(pre, a.hs + t * BH, wh, B, true);
    pointwise(pre, a.cs + t * BH, a.cs + (t + 1) * BH, tanh_c + t * BH, a.hs + (t + 1) * BH, B, H);
  }
}

void backward(const LayerShape& s, const LayerWeights& w, const LayerActivations& a, const LayerBackwardBuffers& d,
              const LayerGrads& g) {
  const int B = s.B, H = s.H, GH = G * H;
  const size_t BH = static_cast<size_t>(B) * H, BGH = static_cast<size_t>(B) * GH;
  const float* tanh_c = a.cache;
  float* dc_next = d.scratch;
  std::memset(dc_next, 0, BH * sizeof(float));
  const PreparedB wh_t = prepare_bt(a.wh_packed, w.wh, H, GH, B);  // dh_prev += dpre @ wh^T
  for (int t = s.T - 1; t >= 0; t--) {
    const float* gates_t = a.gates + t * BGH;
    float* dpre_t = d.dgates + t * BGH;
    for (int b = 0; b < B; b++) {
      const size_t row = t * BH + static_cast<size_t>(b) * H;
      const float* gr = gates_t + static_cast<size_t>(b) * GH;
      float* dp = dpre_t + static_cast<size_t>(b) * GH;
      const float* c_prev = a.cs + row;  // cs[t] is step t's c_prev (cs[0] = c0)
      const float* tc = tanh_c + row;
      const float* dh = d.dh + row;
      float* dcn = dc_next + static_cast<size_t>(b) * H;
      CHARRNN_ELEMENTWISE_LOOP
      for (int j = 0; j < H; j++) {
        const float i = gr[j], f = gr[H + j], o = gr[2 * H + j], gg = gr[3 * H + j];
        const float dc = dh[j] * o * (1.0f - tc[j] * tc[j]) + dcn[j];
        dp[j] = dc * gg * i * (1.0f - i);
        dp[H + j] = dc * c_prev[j] * f * (1.0f - f);
        dp[2 * H + j] = dh[j] * tc[j] * o * (1.0f - o);
        dp[3 * H + j] = dc * i * (1.0f - gg * gg);
        dcn[j] = dc * f;
      }
    }
    if (t > 0) matmul_prepared(d.dh + (t - 1) * BH, dpre_t, wh_t, B, true);
  }
  accumulate_weight_grads(s, GH, w, a, d.dgates, d.dgates, d.dx, g);
}

const char* const kGateNames[] = {"input", "forget", "output"};

}  // namespace

const Cell kLstm{CellType::LSTM, "lstm", G, /*has_cell_state=*/true, /*has_bhn=*/false,
                 init_bias, cache_floats, backward_scratch_floats, forward, backward,
                 /*sigmoid_gates=*/3, kGateNames};

}  // namespace charrnn::cells
