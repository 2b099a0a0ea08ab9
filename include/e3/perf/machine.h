#pragma once
// The machine: what a performance figure was measured on (every figure e3cpp prints names the
// CPU and the GEMM libraries' code paths beside it, since speed on one CPU is not speed on
// another), and how many CPUs this process may compute with.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

/// The CPUs this process may use, the default thread count of every e3cpp command: the CPUs of
/// its affinity mask (taskset, a cpuset, a batch scheduler's binding), fewer where its cgroups'
/// CPU quota allows less (cgroup_cpu_limit("/sys/fs/cgroup", /proc/self/cgroup)), at least 1.
/// (std::thread::hardware_concurrency() counts the machine's CPUs, and ignores both.)
int available_cpus();

/// The CPUs a cgroup v2 "cpu.max" file allows, from its contents "QUOTA PERIOD" (microseconds):
/// QUOTA / PERIOD rounded up, at least 1; nullopt for "max PERIOD" (no limit) and for text
/// that is not a cpu.max.
std::optional<int> cpu_max_limit(std::string_view contents);

/// The smallest CPU limit of the cgroups of this process and their ancestors, under `root` (the
/// cgroup file system, "/sys/fs/cgroup"), given `proc_self_cgroup` (the contents of
/// /proc/self/cgroup): cgroup v2's cpu.max files, and cgroup v1's cpu.cfs_quota_us over
/// cpu.cfs_period_us under ROOT/cpu; nullopt when no cgroup has a limit. A directory missing
/// under `root` is skipped: in a container the process' cgroup is often the root itself.
std::optional<int> cgroup_cpu_limit(const std::string& root, std::string_view proc_self_cgroup);

}  // namespace e3::perf
