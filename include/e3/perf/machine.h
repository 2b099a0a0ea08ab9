#pragma once
// What a performance figure was measured on: every figure e3cpp prints names the CPU and the
// GEMM libraries' code paths beside it, since speed on one CPU is not speed on another.

#include <cstdint>
#include <string>

namespace e3::perf {

/// The CPU's model name as the kernel reports it ("AMD EPYC", "Intel(R) Xeon(R) ..."), or
/// "unknown".
std::string cpu_model();

/// The kernels OpenBLAS chose ("Haswell", "SkylakeX", "Cooperlake", ...; set by the
/// OPENBLAS_CORETYPE environment variable when present), or "" when the BLAS in this process
/// is not OpenBLAS.
std::string blas_core_name();

/// The instruction set oneDNN dispatches to on this CPU ("avx512_core_bf16", "avx2", ...).
std::string onednn_isa();

/// The process' peak resident set size so far, in bytes (getrusage).
int64_t peak_resident_bytes();

}  // namespace e3::perf
