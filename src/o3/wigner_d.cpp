#include "e3/o3/wigner_d.h"

#include <torch/torch.h>

#include <map>
#include <mutex>
#include <stdexcept>

#include "e3/o3/quadrature.h"
#include "e3/o3/spherical_harmonics.h"

namespace e3::o3 {
namespace {

// J_l = D^l(Q), Q the rotation with Q e_x = e_z, Q e_y = e_x, Q e_z = e_y, from (2.29):
// D_ij = integral of Y_i(Q x) Y_j(x) over the sphere (orthonormal harmonics). The
// integrand is a polynomial of degree 2l, which the quadrature integrates exactly.
// Then R_y(b) = Q R_z(b) Q^T, hence D(R_y(b)) = J D_z(b) J^T.
torch::Tensor compute_j(int l) {
  const auto quadrature = sphere_quadrature(2 * l);
  const auto q = torch::tensor({0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0}, torch::kDouble).reshape({3, 3});
  const auto y = spherical_harmonics(l, quadrature.points);
  const auto y_rotated = spherical_harmonics(l, torch::matmul(quadrature.points, q.t()));
  return torch::matmul(y_rotated.t() * quadrature.weights, y);
}

torch::Tensor cached_j(int l) {
  static std::mutex mutex;
  static std::map<int, torch::Tensor> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto found = cache.find(l);
  if (found == cache.end()) found = cache.emplace(l, compute_j(l)).first;
  return found->second;
}

}  // namespace

torch::Tensor wigner_d_z(int l, const torch::Tensor& angle) {
  if (l < 0) throw std::invalid_argument("wigner_d: order l must not be negative");
  // Y_m (m > 0) goes like cos(m theta) and Y_-m like sin(m theta); rotating by t about z
  // shifts theta by t: Y_m -> cos(mt) Y_m - sin(mt) Y_-m, Y_-m -> cos(mt) Y_-m + sin(mt) Y_m.
  // So D_z = diag(cos(m t)) + antidiag(-sin(m t)) with m = -l..l.
  const auto m = torch::arange(-l, l + 1, angle.options());
  const auto mt = angle.unsqueeze(-1) * m;
  return torch::diag_embed(torch::cos(mt)) + torch::diag_embed(-torch::sin(mt)).flip(-1);
}

torch::Tensor wigner_d(int l, const EulerAngles& angles) {
  const auto j = cached_j(l).to(angles.beta.scalar_type());
  return torch::matmul(torch::matmul(torch::matmul(torch::matmul(wigner_d_z(l, angles.alpha), j),
                                                   wigner_d_z(l, angles.beta)),
                                     j.t()),
                       wigner_d_z(l, angles.gamma));
}

}  // namespace e3::o3
