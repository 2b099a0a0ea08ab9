#pragma once
// The process' memory allocator, set for training and inference.

namespace e3::train {

/// Makes glibc's malloc keep the memory a step frees for the next step instead of handing it
/// back to the kernel. Every training step and inference pass allocates and frees the same
/// large temporaries (the fused KernelConv's per-edge buffers, autograd's saved tensors); with
/// glibc's defaults, blocks above its mmap threshold are mapped and unmapped each time and
/// the kernel zero-fills their pages on first touch again, step after step. Memory stays
/// bounded by the largest step's. Call once, at the start of a process that trains or
/// predicts (e3cpp does).
void reuse_freed_memory();

}  // namespace e3::train
