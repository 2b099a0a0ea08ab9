#include "blas.h"

#include <omp.h>

namespace e3::nn::blas {

void allow_only_outer_parallelism() {
  // LibTorch's own parallel_for never nests (it runs inline inside a region), so this
  // changes nothing for it.
  if (omp_get_max_active_levels() != 1) omp_set_max_active_levels(1);
}

}  // namespace e3::nn::blas
