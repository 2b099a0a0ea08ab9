#include "e3/o3/rotation.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

namespace e3::o3 {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Stacks nine [...] tensors into [..., 3, 3], row major.
torch::Tensor matrix3(const std::vector<torch::Tensor>& entries) {
  auto flat = torch::stack(entries, -1);
  auto shape = flat.sizes().vec();
  shape.back() = 3;
  shape.push_back(3);
  return flat.reshape(shape);
}

torch::Tensor rotation_z(const torch::Tensor& angle) {
  auto c = angle.cos(), s = angle.sin(), o = torch::zeros_like(angle), i = torch::ones_like(angle);
  return matrix3({c, -s, o, s, c, o, o, o, i});
}

torch::Tensor rotation_y(const torch::Tensor& angle) {
  auto c = angle.cos(), s = angle.sin(), o = torch::zeros_like(angle), i = torch::ones_like(angle);
  return matrix3({c, o, s, o, i, o, -s, o, c});
}

}  // namespace

torch::Tensor rotation_matrix(const EulerAngles& angles) {
  return torch::matmul(torch::matmul(rotation_z(angles.alpha), rotation_y(angles.beta)), rotation_z(angles.gamma));
}

EulerAngles rotation_to_angles(const torch::Tensor& rotations) {
  if (rotations.dim() < 2 || rotations.size(-1) != 3 || rotations.size(-2) != 3) {
    throw std::invalid_argument("rotation_to_angles: expected matrices of shape [..., 3, 3]");
  }
  auto r = [&](int i, int j) { return rotations.select(-2, i).select(-1, j); };
  // R = R_z(a) R_y(b) R_z(c) has R[2][2] = cos b, (R[0][2], R[1][2]) = sin b (cos a, sin a)
  // and (R[2][0], R[2][1]) = sin b (-cos c, sin c).
  auto sin_beta = torch::sqrt(r(0, 2) * r(0, 2) + r(1, 2) * r(1, 2));
  auto beta = torch::atan2(sin_beta, r(2, 2));
  auto alpha = torch::atan2(r(1, 2), r(0, 2));
  auto gamma = torch::atan2(r(2, 1), -r(2, 0));
  // At the poles R = R_z(a +- c) R_y(b): take c = 0 and read a from the first column.
  const double pole = rotations.scalar_type() == torch::kDouble ? 1e-12 : 1e-6;
  auto at_pole = sin_beta < pole;
  auto north = r(2, 2) > 0;
  auto alpha_pole = torch::where(north, torch::atan2(r(1, 0), r(0, 0)), torch::atan2(-r(1, 0), -r(0, 0)));
  alpha = torch::where(at_pole, alpha_pole, alpha);
  gamma = torch::where(at_pole, torch::zeros_like(gamma), gamma);
  return {alpha, beta, gamma};
}

EulerAngles random_angles(int64_t n, torch::Dtype dtype, c10::optional<torch::Generator> generator) {
  auto options = torch::TensorOptions().dtype(dtype);
  // Haar measure: alpha, gamma uniform on [0, 2 pi), cos(beta) uniform on [-1, 1].
  auto alpha = torch::rand({n}, generator, options) * (2.0 * kPi);
  auto gamma = torch::rand({n}, generator, options) * (2.0 * kPi);
  auto beta = torch::acos(torch::rand({n}, generator, options) * 2.0 - 1.0);
  return {alpha, beta, gamma};
}

torch::Tensor random_rotation(int64_t n, torch::Dtype dtype, c10::optional<torch::Generator> generator) {
  return rotation_matrix(random_angles(n, dtype, generator));
}

}  // namespace e3::o3
