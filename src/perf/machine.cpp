#include "e3/perf/machine.h"

#include <dlfcn.h>
#include <sys/resource.h>

#include <oneapi/dnnl/dnnl.hpp>

#include <fstream>

namespace e3::perf {

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) break;
    const auto start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? "unknown" : line.substr(start);
  }
  return "unknown";
}

std::string blas_core_name() {
  // Looked up at run time: LibTorch links the reference BLAS interface (libblas.so.3), which
  // the system's alternatives may point at OpenBLAS or at another implementation.
  using CoreName = char* (*)();
  const auto get = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  const char* name = get ? get() : nullptr;
  return name ? name : "";
}

std::string onednn_isa() {
  using isa = dnnl::cpu_isa;
  switch (dnnl::get_effective_cpu_isa()) {
    case isa::avx512_core_amx: return "avx512_core_amx";
    case isa::avx512_core_bf16: return "avx512_core_bf16";
    case isa::avx512_core_vnni: return "avx512_core_vnni";
    case isa::avx512_core: return "avx512_core";
    case isa::avx2_vnni: return "avx2_vnni";
    case isa::avx2: return "avx2";
    case isa::avx: return "avx";
    case isa::sse41: return "sse41";
    default: return "other";
  }
}

int64_t peak_resident_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return int64_t(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

}  // namespace e3::perf
