#include "e3/train/loss.h"

#include <torch/torch.h>

#include <stdexcept>

namespace e3::train {

LossKind loss_kind_from_string(const std::string& name) {
  if (name == "mse") return LossKind::mse;
  if (name == "l1") return LossKind::l1;
  if (name == "huber") return LossKind::huber;
  throw std::invalid_argument("unknown loss '" + name + "' (valid: mse, l1, huber)");
}

torch::Tensor normalized_loss(const torch::Tensor& predictions, const torch::Tensor& targets, const torch::Tensor& mask,
                              const torch::Tensor& sigma, const LossOptions& options, const torch::Tensor& counts) {
  if (predictions.dim() != 2 || targets.sizes() != predictions.sizes() || mask.sizes() != predictions.sizes() ||
      sigma.dim() != 1 || sigma.size(0) != predictions.size(1)) {
    throw std::invalid_argument("normalized_loss: predictions, targets and mask must be [M, T] and sigma [T]");
  }
  const auto present = mask.to(predictions.scalar_type());
  // Masked entries are zeroed before any nonlinearity: a missing target may hold anything.
  const auto error = torch::where(mask, (predictions - targets) / sigma, torch::zeros_like(predictions));
  torch::Tensor per_molecule;
  switch (options.kind()) {
    case LossKind::mse: per_molecule = error.pow(2); break;
    case LossKind::l1: per_molecule = error.abs(); break;
    case LossKind::huber:
      per_molecule = torch::huber_loss(error, torch::zeros_like(error), at::Reduction::None, options.huber_delta());
      break;
  }
  const auto denominators = counts.defined() ? counts : present.sum(0);
  return ((per_molecule * present).sum(0) / denominators.clamp_min(1.0)).sum();
}

}  // namespace e3::train
