// The character embedding: a lookup table [V, E] in front of the first layer.
#pragma once
#include <cstdint>
#include <cstring>

namespace charrnn {

// out [N, E] = table[ids[n]]
inline void embedding_forward(float* out, const float* table, const int32_t* ids, int N, int E) {
  for (int n = 0; n < N; n++) std::memcpy(out + static_cast<size_t>(n) * E, table + static_cast<size_t>(ids[n]) * E, E * sizeof(float));
}

// dtable[ids[n]] += dout[n]
inline void embedding_backward(float* dtable, const float* dout, const int32_t* ids, int N, int E) {
  for (int n = 0; n < N; n++) {
    float* row = dtable + static_cast<size_t>(ids[n]) * E;
    const float* d = dout + static_cast<size_t>(n) * E;
    for (int e = 0; e < E; e++) row[e] += d[e];
  }
}

}  // namespace charrnn
