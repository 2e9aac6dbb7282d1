// Optimisers over the flat parameter buffer: RMSProp (char-rnn), Adam, Adagrad (min-char-rnn).
// Their moment buffers share the parameters' layout, so checkpoints store them tensor by tensor.
#pragma once
#include <cstdint>
#include <vector>

#include "model/config.h"
#include "model/param_layout.h"

namespace charrnn {

struct OptimizerState {
  OptimizerType type = OptimizerType::RMSProp;
  std::vector<float> m;  // RMSProp / Adagrad: running square average or sum; Adam: first moment
  std::vector<float> v;  // Adam: second moment (empty otherwise)
  int64_t steps = 0;  // updates applied (Adam's bias correction)

  void reset(OptimizerType type, size_t n_params);
  int moment_count() const { return type == OptimizerType::Adam ? 2 : 1; }
};

// params -= update(grads). grads already carry clipping; L2 is added here for non-bias tensors.
void optimizer_update(OptimizerState& state, const TrainConfig& config, float learning_rate, const ParamLayout& layout,
                      float* params, const float* grads);

}  // namespace charrnn
