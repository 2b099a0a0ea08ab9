#include "e3/o3/spherical_harmonics.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace e3::o3 {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Normalization of the real harmonic of order (l, m >= 0) on the unit sphere, from (2.24)
// and (2.27): K_lm = sqrt((2l+1)/(4 pi) (l-m)!/(l+m)!), times sqrt(2) for m > 0.
double log_k(int l, int m) {
  double log_value = 0.5 * (std::log((2.0 * l + 1.0) / (4.0 * kPi)) + std::lgamma(l - m + 1.0) -
                            std::lgamma(l + m + 1.0));
  if (m > 0) log_value += 0.5 * std::log(2.0);
  return log_value;
}

// The harmonics as polynomials. With
//   Q_l^m(z) = P_l^m(z) / (1 - z^2)^(m/2)            (a polynomial of degree l - m in z),
//   C_m + i S_m = (x + i y)^m = sin(phi)^m (cos(m theta) + i sin(m theta)),
// the real harmonics are Y_{l,m} = K_lm Q_l^m C_m, Y_{l,-m} = K_lm Q_l^m S_m. The Legendre
// recurrence (l-m) Q_l^m = (2l-1) z Q_{l-1}^m - (l+m-1) r^2 Q_{l-2}^m is carried out on
// q_lm = K_lm Q_l^m so that every term stays of order one, which keeps float32 accurate at
// high l. With r^2 = x^2+y^2+z^2 (1 on the sphere) it yields homogeneous polynomials: the
// solid harmonics |x|^l Y(x/|x|) when normalize is false.
class Evaluator {
 public:
  Evaluator(const torch::Tensor& vectors, int lmax, bool normalize) : lmax_(lmax) {
    if (vectors.dim() < 1 || vectors.size(-1) != 3) {
      throw std::invalid_argument("spherical_harmonics: vectors must have shape [..., 3], got " +
                                  std::to_string(vectors.dim()) + " dimensions with last size " +
                                  (vectors.dim() ? std::to_string(vectors.size(-1)) : std::string("-")));
    }
    if (!vectors.is_floating_point()) {
      throw std::invalid_argument("spherical_harmonics: vectors must be float32 or float64");
    }
    torch::Tensor v = vectors;
    if (normalize) {
      // A tiny floor keeps a zero vector finite: it maps to 0, so Y^{l>0} = 0 there.
      const double floor = vectors.scalar_type() == torch::kDouble ? 1e-300 : 1e-30;
      v = vectors / vectors.norm(2, -1, true).clamp_min(floor);
    }
    auto xyz = v.unbind(-1);
    x_ = xyz[0];
    y_ = xyz[1];
    z_ = xyz[2];
    // r^2 is kept even for normalized vectors (where it is 1): the homogeneous form makes
    // every l > 0 harmonic of a zero vector vanish.
    r2_ = x_ * x_ + y_ * y_ + z_ * z_;
    compute_azimuthal();
    compute_legendre();
  }

  // Y^l as [..., 2l+1], m = -l..l.
  torch::Tensor order(int l) const {
    std::vector<torch::Tensor> components;
    components.reserve(2 * l + 1);
    for (int m = l; m >= 1; --m) components.push_back(q_[l][m] * sin_[m]);
    components.push_back(q_[l][0]);
    for (int m = 1; m <= l; ++m) components.push_back(q_[l][m] * cos_[m]);
    return torch::stack(components, -1);
  }

 private:
  void compute_azimuthal() {
    cos_.resize(lmax_ + 1);
    sin_.resize(lmax_ + 1);
    if (lmax_ >= 1) {
      cos_[1] = x_;
      sin_[1] = y_;
    }
    for (int m = 2; m <= lmax_; ++m) {
      cos_[m] = x_ * cos_[m - 1] - y_ * sin_[m - 1];
      sin_[m] = x_ * sin_[m - 1] + y_ * cos_[m - 1];
    }
  }

  void compute_legendre() {
    q_.assign(lmax_ + 1, std::vector<torch::Tensor>(lmax_ + 1));
    for (int m = 0; m <= lmax_; ++m) {
      // q_mm = K_mm (2m-1)!!, a constant; log((2m-1)!!) = log((2m)!) - m log 2 - log(m!).
      const double log_double_factorial = std::lgamma(2.0 * m + 1.0) - m * std::log(2.0) - std::lgamma(m + 1.0);
      q_[m][m] = torch::full_like(z_, std::exp(log_k(m, m) + log_double_factorial));
      if (m + 1 <= lmax_) {
        const double a = (2.0 * m + 1.0) * std::exp(log_k(m + 1, m) - log_k(m, m));
        q_[m + 1][m] = a * z_ * q_[m][m];
      }
      for (int l = m + 2; l <= lmax_; ++l) {
        const double a = (2.0 * l - 1.0) / (l - m) * std::exp(log_k(l, m) - log_k(l - 1, m));
        const double b = (l + m - 1.0) / (l - m) * std::exp(log_k(l, m) - log_k(l - 2, m));
        q_[l][m] = a * z_ * q_[l - 1][m] - b * r2_ * q_[l - 2][m];
      }
    }
  }

  int lmax_;
  torch::Tensor x_, y_, z_, r2_;
  std::vector<torch::Tensor> cos_, sin_;       // C_m, S_m for m >= 1
  std::vector<std::vector<torch::Tensor>> q_;  // q_[l][m], m <= l
};

double normalization_factor(ShNormalization normalization) {
  return normalization == ShNormalization::component ? std::sqrt(4.0 * kPi) : 1.0;
}

}  // namespace

torch::Tensor spherical_harmonics(const std::vector<int>& ls, const torch::Tensor& vectors,
                                  const SphericalHarmonicsOptions& options) {
  if (ls.empty()) throw std::invalid_argument("spherical_harmonics: the list of orders is empty");
  for (int l : ls) {
    if (l < 0) throw std::invalid_argument("spherical_harmonics: order l must not be negative");
  }
  const int lmax = *std::max_element(ls.begin(), ls.end());
  const Evaluator evaluator(vectors, lmax, options.normalize());
  std::vector<torch::Tensor> orders;
  orders.reserve(ls.size());
  for (int l : ls) orders.push_back(evaluator.order(l));
  torch::Tensor result = orders.size() == 1 ? orders[0] : torch::cat(orders, -1);
  const double factor = normalization_factor(options.normalization());
  return factor == 1.0 ? result : result * factor;
}

torch::Tensor spherical_harmonics(int l, const torch::Tensor& vectors, const SphericalHarmonicsOptions& options) {
  return spherical_harmonics(std::vector<int>{l}, vectors, options);
}

}  // namespace e3::o3
