#pragma once
// Row-major GEMM on raw pointers through CBLAS (the libblas.so.3 that LibTorch uses too:
// OpenBLAS when installed). Used by the fused kernels, which call many small GEMMs on
// strided sub-blocks where going through tensors would cost more than the arithmetic.
// Inside an OpenMP parallel region OpenBLAS runs single-threaded, so callers may
// parallelize over independent GEMMs with at::parallel_for.

#include <cblas.h>

#include <cstdint>

namespace e3::nn::blas {

/// C[m, n] = alpha op(A) op(B) + beta C, all row major; op(A) is [m, k], op(B) is [k, n].
inline void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
                 const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, m, n, k, alpha,
              a, lda, b, ldb, beta, c, ldc);
}

inline void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
                 int64_t lda, const double* b, int64_t ldb, double beta, double* c, int64_t ldc) {
  cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, m, n, k, alpha,
              a, lda, b, ldb, beta, c, ldc);
}

}  // namespace e3::nn::blas
