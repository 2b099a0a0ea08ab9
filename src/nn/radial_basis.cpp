#include "e3/nn/radial_basis.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

namespace e3::nn {

RadialBasisType radial_basis_type_from_string(const std::string& name) {
  if (name == "gaussian") return RadialBasisType::gaussian;
  if (name == "cosine") return RadialBasisType::cosine;
  if (name == "bessel") return RadialBasisType::bessel;
  throw std::invalid_argument("unknown radial basis '" + name + "' (valid: gaussian, cosine, bessel)");
}

std::string to_string(RadialBasisType type) {
  switch (type) {
    case RadialBasisType::gaussian: return "gaussian";
    case RadialBasisType::cosine: return "cosine";
    case RadialBasisType::bessel: return "bessel";
  }
  throw std::logic_error("unhandled radial basis");
}

Envelope envelope_from_string(const std::string& name) {
  if (name == "none") return Envelope::none;
  if (name == "polynomial") return Envelope::polynomial;
  throw std::invalid_argument("unknown envelope '" + name + "' (valid: none, polynomial)");
}

std::string to_string(Envelope envelope) { return envelope == Envelope::none ? "none" : "polynomial"; }

torch::Tensor polynomial_envelope(const torch::Tensor& x, int64_t p) {
  const auto n = static_cast<double>(p);
  const auto xp = x.pow(n);
  const auto u = 1.0 - (n + 1.0) * (n + 2.0) / 2.0 * xp + n * (n + 2.0) * xp * x - n * (n + 1.0) / 2.0 * xp * x * x;
  return u * (x < 1.0).to(x.scalar_type());
}

RadialBasisImpl::RadialBasisImpl(RadialBasisOptions options_) : options(std::move(options_)) { reset(); }

void RadialBasisImpl::reset() {
  const int64_t n = options.num_bases();
  const double max_radius = options.max_radius();
  if (n < 1) throw std::invalid_argument("radial basis: num_bases must be at least 1");
  if (!(max_radius > 0.0)) throw std::invalid_argument("radial basis: max_radius must be positive");
  if (options.envelope_exponent() < 1) throw std::invalid_argument("radial basis: envelope_exponent must be at least 1");
  switch (options.type()) {
    case RadialBasisType::gaussian:
    case RadialBasisType::cosine: {
      if (n < 2) throw std::invalid_argument("radial basis: a centered basis needs at least 2 functions");
      const double spacing = max_radius / static_cast<double>(n - 1);
      gamma_ = 1.0 / spacing;
      centers_ = torch::linspace(0.0, max_radius, n, torch::kDouble);
      if (options.type() == RadialBasisType::cosine) {
        cutoff_ = max_radius + spacing;
      } else {
        cutoff_ = options.gaussian_cutoff() > 0.0 ? options.gaussian_cutoff()
                                                   : max_radius + std::sqrt(std::log(1e4) / gamma_);
      }
      break;
    }
    case RadialBasisType::bessel:
      cutoff_ = max_radius;
      centers_ = torch::arange(1, n + 1, torch::kDouble) * (M_PI / max_radius);  // B pi / c
      break;
  }
  scale_ = 1.0;
  if (options.normalize()) {
    // Midpoint rule over [0, cutoff]: 20000 points resolve the narrowest basis function.
    const int64_t points = 20000;
    const auto d = (torch::arange(points, torch::kDouble) + 0.5) * (cutoff_ / points);
    const double mean_square = evaluate(d).pow(2).mean().item<double>();
    scale_ = 1.0 / std::sqrt(mean_square);
  }
}

torch::Tensor RadialBasisImpl::evaluate(const torch::Tensor& distances) const {
  const auto values = evaluate_basis(distances);
  if (options.envelope() == Envelope::none) return values;
  return values * polynomial_envelope(distances / cutoff_, options.envelope_exponent()).unsqueeze(-1);
}

torch::Tensor RadialBasisImpl::evaluate_basis(const torch::Tensor& distances) const {
  const auto d = distances.unsqueeze(-1);
  const auto centers = centers_.to(distances.options());
  switch (options.type()) {
    case RadialBasisType::gaussian: {
      const auto diff = d - centers;
      return torch::exp(-gamma_ * diff * diff) * (d < cutoff_).to(distances.scalar_type());
    }
    case RadialBasisType::cosine: {
      const auto x = gamma_ * (d - centers);
      const auto inside = (x.abs() <= 1.0).to(distances.scalar_type());
      return torch::cos(x * (M_PI / 2.0)).pow(2) * inside;
    }
    case RadialBasisType::bessel: {
      // sin(w d) / d tends to w at d = 0; clamping keeps both value and gradient finite.
      const auto safe = d.clamp_min(1e-9);
      const auto inside = (d < cutoff_).to(distances.scalar_type());
      return std::sqrt(2.0 / cutoff_) * torch::sin(centers * safe) / safe * inside;
    }
  }
  throw std::logic_error("unhandled radial basis");
}

torch::Tensor RadialBasisImpl::forward(const torch::Tensor& distances) {
  const auto values = evaluate(distances);
  return scale_ == 1.0 ? values : values * scale_;
}

void RadialBasisImpl::pretty_print(std::ostream& stream) const {
  stream << "e3::nn::RadialBasis(" << to_string(options.type()) << ", num_bases=" << options.num_bases()
         << ", max_radius=" << options.max_radius() << ", cutoff=" << cutoff_;
  if (options.envelope() != Envelope::none) stream << ", envelope=polynomial(" << options.envelope_exponent() << ")";
  stream << ")";
}

}  // namespace e3::nn
