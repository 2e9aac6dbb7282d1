// The parts every cell's forward/backward pair shares: the input projection of all T steps in one
// product, and the weight gradients of all T steps in one product each. Only the time loop (the
// recurrent product and the pointwise gate math) differs between cells.
#pragma once
#include "model/cells.h"
#include "numerics/matmul.h"

namespace charrnn::cells {

// gates [T*B, G*H] = x [T*B, I] @ wx [I, G*H] + b: the input part of every step's pre-activations.
inline void project_inputs(const LayerShape& s, int GH, const LayerWeights& w, const LayerActivations& a) {
  matmul(a.gates, a.x, w.wx, s.T * s.B, s.I, GH, false);
  add_bias_rows(a.gates, w.b, s.T * s.B, GH);
}

// Weight gradients over all steps at once, from dpre_x [T*B, G*H] (the gradient of the input
// projection) and dpre_h [T*B, G*H] (of the recurrent product; the same buffer for cells whose
// recurrent product is added before the nonlinearity):
//   dwx += x^T @ dpre_x,  db += column sums of dpre_x,  dwh += h_prev^T @ dpre_h,
//   dx = dpre_x @ wx^T.
// hs[0..T) are the h_prev of steps 1..T, so h_prev^T @ dpre_h is one product over hs.
inline void accumulate_weight_grads(const LayerShape& s, int GH, const LayerWeights& w, const LayerActivations& a,
                                    const float* dpre_x, const float* dpre_h, float* dx, const LayerGrads& g) {
  const int TB = s.T * s.B;
  matmul_tn(g.wh, a.hs, dpre_h, s.H, TB, GH, true);
  matmul_tn(g.wx, a.x, dpre_x, s.I, TB, GH, true);
  add_column_sums(g.b, dpre_x, TB, GH);
  if (dx) matmul_nt(dx, dpre_x, w.wx, TB, GH, s.I, false);
}

}  // namespace charrnn::cells
