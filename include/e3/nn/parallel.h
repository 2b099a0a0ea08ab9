#pragma once
// How many threads e3cpp's own parallel loops (the fused KernelConv's at::parallel_for
// regions) run on.

namespace e3::nn {

/// The number of threads an at::parallel_for compiled into this library runs on:
/// at::get_num_threads() when the library was built with OpenMP, 1 when it was not (LibTorch's
/// parallel_for is a header template whose `#pragma omp parallel` is compiled into its caller,
/// so a build without -fopenmp silently runs every such loop on the calling thread).
int parallel_team_size();

}  // namespace e3::nn
