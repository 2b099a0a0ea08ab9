#pragma once
// The training loss of Section 3.2: per target, the errors in units of the target's spread,
// so that every target weighs the same whatever its unit and scale.
//
// With the prediction (3.1) t^ = s + sigma R (s = p_m + A_m t~, the molecule's offset), the
// molecule-wise loss (3.2) compares (t - s) / sigma with (t^ - s) / sigma. The thesis
// simplifies it to (t - t^ - 2 s)^2 / sigma^2, which is a slip: the offsets cancel, and
// ((t - s) / sigma - (t^ - s) / sigma)^2 = (t - t^)^2 / sigma^2. The loss here is that, of the
// normalized error r = (t^ - t) / sigma: r^2 for "mse" (the thesis'), |r| for "l1", and the
// Huber function of r for "huber" (quadratic within delta, linear beyond). sigma is the
// standard deviation of (2.59) of the target's output layer (per atom for the sum readout).
// (3.3) averages over the molecules of a batch; here each target is averaged over the
// molecules that have it (a molecule without a target is masked out of that target's
// term, never trained toward 0), and the targets' terms are summed.

#include <torch/types.h>

#include <string>

namespace e3::train {

enum class LossKind { mse, l1, huber };

/// Parses "mse", "l1" or "huber".
LossKind loss_kind_from_string(const std::string& name);

struct LossOptions {
  TORCH_ARG(LossKind, kind) = LossKind::mse;
  TORCH_ARG(double, huber_delta) = 1.0;  ///< in units of sigma
};

/// The loss of a batch: `predictions` and `targets` [M, T] (float64), `mask` [M, T] (bool:
/// molecule m has target t), `sigma` [T] (float64, > 0). A scalar; a target that no molecule
/// of the batch has contributes 0. `counts` [T] (float64), when given, replaces the number of
/// molecules with each target that the target's term is divided by: a data-parallel rank
/// computing its shard's part of a larger batch's loss passes that batch's counts, so that the
/// ranks' parts add up to the batch's loss.
torch::Tensor normalized_loss(const torch::Tensor& predictions, const torch::Tensor& targets, const torch::Tensor& mask,
                              const torch::Tensor& sigma, const LossOptions& options,
                              const torch::Tensor& counts = {});

}  // namespace e3::train
