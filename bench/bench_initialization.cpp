// bench_initialization: the scale of every layer's output at initialization on real molecules,
// with the thesis' normalization of (B.7) alone and with the data-dependent calibration
// (MoleculeNetImpl::calibrate, the "calibrate" key). (B.7) assumes the messages of an atom's
// neighbours independent; in molecules they are not, and this shows by how much the signal
// grows from layer to layer without the calibration.
//
//   ./build/bench/bench_initialization                    # configs/l1net.json, 128 sample molecules
//   ./build/bench/bench_initialization --config configs/l0net.json --molecules 256

#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "args.h"
#include "e3/data/batch.h"
#include "e3/data/dataset.h"
#include "e3/data/sampler.h"
#include "e3/data/statistics.h"
#include "e3/train/config.h"
#include "e3/train/model_builder.h"

namespace {

struct Options {
  std::string config = std::string(E3_SOURCE_DIR) + "/configs/l1net.json";
  std::string data = std::string(E3_SOURCE_DIR) + "/data/qm9-sample/qm9-sample.extxyz.gz";
  int64_t molecules = 128;
};

Options parse(int argc, char** argv) {
  Options options;
  e3::cli::ArgParser parser("bench_initialization",
                           "Each layer's output scale at initialization, with (B.7) alone and with the calibration.");
  parser.option("config", "FILE", "the network", options.config)
      .option("data", "FILE", "molecules", options.data)
      .option("molecules", "N", "molecules measured", std::to_string(options.molecules));
  e3::cli::parse_program_arguments(parser, argc, argv, [&](const e3::cli::ParsedArgs& args) {
    options.config = args.value("config");
    options.data = args.value("data");
    options.molecules = args.integer("molecules");
  });
  return options;
}

// The root mean square of each KernelConv's output (featurization layers, then the head's last
// convolution), on `batch`, with the model's current weights.
std::vector<double> layer_rms(e3::models::MoleculeNet& model, const e3::data::Batch& batch) {
  torch::NoGradGuard no_grad;
  const auto clouds = e3::train::point_clouds(batch);
  const auto edges = e3::nn::embed_edges(clouds.graph, clouds.positions, model->basis, model->options.kernel().lf_max());
  // The embedding's input: the type of each atom, in the order of the model's elements.
  std::vector<int64_t> types;
  const auto& elements = model->options.elements();
  for (int64_t i = 0; i < batch.num_atoms(); ++i) {
    const int64_t z = batch.atomic_numbers[i].item<int64_t>();
    types.push_back(std::find(elements.begin(), elements.end(), z) - elements.begin());
  }
  auto x = model->embedding->forward(torch::tensor(types, torch::kLong));
  std::vector<double> rms;
  for (auto& layer : model->featurization->layers) {
    rms.push_back(std::sqrt(layer->conv->forward(x, edges).pow(2).mean().item<double>()));
    x = layer->forward(x, edges);
  }
  rms.push_back(std::sqrt(model->head(0)->output->forward(x, edges).pow(2).mean().item<double>()));
  return rms;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse(argc, argv);
  torch::set_num_threads(2);
  const auto dataset = e3::data::Dataset::read(options.data);
  auto config = e3::train::TrainConfig::from_file(options.config);
  config.set("targets", "mu", "bench");
  config.set("data", options.data, "bench");
  config.validate();
  const auto indices =
      e3::data::BatchSampler(dataset.all_indices(), static_cast<size_t>(options.molecules), true, 0).epoch(0).front();
  const double cutoff = e3::train::config_cutoff(config);
  const double neighbours = e3::data::mean_neighbor_count(dataset, indices, cutoff);
  const auto batch = e3::data::collate(dataset, indices, cutoff, torch::kFloat);

  torch::manual_seed(0);
  e3::models::MoleculeNet model(e3::train::model_options(config, neighbours));
  model->to(torch::kFloat);
  const auto uncalibrated = layer_rms(model, batch);
  model->calibrate(e3::train::point_clouds(batch), batch.atomic_numbers);
  const auto calibrated = layer_rms(model, batch);

  std::printf("%s on %lld molecules of %s (%.2f neighbours per atom within %.2f A)\n", options.config.c_str(),
              (long long)batch.num_molecules(), options.data.c_str(), neighbours, cutoff);
  std::printf("RMS of each KernelConv's output at initialization (1 is what (B.7) aims at):\n\n");
  std::printf("%-8s %14s %12s %14s\n", "layer", "(B.7) alone", "growth", "calibrated");
  for (size_t i = 0; i < uncalibrated.size(); ++i) {
    const double growth = i == 0 ? uncalibrated[0] : uncalibrated[i] / uncalibrated[i - 1];
    std::printf("%-8zu %14.3f %11.2fx %14.3f\n", i + 1, uncalibrated[i], growth, calibrated[i]);
  }
  std::printf("\n(growth: the RMS over the previous layer's; for layer 1, over the embedding's unit scale)\n");
  return 0;
}
