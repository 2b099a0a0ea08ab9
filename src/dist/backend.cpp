#include "e3/dist/backend.h"

#include <stdexcept>

namespace e3::dist {

const char* backend_name(Backend backend) {
  switch (backend) {
    case Backend::gloo:
      return "gloo";
    case Backend::nccl:
      return "nccl";
  }
  return "?";
}

bool backend_available(Backend backend) {
  switch (backend) {
    case Backend::gloo:
      return true;
    case Backend::nccl:
      // Torch's CMake package defines USE_C10D_NCCL for its users in CUDA builds only.
#ifdef USE_C10D_NCCL
      return true;
#else
      return false;
#endif
  }
  return false;
}

Backend parse_backend(const std::string& name) {
  for (Backend backend : {Backend::gloo, Backend::nccl}) {
    if (name != backend_name(backend)) continue;
    // Refused here, with the other bad options, rather than once every rank has joined.
    if (!backend_available(backend)) {
      throw std::invalid_argument("the " + name +
                                  " backend needs a CUDA build of LibTorch; this one is CPU-only (use gloo)");
    }
    return backend;
  }
  throw std::invalid_argument("unknown backend '" + name + "' (choose gloo or nccl)");
}

}  // namespace e3::dist
