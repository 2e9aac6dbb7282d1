// The GRU cell, forward and backward over T steps of B streams.
//
// Forward, one step (G = 3 gate blocks, in this order inside G*H: r, z, n):
//   xr, xz, xn = x @ wx + b              [B, 3H] the input part (all T steps in one product)
//   hr, hz, hn = h_prev @ wh             [B, 3H] the recurrent part (cache: one step's hw)
//   r = sigmoid(xr + hr)                 reset gate
//   z = sigmoid(xz + hz)                 update gate
//   n = tanh(xn + r * (hn + bhn))        candidate: bhn sits inside the reset gate's product
//   h = (1 - z) * n + z * h_prev
//
// Buffers: gates [T*B, 3H] holds (xr, xz, xn), then (r, z, n); the cache holds
// hnb = hn + bhn [T*B, H] for backward, then one step's recurrent product hw [B, 3H].
//
// Backward, one step, given dh (from above plus the recurrent path from t+1):
//   dan = dh * (1 - z) * (1 - n^2)        d/d of n's pre-activation
//   daz = dh * (h_prev - n) * z(1 - z)
//   dar = dan * hnb * r(1 - r)
//   input projection's gradient:   dpre_x = (dar, daz, dan)
//   recurrent product's gradient:  dpre_h = (dar, daz, dan * r)   (hn enters through r * hn)
//   dh_prev += dh * z + dpre_h @ wh^T
// and over all steps: dwx += x^T dpre_x, db += sum dpre_x, dwh += h_prev^T dpre_h,
// dbhn += sum dpre_h[n block]. Scratch: dpre_h [T*B, 3H].
#include "model/cells/gru.h"

#include "numerics/activations.h"
#include "model/cells/shared.h"

namespace charrnn::cells {
namespace {

constexpr int G = 3;

size_t cache_floats(int T, int B, int H) {
  return static_cast<size_t>(T) * B * H + static_cast<size_t>(B) * G * H;  // hnb, then hw
}
size_t backward_scratch_floats(int T, int B, int H) { return static_cast<size_t>(T) * B * G * H; }  // dpre_h

// a [B, 3H]: input parts in, gate values out; hw [B, 3H]: h_prev @ wh; hnb [B, H]: out.
void pointwise(float* a, const float* hw, const float* bhn, const float* h_prev, float* hnb, float* h, int B, int H) {
  for (int b = 0; b < B; b++) {
    float* r_g = a + static_cast<size_t>(b) * G * H;
    float* z_g = r_g + H;
    float* n_g = z_g + H;
    const float* hw_r = hw + static_cast<size_t>(b) * G * H;
    const float* hw_z = hw_r + H;
    const float* hw_n = hw_z + H;
    const size_t row = static_cast<size_t>(b) * H;
    const float* hp = h_prev + row;
    float* hno = hnb + row;
    float* hb = h + row;
    CHARRNN_ELEMENTWISE_LOOP
    for (int j = 0; j < H; j++) {
      const float r = sigmoid(r_g[j] + hw_r[j]);
      const float z = sigmoid(z_g[j] + hw_z[j]);
      const float hn = hw_n[j] + bhn[j];
      const float n = tanh_act(n_g[j] + r * hn);
      r_g[j] = r; z_g[j] = z; n_g[j] = n;
      hno[j] = hn;
      hb[j] = (1.0f - z) * n + z * hp[j];
    }
  }
}

void forward(const LayerShape& s, const LayerWeights& w, const LayerActivations& a) {
  const int B = s.B, H = s.H, GH = G * H;
  const size_t BH = static_cast<size_t>(B) * H, BGH = static_cast<size_t>(B) * GH;
  project_inputs(s, GH, w, a);
  const PreparedB wh = prepare_b(a.wh_packed, w.wh, H, GH, B);
  float* hnb = a.cache;
  float* hw = a.cache + static_cast<size_t>(s.T) * BH;
  for (int t = 0; t < s.T; t++) {
    const float* h_prev = a.hs + t * BH;
    matmul_prepared(hw, h_prev, wh, B, false);
    pointwise(a.gates + t * BGH, hw, w.bhn, h_prev, hnb + t * BH, a.hs + (t + 1) * BH, B, H);
  }
}

void backward(const LayerShape& s, const LayerWeights& w, const LayerActivations& a, const LayerBackwardBuffers& d,
              const LayerGrads& g) {
  const int B = s.B, H = s.H, GH = G * H, TB = s.T * s.B;
  const size_t BH = static_cast<size_t>(B) * H, BGH = static_cast<size_t>(B) * GH;
  const float* hnb = a.cache;
  float* dpre_h = d.scratch;
  const PreparedB wh_t = prepare_bt(a.wh_packed, w.wh, H, GH, B);
  for (int t = s.T - 1; t >= 0; t--) {
    const float* gates_t = a.gates + t * BGH;
    float* dx_t = d.dgates + t * BGH;
    float* dh_t = dpre_h + t * BGH;
    const float* dh = d.dh + t * BH;
    for (int b = 0; b < B; b++) {
      const size_t row = static_cast<size_t>(b) * H, grow = static_cast<size_t>(b) * GH;
      const float* gr = gates_t + grow;
      const float* hp = a.hs + t * BH + row;
      const float* hn = hnb + t * BH + row;
      const float* dhb = dh + row;
      float* dpx = dx_t + grow;
      float* dph = dh_t + grow;
      CHARRNN_ELEMENTWISE_LOOP
      for (int j = 0; j < H; j++) {
        const float r = gr[j], z = gr[H + j], n = gr[2 * H + j];
        const float dan = dhb[j] * (1.0f - z) * (1.0f - n * n);
        const float daz = dhb[j] * (hp[j] - n) * z * (1.0f - z);
        const float dar = dan * hn[j] * r * (1.0f - r);
        dpx[j] = dar; dpx[H + j] = daz; dpx[2 * H + j] = dan;
        dph[j] = dar; dph[H + j] = daz; dph[2 * H + j] = dan * r;
      }
    }
    if (t > 0) {
      float* dh_prev = d.dh + (t - 1) * BH;
      // h_prev reaches h directly through z * h_prev.
      for (int b = 0; b < B; b++) {
        const size_t row = static_cast<size_t>(b) * H;
        const float* z = gates_t + static_cast<size_t>(b) * GH + H;
        for (int j = 0; j < H; j++) dh_prev[row + j] += dh[row + j] * z[j];
      }
      matmul_prepared(dh_prev, dh_t, wh_t, B, true);
    }
  }
  accumulate_weight_grads(s, GH, w, a, d.dgates, dpre_h, d.dx, g);
  for (int tb = 0; tb < TB; tb++) {
    const float* dn = dpre_h + static_cast<size_t>(tb) * GH + 2 * H;
    for (int j = 0; j < H; j++) g.bhn[j] += dn[j];
  }
}

const char* const kGateNames[] = {"reset", "update"};

}  // namespace

const Cell kGru{CellType::GRU, "gru", G, /*has_cell_state=*/false, /*has_bhn=*/true,
                nullptr, cache_floats, backward_scratch_floats, forward, backward,
                /*sigmoid_gates=*/2, kGateNames};

}  // namespace charrnn::cells
