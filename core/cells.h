// The recurrent layers: vanilla RNN (tanh), LSTM and GRU, each a forward/backward pair over a
// whole batch of T time steps. Shapes: B = batch, T = time, I = input size, H = hidden, G = gates.
//
// The input projection of all T steps is one product (x @ wx), and so is each weight gradient
// (the time loop only does the recurrent h @ wh product and the pointwise gate math).
#pragma once
#include "config.h"

namespace charrnn {

struct LayerWeights {
  const float* wx;  // [I, G*H]
  const float* wh;  // [H, G*H]
  const float* b;  // [G*H]
  const float* bhn;  // [H] GRU only
};

struct LayerGrads {
  float* wx;
  float* wh;
  float* b;
  float* bhn;
};

// What forward stores for backward. All buffers are time-major: row t*B + b.
struct LayerActivations {
  const float* x;  // [T*B, I] layer input
  float* hs;  // [(T+1)*B, H]  hs[0..B) is the initial state h0, then h1..hT
  float* cs;  // [(T+1)*B, H]  LSTM cell states, cs[0..B) = c0
  float* gates;  // [T*B, G*H]   gate values after their nonlinearity
  float* aux;  // [T*B, H]     LSTM: tanh(c); GRU: wh_n h + bhn
  float* scratch;  // [B, G*H]     GRU: one step's recurrent product
  float* wh_packed;  // [recurrent_pack_floats(cell, H)] wh packed for the T per-step products
};

// Floats of LayerActivations::wh_packed: room for wh [H, G*H] packed for h @ wh (forward) or for
// dgates @ wh^T (backward). 0 natively, where Eigen packs inside each product.
size_t recurrent_pack_floats(CellType cell, int H);

struct LayerShape {
  CellType cell;
  int T, B, I, H;
};

void layer_forward(const LayerShape& s, const LayerWeights& w, LayerActivations& a);

// dh_out [T*B, H]: loss gradient with respect to h1..hT (consumed: used as scratch).
// dpre [T*B, G*H] and dpre_h [T*B, G*H] are scratch: dpre gets the gate pre-activation gradients;
// dpre_h holds the GRU's recurrent-product gradients, and the LSTM's carried cell gradient [B, H].
// dx [T*B, I] may be null (gradient with respect to the layer input, overwritten).
// Gradients are accumulated into g. The carried-in state h0/c0 receives no gradient (truncated BPTT).
void layer_backward(const LayerShape& s, const LayerWeights& w, const LayerActivations& a, float* dh_out,
                    float* dpre, float* dpre_h, float* dx, const LayerGrads& g);

// One time step for a single stream (sampling). x_proj [G*H] is x @ wx + b already computed;
// h [H] and c [H] (LSTM) are read and overwritten; scratch [2*G*H].
void layer_step(CellType cell, int H, const LayerWeights& w, const float* x_proj, float* h, float* c, float* scratch);

}  // namespace charrnn
