#pragma once
// From a training configuration to the model it describes.

#include <torch/types.h>

#include "e3/data/batch.h"
#include "e3/models/lnet.h"
#include "e3/models/point_clouds.h"
#include "e3/train/config.h"

namespace e3::train {

/// The L·Net options of a validated configuration, with the kernel normalization's neighbour
/// count `avg_num_neighbors` (> 0) and lf_max = -1 resolved to every admissible filter order
/// (twice the highest order of the representation).
models::LNetOptions lnet_options(const TrainConfig& config, double avg_num_neighbors);

/// The radius edges are built with for a configuration: its radial basis' cutoff.
double config_cutoff(const TrainConfig& config);

/// The model's floating dtype: float32 or float64 (the "dtype" key).
torch::Dtype config_dtype(const TrainConfig& config);

/// The molecules of a batch as the model's input (its edges are already sorted by dst).
models::PointClouds point_clouds(const data::Batch& batch);

}  // namespace e3::train
