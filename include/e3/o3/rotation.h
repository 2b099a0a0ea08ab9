#pragma once
// Rotations of R^3: z-y-z Euler angles, rotation matrices and uniformly random rotations.
//
// R(alpha, beta, gamma) = R_z(alpha) R_y(beta) R_z(gamma), each factor a right-handed
// (counter-clockwise) rotation about the named axis; angles are tensors of one shape [...]
// and results carry that shape as leading dimensions.

#include <torch/types.h>


namespace e3::o3 {

/// z-y-z Euler angles; all three tensors have the same shape.
struct EulerAngles {
  torch::Tensor alpha;
  torch::Tensor beta;
  torch::Tensor gamma;
};

/// R_z(alpha) R_y(beta) R_z(gamma): [..., 3, 3].
torch::Tensor rotation_matrix(const EulerAngles& angles);

/// Euler angles of rotation matrices [..., 3, 3] with beta in [0, pi]. At the poles
/// (beta = 0 or pi, where only alpha +- gamma is defined) gamma is set to 0.
EulerAngles rotation_to_angles(const torch::Tensor& rotations);

/// `n` rotations drawn uniformly (from the Haar measure on SO(3)), as Euler angles.
EulerAngles random_angles(int64_t n, torch::Dtype dtype = torch::kDouble,
                          c10::optional<torch::Generator> generator = c10::nullopt);

/// `n` uniformly random rotation matrices [n, 3, 3].
torch::Tensor random_rotation(int64_t n, torch::Dtype dtype = torch::kDouble,
                              c10::optional<torch::Generator> generator = c10::nullopt);

}  // namespace e3::o3
