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

Backend parse_backend(const std::string& name) {
  for (Backend backend : {Backend::gloo, Backend::nccl}) {
    if (name == backend_name(backend)) return backend;
  }
  throw std::invalid_argument("unknown backend '" + name + "' (choose gloo or nccl)");
}

}  // namespace e3::dist
