// The matrix products of training, shape by shape: the engine's matmul/matmul_nt/matmul_tn
// (core/numerics/matmul.h: wasm_simd128.h kernels under -msimd128) against Eigen (namespace eigen_gemm).
// A development tool for choosing kernels by measurement; prints one JSON line per shape.
//
//   WASM:   NODE_PATH=/usr/share/nodejs em++ -std=c++17 -O3 -msimd128 -DEIGEN_NO_DEBUG \
//             -DEIGEN_DONT_PARALLELIZE -I/usr/include/eigen3 -Icore bench/gemm_bench.cpp \
//             -sALLOW_MEMORY_GROWTH=1 -o /tmp/gemm_bench.js && node --no-experimental-fetch /tmp/gemm_bench.js
//   native: g++ -std=c++17 -O3 -march=native -DEIGEN_NO_DEBUG -I/usr/include/eigen3 -Icore \
//             bench/gemm_bench.cpp -o /tmp/gemm_bench && /tmp/gemm_bench   (both columns are Eigen)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

#include "numerics/matmul.h"

namespace {

using Fn = void (*)(float*, const float*, const float*, int, int, int, bool);

// time_gflops takes a plain function: the prepared product goes through this trampoline.
std::function<void(float*, const float*, const float*, int, int, int, bool)> prepared_fn;
void call_prepared(float* C, const float* A, const float* B, int M, int K, int N, bool acc) {
  prepared_fn(C, A, B, M, K, N, acc);
}

double time_gflops(Fn f, std::vector<float>& C, const std::vector<float>& A, const std::vector<float>& B, int M, int K,
                   int N, bool acc) {
  const double flops = 2.0 * M * K * N;
  const int reps = std::max(3, static_cast<int>(2e8 / flops));
  std::vector<double> rates;
  for (int trial = 0; trial < 7; trial++) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int r = 0; r < reps; r++) f(C.data(), A.data(), B.data(), M, K, N, acc);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rates.push_back(flops * reps / s / 1e9);
  }
  // The best of 7: on a shared machine the fastest trial is the least disturbed one.
  return *std::max_element(rates.begin(), rates.end());
}

struct Shape {
  const char* what;
  char op;  // 'n' C=A@B, 't' C=A@B^T, 'T' C=A^T@B
  int M, K, N;
  bool acc;
};

}  // namespace

int main() {
  const Shape shapes[] = {
      {"lstm128 x@wx layer0", 'n', 1600, 32, 512, false},
      {"lstm128 x@wx layer1", 'n', 1600, 128, 512, false},
      {"lstm128 h@wh step", 'n', 32, 128, 512, true},
      {"lstm128 logits", 'n', 1600, 128, 65, false},
      {"lstm128 dh@wh^T step", 't', 32, 512, 128, true},
      {"lstm128 dx=dpre@wx^T", 't', 1600, 512, 128, false},
      {"lstm128 dh=dlogits@Wout^T", 't', 1600, 65, 128, false},
      {"lstm128 dwh=h^T@dpre", 'T', 128, 1600, 512, true},
      {"lstm128 dwx0=x^T@dpre", 'T', 32, 1600, 512, true},
      {"lstm128 dWout=h^T@dlogits", 'T', 128, 1600, 65, true},
      {"lstm512 h@wh step", 'n', 32, 512, 2048, true},
      {"lstm512 dh@wh^T step", 't', 32, 2048, 512, true},
      {"lstm512 dwh", 'T', 512, 1600, 2048, true},
      {"lstm512 x@wx layer1", 'n', 1600, 512, 2048, false},
      {"sample h@wh 128", 'n', 1, 128, 512, true},
      {"sample h@wh 512", 'n', 1, 512, 2048, true},
      {"lstm20 h@wh b1", 'n', 1, 20, 80, true},
      {"lstm20 x@wx b1 t25", 'n', 25, 32, 80, false},
  };
  for (const Shape& s : shapes) {
    const int a_rows = s.op == 'T' ? s.K : s.M, a_cols = s.op == 'T' ? s.M : s.K;
    const int b_rows = s.op == 't' ? s.N : s.K, b_cols = s.op == 't' ? s.K : s.N;
    std::vector<float> A(static_cast<size_t>(a_rows) * a_cols), B(static_cast<size_t>(b_rows) * b_cols);
    for (size_t i = 0; i < A.size(); i++) A[i] = static_cast<float>((i * 7919) % 1000) / 1000.0f - 0.5f;
    for (size_t i = 0; i < B.size(); i++) B[i] = static_cast<float>((i * 104729) % 1000) / 1000.0f - 0.5f;
    std::vector<float> C1(static_cast<size_t>(s.M) * s.N, 0.25f), C2 = C1;
    Fn mine = s.op == 'n' ? charrnn::matmul : s.op == 't' ? charrnn::matmul_nt : charrnn::matmul_tn;
    Fn ref = s.op == 'n' ? charrnn::eigen_gemm::matmul : s.op == 't' ? charrnn::eigen_gemm::matmul_nt
                                                                   : charrnn::eigen_gemm::matmul_tn;
    mine(C1.data(), A.data(), B.data(), s.M, s.K, s.N, s.acc);
    // The prepared form (B packed once, as the recurrent weights are over T steps), for A @ B and A @ B^T.
    double g_prep = 0.0, err_prep = 0.0;
    if (s.op != 'T') {
      std::vector<float> buf(charrnn::prepared_b_floats(s.K, s.N, s.M) + 1);
      const charrnn::PreparedB pb = s.op == 'n' ? charrnn::prepare_b(buf.data(), B.data(), s.K, s.N, s.M)
                                                : charrnn::prepare_bt(buf.data(), B.data(), s.N, s.K, s.M);
      std::vector<float> C3(static_cast<size_t>(s.M) * s.N, 0.25f), C4 = C3;
      charrnn::matmul_prepared(C3.data(), A.data(), pb, s.M, s.acc);
      ref(C4.data(), A.data(), B.data(), s.M, s.K, s.N, s.acc);
      for (size_t i = 0; i < C3.size(); i++) err_prep = std::max(err_prep, static_cast<double>(std::fabs(C3[i] - C4[i])));
      prepared_fn = [&](float* C, const float*, const float*, int M, int, int, bool acc) {
        charrnn::matmul_prepared(C, A.data(), pb, M, acc);
      };
      g_prep = time_gflops(call_prepared, C3, A, B, s.M, s.K, s.N, s.acc);
    }
    ref(C2.data(), A.data(), B.data(), s.M, s.K, s.N, s.acc);
    double err = 0.0, mag = 0.0;
    for (size_t i = 0; i < C1.size(); i++) {
      err = std::max(err, static_cast<double>(std::fabs(C1[i] - C2[i])));
      mag = std::max(mag, static_cast<double>(std::fabs(C2[i])));
    }
    const double g_mine = time_gflops(mine, C1, A, B, s.M, s.K, s.N, s.acc);
    const double g_ref = time_gflops(ref, C2, A, B, s.M, s.K, s.N, s.acc);
    std::printf("{\"shape\":\"%s\",\"op\":\"%c\",\"M\":%d,\"K\":%d,\"N\":%d,\"gflops\":%.2f,\"prepared_gflops\":%.2f,"
                "\"eigen_gflops\":%.2f,\"ratio\":%.2f,\"max_rel_err\":%.1e,\"prepared_max_rel_err\":%.1e}\n",
                s.what, s.op, s.M, s.K, s.N, g_mine, g_prep, g_ref, g_mine / g_ref, err / mag, err_prep / mag);
  }
  return 0;
}
