#include "e3/o3/rep.h"

#include <torch/torch.h>

#include <stdexcept>

#include "e3/o3/wigner_d.h"

namespace e3::o3 {

torch::Tensor rep(const Rs& rs, const EulerAngles& angles, bool inversion) {
  auto shape = angles.alpha.sizes().vec();
  shape.push_back(rs.dim());
  shape.push_back(rs.dim());
  auto result = torch::zeros(shape, angles.alpha.options());
  int64_t offset = 0;
  for (const Irrep& irrep : rs) {
    if (inversion && irrep.parity == 0) {
      throw std::invalid_argument("rep: inversion needs a parity on every entry of Rs " + rs.str());
    }
    auto block = wigner_d(irrep.l, angles);
    if (inversion) block = block * static_cast<double>(irrep.parity);
    for (int64_t u = 0; u < irrep.mul; ++u, offset += irrep.ir_dim()) {
      result.narrow(-2, offset, irrep.ir_dim()).narrow(-1, offset, irrep.ir_dim()).copy_(block);
    }
  }
  return result;
}

}  // namespace e3::o3
