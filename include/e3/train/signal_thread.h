#pragma once
// Where a process' signal handlers run.
//
// oneDNN's JIT GEMM kernels (Debian's libdnnl 2.7; the fused KernelConv calls them through
// dnnl_sgemm) point the stack pointer at a heap buffer while they run. A signal handled on a
// thread inside such a kernel has its signal frame written there by the kernel: into the heap
// (oneDNN issue 4845, fixed in oneDNN 3.11). A Ctrl-C that asks training to stop, or the
// launcher's SIGTERM to the ranks that survive a failed one, then corrupts the heap (glibc
// aborts later, "corrupted size vs. prev_size") or silently changes the numbers of a step.

#include <vector>

namespace e3::train {

/// The asynchronous signals a process may handle: SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD,
/// SIGUSR1, SIGUSR2 and SIGALRM.
std::vector<int> routed_signals();

/// Blocks routed_signals() in the calling thread, and so in every thread started from it later,
/// and starts one thread that leaves them unblocked and does nothing else: the kernel delivers
/// a process' signals to a thread that does not block them, so their handlers (and default
/// actions) run there, on an ordinary stack, never on a thread inside a GEMM. Call first thing
/// in main(), before any thread is started (e3cpp does); calls after the first do nothing.
/// Children started with fork/exec inherit the blocked mask: unblock it in the child (the
/// launcher and the xtb runner do).
void handle_signals_on_own_thread();

}  // namespace e3::train
