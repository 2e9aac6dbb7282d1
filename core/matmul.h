// The three matrix products the engine needs, on raw row-major float buffers. Every heavy
// operation of training goes through one of these.
//
// Natively Eigen does the arithmetic (its AVX/FMA kernels). Eigen 3.4 has no WASM SIMD path:
// under -msimd128 it runs its scalar GEMM (a 1x4 micro-kernel) that LLVM only partly vectorises,
// so the WASM build uses the small wasm_simd128.h kernels below instead; the Eigen functions in
// namespace eigen_ref stay the reference (bench/gemm_bench.cpp compares both, shape by shape).
#pragma once
#include <Eigen/Core>
#include <algorithm>
#include <cstddef>
#include <cstring>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace charrnn {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatMap = Eigen::Map<RowMajor>;
using ConstMatMap = Eigen::Map<const RowMajor>;

namespace eigen_ref {

// C[M,N] (+)= A[M,K] @ B[K,N]
inline void matmul(float* C, const float* A, const float* B, int M, int K, int N, bool accumulate) {
  MatMap c(C, M, N);
  if (accumulate) c.noalias() += ConstMatMap(A, M, K) * ConstMatMap(B, K, N);
  else c.noalias() = ConstMatMap(A, M, K) * ConstMatMap(B, K, N);
}

// C[M,N] (+)= A[M,K] @ B[N,K]^T
inline void matmul_nt(float* C, const float* A, const float* B, int M, int K, int N, bool accumulate) {
  MatMap c(C, M, N);
  if (accumulate) c.noalias() += ConstMatMap(A, M, K) * ConstMatMap(B, N, K).transpose();
  else c.noalias() = ConstMatMap(A, M, K) * ConstMatMap(B, N, K).transpose();
}

// C[M,N] (+)= A[K,M]^T @ B[K,N]
inline void matmul_tn(float* C, const float* A, const float* B, int M, int K, int N, bool accumulate) {
  MatMap c(C, M, N);
  if (accumulate) c.noalias() += ConstMatMap(A, K, M).transpose() * ConstMatMap(B, K, N);
  else c.noalias() = ConstMatMap(A, K, M).transpose() * ConstMatMap(B, K, N);
}

}  // namespace eigen_ref

#ifdef __wasm_simd128__
namespace wasm_simd {

// C[M,N] (+)= A(M,K) @ B[K,N], where A(i,k) = A[i*a_row + k*a_col]: a_row = K, a_col = 1 reads
// A[M,K]; a_row = 1, a_col = M reads A[K,M] transposed. B and C are row-major with N columns.
//
// Micro-tile: R rows x 4*NV columns of C held in R*NV v128 accumulators (at most 8, so that
// V8's x64 code keeps all of them, the B vectors and the broadcast in the 16 xmm registers);
// per k: NV contiguous loads of a B row, R broadcasts of A, R*NV multiply-adds.
template <int R, int NV>
inline void gemm_rows(float* C, const float* A, size_t a_row, size_t a_col, const float* B, int K, int N, bool acc,
                      int j_begin, int j_end) {
  int j = j_begin;
  for (; j + 4 * NV <= j_end; j += 4 * NV) {
    v128_t c[R][NV];
    for (int r = 0; r < R; r++)
      for (int v = 0; v < NV; v++)
        c[r][v] = acc ? wasm_v128_load(C + static_cast<size_t>(r) * N + j + 4 * v) : wasm_f32x4_splat(0.0f);
    const float* b = B + j;
    const float* a = A;
    for (int k = 0; k < K; k++, b += N, a += a_col) {
      v128_t bv[NV];
      for (int v = 0; v < NV; v++) bv[v] = wasm_v128_load(b + 4 * v);
      for (int r = 0; r < R; r++) {
        const v128_t ar = wasm_v128_load32_splat(a + r * a_row);
        for (int v = 0; v < NV; v++) c[r][v] = wasm_f32x4_add(c[r][v], wasm_f32x4_mul(ar, bv[v]));
      }
    }
    for (int r = 0; r < R; r++)
      for (int v = 0; v < NV; v++) wasm_v128_store(C + static_cast<size_t>(r) * N + j + 4 * v, c[r][v]);
  }
  for (; j + 4 <= j_end; j += 4) {
    v128_t c[R];
    for (int r = 0; r < R; r++) c[r] = acc ? wasm_v128_load(C + static_cast<size_t>(r) * N + j) : wasm_f32x4_splat(0.0f);
    const float* b = B + j;
    const float* a = A;
    for (int k = 0; k < K; k++, b += N, a += a_col) {
      const v128_t bv = wasm_v128_load(b);
      for (int r = 0; r < R; r++) c[r] = wasm_f32x4_add(c[r], wasm_f32x4_mul(wasm_v128_load32_splat(a + r * a_row), bv));
    }
    for (int r = 0; r < R; r++) wasm_v128_store(C + static_cast<size_t>(r) * N + j, c[r]);
  }
  for (; j < j_end; j++) {
    for (int r = 0; r < R; r++) {
      float s = acc ? C[static_cast<size_t>(r) * N + j] : 0.0f;
      const float* a = A + r * a_row;
      for (int k = 0; k < K; k++) s += a[k * a_col] * B[static_cast<size_t>(k) * N + j];
      C[static_cast<size_t>(r) * N + j] = s;
    }
  }
}

inline void gemm(float* C, const float* A, size_t a_row, size_t a_col, const float* B, int M, int K, int N,
                 bool accumulate) {
  if (K == 0) {
    if (!accumulate) std::memset(C, 0, sizeof(float) * static_cast<size_t>(M) * N);
    return;
  }
  // K in blocks of KC rows of B (KC x N floats, at most 256 KB, stay in L2 while every row
  // block of A passes over them); columns in blocks of NC so a tile's B panel stays in L1.
  constexpr int KC = 128, NC = 256;
  for (int k0 = 0; k0 < K; k0 += KC) {
    const int kc = std::min(KC, K - k0);
    const bool acc = accumulate || k0 > 0;
    const float* Ak = A + static_cast<size_t>(k0) * a_col;
    const float* Bk = B + static_cast<size_t>(k0) * N;
    for (int j0 = 0; j0 < N; j0 += NC) {
      const int j1 = std::min(N, j0 + NC);
      int i = 0;
      for (; i + 4 <= M; i += 4)
        gemm_rows<4, 2>(C + static_cast<size_t>(i) * N, Ak + i * a_row, a_row, a_col, Bk, kc, N, acc, j0, j1);
      // Single rows (sampling is all M = 1): 8 independent accumulator chains, 32 columns wide.
      for (; i < M; i++)
        gemm_rows<1, 8>(C + static_cast<size_t>(i) * N, Ak + i * a_row, a_row, a_col, Bk, kc, N, acc, j0, j1);
    }
  }
}

// Sum of each of four vectors, as one vector: [sum(a0), sum(a1), sum(a2), sum(a3)].
inline v128_t hsum4(v128_t a0, v128_t a1, v128_t a2, v128_t a3) {
  const v128_t s01 = wasm_f32x4_add(wasm_i32x4_shuffle(a0, a1, 0, 4, 1, 5), wasm_i32x4_shuffle(a0, a1, 2, 6, 3, 7));
  const v128_t s23 = wasm_f32x4_add(wasm_i32x4_shuffle(a2, a3, 0, 4, 1, 5), wasm_i32x4_shuffle(a2, a3, 2, 6, 3, 7));
  return wasm_f32x4_add(wasm_i32x4_shuffle(s01, s23, 0, 1, 4, 5), wasm_i32x4_shuffle(s01, s23, 2, 3, 6, 7));
}

// C[M,N] (+)= A[M,K] @ B[N,K]^T as dot products of contiguous rows: a tile of 2 rows of A
// against 4 rows of B in 8 accumulators along K, reduced at the end.
inline void gemm_nt(float* C, const float* A, const float* B, int M, int K, int N, bool accumulate) {
  const int K4 = K & ~3;
  int i = 0;
  for (; i < M; i += 2) {
    const int R = std::min(2, M - i);
    const float* a0 = A + static_cast<size_t>(i) * K;
    const float* a1 = R == 2 ? a0 + K : a0;
    float* c0 = C + static_cast<size_t>(i) * N;
    float* c1 = R == 2 ? c0 + N : c0;
    int j = 0;
    for (; j + 4 <= N; j += 4) {
      const float* b0 = B + static_cast<size_t>(j) * K;
      const float* b1 = b0 + K;
      const float* b2 = b1 + K;
      const float* b3 = b2 + K;
      v128_t s00 = wasm_f32x4_splat(0.0f), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
      for (int k = 0; k < K4; k += 4) {
        const v128_t x0 = wasm_v128_load(a0 + k), x1 = wasm_v128_load(a1 + k);
        const v128_t y0 = wasm_v128_load(b0 + k), y1 = wasm_v128_load(b1 + k), y2 = wasm_v128_load(b2 + k),
                     y3 = wasm_v128_load(b3 + k);
        s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(x0, y0));
        s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(x0, y1));
        s02 = wasm_f32x4_add(s02, wasm_f32x4_mul(x0, y2));
        s03 = wasm_f32x4_add(s03, wasm_f32x4_mul(x0, y3));
        s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(x1, y0));
        s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(x1, y1));
        s12 = wasm_f32x4_add(s12, wasm_f32x4_mul(x1, y2));
        s13 = wasm_f32x4_add(s13, wasm_f32x4_mul(x1, y3));
      }
      v128_t r0 = hsum4(s00, s01, s02, s03), r1 = hsum4(s10, s11, s12, s13);
      if (K4 < K) {
        float t0[4] = {0, 0, 0, 0}, t1[4] = {0, 0, 0, 0};
        for (int k = K4; k < K; k++) {
          t0[0] += a0[k] * b0[k]; t0[1] += a0[k] * b1[k]; t0[2] += a0[k] * b2[k]; t0[3] += a0[k] * b3[k];
          t1[0] += a1[k] * b0[k]; t1[1] += a1[k] * b1[k]; t1[2] += a1[k] * b2[k]; t1[3] += a1[k] * b3[k];
        }
        r0 = wasm_f32x4_add(r0, wasm_v128_load(t0));
        r1 = wasm_f32x4_add(r1, wasm_v128_load(t1));
      }
      if (accumulate) {
        r0 = wasm_f32x4_add(r0, wasm_v128_load(c0 + j));
        if (R == 2) r1 = wasm_f32x4_add(r1, wasm_v128_load(c1 + j));
      }
      wasm_v128_store(c0 + j, r0);
      if (R == 2) wasm_v128_store(c1 + j, r1);
    }
    for (; j < N; j++) {
      const float* b = B + static_cast<size_t>(j) * K;
      for (int r = 0; r < R; r++) {
        const float* a = r ? a1 : a0;
        float s = 0.0f;
        for (int k = 0; k < K; k++) s += a[k] * b[k];
        float* c = r ? c1 : c0;
        c[j] = accumulate ? c[j] + s : s;
      }
    }
  }
}

}  // namespace wasm_simd

// C[M,N] (+)= A[M,K] @ B[K,N]
inline void matmul(float* C, const float* A, const float* B, int M, int K, int N, bool accumulate) {
  wasm_simd::gemm(C, A, static_cast<size_t>(K), 1, B, M, K, N, accumulate);
}

// C[M,N] (+)= A[M,K] @ B[N,K]^T
inline void matmul_nt(float* C, const float* A, const float* B, int M, int K, int N, bool accumulate) {
  wasm_simd::gemm_nt(C, A, B, M, K, N, accumulate);
}

// C[M,N] (+)= A[K,M]^T @ B[K,N]
inline void matmul_tn(float* C, const float* A, const float* B, int M, int K, int N, bool accumulate) {
  wasm_simd::gemm(C, A, 1, static_cast<size_t>(M), B, M, K, N, accumulate);
}

#else
using eigen_ref::matmul;
using eigen_ref::matmul_nt;
using eigen_ref::matmul_tn;
#endif

// out[N] += column sums of A[M,N]
inline void add_column_sums(float* out, const float* A, int M, int N) {
  for (int i = 0; i < M; i++) {
    const float* row = A + static_cast<size_t>(i) * N;
    for (int j = 0; j < N; j++) out[j] += row[j];
  }
}

// Each row of A[M,N] += bias[N]
inline void add_bias_rows(float* A, const float* bias, int M, int N) {
  for (int i = 0; i < M; i++) {
    float* row = A + static_cast<size_t>(i) * N;
    for (int j = 0; j < N; j++) row[j] += bias[j];
  }
}

}  // namespace charrnn
