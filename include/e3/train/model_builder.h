#pragma once
// From a training configuration to the model it describes.

#include <torch/types.h>

#include <vector>

#include "e3/data/batch.h"
#include "e3/data/targets.h"
#include "e3/models/molecule_net.h"
#include "e3/models/point_clouds.h"
#include "e3/train/config.h"

namespace e3::train {

/// The targets of a validated configuration, in the order of the model's outputs.
std::vector<data::Target> config_targets(const TrainConfig& config);

/// The network of a validated configuration ("model": lnet or mlpnet), one output per target
/// of config_targets(), with the kernel normalization's neighbour count `avg_num_neighbors`
/// (> 0) and lf_max = -1 resolved to every admissible filter order (twice the highest order
/// of the representations).
models::MoleculeNetOptions model_options(const TrainConfig& config, double avg_num_neighbors);

/// The readout of `target` under the "readout" key: sum or mean for every target, or auto:
/// the mean for the orbital energies (homo, lumo, gap, which do not grow with the molecule),
/// the sum (2.60) for the others.
nn::Readout target_readout(const TrainConfig& config, data::Target target);

/// The radius edges are built with for a configuration: its radial basis' cutoff.
double config_cutoff(const TrainConfig& config);

/// The model's floating dtype: float32 or float64 (the "dtype" key).
torch::Dtype config_dtype(const TrainConfig& config);

/// The molecules of a batch as the model's input (its edges are already sorted by dst).
models::PointClouds point_clouds(const data::Batch& batch);

}  // namespace e3::train
