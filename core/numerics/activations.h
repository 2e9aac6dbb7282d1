// The pointwise nonlinearities, in one place so every cell (and the softmax) uses the same ones.
//
// exp, sigmoid and tanh are computed here rather than by the C library: libm's expf/tanhf are
// scalar calls (musl's in WASM, a quarter of a training step there), while these are branchless
// (a clamp, a Cody-Waite range reduction, a polynomial, an exponent built from bits), so the
// compiler vectorises the gate loops that call them: SSE/AVX natively, f32x4 under -msimd128.
// Both builds run the same formulas, so native and WASM compute the same numbers (up to rounding).
// Measured on whole training steps of lstm-2x128-b32-t50: WASM 1.32x faster, native 2.2x
// (there libm's scalar calls were most of a step once Eigen had done the products).
// Accuracy against double precision (bench/activations_check.cpp, floats in [-30, 30]): exp
// within 8.1e-8 relative, sigmoid 1.5e-7 (as libm's expf gives), tanh 1.4e-7 (libm's tanhf:
// 1.6e-7) — float rounding; backward uses the usual s(1-s) and 1-t^2 of these values.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

// Before a loop whose iterations each touch only their own element of every buffer (the
// buffers may still be the same one, as in-place updates are): lets the compiler vectorise it
// without proving the pointers apart.
#if defined(__clang__)
#define CHARRNN_ELEMENTWISE_LOOP _Pragma("clang loop vectorize(assume_safety)")
#elif defined(__GNUC__)
#define CHARRNN_ELEMENTWISE_LOOP _Pragma("GCC ivdep")
#else
#define CHARRNN_ELEMENTWISE_LOOP
#endif

namespace charrnn {

// e^x; 0 below -87 (e^-87 ~ 1.6e-38), e^88 ~ 1.7e38 above 88 (no inf, no denormals); NaN stays NaN.
inline float exp_approx(float x_in) {
  const float x = std::min(std::max(x_in, -87.0f), 88.0f);
  // n = round(x / ln 2), via the 1.5 * 2^23 trick: t's low mantissa bits then hold n.
  const float t = x * 1.44269504088896341f + 12582912.0f;
  const float n = t - 12582912.0f;
  int32_t ti;
  std::memcpy(&ti, &t, sizeof ti);
  // r = x - n ln 2 in two parts (Cody-Waite), |r| <= ln2 / 2.
  const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  // e^r: Cephes expf's minimax polynomial.
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  // 2^n as a float: the exponent field is n + 127.
  // Shifted as unsigned: for a NaN input n is garbage and a signed shift would overflow (UB).
  const uint32_t bits = static_cast<uint32_t>(ti - 0x4B400000 + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return x_in < -87.0f ? 0.0f : p * scale;
}

inline float sigmoid(float x) { return 1.0f / (1.0f + exp_approx(-x)); }

inline float tanh_act(float x) {
  const float ax = std::fabs(x);
  // |x| < 0.625: Cephes tanhf's odd polynomial; beyond: 1 - 2 / (e^(2|x|) + 1), sign restored.
  const float z = x * x;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  const float small = p * z * x + x;
  const float big = std::copysign(1.0f - 2.0f / (exp_approx(2.0f * ax) + 1.0f), x);
  return ax < 0.625f ? small : big;
}

// The C library's functions: the reference the approximations are checked against.
inline float sigmoid_ref(float x) { return 1.0f / (1.0f + std::exp(-x)); }
inline float tanh_ref(float x) { return std::tanh(x); }

}  // namespace charrnn
