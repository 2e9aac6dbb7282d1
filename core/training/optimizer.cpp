#include "training/optimizer.h"

#include <cmath>

#include "numerics/activations.h"  // CHARRNN_ELEMENTWISE_LOOP

namespace charrnn {

void OptimizerState::reset(OptimizerType t, size_t n) {
  type = t;
  m.assign(n, 0.0f);
  if (t == OptimizerType::Adam) v.assign(n, 0.0f);
  else v.clear();
  steps = 0;
}

void optimizer_update(OptimizerState& s, const TrainConfig& c, float lr, const ParamLayout& layout, float* params,
                      const float* grads) {
  s.steps++;
  const float eps = 1e-8f;
  // Adam's bias corrections, folded into the step size.
  const double bc1 = 1.0 - std::pow(static_cast<double>(c.adam_beta1), static_cast<double>(s.steps));
  const double bc2 = 1.0 - std::pow(static_cast<double>(c.adam_beta2), static_cast<double>(s.steps));
  const float adam_lr = static_cast<float>(lr * std::sqrt(bc2) / bc1);
  for (const TensorSlot& t : layout.tensors) {
    const float l2 = t.is_bias ? 0.0f : c.l2;
    float* p = params + t.offset;
    const float* gr = grads + t.offset;
    float* m = s.m.data() + t.offset;
    switch (s.type) {
      case OptimizerType::RMSProp: {
        const float a = c.rmsprop_decay;
        CHARRNN_ELEMENTWISE_LOOP
        for (size_t i = 0; i < t.size; i++) {
          const float g = gr[i] + l2 * p[i];
          m[i] = a * m[i] + (1.0f - a) * g * g;
          p[i] -= lr * g / (std::sqrt(m[i]) + eps);
        }
        break;
      }
      case OptimizerType::Adam: {
        float* v = s.v.data() + t.offset;
        const float b1 = c.adam_beta1, b2 = c.adam_beta2;
        CHARRNN_ELEMENTWISE_LOOP
        for (size_t i = 0; i < t.size; i++) {
          const float g = gr[i] + l2 * p[i];
          m[i] = b1 * m[i] + (1.0f - b1) * g;
          v[i] = b2 * v[i] + (1.0f - b2) * g * g;
          p[i] -= adam_lr * m[i] / (std::sqrt(v[i]) + eps);
        }
        break;
      }
      case OptimizerType::Adagrad:
        CHARRNN_ELEMENTWISE_LOOP
        for (size_t i = 0; i < t.size; i++) {
          const float g = gr[i] + l2 * p[i];
          m[i] += g * g;
          p[i] -= lr * g / std::sqrt(m[i] + eps);
        }
        break;
    }
  }
}

}  // namespace charrnn
