#pragma once
// C = A B in bfloat16 with float32 accumulation for the per-atom GEMMs of the fused op under
// bf16-mixed (kernel_conv_cpu.cpp): in the backward pass dh[e] = X[e] dT_A (k = the atom's
// d * P columns) and dX[e] = h[e] dT_A^T (k = the H radial units), each with m = the atom's
// edges (up to 28 in QM9), and stage 2, T_A = X_A^T h_A (k = the atom's edges); and for the
// radial MLPs' layers under bf16-mixed (dense_matmul.h). oneDNN's matmul would pack B on every
// call; here each operand is packed once, in the layout AVX512_BF16's dot product reads (each
// 32-bit element a pair of consecutive k, "pairs of rows"), and the kernel keeps a block of C in
// registers. Runs on the calling thread, like blas::gemm (blas.h). Needs AVX-512 with
// AVX512_BF16 (cpu_has_bf16_gemm(), gemm_precision.h): bf16-mixed, its only user, is refused
// without it.

#include <cstdint>

namespace e3::nn::blas {

/// k rounded up to even: the leading dimension of an A for bf16_pair_gemm() made by to_pair_rows().
inline int64_t even(int64_t k) { return (k + 1) / 2 * 2; }

/// A for bf16_pair_gemm() from A [rows, cols] (float32, row major, leading dimension cols):
/// a[i * even(cols) + j] = A[i, j] rounded as to_bfloat16() rounds, and zero at j = cols for an
/// odd cols.
void to_pair_rows(const float* src, int64_t rows, int64_t cols, uint16_t* a);

/// The packed B of bf16_pair_gemm() from B [k, n] (float32, row major, leading dimension ldb):
/// packed[(p * n + j) * 2 + s] = B[2 p + s, j] rounded as to_bfloat16() rounds (bf16_gemm.h),
/// for p < ceil(k / 2); a row 2 p + 1 = k past an odd k is zero.
void pack_pairs_of_rows(int64_t k, int64_t n, const float* b, int64_t ldb, uint16_t* packed);

/// The same for B = Bt^T, given Bt [n, k] (float32, row major, leading dimension ldbt):
/// packed[(p * n + j) * 2 + s] = Bt[j, 2 p + s].
void pack_pairs_of_columns(int64_t k, int64_t n, const float* bt, int64_t ldbt, uint16_t* packed);

/// The same from B [k, n] given as bfloat16 bits (leading dimension ldb), taken as they are.
void pack_pairs_of_rows(int64_t k, int64_t n, const uint16_t* b, int64_t ldb, uint16_t* packed);

/// The same from Bt [n, k] given as bfloat16 bits (leading dimension ldbt), taken as they are.
void pack_pairs_of_columns(int64_t k, int64_t n, const uint16_t* bt, int64_t ldbt, uint16_t* packed);

/// C[m, n] = A B, or C += A B with `accumulate`: A [m, k] bfloat16 bits, row major with leading
/// dimension lda (even, at least k; for an odd k, A[i, k] must hold zero, since the kernel reads
/// A in pairs), B packed by pack_pairs_of_rows() or pack_pairs_of_columns(), C float32 with
/// leading dimension ldc. Each value of C is its start value plus the k products, exact in
/// float32, added in float32 (in an order of the hardware's choosing within each pair).
void bf16_pair_gemm(int64_t m, int64_t n, int64_t k, const uint16_t* a, int64_t lda, const uint16_t* packed, float* c,
                    int64_t ldc, bool accumulate);

/// The same with C = A B rounded to bfloat16 as to_bfloat16() rounds (c: bfloat16 bits, leading
/// dimension ldc): the fused op's dT = dG W^T under bf16-mixed, which the per-atom products read
/// only in bfloat16.
void bf16_pair_gemm(int64_t m, int64_t n, int64_t k, const uint16_t* a, int64_t lda, const uint16_t* packed,
                    uint16_t* c, int64_t ldc);

/// C[m, n] = At^T B rounded to bfloat16 as to_bfloat16() rounds (c: bfloat16 bits, leading
/// dimension n), from At [k, m] and B [k, n] both packed by pack_pairs_of_rows(): the fused
/// op's stage 2 under bf16-mixed, T_A = X_A^T h_A with k = the atom's edges (k = 0: C = 0).
/// The sum is formed in float32 as in bf16_pair_gemm() and rounded once.
void bf16_pair_gemm_tn(int64_t m, int64_t n, int64_t k, const uint16_t* at_packed, const uint16_t* b_packed,
                       uint16_t* c);

/// The same with row i of C written every other 16-bit word from c + row_offsets[i] (C[i, j] at
/// c[row_offsets[i] + 2 j]; the words between are left as they are): how the fused op's stage 2
/// writes T straight into the layout pack_pairs_of_rows() would make of it, row i of an atom's T
/// being a row or its partner in a pair of rows of the chunk's T.
void bf16_pair_gemm_tn(int64_t m, int64_t n, int64_t k, const uint16_t* at_packed, const uint16_t* b_packed,
                       const int64_t* row_offsets, uint16_t* c);

/// The same with C float32 (leading dimension n), added to C with `accumulate`: the weight
/// gradient of a bf16-mixed dense layer, x^T dy summed over rows (dense_matmul.h), and of the
/// fused op's radial weights, dW^T = dG^T T (kernel_conv_cpu.cpp).
void bf16_pair_gemm_tn(int64_t m, int64_t n, int64_t k, const uint16_t* at_packed, const uint16_t* b_packed,
                       float* c, bool accumulate);

}  // namespace e3::nn::blas
