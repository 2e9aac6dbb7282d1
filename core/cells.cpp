#include "cells.h"

#include <algorithm>
#include <cstring>

#include "activations.h"
#include "matmul.h"

namespace charrnn {

namespace {

// ---- pointwise parts of one time step, shared by training (B streams) and sampling (one) ----

// a [B, 4H]: pre-activations (i, f, o, g) in, gate values out. c = f*c_prev + i*g, h = o*tanh(c).
// One pass over contiguous memory per stream; c_prev may be c (sampling updates in place).
void lstm_pointwise(float* a, const float* c_prev, float* c, float* tanh_c, float* h, int B, int H) {
  for (int b = 0; b < B; b++) {
    float* i_g = a + static_cast<size_t>(b) * 4 * H;
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

// a [B, 3H]: x-part pre-activations (r, z, n) in, gate values out; hw [B, 3H]: h_prev @ wh.
// n = tanh(x_n + r * (hw_n + bhn)), h = (1 - z) * n + z * h_prev. hn_out [B, H] keeps hw_n + bhn
// for backward; h_prev may be h (sampling).
void gru_pointwise(float* a, const float* hw, const float* bhn, const float* h_prev, float* hn_out, float* h, int B,
                   int H) {
  for (int b = 0; b < B; b++) {
    float* r_g = a + static_cast<size_t>(b) * 3 * H;
    float* z_g = r_g + H;
    float* n_g = z_g + H;
    const float* hw_r = hw + static_cast<size_t>(b) * 3 * H;
    const float* hw_z = hw_r + H;
    const float* hw_n = hw_z + H;
    const size_t row = static_cast<size_t>(b) * H;
    const float* hp = h_prev + row;
    float* hno = hn_out + row;
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

void rnn_pointwise(const float* a, float* h, int n) {
  CHARRNN_ELEMENTWISE_LOOP
  for (int j = 0; j < n; j++) h[j] = tanh_act(a[j]);
}

}  // namespace

size_t recurrent_pack_floats(CellType cell, int H) {
  const int GH = gate_count(cell) * H;
  return std::max(prepared_b_floats(H, GH), prepared_b_floats(GH, H));
}

void layer_forward(const LayerShape& s, const LayerWeights& w, LayerActivations& a) {
  const int T = s.T, B = s.B, H = s.H, G = gate_count(s.cell), GH = G * H;
  const size_t BH = static_cast<size_t>(B) * H, BGH = static_cast<size_t>(B) * GH;
  // gates[T*B, GH] = x[T*B, I] @ wx[I, GH] + b: the input projection of every step at once.
  matmul(a.gates, a.x, w.wx, T * B, s.I, GH, false);
  add_bias_rows(a.gates, w.b, T * B, GH);
  // wh [H, GH] is the right-hand side of all T recurrent products: packed once for them.
  const PreparedB wh = prepare_b(a.wh_packed, w.wh, H, GH);
  for (int t = 0; t < T; t++) {
    float* gates_t = a.gates + t * BGH;
    const float* h_prev = a.hs + t * BH;
    float* h = a.hs + (t + 1) * BH;
    switch (s.cell) {
      case CellType::LSTM:
        matmul_prepared(gates_t, h_prev, wh, B, true);
        lstm_pointwise(gates_t, a.cs + t * BH, a.cs + (t + 1) * BH, a.aux + t * BH, h, B, H);
        break;
      case CellType::GRU:
        matmul_prepared(a.scratch, h_prev, wh, B, false);
        gru_pointwise(gates_t, a.scratch, w.bhn, h_prev, a.aux + t * BH, h, B, H);
        break;
      case CellType::RNN:
        matmul_prepared(gates_t, h_prev, wh, B, true);
        rnn_pointwise(gates_t, h, static_cast<int>(BH));
        break;
    }
  }
}

void layer_backward(const LayerShape& s, const LayerWeights& w, const LayerActivations& a, float* dh_out, float* dpre,
                    float* dpre_h, float* dx, const LayerGrads& g) {
  const int T = s.T, B = s.B, H = s.H, G = gate_count(s.cell), GH = G * H;
  const size_t BH = static_cast<size_t>(B) * H, BGH = static_cast<size_t>(B) * GH;
  // dh_out[t] accumulates the gradient flowing back from step t+1 before step t is processed.
  // LSTM also carries dc from step t+1; it lives in the dc_next scratch row block of dpre_h.
  float* dc_next = s.cell == CellType::LSTM ? dpre_h : nullptr;  // [B, H]
  if (dc_next) std::memset(dc_next, 0, BH * sizeof(float));
  float* dpre_rec = s.cell == CellType::GRU ? dpre_h : dpre;  // gradient w.r.t. the recurrent product
  // dh_prev += drec @ wh^T at every step: wh^T [GH, H] packed once (over forward's packing).
  const PreparedB wh_t = prepare_bt(a.wh_packed, w.wh, H, GH);
  for (int t = T - 1; t >= 0; t--) {
    float* dh = dh_out + t * BH;
    const float* gates_t = a.gates + t * BGH;
    float* dpre_t = dpre + t * BGH;
    float* drec_t = dpre_rec + t * BGH;
    const float* h_prev = a.hs + t * BH;
    const float* h = a.hs + (t + 1) * BH;
    for (int b = 0; b < B; b++) {
      const size_t row = static_cast<size_t>(b) * H, grow = static_cast<size_t>(b) * GH;
      const float* gr = gates_t + grow;
      float* dp = dpre_t + grow;
      switch (s.cell) {
        case CellType::LSTM: {
          const float* c_prev = a.cs + t * BH + row;
          const float* tanh_c = a.aux + t * BH + row;
          float* dcn = dc_next + row;
          const float* dhb = dh + row;
          CHARRNN_ELEMENTWISE_LOOP
          for (int j = 0; j < H; j++) {
            const float i = gr[j], f = gr[H + j], o = gr[2 * H + j], gg = gr[3 * H + j];
            const float dhj = dhb[j], tc = tanh_c[j];
            const float dc = dhj * o * (1.0f - tc * tc) + dcn[j];
            dp[j] = dc * gg * i * (1.0f - i);
            dp[H + j] = dc * c_prev[j] * f * (1.0f - f);
            dp[2 * H + j] = dhj * tc * o * (1.0f - o);
            dp[3 * H + j] = dc * i * (1.0f - gg * gg);
            dcn[j] = dc * f;
          }
          break;
        }
        case CellType::GRU: {
          const float* hn = a.aux + t * BH + row;
          float* dr = drec_t + grow;
          const float* hp = h_prev + row;
          const float* dhb = dh + row;
          CHARRNN_ELEMENTWISE_LOOP
          for (int j = 0; j < H; j++) {
            const float r = gr[j], z = gr[H + j], n = gr[2 * H + j];
            const float dhj = dhb[j];
            const float dan = dhj * (1.0f - z) * (1.0f - n * n);
            const float daz = dhj * (hp[j] - n) * z * (1.0f - z);
            const float dar = dan * hn[j] * r * (1.0f - r);
            dp[j] = dar; dp[H + j] = daz; dp[2 * H + j] = dan;
            dr[j] = dar; dr[H + j] = daz; dr[2 * H + j] = dan * r;
          }
          break;
        }
        case CellType::RNN: {
          const float* dhb = dh + row;
          const float* hb = h + row;
          CHARRNN_ELEMENTWISE_LOOP
          for (int j = 0; j < H; j++) dp[j] = dhb[j] * (1.0f - hb[j] * hb[j]);
          break;
        }
      }
    }
    if (t > 0) {
      float* dh_prev = dh_out + (t - 1) * BH;
      // h_prev reaches h directly only in the GRU (z * h_prev).
      if (s.cell == CellType::GRU) {
        for (int b = 0; b < B; b++) {
          const size_t row = static_cast<size_t>(b) * H;
          const float* z = gates_t + static_cast<size_t>(b) * GH + H;
          for (int j = 0; j < H; j++) dh_prev[row + j] += dh[row + j] * z[j];
        }
      }
      matmul_prepared(dh_prev, drec_t, wh_t, B, true);
    }
  }
  // Weight gradients over all steps at once: dwh = h_prev^T @ drec, dwx = x^T @ dpre.
  matmul_tn(g.wh, a.hs, dpre_rec, H, T * B, GH, true);
  matmul_tn(g.wx, a.x, dpre, s.I, T * B, GH, true);
  add_column_sums(g.b, dpre, T * B, GH);
  if (s.cell == CellType::GRU) {
    for (int tb = 0; tb < T * B; tb++) {
      const float* dr = dpre_rec + static_cast<size_t>(tb) * GH + 2 * H;
      for (int j = 0; j < H; j++) g.bhn[j] += dr[j];
    }
  }
  if (dx) matmul_nt(dx, dpre, w.wx, T * B, GH, s.I, false);
}

void layer_step(CellType cell, int H, const LayerWeights& w, const float* x_proj, float* h, float* c, float* scratch) {
  const int GH = gate_count(cell) * H;
  float* a = scratch;
  float* hw = scratch + GH;
  switch (cell) {
    case CellType::LSTM:
      std::memcpy(a, x_proj, GH * sizeof(float));
      matmul(a, h, w.wh, 1, H, GH, true);
      lstm_pointwise(a, c, c, hw, h, 1, H);  // tanh(c) goes to the unused second half of scratch
      break;
    case CellType::GRU:
      std::memcpy(a, x_proj, GH * sizeof(float));
      matmul(hw, h, w.wh, 1, H, GH, false);
      gru_pointwise(a, hw, w.bhn, h, hw + 2 * H, h, 1, H);  // hw_n + bhn overwrites hw_n, read first
      break;
    case CellType::RNN:
      std::memcpy(a, x_proj, GH * sizeof(float));
      matmul(a, h, w.wh, 1, H, GH, true);
      rnn_pointwise(a, h, H);
      break;
  }
}

}  // namespace charrnn
