#include "e3/dist/process_group_data_parallel.h"

#include <torch/torch.h>

#include <map>
#include <stdexcept>

namespace e3::dist {

namespace {

// Tells the DataParallel that a parameter's gradient has been accumulated.
class GradientReady final : public torch::autograd::FunctionPostHook {
 public:
  GradientReady(ProcessGroupDataParallel* owner, size_t parameter) : owner_(owner), parameter_(parameter) {}
  torch::autograd::variable_list operator()(const torch::autograd::variable_list& outputs,
                                            const torch::autograd::variable_list&) override {
    owner_->gradient_ready(parameter_);
    return outputs;
  }

 private:
  ProcessGroupDataParallel* owner_;
  size_t parameter_;
};

}  // namespace

ProcessGroupDataParallel::ProcessGroupDataParallel(std::shared_ptr<World> world, DataParallelOptions options)
    : world_(std::move(world)), options_(options) {}

ProcessGroupDataParallel::~ProcessGroupDataParallel() { remove_hooks(); }

void ProcessGroupDataParallel::remove_hooks() {
  for (auto& [accumulator, key] : hooks_) accumulator->del_post_hook(key);
  hooks_.clear();
}

void ProcessGroupDataParallel::attach(const std::vector<torch::Tensor>& parameters) {
  remove_hooks();
  // In reverse: the order in which backward produces the gradients, so that the first bucket
  // is complete first.
  buckets_.emplace(std::vector<torch::Tensor>(parameters.rbegin(), parameters.rend()),
                   static_cast<int64_t>(options_.bucket_megabytes() * 1024 * 1024));
  bucket_of_.assign(parameters.size(), 0);
  for (size_t b = 0; b < buckets_->size(); ++b) {
    for (size_t member : buckets_->members(b)) bucket_of_[member] = b;
  }
  pending_.clear();
  for (size_t b = 0; b < buckets_->size(); ++b) pending_.push_back(buckets_->members(b).size());
  ready_.assign(parameters.size(), false);
  if (!options_.overlap()) return;
  for (size_t i = 0; i < buckets_->parameters().size(); ++i) {
    auto accumulator = torch::autograd::impl::grad_accumulator(buckets_->parameters()[i]);
    const auto key = accumulator->add_post_hook(std::make_unique<GradientReady>(this, i));
    hooks_.emplace_back(std::move(accumulator), key);
  }
}

void ProcessGroupDataParallel::start_bucket() {
  std::vector<torch::Tensor> buffer{buckets_->prepare(works_.size())};
  world_->started();
  works_.push_back(world_->process_group().allreduce(buffer));
}

void ProcessGroupDataParallel::gradient_ready(size_t parameter) {
  if (ready_[parameter]) {
    throw std::logic_error("ProcessGroupDataParallel: a gradient was accumulated twice before sum_gradients()");
  }
  ready_[parameter] = true;
  --pending_[bucket_of_[parameter]];
  while (works_.size() < buckets_->size() && pending_[works_.size()] == 0) start_bucket();
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
  // The buckets not started during backward (all, without overlap), in order; then wait for all.
  while (works_.size() < buckets_->size()) start_bucket();
  auto works = std::move(works_);
  works_.clear();
  for (size_t b = 0; b < buckets_->size(); ++b) pending_[b] = buckets_->members(b).size();
  ready_.assign(ready_.size(), false);
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
