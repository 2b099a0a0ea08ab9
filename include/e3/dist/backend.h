#pragma once
// The collective backends of c10d that e3::dist can run on. The process group of a backend is
// built in one place, make_process_group() (process_group.h).

#include <string>

namespace e3::dist {

enum class Backend {
  gloo,  ///< ProcessGroupGloo: CPU tensors over TCP (every build of LibTorch)
  nccl,  ///< ProcessGroupNCCL: CUDA tensors (only with a CUDA build of LibTorch)
};

/// "gloo" or "nccl".
const char* backend_name(Backend backend);

/// Whether this build of LibTorch has `backend` (nccl: only CUDA builds).
bool backend_available(Backend backend);

/// The backend called `name`; std::invalid_argument listing the choices otherwise, or saying
/// why this build cannot run it (nccl in a CPU-only build).
Backend parse_backend(const std::string& name);

}  // namespace e3::dist
