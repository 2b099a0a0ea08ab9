#pragma once
// Row-major GEMM on raw pointers for the fused kernels, which call many small GEMMs on
// strided sub-blocks (where going through tensors would cost more than the arithmetic), from
// inside at::parallel_for regions.
//
// float32 goes to oneDNN's sgemm (libdnnl, the library LibTorch itself links): it is
// thread-safe and runs on the calling thread inside an OpenMP region, so the threads of a
// parallel region multiply concurrently. OpenBLAS does not: concurrent calls from the
// threads of a region serialize (measured here: two threads ran small GEMMs at 30-75
// GFLOP/s against 93 for one, while oneDNN ran at 299 against 200). float64, which only tests
// and exact checks use, goes to CBLAS (the libblas.so.3 that LibTorch uses).
// Callers must disable nested OpenMP parallelism (allow_only_outer_parallelism()).

#include <cblas.h>
#include <oneapi/dnnl/dnnl.h>

#include <cstdint>
#include <stdexcept>

namespace e3::nn::blas {

/// Makes OpenMP regions opened inside another region (by the GEMM libraries) run on the
/// calling thread: without it, oneDNN called from parallel threads slows down ~8x.
void allow_only_outer_parallelism();

/// C[m, n] = alpha op(A) op(B) + beta C, all row major; op(A) is [m, k], op(B) is [k, n].
inline void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
                 const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  if (dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) !=
      dnnl_success) {
    throw std::invalid_argument("dnnl_sgemm: invalid arguments");
  }
}

inline void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
                 int64_t lda, const double* b, int64_t ldb, double beta, double* c, int64_t ldc) {
  cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, m, n, k, alpha,
              a, lda, b, ldb, beta, c, ldc);
}

}  // namespace e3::nn::blas
