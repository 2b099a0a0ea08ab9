#pragma once
// Predictions of a molecule network for molecules of a dataset, and their errors.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "e3/data/dataset.h"
#include "e3/data/targets.h"
#include "e3/models/molecule_net.h"
#include "e3/train/metrics.h"

namespace e3::train {

/// The first atomic number of `molecule` that `model` does not embed (MoleculeNetImpl::embeds);
/// 0 when it embeds them all.
int64_t first_unknown_element(const models::MoleculeNet& model, const data::Molecule& molecule);

/// For a user: "element Cl, which the model does not know (its elements: H, C, N, O, F)".
std::string describe_unknown_element(const models::MoleculeNet& model, int64_t atomic_number);

/// A DataError naming the file and line of the first molecule of `indices` with an element
/// the model does not embed.
void require_known_elements(const models::MoleculeNet& model, const data::Dataset& dataset,
                            const std::vector<size_t>& indices);

/// Predictions with what a dipole readout shows beside its values.
struct Predictions {
  /// values[h][i]: output h (the h-th target) for the i-th molecule, in thesis units.
  std::vector<std::vector<double>> values;
  /// dipoles[h][i]: the dipole vector (x, y, z, Debye, in the input file's frame) whose norm is
  /// values[h][i], for a head with the dipole readout; empty for the other heads.
  std::vector<std::vector<std::array<double, 3>>> dipoles;
  /// spread[h][i]: the standard deviation of an ensemble's members (train/trained_run.h) about
  /// values[h][i], their mean; empty for one model.
  std::vector<std::vector<double>> spread;
};

/// The model's predictions (thesis units) for the molecules `indices` of `dataset`, in that
/// order. Evaluated in batches of `batch_size`, in evaluation mode without gradients (the
/// model's mode is restored). Unknown elements: require_known_elements().
Predictions predict_with_dipoles(models::MoleculeNet& model, const data::Dataset& dataset,
                                 const std::vector<size_t>& indices, int64_t batch_size, torch::Dtype dtype);

/// predict_with_dipoles()'s values: result[h][i] is output h for molecule indices[i].
std::vector<std::vector<double>> predict(models::MoleculeNet& model, const data::Dataset& dataset,
                                         const std::vector<size_t>& indices, int64_t batch_size, torch::Dtype dtype);

/// The error sums of `predictions` (as predict() gives them) for each of `targets`, over the
/// molecules of `indices` that have that target.
std::vector<ErrorSums> target_error_sums(const std::vector<std::vector<double>>& predictions,
                                         const data::Dataset& dataset, const std::vector<size_t>& indices,
                                         const std::vector<data::Target>& targets);

/// MAE and RMSE of each target from target_error_sums() (count 0, mae and rmse NaN, when no
/// molecule has the target).
std::vector<ErrorMetrics> target_errors(const std::vector<std::vector<double>>& predictions,
                                        const data::Dataset& dataset, const std::vector<size_t>& indices,
                                        const std::vector<data::Target>& targets);

}  // namespace e3::train
