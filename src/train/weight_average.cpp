#include "e3/train/weight_average.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>

namespace e3::train {

WeightAverage::WeightAverage(const std::vector<torch::Tensor>& parameters, double decay) : decay_(decay) {
  if (!(decay > 0.0 && decay < 1.0)) throw std::invalid_argument("weight average: the decay must be in (0, 1)");
  torch::NoGradGuard no_grad;
  for (const auto& p : parameters) values_.push_back(p.detach().clone());
}

double WeightAverage::next_decay() const {
  return std::min(decay_, double(1 + updates_) / double(10 + updates_));
}

void WeightAverage::update(const std::vector<torch::Tensor>& parameters) {
  if (parameters.size() != values_.size()) throw std::invalid_argument("weight average: a different parameter list");
  torch::NoGradGuard no_grad;
  const double d = next_decay();
  for (size_t i = 0; i < values_.size(); ++i) values_[i].mul_(d).add_(parameters[i].detach(), 1.0 - d);
  ++updates_;
}

void WeightAverage::swap(const std::vector<torch::Tensor>& parameters) {
  if (parameters.size() != values_.size()) throw std::invalid_argument("weight average: a different parameter list");
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < values_.size(); ++i) {
    const auto held = parameters[i].detach().clone();
    parameters[i].detach().copy_(values_[i]);
    values_[i].copy_(held);
  }
}

}  // namespace e3::train
