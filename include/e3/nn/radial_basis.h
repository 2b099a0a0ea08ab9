#pragma once
// Radial bases phi: R+ -> R^{num_bases}, thesis (2.36)-(2.38) and Figure 2.10.
//
// Gaussian and cosine bases are centered at num_bases evenly spaced mu_B in
// [0, max_radius] with gamma = 1 / (mu_{B+1} - mu_B); the Bessel basis uses the cutoff
// c = max_radius. Every basis knows the radius beyond which it is zero (cutoff()), which
// is the radius edges are built with.
//
// An optional envelope multiplies every basis function by DimeNet's polynomial
// (Klicpera et al. 2020, eq. 8; NequIP and MACE use it with p = 6), x = d / cutoff():
//
//   u(x) = 1 - (p+1)(p+2)/2 x^p + p(p+2) x^(p+1) - p(p+1)/2 x^(p+2)   for x < 1, else 0,
//
// which is 1 at 0 and falls to 0 at the cutoff with vanishing first and second derivatives, so
// that an atom crossing the cutoff changes the network's output smoothly (the Bessel basis
// alone ends in a jump).

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <string>

namespace e3::nn {

enum class RadialBasisType {
  gaussian,  ///< (2.36) exp(-gamma |d - mu_B|^2), truncated at gaussian_cutoff
  cosine,    ///< (2.37) cos^2(pi/2 gamma (d - mu_B)) on |gamma (d - mu_B)| <= 1, else 0
  bessel,    ///< (2.38) sqrt(2/c) sin(B pi d / c) / d for d < c, else 0 (B = 1..num_bases)
};

/// Parses "gaussian", "cosine", "bessel".
RadialBasisType radial_basis_type_from_string(const std::string& name);
std::string to_string(RadialBasisType type);

enum class Envelope { none, polynomial };

/// Parses "none" or "polynomial".
Envelope envelope_from_string(const std::string& name);
std::string to_string(Envelope envelope);

/// DimeNet's polynomial envelope u(x) of exponent p (see above) at x = d / cutoff, for
/// x >= 0: 0 from x = 1 on. In the dtype of `x`.
torch::Tensor polynomial_envelope(const torch::Tensor& x, int64_t p);

struct RadialBasisOptions {
  RadialBasisOptions(RadialBasisType type = RadialBasisType::cosine, int64_t num_bases = 50, double max_radius = 10.0)
      : type_(type), num_bases_(num_bases), max_radius_(max_radius) {}
  TORCH_ARG(RadialBasisType, type);
  TORCH_ARG(int64_t, num_bases);
  /// The largest center (Gaussian, cosine) or the cutoff c (Bessel), in Angstrom.
  TORCH_ARG(double, max_radius);
  /// Where the Gaussian basis is cut to zero; 0 means: where the outermost Gaussian has
  /// fallen to 1e-4 of its peak, max_radius + sqrt(ln(1e4) / gamma).
  TORCH_ARG(double, gaussian_cutoff) = 0.0;
  /// Scale the basis so that the mean over B of phi_B(d)^2, averaged uniformly over
  /// d in [0, cutoff], is 1: the radial MLP then starts with unit-variance pre-activations.
  TORCH_ARG(bool, normalize) = true;
  /// A smooth envelope on every function (see above).
  TORCH_ARG(Envelope, envelope) = Envelope::none;
  /// The polynomial envelope's exponent p (>= 1).
  TORCH_ARG(int64_t, envelope_exponent) = 6;
};

class RadialBasisImpl : public torch::nn::Cloneable<RadialBasisImpl> {
 public:
  explicit RadialBasisImpl(RadialBasisOptions options = {});

  /// distances [...] -> [..., num_bases], in the distances' dtype.
  torch::Tensor forward(const torch::Tensor& distances);

  /// The radius beyond which every basis function is zero.
  double cutoff() const { return cutoff_; }
  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  RadialBasisOptions options;

 private:
  // The basis times the envelope; evaluate_basis() without it.
  torch::Tensor evaluate(const torch::Tensor& distances) const;
  torch::Tensor evaluate_basis(const torch::Tensor& distances) const;
  double gamma_ = 0.0;
  double cutoff_ = 0.0;
  double scale_ = 1.0;
  // float64 [num_bases]: centers (Gaussian, cosine) or frequencies B pi / c (Bessel); derived
  // from the options, so not part of the module's state.
  torch::Tensor centers_;
};
TORCH_MODULE(RadialBasis);

}  // namespace e3::nn
