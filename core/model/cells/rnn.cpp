// The vanilla RNN cell, forward and backward over T steps of B streams.
//
// Forward, one step (G = 1):
//   pre = x @ wx + b + h_prev @ wh       [B, H]
//   h = tanh(pre)
// Buffers: gates [T*B, H] holds pre, then h (the same values as hs[1..T], kept for the layout
// every cell shares); no cache.
//
// Backward, one step, given dh (from above plus the recurrent path from t+1):
//   dpre = dh * (1 - h^2)
//   dh_prev += dpre @ wh^T
// and over all steps: dwx += x^T dpre, dwh += h_prev^T dpre, db += sum dpre.
#include "model/cells/rnn.h"

#include "numerics/activations.h"
#include "model/cells/shared.h"

namespace charrnn::cells {
namespace {

size_t no_floats(int, int, int) { return 0; }

void forward(const LayerShape& s, const LayerWeights& w, const LayerActivations& a) {
  const int B = s.B, H = s.H;
  const size_t BH = static_cast<size_t>(B) * H;
  project_inputs(s, H, w, a);
  const PreparedB wh = prepare_b(a.wh_packed, w.wh, H, H, B);
  for (int t = 0; t < s.T; t++) {
    float* pre = a.gates + t * BH;
    float* h = a.hs + (t + 1) * BH;
    matmul_prepared(pre, a.hs + t * BH, wh, B, true);
    CHARRNN_ELEMENTWISE_LOOP
    for (size_t j = 0; j < BH; j++) pre[j] = h[j] = tanh_act(pre[j]);
  }
}

void backward(const LayerShape& s, const LayerWeights& w, const LayerActivations& a, const LayerBackwardBuffers& d,
              const LayerGrads& g) {
  const int B = s.B, H = s.H;
  const size_t BH = static_cast<size_t>(B) * H;
  const PreparedB wh_t = prepare_bt(a.wh_packed, w.wh, H, H, B);
  for (int t = s.T - 1; t >= 0; t--) {
    const float* h = a.hs + (t + 1) * BH;
    const float* dh = d.dh + t * BH;
    float* dpre = d.dgates + t * BH;
    CHARRNN_ELEMENTWISE_LOOP
    for (size_t j = 0; j < BH; j++) dpre[j] = dh[j] * (1.0f - h[j] * h[j]);
    if (t > 0) matmul_prepared(d.dh + (t - 1) * BH, dpre, wh_t, B, true);
  }
  accumulate_weight_grads(s, H, w, a, d.dgates, d.dgates, d.dx, g);
}

}  // namespace

const Cell kRnn{CellType::RNN, "rnn", 1, /*has_cell_state=*/false, /*has_bhn=*/false,
                nullptr, no_floats, no_floats, forward, backward,
                /*sigmoid_gates=*/0, nullptr};

}  // namespace charrnn::cells
