#pragma once
// Predictions of an L·Net for molecules of a dataset.

#include <vector>

#include "e3/data/dataset.h"
#include "e3/models/lnet.h"

namespace e3::train {

/// The model's prediction (thesis units) for each molecule `indices` of `dataset`, in that
/// order, evaluated in batches of `batch_size` in that order, in evaluation mode without
/// gradients (the model's mode is restored). A molecule with an element the model does not
/// embed is a DataError naming its file and line.
std::vector<double> predict(models::LNet& model, const data::Dataset& dataset, const std::vector<size_t>& indices,
                            int64_t batch_size, torch::Dtype dtype);

}  // namespace e3::train
