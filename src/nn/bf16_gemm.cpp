#include "bf16_gemm.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <immintrin.h>

#include <cstring>
#include <map>
#include <stdexcept>
#include <tuple>

namespace e3::nn::blas {
namespace {

// One shape of GEMM: transposes, sizes, leading dimensions, whether beta is 1.
using GemmKey = std::tuple<bool, bool, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, bool>;

// The primitives of one thread. oneDNN primitives are created once per shape (creation costs
// far more than a small GEMM) and executed by their own thread only, since a primitive's
// library-managed scratchpad must not be shared between concurrent executions.
struct ThreadGemms {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  std::map<GemmKey, dnnl::matmul> primitives;
};

// The fused op pads its chunks to one row count per layer, but callers may pass any shape; the
// cache is emptied when it grows past this many shapes rather than grow without bound.
constexpr size_t kMaxCachedShapes = 512;

dnnl::memory::desc matrix(int64_t rows, int64_t cols, bool transposed, int64_t ld, dnnl::memory::data_type type) {
  // Row major [rows, cols] with leading dimension ld, or the transpose of a row-major [cols, rows].
  const dnnl::memory::dims strides = transposed ? dnnl::memory::dims{1, ld} : dnnl::memory::dims{ld, 1};
  return dnnl::memory::desc({rows, cols}, type, strides);
}

// The same with AVX512_BF16's conversion instruction (round to nearest even, NaN stays NaN),
// 32 values at a time: the copies of T are the size of the GEMMs' inputs, and the scalar loop
// took longer than the bfloat16 GEMMs saved.
__attribute__((target("avx512f,avx512bf16"))) void to_bfloat16_avx512(const float* src, int64_t count,
                                                                          uint16_t* dst) {
  int64_t i = 0;
  for (; i + 32 <= count; i += 32) {
    const __m512bh pair = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(src + i + 16), _mm512_loadu_ps(src + i));
    _mm512_storeu_si512(reinterpret_cast<void*>(dst + i), reinterpret_cast<__m512i>(pair));
  }
  to_bfloat16_scalar(src + i, count - i, dst + i);
}

}  // namespace

void to_bfloat16_scalar(const float* src, int64_t count, uint16_t* dst) {
  for (int64_t i = 0; i < count; ++i) {
    uint32_t bits;
    std::memcpy(&bits, &src[i], sizeof bits);
    const uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u) {
      dst[i] = static_cast<uint16_t>((bits >> 16) | 0x40u);  // NaN: quiet, sign and payload kept
    } else if (magnitude < 0x00800000u) {
      dst[i] = static_cast<uint16_t>((bits >> 16) & 0x8000u);  // zero or subnormal: a zero of its sign
    } else {
      // Adding 0x7fff, and 1 more when the kept part is odd, carries into the kept part exactly
      // when the dropped part is above half, or half with an odd kept part: ties to even. A carry
      // out of the largest finite values gives infinity.
      dst[i] = static_cast<uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
    }
  }
}

void to_bfloat16(const float* src, int64_t count, uint16_t* dst) {
  static const bool avx512_bf16 = __builtin_cpu_supports("avx512bf16");
  if (avx512_bf16) {
    to_bfloat16_avx512(src, count, dst);
  } else {
    to_bfloat16_scalar(src, count, dst);
  }
}

void gemm_bf16(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const uint16_t* a, int64_t lda,
               const uint16_t* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  if (beta != 0.0f && beta != 1.0f) throw std::invalid_argument("gemm_bf16: beta must be 0 or 1");
  thread_local ThreadGemms gemms;
  using type = dnnl::memory::data_type;
  const auto a_desc = matrix(m, k, trans_a, lda, type::bf16);
  const auto b_desc = matrix(k, n, trans_b, ldb, type::bf16);
  const auto c_desc = matrix(m, n, false, ldc, type::f32);
  const GemmKey key{trans_a, trans_b, m, n, k, lda, ldb, ldc, beta != 0.0f};
  auto found = gemms.primitives.find(key);
  if (found == gemms.primitives.end()) {
    if (gemms.primitives.size() >= kMaxCachedShapes) gemms.primitives.clear();
    dnnl::primitive_attr attr;
    if (beta != 0.0f) {
      dnnl::post_ops accumulate;
      accumulate.append_sum(1.0f);
      attr.set_post_ops(accumulate);
    }
    const dnnl::matmul::primitive_desc desc(dnnl::matmul::desc(a_desc, b_desc, c_desc), attr, gemms.engine);
    found = gemms.primitives.emplace(key, dnnl::matmul(desc)).first;
  }
  dnnl::memory a_memory(a_desc, gemms.engine, const_cast<uint16_t*>(a));
  dnnl::memory b_memory(b_desc, gemms.engine, const_cast<uint16_t*>(b));
  dnnl::memory c_memory(c_desc, gemms.engine, c);
  found->second.execute(gemms.stream, {{DNNL_ARG_SRC, a_memory}, {DNNL_ARG_WEIGHTS, b_memory}, {DNNL_ARG_DST, c_memory}});
  gemms.stream.wait();
}

}  // namespace e3::nn::blas
