// The three matrix products the engine needs, on raw row-major float buffers. Every heavy
// operation of training goes through one of these.
//
// Natively Eigen does the arithmetic (namespace eigen_gemm: its AVX/FMA kernels). Eigen 3.4 has no
// WASM SIMD path: under -msimd128 it runs its scalar GEMM, which LLVM only partly vectorises, so
// the WASM build uses the small wasm_simd128.h kernels below (namespace wasm_simd) instead,
// with eigen_gemm as their reference in tests and bench/gemm_bench.cpp. What each choice measured
// is in bench/results/notes.md ("GEMM kernels").
#pragma once
#include <Eigen/Core>
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <vector>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace charrnn {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatMap = Eigen::Map<RowMajor>;
using ConstMatMap = Eigen::Map<const RowMajor>;

namespace eigen_gemm {

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

}  // namespace eigen_gemm

#ifdef __wasm_simd128__
namespace wasm_simd {

// ---- the blocked product: B packed into 8-column panels, a 4x8 register tile ----
//
// C[M,N] (+)= A(M,K) @ B, where A(i,k) = A[i*a_row + k*a_col] (a_row = K, a_col = 1 reads A[M,K];
// a_row = 1, a_col = M reads A[K,M] transposed). B is copied into panels first: panel p holds
// columns 8p..8p+7 as kc rows of 8 contiguous floats (zero past N), so the kernel streams it with
// two aligned loads per k whatever N is. Unpacked, B's rows lie N floats apart and a column strip
// of them falls into a few L1 sets (4 KB aliasing): measured (bench/gemm_bench.cpp, V8 in
// Node 20) 21 GFLOP/s unpacked vs 50 packed for [32,512]@[512,2048], 43 vs 50 for [1600,128]@[128,512].
constexpr int kPanel = 8;

inline int round_up_panel(int n) { return (n + kPanel - 1) / kPanel * kPanel; }

// Panels of B rows k0..k0+kc, columns j0..j0+nc. B is row-major [K,N] (ld = N), or, when
// transposed, the product's B is the transpose of the given row-major [N,K] matrix (ld = K).
inline void pack_panels(float* Bp, const float* B, bool transposed, size_t ld, int k0, int kc, int j0, int nc) {
  for (int p = 0; p * kPanel < nc; p++) {
    const int j = j0 + p * kPanel, w = std::min(kPanel, nc - p * kPanel);
    float* out = Bp + static_cast<size_t>(p) * kc * kPanel;
    if (!transposed && w == kPanel) {
      for (int k = 0; k < kc; k++) {
        const float* row = B + static_cast<size_t>(k0 + k) * ld + j;
        wasm_v128_store(out + k * kPanel, wasm_v128_load(row));
        wasm_v128_store(out + k * kPanel + 4, wasm_v128_load(row + 4));
      }
      continue;
    }
    for (int k = 0; k < kc; k++)
      for (int v = 0; v < kPanel; v++)
        out[k * kPanel + v] = v >= w ? 0.0f
                              : transposed ? B[static_cast<size_t>(j + v) * ld + k0 + k]
                                           : B[static_cast<size_t>(k0 + k) * ld + j + v];
  }
}

// C tile [R, w] (+)= A(R rows, kc) @ panel [kc, 8]; w <= 8 columns of it are real.
template <int R>
inline void panel_kernel(float* C, size_t ldc, int w, const float* A, size_t a_row, size_t a_col, const float* panel,
                         int kc, bool acc) {
  v128_t c0[R], c1[R];
  for (int r = 0; r < R; r++) {
    if (!acc) {
      c0[r] = c1[r] = wasm_f32x4_splat(0.0f);
    } else if (w == kPanel) {
      c0[r] = wasm_v128_load(C + r * ldc);
      c1[r] = wasm_v128_load(C + r * ldc + 4);
    } else {
      float t[kPanel] = {};
      std::memcpy(t, C + r * ldc, sizeof(float) * w);
      c0[r] = wasm_v128_load(t);
      c1[r] = wasm_v128_load(t + 4);
    }
  }
  const float* a = A;
  for (int k = 0; k < kc; k++, a += a_col, panel += kPanel) {
    const v128_t b0 = wasm_v128_load(panel), b1 = wasm_v128_load(panel + 4);
    for (int r = 0; r < R; r++) {
      const v128_t ar = wasm_v128_load32_splat(a + r * a_row);
      c0[r] = wasm_f32x4_add(c0[r], wasm_f32x4_mul(ar, b0));
      c1[r] = wasm_f32x4_add(c1[r], wasm_f32x4_mul(ar, b1));
    }
  }
  for (int r = 0; r < R; r++) {
    if (w == kPanel) {
      wasm_v128_store(C + r * ldc, c0[r]);
      wasm_v128_store(C + r * ldc + 4, c1[r]);
    } else {
      float t[kPanel];
      wasm_v128_store(t, c0[r]);
      wasm_v128_store(t + 4, c1[r]);
      std::memcpy(C + r * ldc, t, sizeof(float) * w);
    }
  }
}

// C[M, nc] (+)= A(M, kc) @ packed panels [kc, nc]; C has row stride ldc. Rows in blocks of MC
// (their A block stays in L2) and, inside, each panel (in L1) meets every 4-row tile of the block.
inline void run_panels(float* C, size_t ldc, const float* A, size_t a_row, size_t a_col, const float* Bp, int M,
                       int kc, int nc, bool acc) {
  constexpr int MC = 64;
  for (int i0 = 0; i0 < M; i0 += MC) {
    const int i1 = std::min(M, i0 + MC);
    for (int p = 0; p * kPanel < nc; p++) {
      const float* panel = Bp + static_cast<size_t>(p) * kc * kPanel;
      const int w = std::min(kPanel, nc - p * kPanel);
      float* Cp = C + p * kPanel;
      int i = i0;
      for (; i + 4 <= i1; i += 4) panel_kernel<4>(Cp + i * ldc, ldc, w, A + i * a_row, a_row, a_col, panel, kc, acc);
      for (; i < i1; i++) panel_kernel<1>(Cp + i * ldc, ldc, w, A + i * a_row, a_row, a_col, panel, kc, acc);
    }
  }
}

// Packing space for gemm_blocked: one KC x NC block, allocated on first use and kept.
constexpr int KC = 256, NC = 512;  // blocks of 64/256/512 vs 32..256: no difference measured
inline float* pack_space() {
  thread_local std::vector<float> space(static_cast<size_t>(KC) * NC);
  return space.data();
}

// C[M,N] (+)= A(M,K) @ B (B [K,N], or the transpose of B [N,K]): blocks of KC x NC of B are
// packed (at most 512 KB, in L2) and every row of A passes over each block.
inline void gemm_blocked(float* C, const float* A, size_t a_row, size_t a_col, const float* B, bool b_transposed,
                         int M, int K, int N, bool accumulate) {
  if (K == 0) {
    if (!accumulate) std::memset(C, 0, sizeof(float) * static_cast<size_t>(M) * N);
    return;
  }
  float* Bp = pack_space();
  const size_t ld = b_transposed ? static_cast<size_t>(K) : static_cast<size_t>(N);
  for (int j0 = 0; j0 < N; j0 += NC) {
    const int nc = std::min(NC, N - j0);
    for (int k0 = 0; k0 < K; k0 += KC) {
      const int kc = std::min(KC, K - k0);
      pack_panels(Bp, B, b_transposed, ld, k0, kc, j0, nc);
      run_panels(C + j0, static_cast<size_t>(N), A + static_cast<size_t>(k0) * a_col, a_row, a_col, Bp, M, kc, nc,
                 accumulate || k0 > 0);
    }
  }
}

// ---- few rows (sampling: M = 1; batch-1 training): B used in place, no packing ----

// C[R, j_begin..j_end) (+)= A(R rows, K) @ B[K,N] (row-major, read where it is). Tile: R rows x
// 4*NV columns in R*NV accumulators; NV = 8 gives one row 8 independent add chains.
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

// C[M,N] (+)= A[M,K] @ B[K,N] for M < 4, one row at a time.
inline void gemm_few_rows(float* C, const float* A, const float* B, int M, int K, int N, bool accumulate) {
  for (int i = 0; i < M; i++)
    gemm_rows<1, 8>(C + static_cast<size_t>(i) * N, A + static_cast<size_t>(i) * K, static_cast<size_t>(K), 1, B, K,
                    N, accumulate, 0, N);
}

// Sum of each of four vectors, as one vector: [sum(a0), sum(a1), sum(a2), sum(a3)].
inline v128_t hsum4(v128_t a0, v128_t a1, v128_t a2, v128_t a3) {
  const v128_t s01 = wasm_f32x4_add(wasm_i32x4_shuffle(a0, a1, 0, 4, 1, 5), wasm_i32x4_shuffle(a0, a1, 2, 6, 3, 7));
  const v128_t s23 = wasm_f32x4_add(wasm_i32x4_shuffle(a2, a3, 0, 4, 1, 5), wasm_i32x4_shuffle(a2, a3, 2, 6, 3, 7));
  return wasm_f32x4_add(wasm_i32x4_shuffle(s01, s23, 0, 1, 4, 5), wasm_i32x4_shuffle(s01, s23, 2, 3, 6, 7));
}

// C[M,N] (+)= A[M,K] @ B[N,K]^T for M < 4, as dot products of contiguous rows: one row of A
// against 4 rows of B in 4 accumulators along K, reduced at the end.
inline void gemm_nt_few_rows(float* C, const float* A, const float* B, int M, int K, int N, bool accumulate) {
  const int K4 = K & ~3;
  for (int i = 0; i < M; i++) {
    const float* a = A + static_cast<size_t>(i) * K;
    float* c = C + static_cast<size_t>(i) * N;
    int j = 0;
    for (; j + 4 <= N; j += 4) {
      const float* b0 = B + static_cast<size_t>(j) * K;
      const float *b1 = b0 + K, *b2 = b1 + K, *b3 = b2 + K;
      v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
      for (int k = 0; k < K4; k += 4) {
        const v128_t x = wasm_v128_load(a + k);
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(x, wasm_v128_load(b0 + k)));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(x, wasm_v128_load(b1 + k)));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(x, wasm_v128_load(b2 + k)));
        s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(x, wasm_v128_load(b3 + k)));
      }
      float t[4];
      wasm_v128_store(t, hsum4(s0, s1, s2, s3));
      for (int k = K4; k < K; k++) {
        t[0] += a[k] * b0[k]; t[1] += a[k] * b1[k]; t[2] += a[k] * b2[k]; t[3] += a[k] * b3[k];
      }
      for (int v = 0; v < 4; v++) c[j + v] = accumulate ? c[j + v] + t[v] : t[v];
    }
    for (; j < N; j++) {
      const float* b = B + static_cast<size_t>(j) * K;
      float s = 0.0f;
      for (int k = 0; k < K; k++) s += a[k] * b[k];
      c[j] = accumulate ? c[j] + s : s;
    }
  }
}

}  // namespace wasm_simd

// C[M,N] (+)= A[M,K] @ B[K,N]
inline void matmul(float* C, const float* A, const float* B, int M, int K, int N, bool accumulate) {
  if (M < 4) wasm_simd::gemm_few_rows(C, A, B, M, K, N, accumulate);
  else wasm_simd::gemm_blocked(C, A, static_cast<size_t>(K), 1, B, false, M, K, N, accumulate);
}

// C[M,N] (+)= A[M,K] @ B[N,K]^T
inline void matmul_nt(float* C, const float* A, const float* B, int M, int K, int N, bool accumulate) {
  if (M < 4) wasm_simd::gemm_nt_few_rows(C, A, B, M, K, N, accumulate);
  else wasm_simd::gemm_blocked(C, A, static_cast<size_t>(K), 1, B, true, M, K, N, accumulate);
}

// C[M,N] (+)= A[K,M]^T @ B[K,N]
inline void matmul_tn(float* C, const float* A, const float* B, int M, int K, int N, bool accumulate) {
  wasm_simd::gemm_blocked(C, A, 1, static_cast<size_t>(M), B, false, M, K, N, accumulate);
}

#else
using eigen_gemm::matmul;
using eigen_gemm::matmul_nt;
using eigen_gemm::matmul_tn;
#endif

// ---- a right-hand matrix reused by many products: the recurrent weights over the T steps ----
//
// prepare_b / prepare_bt pack B once (WASM: into 8-column panels, see above) so the T per-step
// products skip their own packing; natively they only record B, and Eigen packs as it always does.
struct PreparedB {
  const float* b;  // as given: [K,N], or [N,K] when transposed
  bool transposed;
  int K, N;  // the product's inner and output sizes
  const float* panels;  // WASM: packed [K, round_up(N, 8)]; null natively and for few rows
};

// Whether products of M rows use packed panels: the WASM kernels' 4-row tile needs M >= 4; fewer
// rows (sampling one stream) run the unpacked few-rows kernels, where packing would only cost.
inline bool packs_for_rows(int M) {
#ifdef __wasm_simd128__
  return M >= 4;
#else
  (void)M;
  return false;
#endif
}

// Floats of the buffer prepare_b/prepare_bt need for a [K,N] right-hand side used by products of
// M rows (0 natively, and where packs_for_rows(M) is false).
inline size_t prepared_b_floats(int K, int N, int M) {
#ifdef __wasm_simd128__
  if (packs_for_rows(M)) return static_cast<size_t>(K) * wasm_simd::round_up_panel(N);
#endif
  (void)K, (void)N, (void)M;
  return 0;
}

// For C (+)= A @ B with B [K,N] and A of M rows.
inline PreparedB prepare_b(float* buffer, const float* B, int K, int N, int M) {
#ifdef __wasm_simd128__
  if (packs_for_rows(M)) {
    wasm_simd::pack_panels(buffer, B, false, static_cast<size_t>(N), 0, K, 0, N);
    return {B, false, K, N, buffer};
  }
#endif
  (void)buffer, (void)M;
  return {B, false, K, N, nullptr};
}

// For C (+)= A @ B^T with B [N,K] and A of M rows.
inline PreparedB prepare_bt(float* buffer, const float* B, int N, int K, int M) {
#ifdef __wasm_simd128__
  if (packs_for_rows(M)) {
    wasm_simd::pack_panels(buffer, B, true, static_cast<size_t>(K), 0, K, 0, N);
    return {B, true, K, N, buffer};
  }
#endif
  (void)buffer, (void)M;
  return {B, true, K, N, nullptr};
}

// C[M,N] (+)= A[M,K] @ B (B prepared above for M rows).
inline void matmul_prepared(float* C, const float* A, const PreparedB& B, int M, bool accumulate) {
#ifdef __wasm_simd128__
  if (B.panels && M >= 4 && B.K > 0) {
    wasm_simd::run_panels(C, static_cast<size_t>(B.N), A, static_cast<size_t>(B.K), 1, B.panels, M, B.K, B.N,
                          accumulate);
    return;
  }
#endif
  if (B.transposed) matmul_nt(C, A, B.b, M, B.K, B.N, accumulate);
  else matmul(C, A, B.b, M, B.K, B.N, accumulate);
}

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
