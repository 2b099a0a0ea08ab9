#include "toy_problem.h"

namespace e3::testing::toy {
namespace {

constexpr int64_t kMolecules = 40;

struct Data {
  torch::Tensor inputs, targets;
};

Data make_data() {
  auto generator = at::detail::createCPUGenerator(7);
  Data data;
  data.inputs = at::randn({kMolecules, 3}, generator, torch::kFloat64);
  data.targets = torch::sin(data.inputs.select(1, 0)) + data.inputs.select(1, 1) * data.inputs.select(1, 2);
  return data;
}

}  // namespace

torch::nn::Sequential make_model(uint64_t seed) {
  torch::manual_seed(seed);
  torch::nn::Sequential model(torch::nn::Linear(3, 16), torch::nn::Tanh(), torch::nn::Linear(16, 16), torch::nn::Tanh(),
                              torch::nn::Linear(16, 1));
  model->to(torch::kFloat64);
  return model;
}

std::vector<std::vector<int64_t>> batches() {
  std::vector<std::vector<int64_t>> result;
  int64_t next = 0;
  for (int64_t size : {1, 7, 6, 5, 8, 3}) {
    std::vector<int64_t> batch;
    for (int64_t i = 0; i < size; ++i) batch.push_back(next++);
    result.push_back(batch);
  }
  return result;
}

std::vector<torch::Tensor> train(uint64_t seed, train::DataParallel& data_parallel,
                                 const std::function<void(size_t)>& before_step) {
  const Data data = make_data();
  auto model = make_model(seed);
  torch::optim::Adam adam(model->parameters(), torch::optim::AdamOptions(1e-2));
  data_parallel.attach(model->parameters());
  data_parallel.broadcast(model->parameters());
  const auto all = batches();
  for (size_t step = 0; step < all.size(); ++step) {
    if (before_step) before_step(step);
    const auto& batch = all[step];
    const auto shard = train::shard_of(batch, data_parallel.rank(), data_parallel.world_size());
    adam.zero_grad();
    if (!shard.empty()) {
      const auto index = torch::tensor(shard, torch::kLong);
      const auto prediction = model->forward(data.inputs.index_select(0, index)).squeeze(1);
      const auto loss = (prediction - data.targets.index_select(0, index)).pow(2).mean() *
                        train::shard_loss_weight(shard.size(), batch.size());
      loss.backward();
    }
    data_parallel.sum_gradients();
    adam.step();
  }
  std::vector<torch::Tensor> parameters;
  for (const auto& parameter : model->parameters()) parameters.push_back(parameter.detach().clone());
  return parameters;
}

}  // namespace e3::testing::toy
