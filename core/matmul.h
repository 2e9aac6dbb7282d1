// The three matrix products the engine needs, on raw row-major float buffers. Eigen does the
// arithmetic; every heavy operation of training goes through one of these.
#pragma once
#include <Eigen/Core>

namespace charrnn {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatMap = Eigen::Map<RowMajor>;
using ConstMatMap = Eigen::Map<const RowMajor>;

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
