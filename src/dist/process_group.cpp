#include "e3/dist/process_group.h"

// ProcessGroupGloo.hpp declares its class only under USE_C10D_GLOO, which Debian's Torch CMake
// package defines for its users; the symbols are in libtorch_cpu.so, the gloo headers it
// includes in libgloo-dev.
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace e3::dist {

bool is_loopback(const std::string& host) { return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1"; }

namespace {

std::shared_ptr<::gloo::transport::Device> gloo_device(const WorldOptions& options) {
  if (!options.network_interface().empty()) {
    return c10d::ProcessGroupGloo::createDeviceForInterface(options.network_interface());
  }
  if (is_loopback(options.master_addr())) {
    return c10d::ProcessGroupGloo::createDeviceForHostname(options.master_addr() == "::1" ? "::1" : "127.0.0.1");
  }
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

c10::intrusive_ptr<c10d::ProcessGroup> make_process_group(const WorldOptions& options,
                                                          const c10::intrusive_ptr<c10d::Store>& store) {
  switch (options.backend()) {
    case Backend::gloo: {
      auto gloo = c10d::ProcessGroupGloo::Options::create(options.timeout());
      gloo->devices.push_back(gloo_device(options));
      gloo->threads = 1;  // the collectives of a step are issued in order; one thread runs them
      return c10::make_intrusive<c10d::ProcessGroupGloo>(store, options.rank(), options.world_size(), gloo);
    }
    case Backend::nccl: {
#ifdef USE_C10D_NCCL
      // Not compiled in the CPU-only builds this project is tested with.
      auto nccl = c10d::ProcessGroupNCCL::Options::create();
      nccl->timeout = options.timeout();
      return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, options.rank(), options.world_size(), nccl);
#else
      throw OptionError("the nccl backend needs a CUDA build of LibTorch; this one has none (use gloo)");
#endif
    }
  }
  throw OptionError("unknown backend");
}

}  // namespace e3::dist
