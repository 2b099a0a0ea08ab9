#pragma once
// From a training configuration to the model it describes.

#include <torch/optim/optimizer.h>
#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

#include "e3/data/batch.h"
#include "e3/data/dataset.h"
#include "e3/data/statistics.h"
#include "e3/data/targets.h"
#include "e3/models/molecule_net.h"
#include "e3/models/point_clouds.h"
#include "e3/nn/gemm_precision.h"
#include "e3/train/config.h"
#include "e3/train/loss.h"

namespace e3::train {

/// The targets of a validated configuration, in the order of the model's outputs.
std::vector<data::Target> config_targets(const TrainConfig& config);

/// The network of a validated configuration ("model": lnet or mlpnet), one output per target
/// of config_targets(), with the kernel normalization's neighbour count `avg_num_neighbors`
/// (> 0) and lf_max = -1 resolved to every admissible filter order (twice the highest order
/// of the representations).
models::MoleculeNetOptions model_options(const TrainConfig& config, double avg_num_neighbors);

/// The readout of `target` under the "readout" key (train/readout_choice.h).
nn::Readout target_readout(const TrainConfig& config, data::Target target);

/// Whether a head of this readout has per-atom statistics of (2.59) (sum, dipole,
/// spatial_extent) rather than per-molecule ones (mean): what its std, the loss' unit, is of.
bool per_atom_statistics(nn::Readout readout);

/// Sets each head's output layer (2.58)-(2.60) for its target (`targets`, in head order): the
/// atom references, and the statistics (2.59) of the molecules of `training` that have the
/// target (per_atom_statistics()); a physical readout's scale (and the spatial extent's mean
/// weight) from train/moment_statistics.h. Returns the statistics of (2.59), head by head;
/// ConfigError when a target takes one value on all of them (a spread of 0).
std::vector<data::TargetStatistics> fit_output_layers(models::MoleculeNetImpl& model, const data::Dataset& dataset,
                                                      const std::vector<size_t>& training,
                                                      const std::vector<data::Target>& targets);

/// The radius edges are built with for a configuration: its radial basis' cutoff.
double config_cutoff(const TrainConfig& config);

/// The precision of the GEMMs of the convolutions and radial MLPs (the "precision" key), as this CPU runs
/// it: bf16-mixed on a CPU without AVX512_BF16 or AMX runs float32 (precision_notice() says so).
nn::GemmPrecision config_precision(const TrainConfig& config);

/// One line for the user when the configured precision is not the one that runs (see
/// config_precision()); empty otherwise.
std::string precision_notice(const TrainConfig& config);

/// The optimizer of a configuration: Adam at "learning_rate", AdamW when "weight_decay" > 0.
std::unique_ptr<torch::optim::Optimizer> config_optimizer(const TrainConfig& config,
                                                          const std::vector<torch::Tensor>& parameters);

/// The loss of a configuration ("loss", "huber_delta").
LossOptions config_loss(const TrainConfig& config);

/// The model's floating dtype: float32 or float64 (the "dtype" key).
torch::Dtype config_dtype(const TrainConfig& config);

/// The molecules of a batch as the model's input (its edges are already sorted by dst).
models::PointClouds point_clouds(const data::Batch& batch);

}  // namespace e3::train
