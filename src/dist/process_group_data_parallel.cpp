#include "e3/dist/process_group_data_parallel.h"

#include <torch/torch.h>

#include <map>
#include <stdexcept>

namespace e3::dist {

ProcessGroupDataParallel::ProcessGroupDataParallel(std::shared_ptr<World> world, DataParallelOptions options)
    : world_(std::move(world)), options_(options) {}

void ProcessGroupDataParallel::attach(const std::vector<torch::Tensor>& parameters) {
  buckets_.emplace(parameters, static_cast<int64_t>(options_.bucket_megabytes() * 1024 * 1024));
}

void ProcessGroupDataParallel::broadcast(const std::vector<torch::Tensor>& tensors) {
  // One broadcast per dtype and device, of the tensors flattened into one buffer.
  std::map<std::pair<int, std::string>, std::vector<torch::Tensor>> groups;
  for (const auto& tensor : tensors) {
    groups[{int(tensor.scalar_type()), tensor.device().str()}].push_back(tensor);
  }
  torch::NoGradGuard no_grad;
  for (auto& [kind, members] : groups) {
    std::vector<torch::Tensor> flat;
    for (const auto& tensor : members) flat.push_back(tensor.reshape(-1));
    std::vector<torch::Tensor> buffer{torch::cat(flat)};
    world_->started();
    world_->wait(world_->process_group().broadcast(buffer), "the broadcast of rank 0's parameters");
    int64_t offset = 0;
    for (auto& tensor : members) {
      tensor.copy_(buffer[0].narrow(0, offset, tensor.numel()).view(tensor.sizes()));
      offset += tensor.numel();
    }
  }
}

void ProcessGroupDataParallel::sum_gradients() {
  if (!buckets_) throw std::logic_error("ProcessGroupDataParallel::sum_gradients() before attach()");
  // All buckets are started before waiting for the first: gloo's thread reduces them in order.
  std::vector<c10::intrusive_ptr<c10d::Work>> works;
  for (size_t b = 0; b < buckets_->size(); ++b) {
    std::vector<torch::Tensor> buffer{buckets_->prepare(b)};
    world_->started();
    works.push_back(world_->process_group().allreduce(buffer));
  }
  for (const auto& work : works) world_->wait(work, "the allreduce of the gradients");
}

void ProcessGroupDataParallel::sum(torch::Tensor& values) {
  if (values.scalar_type() != torch::kFloat64 || !values.is_contiguous()) {
    throw std::invalid_argument("ProcessGroupDataParallel::sum() takes a contiguous float64 tensor");
  }
  std::vector<torch::Tensor> buffer{values};
  world_->started();
  world_->wait(world_->process_group().allreduce(buffer), "a sum over the ranks");
}

bool ProcessGroupDataParallel::any(bool flag) {
  auto count = torch::full({1}, flag ? 1.0 : 0.0, torch::kFloat64);
  sum(count);
  return count.item<double>() > 0.0;
}

void ProcessGroupDataParallel::barrier() {
  world_->started();
  world_->wait(world_->process_group().barrier(), "the barrier");
}

std::unique_ptr<train::DataParallel> make_data_parallel(const std::optional<WorldOptions>& options,
                                                        DataParallelOptions data_parallel) {
  if (!options || options->world_size() == 1) return std::make_unique<train::SingleProcess>();
  return std::make_unique<ProcessGroupDataParallel>(World::connect(*options), data_parallel);
}

}  // namespace e3::dist
