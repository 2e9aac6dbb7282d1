#include "numerics/softmax_loss.h"

#include <algorithm>
#include <cmath>

#include "numerics/activations.h"
#include "text/batch_source.h"

namespace charrnn {

namespace {

// Numerically safe softmax of one row; returns log(sum(exp(x - max))) + max, the log-partition.
float softmax_row(float* x, int V) {
  float mx = x[0];
  for (int v = 1; v < V; v++) mx = std::max(mx, x[v]);
  CHARRNN_ELEMENTWISE_LOOP
  for (int v = 0; v < V; v++) x[v] = exp_approx(x[v] - mx);  // vectorised; the sum stays in order
  float sum = 0.0f;
  for (int v = 0; v < V; v++) sum += x[v];
  const float inv = 1.0f / sum;
  for (int v = 0; v < V; v++) x[v] *= inv;
  return std::log(sum) + mx;
}

}  // namespace

double softmax_cross_entropy_forward(float* logits, const int32_t* targets, int N, int V) {
  double loss = 0.0;
  for (int n = 0; n < N; n++) {
    float* row = logits + static_cast<size_t>(n) * V;
    if (targets[n] == kNoTarget) {  // padding: probabilities for the backward pass to zero, no loss
      softmax_row(row, V);
      continue;
    }
    const float target_logit = row[targets[n]];
    const float log_z = softmax_row(row, V);
    loss += static_cast<double>(log_z - target_logit);
  }
  return loss;
}

void softmax_cross_entropy_backward(float* probs, const int32_t* targets, int N, int V, float scale) {
  for (int n = 0; n < N; n++) {
    float* row = probs + static_cast<size_t>(n) * V;
    if (targets[n] == kNoTarget) {  // padding adds nothing to the loss: its gradient is zero
      std::fill(row, row + V, 0.0f);
      continue;
    }
    row[targets[n]] -= 1.0f;
    for (int v = 0; v < V; v++) row[v] *= scale;
  }
}

void softmax_with_temperature(float* logits, int V, float temperature) {
  const float inv_t = 1.0f / temperature;
  for (int v = 0; v < V; v++) logits[v] *= inv_t;
  softmax_row(logits, V);
}

}  // namespace charrnn
