#include "e3/train/prediction.h"

#include <torch/torch.h>

#include <algorithm>

#include "e3/data/batch.h"
#include "e3/data/elements.h"
#include "e3/data/error.h"
#include "e3/train/model_builder.h"

namespace e3::train {

int64_t first_unknown_element(const models::MoleculeNet& model, const data::Molecule& molecule) {
  for (int64_t z : molecule.atomic_numbers) {
    if (!model->embeds(z)) return z;
  }
  return 0;
}

std::string describe_unknown_element(const models::MoleculeNet& model, int64_t atomic_number) {
  std::string known;
  for (int64_t e : model->options.elements()) known += (known.empty() ? "" : ", ") + std::string(data::element_symbol(e));
  return "element " + std::string(data::element_symbol(atomic_number)) + ", which the model does not know (its elements: " +
         known + ")";
}

void require_known_elements(const models::MoleculeNet& model, const data::Dataset& dataset,
                            const std::vector<size_t>& indices) {
  for (size_t index : indices) {
    const auto& molecule = dataset[index];
    if (const int64_t z = first_unknown_element(model, molecule)) {
      throw data::DataError(molecule.source_file, molecule.source_line,
                            "molecule " + molecule.id + " has " + describe_unknown_element(model, z));
    }
  }
}

Predictions predict_with_dipoles(models::MoleculeNet& model, const data::Dataset& dataset,
                                 const std::vector<size_t>& indices, int64_t batch_size, torch::Dtype dtype) {
  require_known_elements(model, dataset, indices);
  const bool was_training = model->is_training();
  model->eval();
  torch::NoGradGuard no_grad;
  Predictions result;
  result.values.resize(static_cast<size_t>(model->num_heads()));
  result.dipoles.resize(result.values.size());
  for (auto& values : result.values) values.reserve(indices.size());
  for (size_t start = 0; start < indices.size(); start += static_cast<size_t>(batch_size)) {
    const std::vector<size_t> chunk(indices.begin() + start,
                                    indices.begin() + std::min(indices.size(), start + static_cast<size_t>(batch_size)));
    const auto batch = data::collate(dataset, chunk, model->cutoff(), dtype);
    const auto predictions = model->predict(point_clouds(batch), batch.atomic_numbers);
    const auto values = predictions.values.t().contiguous();  // [heads, M]
    for (int64_t h = 0; h < values.size(0); ++h) {
      const double* row = values[h].data_ptr<double>();
      result.values[h].insert(result.values[h].end(), row, row + values.size(1));
      const auto& vectors = predictions.dipoles[static_cast<size_t>(h)];
      if (!vectors.defined()) continue;
      const auto rows = vectors.to(torch::kDouble).contiguous();
      const double* v = rows.data_ptr<double>();
      for (int64_t m = 0; m < rows.size(0); ++m) result.dipoles[h].push_back({v[3 * m], v[3 * m + 1], v[3 * m + 2]});
    }
  }
  model->train(was_training);
  return result;
}

std::vector<std::vector<double>> predict(models::MoleculeNet& model, const data::Dataset& dataset,
                                         const std::vector<size_t>& indices, int64_t batch_size, torch::Dtype dtype) {
  return predict_with_dipoles(model, dataset, indices, batch_size, dtype).values;
}

std::vector<ErrorSums> target_error_sums(const std::vector<std::vector<double>>& predictions,
                                         const data::Dataset& dataset, const std::vector<size_t>& indices,
                                         const std::vector<data::Target>& targets) {
  std::vector<ErrorSums> sums(targets.size());
  for (size_t t = 0; t < targets.size(); ++t) {
    for (size_t i = 0; i < indices.size(); ++i) {
      const auto& molecule = dataset[indices[i]];
      if (molecule.has(targets[t])) sums[t].add(predictions.at(t).at(i), molecule.target(targets[t]));
    }
  }
  return sums;
}

std::vector<ErrorMetrics> target_errors(const std::vector<std::vector<double>>& predictions,
                                        const data::Dataset& dataset, const std::vector<size_t>& indices,
                                        const std::vector<data::Target>& targets) {
  std::vector<ErrorMetrics> errors;
  for (const auto& sums : target_error_sums(predictions, dataset, indices, targets)) errors.push_back(sums.metrics());
  return errors;
}

}  // namespace e3::train
