#pragma once
// Training configurations small enough for tests: tiny networks on a slice of the embedded
// sample, seconds per run.

#include <string>

#include "e3/train/config.h"

namespace e3::testing {

/// tests/train/files/small-MODEL.json (MODEL: lnet or mlpnet), the configuration of the
/// functions below without targets and data.
std::string small_config_file(const std::string& model);

/// A tiny L1-type network on `targets`, 160/48/48 molecules of the sample, a few epochs.
train::TrainConfig small_config(const std::string& targets = "mu");

/// The same data and training with a tiny multi-target network (model mlpnet).
train::TrainConfig small_mlpnet_config(const std::string& targets = "all");

/// The molecules of the sample with index < `count` as extended XYZ (17 digits, exact), each
/// with its QM9 index and every target in QM9's units except `drop` for the molecules where
/// `dropped(index)` is true.
std::string sample_extxyz(size_t count, const std::string& drop = "", bool (*dropped)(size_t) = nullptr);

}  // namespace e3::testing
