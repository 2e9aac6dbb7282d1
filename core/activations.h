// The pointwise nonlinearities, in one place so every cell uses the same ones.
#pragma once
#include <cmath>

namespace charrnn {

inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
inline float tanh_act(float x) { return std::tanh(x); }

}  // namespace charrnn
