#include "e3/train/prediction.h"

#include <torch/torch.h>

#include <algorithm>

#include "e3/data/batch.h"
#include "e3/data/elements.h"
#include "e3/data/error.h"
#include "e3/train/model_builder.h"

namespace e3::train {
namespace {

// Before any batch is built: every atom must be of an element the model embeds.
void check_elements(const models::LNet& model, const data::Dataset& dataset, const std::vector<size_t>& indices) {
  const auto& elements = model->options.elements();
  for (size_t index : indices) {
    const auto& molecule = dataset[index];
    for (int64_t z : molecule.atomic_numbers) {
      if (std::find(elements.begin(), elements.end(), z) != elements.end()) continue;
      std::string known;
      for (int64_t e : elements) known += (known.empty() ? "" : ", ") + std::string(data::element_symbol(e));
      throw data::DataError(molecule.source_file, molecule.source_line,
                            "molecule " + molecule.id + " has element " + data::element_symbol(z) +
                                ", which the model does not know (its elements: " + known + ")");
    }
  }
}

}  // namespace

std::vector<double> predict(models::LNet& model, const data::Dataset& dataset, const std::vector<size_t>& indices,
                            int64_t batch_size, torch::Dtype dtype) {
  check_elements(model, dataset, indices);
  const bool was_training = model->is_training();
  model->eval();
  torch::NoGradGuard no_grad;
  std::vector<double> predictions;
  predictions.reserve(indices.size());
  for (size_t start = 0; start < indices.size(); start += static_cast<size_t>(batch_size)) {
    const std::vector<size_t> chunk(indices.begin() + start,
                                    indices.begin() + std::min(indices.size(), start + static_cast<size_t>(batch_size)));
    const auto batch = data::collate(dataset, chunk, model->cutoff(), dtype);
    const auto values = model->forward(point_clouds(batch), batch.atomic_numbers).contiguous();
    predictions.insert(predictions.end(), values.data_ptr<double>(), values.data_ptr<double>() + values.numel());
  }
  model->train(was_training);
  return predictions;
}

}  // namespace e3::train
