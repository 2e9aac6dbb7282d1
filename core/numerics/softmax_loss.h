// Softmax over the vocabulary with cross-entropy against the next character.
#pragma once
#include <cstdint>

namespace charrnn {

// logits [N, V] are replaced by probabilities. Returns the summed loss in nats (not averaged),
// accumulated in double so long evaluations do not lose precision. A target kNoTarget
// (batch_source.h: padding) adds no loss, and its row of the backward's gradient is zero:
//   loss = sum over n with targets[n] != kNoTarget of -log p[n, targets[n]]
double softmax_cross_entropy_forward(float* logits, const int32_t* targets, int N, int V);

// probs [N, V] from the forward pass become d(loss * scale)/d(logits): (p - onehot) * scale.
void softmax_cross_entropy_backward(float* probs, const int32_t* targets, int N, int V, float scale);

// In place: logits [V] -> probabilities at the given temperature.
void softmax_with_temperature(float* logits, int V, float temperature);

}  // namespace charrnn
