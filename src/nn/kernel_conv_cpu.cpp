// The fused KernelConv on the CPU, in the reassociated order of DESIGN.md.
//
// For each output group (U channels of order l_out, d = 2 l_out + 1 components) and the
// P input columns of its paths, (2.49) is evaluated as
//   stage 1, per edge:   X[e, i, c]   = sum_{j,k} n^p C_jki Y_k(e) F[src(e), v, j]     (c = column of path p + v)
//   stage 2, per atom:   T[A, i, c, H] = sum_{e -> A} X[e, i, c] h[e, H]               (one small GEMM per atom)
//   stage 3, per atom:   G[A, u, i]   = sum_{c, H} T[A, i, c, H] W[H, c, u]            (one GEMM per chunk of atoms)
// so that the H*U*V work per edge of forming R_uv (2.35) is never done and no per-edge
// [U x V] weight or kernel exists. The backward pass (2.50)-(2.52) reassociates the same
// way: dW = T^T dG, dT = dG W^T, dh[e] = X[e] dT[dst(e)], dX[e] = h[e] dT[dst(e)]^T, and
// dF, dY from dX through the stage-1 contraction. Each thread takes a contiguous range of
// atoms of about equal work (atom_chunks()), in chunks (the edges into a destination atom
// are contiguous), and runs all stages of a chunk on its own (GEMMs: blas.h): X is made for
// the chunk's edges just before stage 2 reads it, T is rebuilt in the backward pass instead
// of being stored, and each atom's dX goes through stage 1's backward as soon as it is made.
// No E * P * d array exists: besides the per-edge gradients, memory is one chunk's X and T
// per thread, and X and dX are read back from the cache rather than from the last-level
// cache or memory.
//
// Stage 1 reads the features in a component-major copy (within each input entry, component
// j outer and copy v inner) so that its inner loops run contiguously over v. T keeps H
// innermost so that an atom's T is one GEMM over all components (M = d * P, N = H, K = its
// edges), not d GEMMs, and its backward two; stage 3 then multiplies by W reordered to
// [(c, H), u] (weight_by_column()), a copy of H * P * U values per call.
//
// Under GemmPrecision::bf16_mixed every GEMM rounds its inputs to bfloat16 and accumulates in
// float32: stage 3 in oneDNN (bf16_gemm.h), the others in bf16_pair_gemm.h's kernel, which reads
// operands packed in pairs of the summed dimension. Stage 2 multiplies each atom's X and h,
// packed in pairs of edges, and writes T in bfloat16 (no float32 T exists): row major for stage
// 3 and, in the backward pass, straight in pairs of rows, the layout in which dW^T = dG^T T reads
// it (dW is formed transposed because its U columns, 21 in L1Net, would fill a third of the
// kernel's 64-column blocks, and U rows fill 6-row blocks). dT = dG W^T is written in bfloat16,
// and each atom's dh and dX multiply bfloat16 copies of X and h by its dT, packed for each
// product. The outputs and the gradients stay float32.
//
// In float32, stage 2's per-atom GEMMs (K = the atom's edges, up to 28 in QM9) run in
// small_k_gemm.h's kernel where the CPU has AVX-512 with AVX512_BF16, which writes T straight
// from registers; elsewhere, and in float64, in sgemm (dgemm).

#include "kernel_conv_cpu.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <mutex>
#include <type_traits>
#include <vector>

#include "bf16_gemm.h"
#include "bf16_pair_gemm.h"
#include "bf16_tensor.h"
#include "blas.h"
#include "small_k_gemm.h"

namespace e3::nn::detail {
namespace {

// [N, dim(rs)] with each entry laid out (v, j) -> the same with each entry laid out (j, v).
torch::Tensor to_component_major(const o3::Rs& rs, const torch::Tensor& x) {
  std::vector<torch::Tensor> entries;
  const auto offsets = rs.offsets();
  for (size_t e = 0; e < rs.size(); ++e) {
    entries.push_back(x.narrow(1, offsets[e], rs[e].dim()).view({-1, rs[e].mul, rs[e].ir_dim()}).transpose(1, 2)
                          .reshape({-1, rs[e].dim()}));
  }
  return torch::cat(entries, 1);
}

// The inverse of to_component_major().
torch::Tensor from_component_major(const o3::Rs& rs, const torch::Tensor& x) {
  std::vector<torch::Tensor> entries;
  const auto offsets = rs.offsets();
  for (size_t e = 0; e < rs.size(); ++e) {
    entries.push_back(x.narrow(1, offsets[e], rs[e].dim()).view({-1, rs[e].ir_dim(), rs[e].mul}).transpose(1, 2)
                          .reshape({-1, rs[e].dim()}));
  }
  return torch::cat(entries, 1);
}

// One path with n^p C[j][k][i] in the op's dtype.
template <typename T>
struct PathCoefficients {
  const KernelPath* path;
  int64_t d_in, d_filter, d_out;
  int64_t harmonics_offset;  // l_f^2: where Y^{l_f} starts among the harmonics
  std::vector<T> cg;
};

template <typename T>
std::vector<PathCoefficients<T>> path_coefficients(const KernelOutputGroup& group) {
  std::vector<PathCoefficients<T>> result;
  for (const auto& path : group.paths) {
    PathCoefficients<T> p{&path, 2 * path.l_in + 1, 2 * path.l_filter + 1, 2 * path.l_out + 1,
                          int64_t(path.l_filter) * path.l_filter, {}};
    p.cg.reserve(path.cg.size());
    for (double c : path.cg) p.cg.push_back(static_cast<T>(c * path.norm));
    result.push_back(std::move(p));
  }
  return result;
}

// The inputs as raw pointers.
template <typename T>
struct Raw {
  Raw(const KernelConvInputs& in, const torch::Tensor& features_component_major)
      : features(features_component_major.data_ptr<T>()),
        harmonics(in.harmonics.data_ptr<T>()),
        radial(in.radial.data_ptr<T>()),
        src(in.edge_src.data_ptr<int64_t>()),
        offsets(in.dst_offsets.data_ptr<int64_t>()),
        num_nodes(in.features.size(0)),
        num_edges(in.harmonics.size(0)),
        dim_in(in.features.size(1)),
        dim_harmonics(in.harmonics.size(1)),
        hidden(in.radial.size(1)) {}
  const T* features;  // component-major, see to_component_major()
  const T* harmonics;
  const T* radial;
  const int64_t* src;
  const int64_t* offsets;
  int64_t num_nodes, num_edges, dim_in, dim_harmonics, hidden;
};

// cy[j * d_out + i] = sum_k n C[j][k][i] y[k], with y the harmonics Y^{l_f} of one edge.
template <typename T>
void contract_harmonics(const PathCoefficients<T>& p, const T* y, T* cy) {
  std::fill(cy, cy + p.d_in * p.d_out, T(0));
  for (int64_t j = 0; j < p.d_in; ++j) {
    for (int64_t k = 0; k < p.d_filter; ++k) {
      const T yk = y[k];
      const T* c = p.cg.data() + (j * p.d_filter + k) * p.d_out;
      for (int64_t i = 0; i < p.d_out; ++i) cy[j * p.d_out + i] += c[i] * yk;
    }
  }
}

// sum_v a[v] b[v] in 8 partial sums (over v mod 8) added at the end: a loop the compiler
// vectorizes, as it may not reorder the additions of a single running sum.
template <typename T>
T dot(const T* a, const T* b, int64_t n) {
  T lanes[8] = {};
  int64_t v = 0;
  for (; v + 8 <= n; v += 8) {
    for (int l = 0; l < 8; ++l) lanes[l] += a[v + l] * b[v + l];
  }
  T sum = 0;
  for (; v < n; ++v) sum += a[v] * b[v];
  for (int l = 0; l < 8; ++l) sum += lanes[l];
  return sum;
}

// Stage 1 for the edges [begin, end): X [end - begin, d_out, P] of one output group, on the
// calling thread. Callers make X a chunk of atoms at a time, just before stage 2 reads it, so
// that it is written to and read from the cache (the whole X, E * d * P values, was written
// out and read back from the last-level cache, which bound stage 1 by its stores).
template <typename T>
void edge_messages(const Raw<T>& raw, const KernelOutputGroup& group, const std::vector<PathCoefficients<T>>& paths,
                   int64_t begin, int64_t end, T* x, std::vector<T>& cy) {
  const int64_t d = 2 * group.l_out + 1, columns = group.columns;
  for (int64_t e = begin; e < end; ++e) {
    const T* f = raw.features + raw.src[e] * raw.dim_in;
    const T* y = raw.harmonics + e * raw.dim_harmonics;
    T* xe = x + (e - begin) * d * columns;
    for (const auto& p : paths) {
      const int64_t mul = p.path->mul_in;
      cy.resize(p.d_in * d);
      contract_harmonics(p, y + p.harmonics_offset, cy.data());
      const T* f0 = f + p.path->in_offset;
      for (int64_t i = 0; i < d; ++i) {
        T* row = xe + i * columns + p.path->column;
        const T c0 = cy[i];
        for (int64_t v = 0; v < mul; ++v) row[v] = c0 * f0[v];
        for (int64_t j = 1; j < p.d_in; ++j) {
          const T c = cy[j * d + i];
          const T* fj = f0 + j * mul;
          for (int64_t v = 0; v < mul; ++v) row[v] += c * fj[v];
        }
      }
    }
  }
}

// Backward of stage 1 for the edges [begin, end) (dx: their dX, from edge `begin` on), on the
// calling thread: accumulates their rows of the gradients of the source features
// (d_edge_features [E, dim_in], later summed into atoms) and of the harmonics.
template <typename T>
void edge_messages_backward(const Raw<T>& raw, const KernelOutputGroup& group,
                            const std::vector<PathCoefficients<T>>& paths, int64_t begin, int64_t end, const T* dx,
                            T* d_edge_features, T* d_harmonics, std::vector<T>& cy, std::vector<T>& m) {
  const int64_t d = 2 * group.l_out + 1, columns = group.columns;
  for (int64_t e = begin; e < end; ++e) {
    const T* f = raw.features + raw.src[e] * raw.dim_in;
    const T* dxe = dx + (e - begin) * d * columns;
    for (const auto& p : paths) {
      const int64_t mul = p.path->mul_in;
      if (d_edge_features) {
        // dF[j, v] += sum_i (n C Y)[j, i] dX[i, v]
        cy.resize(p.d_in * d);
        contract_harmonics(p, raw.harmonics + e * raw.dim_harmonics + p.harmonics_offset, cy.data());
        for (int64_t j = 0; j < p.d_in; ++j) {
          T* df = d_edge_features + e * raw.dim_in + p.path->in_offset + j * mul;
          for (int64_t i = 0; i < d; ++i) {
            const T c = cy[j * d + i];
            const T* g = dxe + i * columns + p.path->column;
            for (int64_t v = 0; v < mul; ++v) df[v] += c * g[v];
          }
        }
      }
      if (d_harmonics) {
        // dY[k] += sum_{j,i} n C[j][k][i] M[j, i], M[j, i] = sum_v F[j, v] dX[i, v]
        m.resize(p.d_in * d);
        for (int64_t j = 0; j < p.d_in; ++j) {
          const T* fj = f + p.path->in_offset + j * mul;
          for (int64_t i = 0; i < d; ++i) m[j * d + i] = dot(fj, dxe + i * columns + p.path->column, mul);
        }
        T* dy = d_harmonics + e * raw.dim_harmonics + p.harmonics_offset;
        for (int64_t j = 0; j < p.d_in; ++j) {
          for (int64_t k = 0; k < p.d_filter; ++k) {
            const T* c = p.cg.data() + (j * p.d_filter + k) * d;
            T sum = 0;
            for (int64_t i = 0; i < d; ++i) sum += c[i] * m[j * d + i];
            dy[k] += sum;
          }
        }
      }
    }
  }
}

// Stage 2 for atoms [a0, a1) in the op's dtype: t[a - a0] = X_A^T h_A ([(i, c), H]), x their
// edges' X (from edge offsets[a0] on). Runs on the calling thread (callers parallelize over
// chunks of atoms).
template <typename T>
void gather_to_atoms(const Raw<T>& raw, int64_t d, int64_t columns, const T* x, int64_t a0, int64_t a1, T* t) {
  const int64_t hidden = raw.hidden, size = d * columns * hidden, rows = d * columns;
  for (int64_t a = a0; a < a1; ++a) {
    const int64_t e0 = raw.offsets[a], n = raw.offsets[a + 1] - e0;
    const T* xa = x + (e0 - raw.offsets[a0]) * rows;
    const T* ha = raw.radial + e0 * hidden;
    T* ta = t + (a - a0) * size;
    if constexpr (std::is_same_v<T, float>) {
      if (blas::has_small_k_gemm()) {  // K = the atom's edges: see small_k_gemm.h
        blas::small_k_gemm_tn(rows, hidden, n, xa, ha, ta);
        continue;
      }
    }
    if (n == 0) {
      std::fill(ta, ta + size, T(0));
    } else {
      blas::gemm(true, false, rows, hidden, n, T(1), xa, rows, ha, hidden, T(0), ta, hidden);
    }
  }
}

// How stage 2 lays out a chunk's T [rows, H * P] under bf16-mixed: row major for stage 3
// (oneDNN's GEMM), or in pairs of rows (pack_pairs_of_rows()'s layout) for the weight gradient
// on bf16_pair_gemm's kernel.
enum class Bf16Layout { row_major, pairs_of_rows };

// Stage 2 under bf16-mixed: the same into t16, T in bfloat16 in `layout`, from each atom's X and
// h rounded to bfloat16 and packed in pairs of edges (x_pairs, h_pairs: one atom's worth) for
// bf16_pair_gemm_tn(), which writes T in bfloat16 from registers; no float32 T exists.
void gather_to_atoms_bf16(const Raw<float>& raw, int64_t d, int64_t columns, const float* x, int64_t a0, int64_t a1,
                          Bf16Layout layout, uint16_t* t16, uint16_t* x_pairs, uint16_t* h_pairs) {
  const int64_t hidden = raw.hidden, block = hidden * columns, rows = d * columns;
  std::vector<int64_t> row_offsets(rows);  // pairs_of_rows: where row (i, c) of the atom's T starts
  for (int64_t a = a0; a < a1; ++a) {
    const int64_t e0 = raw.offsets[a], n = raw.offsets[a + 1] - e0;
    blas::pack_pairs_of_rows(n, rows, x + (e0 - raw.offsets[a0]) * rows, rows, x_pairs);
    blas::pack_pairs_of_rows(n, hidden, raw.radial + e0 * hidden, hidden, h_pairs);
    if (layout == Bf16Layout::row_major) {
      blas::bf16_pair_gemm_tn(rows, hidden, n, x_pairs, h_pairs, t16 + (a - a0) * d * block);
      continue;
    }
    // The atom's T_A [(i, c), H] is rows (a - a0) d + i, columns c H .. c H + H - 1 of the chunk's T.
    for (int64_t i = 0; i < d; ++i) {
      const int64_t r = (a - a0) * d + i;
      for (int64_t c = 0; c < columns; ++c) row_offsets[i * columns + c] = ((r / 2) * block + c * hidden) * 2 + r % 2;
    }
    blas::bf16_pair_gemm_tn(rows, hidden, n, x_pairs, h_pairs, row_offsets.data(), t16);
  }
}

// A thread's buffers for stage 2 of a group: T of a chunk in the op's dtype or, under
// bf16-mixed, in bfloat16 with one atom's X and h packed in pairs of edges.
struct Stage2Buffers {
  torch::Tensor t, t16, x_pairs, h_pairs;
};

Stage2Buffers stage2_buffers(bool mixed, int64_t chunk_rows, int64_t block, int64_t rows, int64_t hidden,
                             int64_t max_atom_edges, const torch::TensorOptions& options) {
  Stage2Buffers b;
  if (!mixed) {
    b.t = torch::empty({chunk_rows, block}, options);
    return b;
  }
  const auto bf16 = options.dtype(torch::kBFloat16);
  b.t16 = torch::empty({blas::even(chunk_rows), block}, bf16);  // even: in pairs of rows for dW
  b.x_pairs = torch::empty({blas::even(max_atom_edges), rows}, bf16);
  b.h_pairs = torch::empty({blas::even(max_atom_edges), hidden}, bf16);
  return b;
}

// Stage 2 for atoms [a0, a1): T in b.t, or under bf16-mixed in b.t16 in `layout`, row major with
// its rows from the chunk's last atom up to m zero, or in pairs of rows with the partner of an
// odd last row zero. The bfloat16 T, or nullptr.
template <typename T>
const uint16_t* gather_chunk(const Raw<T>& raw, bool mixed, Bf16Layout layout, int64_t d, int64_t columns, const T* x,
                             int64_t a0, int64_t a1, int64_t m, Stage2Buffers& b) {
  if constexpr (std::is_same_v<T, float>) {
    if (mixed) {
      const int64_t block = raw.hidden * columns, rows = (a1 - a0) * d;
      uint16_t* t16 = bfloat16_bits(b.t16);
      gather_to_atoms_bf16(raw, d, columns, x, a0, a1, layout, t16, bfloat16_bits(b.x_pairs), bfloat16_bits(b.h_pairs));
      if (layout == Bf16Layout::row_major) {
        std::fill(t16 + rows * block, t16 + m * block, uint16_t(0));
      } else if (rows % 2 == 1) {
        uint16_t* last_pair = t16 + (rows / 2) * block * 2;
        for (int64_t j = 0; j < block; ++j) last_pair[2 * j + 1] = 0;
      }
      return t16;
    }
  }
  gather_to_atoms(raw, d, columns, x, a0, a1, b.t.template data_ptr<T>());
  return nullptr;
}

// A group's part of the radial MLP's output layer, [H, P * U] in the weight's layout (H, c, u),
// as [(c, H), u]: the row order of T's columns.
torch::Tensor weight_by_column(const torch::Tensor& weight, const KernelOutputGroup& group, int64_t hidden) {
  return weight.narrow(1, group.weight_offset, group.columns * group.mul_out)
      .view({hidden, group.columns, group.mul_out})
      .permute({1, 0, 2})
      .contiguous()
      .view({group.columns * hidden, group.mul_out});
}

// Under bf16-mixed (`mixed`, float32 only): the bfloat16 copy of x[0, count) in `buffer`;
// otherwise nullptr.
template <typename T>
const uint16_t* bf16_copy(bool mixed, const T* x, int64_t count, std::vector<uint16_t>& buffer) {
  if constexpr (std::is_same_v<T, float>) {
    if (mixed) {
      buffer.resize(count);
      blas::to_bfloat16(x, count, buffer.data());
      return buffer.data();
    }
  }
  return nullptr;
}

// Under bf16-mixed a chunk's rows are padded (with zeros, which add nothing) to a multiple of
// this many, or to a full chunk where that is fewer.
constexpr int64_t kBf16RowGranule = 16;

// The rows a chunk's stage-3 GEMM takes: its own, or under bf16-mixed its own rounded up to
// kBf16RowGranule: oneDNN generates a bfloat16 kernel for every new shape (0.5-2 ms each,
// measured on an AMD EPYC), which the varying last chunk of each thread's range would
// otherwise pay again and again; with at most full_rows / kBf16RowGranule shapes per layer
// they are made once, and the last chunk costs at most 15 rows more than its own, not a full
// chunk (up to 95 atoms' rows in an L1Net layer's l = 0 group).
int64_t gemm_rows(bool mixed, int64_t rows, int64_t full_rows) {
  if (!mixed) return rows;
  return std::min(full_rows, (rows + kBf16RowGranule - 1) / kBf16RowGranule * kBf16RowGranule);
}

// Stage 3 for a chunk's m rows, G = T W ([m, U] = [m, H * P] [H * P, U]) in T, or from the
// bfloat16 copies t16 and w16 (both given or both nullptr) with float32 accumulation.
template <typename T>
void stage3_gemm(int64_t m, int64_t mul, int64_t block, const T* t, const uint16_t* t16, const T* w,
                 const uint16_t* w16, T* g) {
  if constexpr (std::is_same_v<T, float>) {
    if (t16 != nullptr) {
      blas::gemm_bf16(false, false, m, mul, block, t16, block, w16, mul, 0.0f, g, mul);
      return;
    }
  }
  blas::gemm(false, false, m, mul, block, T(1), t, block, w, mul, T(0), g, mul);
}

// How stages 2 and 3 (or their backward) split the atoms: one contiguous range per thread, of
// about equal work, each taken in chunks. An atom's work is its edges (stage 2: H * P * d per
// edge) and its stage-3 GEMM rows (H * P * d * U: U edges' worth); QM9 batches mix molecules
// of 3 to 29 atoms, so equal atom counts would leave one thread waiting for the other. The
// ranges depend on the thread count only, not on timing, so results are deterministic.
struct AtomChunks {
  int64_t chunk = 1;            // atoms per chunk at most
  std::vector<int64_t> bounds;  // range p: atoms [bounds[p], bounds[p + 1])
  int64_t max_chunk_edges = 0;  // the most edges into the atoms of one chunk (the size of its X)
  int64_t max_atom_edges = 0;   // the most edges into one atom (the size of its dX)
  int64_t parts() const { return int64_t(bounds.size()) - 1; }
};

// A chunk's T holds at most 2^20 elements (4 MiB in float32, in the last-level cache). The
// stage-3 GEMM has chunk * d rows: with 2^19 elements (about 30 rows for an L1Net layer) it ran
// at half the speed, and 2^21 was 5-15% slower than 2^20 on an AMD EPYC with 1 MiB of L2 per
// core (bench_kernel_conv --scaling, alternating runs).
AtomChunks atom_chunks(const int64_t* offsets, int64_t num_nodes, int64_t d, int64_t hidden, int64_t columns,
                       int64_t mul_out) {
  AtomChunks result;
  result.chunk = std::max<int64_t>(1, (int64_t(1) << 20) / std::max<int64_t>(1, d * hidden * columns));
  const int64_t parts = std::max<int64_t>(1, std::min<int64_t>(at::get_num_threads(), num_nodes));
  const double total = double(offsets[num_nodes]) + double(mul_out) * double(num_nodes);
  result.bounds.push_back(0);
  double work = 0;
  for (int64_t a = 0; a < num_nodes && result.parts() < parts - 1; ++a) {
    work += double(offsets[a + 1] - offsets[a]) + double(mul_out);
    if (work >= total * double(result.parts() + 1) / double(parts)) result.bounds.push_back(a + 1);
  }
  result.bounds.push_back(num_nodes);
  for (int64_t p = 0; p < result.parts(); ++p) {
    for (int64_t a0 = result.bounds[p]; a0 < result.bounds[p + 1]; a0 += result.chunk) {
      const int64_t a1 = std::min(result.bounds[p + 1], a0 + result.chunk);
      result.max_chunk_edges = std::max(result.max_chunk_edges, offsets[a1] - offsets[a0]);
    }
  }
  for (int64_t a = 0; a < num_nodes; ++a) {
    result.max_atom_edges = std::max(result.max_atom_edges, offsets[a + 1] - offsets[a]);
  }
  return result;
}

// Runs `chunk_work(a0, a1)` on every chunk of `chunks`, each range on its own thread after
// `thread_setup(first_range)` (the thread's buffers).
template <typename Setup, typename Work>
void for_each_chunk(const AtomChunks& chunks, const Setup& thread_setup, const Work& chunk_work) {
  at::parallel_for(0, chunks.parts(), 1, [&](int64_t p0, int64_t p1) {
    auto buffers = thread_setup(p0);
    for (int64_t p = p0; p < p1; ++p) {
      for (int64_t a0 = chunks.bounds[p]; a0 < chunks.bounds[p + 1]; a0 += chunks.chunk) {
        chunk_work(buffers, a0, std::min(chunks.bounds[p + 1], a0 + chunks.chunk));
      }
    }
  });
}

// Writes stage 3's result for atoms [a0, a1), gt [(a - a0) * d + i, channel], into each
// slice's part of the output [N, dim_out] (layout: channel-major, then component).
template <typename T>
void scatter_output(const KernelOutputGroup& group, int64_t d, const T* gt, int64_t a0, int64_t a1, T* output,
                    int64_t dim_out) {
  for (int64_t a = a0; a < a1; ++a) {
    const T* g = gt + (a - a0) * d * group.mul_out;
    for (const auto& slice : group.slices) {
      T* out = output + a * dim_out + slice.out_offset;
      for (int64_t u = 0; u < slice.mul; ++u) {
        for (int64_t i = 0; i < d; ++i) out[u * d + i] = g[i * group.mul_out + slice.first_channel + u];
      }
    }
  }
}

// add_weight_parts() for parts [u, (c, H)] (the weight gradient under bf16-mixed, written by
// bf16_pair_gemm_tn()): the sums are formed in a tile of kTile values of H for each (c, u),
// read along H from the parts (their rows are H * P values apart) and written along u, each
// value added in the order of `parts` as in add_weight_parts().
template <typename T>
void add_transposed_weight_parts(int64_t columns, int64_t mul, int64_t hidden,
                                 const std::vector<std::pair<int64_t, torch::Tensor>>& parts, T* dw, int64_t stride) {
  constexpr int64_t kTile = 16;
  const int64_t block = columns * hidden;
  at::parallel_for(0, hidden, kTile, [&](int64_t h0, int64_t h1) {
    std::vector<T> tile(mul * kTile);  // [u, h - h_tile]
    for (int64_t h_tile = h0; h_tile < h1; h_tile += kTile) {
      const int64_t rows = std::min(kTile, h1 - h_tile);
      for (int64_t c = 0; c < columns; ++c) {
        T* to = dw + h_tile * stride + c * mul;
        for (int64_t r = 0; r < rows; ++r) {
          for (int64_t u = 0; u < mul; ++u) tile[u * kTile + r] = to[r * stride + u];
        }
        for (const auto& part : parts) {
          const T* from = part.second.template data_ptr<T>() + c * hidden + h_tile;
          for (int64_t u = 0; u < mul; ++u) {
            for (int64_t r = 0; r < rows; ++r) tile[u * kTile + r] += from[u * block + r];
          }
        }
        for (int64_t r = 0; r < rows; ++r) {
          for (int64_t u = 0; u < mul; ++u) to[r * stride + u] = tile[u * kTile + r];
        }
      }
    }
  });
}

// Adds the threads' parts of a group's dW, each [(c, H), u] as T's columns are ordered (or its
// transpose [u, (c, H)] with `transposed`), into the radial MLP's weight gradient
// [H, num_weights] (its (c, u) columns at the group's offset), in the order of `parts`. The rows
// of H are split over the threads: the sum touches P * U * H values per part, a serial step
// between the parallel loops otherwise.
template <typename T>
void add_weight_parts(const KernelOutputGroup& group, int64_t hidden,
                      const std::vector<std::pair<int64_t, torch::Tensor>>& parts, bool transposed,
                      torch::Tensor& weight_grad) {
  const int64_t columns = group.columns, mul = group.mul_out, stride = weight_grad.size(1);
  T* dw = weight_grad.data_ptr<T>() + group.weight_offset;
  if (transposed) {
    add_transposed_weight_parts(columns, mul, hidden, parts, dw, stride);
    return;
  }
  at::parallel_for(0, hidden, 1, [&](int64_t h0, int64_t h1) {
    for (const auto& part : parts) {
      const T* src = part.second.template data_ptr<T>();
      for (int64_t h = h0; h < h1; ++h) {
        T* row = dw + h * stride;
        for (int64_t c = 0; c < columns; ++c) {
          const T* from = src + (c * hidden + h) * mul;
          T* to = row + c * mul;
          for (int64_t u = 0; u < mul; ++u) to[u] += from[u];
        }
      }
    }
  });
}

// Under bf16-mixed (float32 only): rows x cols values (leading dimension cols) as the A of
// bf16_pair_gemm() in dst (blas::to_pair_rows()), the rows split over the threads.
template <typename T>
void bf16_rows_in_pairs(const T* src, int64_t rows, int64_t cols, torch::Tensor& dst) {
  if constexpr (std::is_same_v<T, float>) {
    uint16_t* out = bfloat16_bits(dst);
    at::parallel_for(0, rows, 256, [&](int64_t r0, int64_t r1) {
      blas::to_pair_rows(src + r0 * cols, r1 - r0, cols, out + r0 * blas::even(cols));
    });
  }
}

// Under bf16-mixed (float32 only), the per-atom GEMMs of the backward pass for one atom with n
// edges, from dta, its dT [(i, c), H] in bfloat16: dh[e] += X[e] dT_A with x16 its edges' X and
// dX[e] = h[e] dT_A^T with radial16 their h, both in bf16_rows_in_pairs()'s layout, dT_A packed
// for each product in turn (bf16_pair_gemm.h); dh or dx nullptr where not needed.
// `packed` holds blas::even(width) * blas::even(hidden) values.
template <typename T>
void atom_backward_bf16(int64_t n, int64_t width, int64_t hidden, const uint16_t* dta, const uint16_t* x16,
                        const uint16_t* radial16, T* dh, T* dx, uint16_t* packed) {
  if constexpr (std::is_same_v<T, float>) {
    if (dh) {
      blas::pack_pairs_of_rows(width, hidden, dta, hidden, packed);
      blas::bf16_pair_gemm(n, hidden, width, x16, blas::even(width), packed, dh, hidden, true);
    }
    if (dx) {
      blas::pack_pairs_of_columns(hidden, width, dta, hidden, packed);
      blas::bf16_pair_gemm(n, width, hidden, radial16, blas::even(hidden), packed, dx, width, false);
    }
  }
}

// Under bf16-mixed: W^T [U, (c, H)] packed in pairs of rows for dT = dG W^T, from W [(c, H), U]
// (weight_by_column()), once per output group and call.
torch::Tensor bf16_transposed_weight(const torch::Tensor& w) {
  const int64_t block = w.size(0), mul = w.size(1);
  torch::Tensor packed = torch::empty({blas::even(mul), block}, w.options().dtype(torch::kBFloat16));
  blas::pack_pairs_of_columns(mul, block, w.data_ptr<float>(), mul, bfloat16_bits(packed));
  return packed;
}

// Under bf16-mixed (float32 only), a chunk's dT = dG W^T in bfloat16 (dt [rows, H * P]), from dg
// [rows, U] (copied into dg_rows, rows of even length) and W^T from bf16_transposed_weight().
template <typename T>
void dt_bf16(int64_t rows, int64_t mul, int64_t block, const T* dg, const torch::Tensor& w_t_pairs,
             torch::Tensor& dg_rows, torch::Tensor& dt) {
  if constexpr (std::is_same_v<T, float>) {
    uint16_t* a = bfloat16_bits(dg_rows);
    blas::to_pair_rows(dg, rows, mul, a);
    blas::bf16_pair_gemm(rows, block, mul, a, blas::even(mul), bfloat16_bits(w_t_pairs), bfloat16_bits(dt), block);
  }
}

// Under bf16-mixed (float32 only), a chunk's part of dW^T += dG^T T (dw [U, (c, H)]), from dg
// [rows, U] (packed into dg_pairs) and t16, the chunk's T in pairs of rows.
template <typename T>
void weight_gradient_bf16(int64_t rows, int64_t mul, int64_t block, const T* dg, const uint16_t* t16,
                          torch::Tensor& dg_pairs, torch::Tensor& dw) {
  if constexpr (std::is_same_v<T, float>) {
    uint16_t* packed = bfloat16_bits(dg_pairs);
    blas::pack_pairs_of_rows(rows, mul, dg, mul, packed);
    blas::bf16_pair_gemm_tn(mul, block, rows, packed, t16, dw.data_ptr<float>(), true);
  }
}

template <typename T>
torch::Tensor forward_impl(const KernelPlan& plan, const KernelConvInputs& in, bool mixed) {
  const torch::Tensor features = to_component_major(plan.rs_in(), in.features);
  const Raw<T> raw(in, features);
  const auto options = in.features.options();
  const int64_t dim_out = plan.rs_out().dim();
  torch::Tensor output = torch::zeros({raw.num_nodes, dim_out}, options);
  for (const auto& group : plan.groups()) {
    const int64_t d = 2 * group.l_out + 1, columns = group.columns, mul = group.mul_out, block = raw.hidden * columns;
    const auto paths = path_coefficients<T>(group);
    const torch::Tensor w = weight_by_column(in.weight, group, raw.hidden);  // [(c, H), U]
    std::vector<uint16_t> w_bf16;
    const uint16_t* w16 = bf16_copy(mixed, w.data_ptr<T>(), w.numel(), w_bf16);
    const auto chunks = atom_chunks(raw.offsets, raw.num_nodes, d, raw.hidden, columns, mul);
    struct Buffers {
      torch::Tensor x, gt;  // x: a chunk's X (stage 1)
      Stage2Buffers stage2;
      std::vector<T> cy;  // one path's n C Y
    };
    const auto setup = [&](int64_t) {
      return Buffers{torch::empty({chunks.max_chunk_edges, d * columns}, options),
                     torch::empty({chunks.chunk * d, mul}, options),
                     stage2_buffers(mixed, chunks.chunk * d, block, d * columns, raw.hidden, chunks.max_atom_edges,
                                    options),
                     {}};
    };
    for_each_chunk(chunks, setup, [&](Buffers& b, int64_t a0, int64_t a1) {
      const int64_t rows = (a1 - a0) * d, m = gemm_rows(mixed, rows, chunks.chunk * d);
      T* x = b.x.template data_ptr<T>();
      edge_messages(raw, group, paths, raw.offsets[a0], raw.offsets[a1], x, b.cy);
      const uint16_t* t16 = gather_chunk(raw, mixed, Bf16Layout::row_major, d, columns, x, a0, a1, m, b.stage2);
      const T* t = t16 ? nullptr : b.stage2.t.template data_ptr<T>();
      stage3_gemm(m, mul, block, t, t16, w.data_ptr<T>(), w16, b.gt.template data_ptr<T>());
      scatter_output(group, d, b.gt.template data_ptr<T>(), a0, a1, output.data_ptr<T>(), dim_out);
    });
  }
  return output;
}

template <typename T>
KernelConvGradients backward_impl(const KernelPlan& plan, const KernelConvInputs& in, const torch::Tensor& grad_output,
                                  const std::array<bool, 4>& needed, bool mixed) {
  const torch::Tensor features = to_component_major(plan.rs_in(), in.features);
  const Raw<T> raw(in, features);
  const auto options = in.features.options();
  const bool need_features = needed[0], need_harmonics = needed[1], need_radial = needed[2], need_weight = needed[3];
  const bool need_dx = need_features || need_harmonics, need_x = need_weight || need_radial;
  const int64_t hidden = raw.hidden;

  KernelConvGradients grads;
  torch::Tensor d_edge_features;
  if (need_features) d_edge_features = torch::zeros({raw.num_edges, raw.dim_in}, options);
  if (need_harmonics) grads.harmonics = torch::zeros({raw.num_edges, raw.dim_harmonics}, options);
  if (need_radial) grads.radial = torch::zeros({raw.num_edges, hidden}, options);
  if (need_weight) grads.weight = torch::zeros({hidden, plan.num_weights()}, options);
  T* d_edge_features_data = need_features ? d_edge_features.data_ptr<T>() : nullptr;
  T* d_harmonics_data = need_harmonics ? grads.harmonics.data_ptr<T>() : nullptr;
  torch::Tensor radial16;  // under bf16-mixed: h for the per-atom dX products
  if (mixed && need_dx) {
    radial16 = torch::empty({raw.num_edges, blas::even(hidden)}, options.dtype(torch::kBFloat16));
    bf16_rows_in_pairs(raw.radial, raw.num_edges, hidden, radial16);
  }

  for (const auto& group : plan.groups()) {
    const int64_t d = 2 * group.l_out + 1, columns = group.columns, mul = group.mul_out, block = hidden * columns;
    const int64_t width = d * columns;
    const auto paths = path_coefficients<T>(group);
    // dG of this group as [N * d, U] (component-major, like stage 3's output).
    std::vector<torch::Tensor> pieces;
    for (const auto& slice : group.slices) {
      pieces.push_back(grad_output.narrow(1, slice.out_offset, slice.mul * d).view({raw.num_nodes, slice.mul, d}));
    }
    const torch::Tensor dgt = torch::cat(pieces, 1).transpose(1, 2).contiguous();
    const torch::Tensor w = weight_by_column(in.weight, group, hidden);
    const torch::Tensor w_t_pairs = mixed ? bf16_transposed_weight(w) : torch::Tensor();  // dT's W^T
    const auto chunks = atom_chunks(raw.offsets, raw.num_nodes, d, hidden, columns, mul);
    // Each thread's part of dW, keyed by its first range and summed in range order below, so
    // that the result does not depend on which thread finishes first.
    std::mutex dw_mutex;
    std::vector<std::pair<int64_t, torch::Tensor>> dw_parts;
    struct Buffers {
      torch::Tensor x, dx, dw, dt;  // x: a chunk's X, dx: one atom's dX; dw: [(c, H), u], under bf16-mixed [u, (c, H)]
      torch::Tensor x16, dt_packed;  // under bf16-mixed: x in bfloat16, one atom's dT packed,
      torch::Tensor dg_rows;         // and a chunk's dG in pairs of rows or, for dT, of columns
      Stage2Buffers stage2;
      std::vector<T> cy, m;  // stage 1's per-path scratch
    };
    const auto setup = [&](int64_t first_range) {
      Buffers b;
      const auto bf16 = options.dtype(torch::kBFloat16);
      if (need_x) b.x = torch::empty({chunks.max_chunk_edges, width}, options);
      if (need_dx) b.dx = torch::empty({chunks.max_atom_edges, width}, options);
      if (mixed && need_radial) b.x16 = torch::empty({chunks.max_chunk_edges, blas::even(width)}, bf16);
      if (mixed && (need_radial || need_dx)) {
        b.dt_packed = torch::empty({blas::even(width) * blas::even(hidden)}, bf16);
      }
      if (mixed) b.dg_rows = torch::empty({blas::even(chunks.chunk * d) * blas::even(mul)}, bf16);
      if (need_weight) {
        b.stage2 = stage2_buffers(mixed, chunks.chunk * d, block, width, hidden, chunks.max_atom_edges, options);
        b.dw = mixed ? torch::zeros({mul, block}, options) : torch::zeros({block, mul}, options);
        std::lock_guard<std::mutex> lock(dw_mutex);
        dw_parts.emplace_back(first_range, b.dw);
      }
      if (need_radial || need_dx) b.dt = torch::empty({chunks.chunk * d, block}, mixed ? bf16 : options);
      return b;
    };
    for_each_chunk(chunks, setup, [&](Buffers& b, int64_t a0, int64_t a1) {
      const int64_t rows = (a1 - a0) * d, e_begin = raw.offsets[a0];
      T* x = need_x ? b.x.template data_ptr<T>() : nullptr;
      if (need_x) edge_messages(raw, group, paths, e_begin, raw.offsets[a1], x, b.cy);
      if (mixed && need_radial) bf16_rows_in_pairs(x, raw.offsets[a1] - e_begin, width, b.x16);
      const T* dg = dgt.data_ptr<T>() + a0 * d * mul;
      if (need_weight) {  // dW += T^T dG, or under bf16-mixed dW^T += dG^T T with T in pairs of rows
        const uint16_t* t16 =
            gather_chunk(raw, mixed, Bf16Layout::pairs_of_rows, d, columns, x, a0, a1, rows, b.stage2);
        if (t16) {
          weight_gradient_bf16(rows, mul, block, dg, t16, b.dg_rows, b.dw);
        } else {
          blas::gemm(true, false, block, mul, rows, T(1), b.stage2.t.template data_ptr<T>(), block, dg, mul, T(1),
                     b.dw.template data_ptr<T>(), mul);
        }
      }
      if (!need_radial && !need_dx) return;
      // dT = dG W^T (under bf16-mixed in bfloat16), then per atom: dh[e] += X[e] dT_A
      // ([(i, c)] . [(i, c), H]), dX[e] = h[e] dT_A^T, and dX through stage 1's backward while the
      // atom's dX is in cache.
      if (mixed) {
        dt_bf16(rows, mul, block, dg, w_t_pairs, b.dg_rows, b.dt);
      } else {
        blas::gemm(false, true, rows, block, mul, T(1), dg, mul, w.data_ptr<T>(), mul, T(0),
                   b.dt.template data_ptr<T>(), block);
      }
      for (int64_t a = a0; a < a1; ++a) {
        const int64_t e0 = raw.offsets[a], n = raw.offsets[a + 1] - e0;
        if (n == 0) continue;
        const int64_t dt_offset = (a - a0) * width * hidden;  // dT_A [(i, c), H] in the chunk's dT
        T* dx = need_dx ? b.dx.template data_ptr<T>() : nullptr;
        if (mixed) {
          atom_backward_bf16(n, width, hidden, bfloat16_bits(b.dt) + dt_offset,
                             need_radial ? bfloat16_bits(b.x16) + (e0 - e_begin) * blas::even(width) : nullptr,
                             need_dx ? bfloat16_bits(radial16) + e0 * blas::even(hidden) : nullptr,
                             need_radial ? grads.radial.data_ptr<T>() + e0 * hidden : nullptr, dx,
                             bfloat16_bits(b.dt_packed));
        } else {
          const T* dta = b.dt.template data_ptr<T>() + dt_offset;
          if (need_radial) {
            blas::gemm(false, false, n, hidden, width, T(1), x + (e0 - e_begin) * width, width, dta, hidden, T(1),
                       grads.radial.data_ptr<T>() + e0 * hidden, hidden);
          }
          if (need_dx) {
            blas::gemm(false, true, n, width, hidden, T(1), raw.radial + e0 * hidden, hidden, dta, hidden, T(0), dx,
                       width);
          }
        }
        if (need_dx) {
          edge_messages_backward(raw, group, paths, e0, e0 + n, dx, d_edge_features_data, d_harmonics_data, b.cy, b.m);
        }
      }
    });
    if (need_weight) {
      std::sort(dw_parts.begin(), dw_parts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      add_weight_parts<T>(group, hidden, dw_parts, mixed, grads.weight);
    }
  }
  if (need_features) {
    grads.features = from_component_major(
        plan.rs_in(), torch::zeros({raw.num_nodes, raw.dim_in}, options).index_add_(0, in.edge_src, d_edge_features));
  }
  return grads;
}

}  // namespace

torch::Tensor kernel_conv_forward_cpu(const KernelPlan& plan, const KernelConvInputs& inputs, GemmPrecision precision) {
  blas::allow_only_outer_parallelism();
  const bool mixed = precision == GemmPrecision::bf16_mixed;
  return inputs.features.scalar_type() == torch::kDouble ? forward_impl<double>(plan, inputs, false)
                                                         : forward_impl<float>(plan, inputs, mixed);
}

KernelConvGradients kernel_conv_backward_cpu(const KernelPlan& plan, const KernelConvInputs& inputs,
                                             const torch::Tensor& grad_output, const std::array<bool, 4>& needed,
                                             GemmPrecision precision) {
  blas::allow_only_outer_parallelism();
  const auto grad = grad_output.to(inputs.features.scalar_type()).contiguous();
  const bool mixed = precision == GemmPrecision::bf16_mixed;
  return inputs.features.scalar_type() == torch::kDouble ? backward_impl<double>(plan, inputs, grad, needed, false)
                                                         : backward_impl<float>(plan, inputs, grad, needed, mixed);
}

}  // namespace e3::nn::detail
