#include "e3/train/tetris_shapes.h"

#include <torch/torch.h>

#include <stdexcept>

#include "e3/o3/rotation.h"

namespace e3::train {

const std::vector<TetrisShape>& tetris_shapes() {
  // Coordinates of the Tensor Field Networks paper's tetris example.
  static const std::vector<TetrisShape> shapes = {
      {"chiral_shape_1", {{{0, 0, 0}, {0, 0, 1}, {1, 0, 0}, {1, 1, 0}}}},
      {"chiral_shape_2", {{{0, 0, 0}, {0, 0, 1}, {1, 0, 0}, {1, -1, 0}}}},
      {"square", {{{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0}}}},
      {"line", {{{0, 0, 0}, {0, 0, 1}, {0, 0, 2}, {0, 0, 3}}}},
      {"corner", {{{0, 0, 0}, {0, 0, 1}, {0, 1, 0}, {1, 0, 0}}}},
      {"L", {{{0, 0, 0}, {0, 0, 1}, {0, 0, 2}, {0, 1, 0}}}},
      {"T", {{{0, 0, 0}, {0, 0, 1}, {0, 0, 2}, {0, 1, 1}}}},
      {"zigzag", {{{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {2, 1, 0}}}},
  };
  return shapes;
}

torch::Tensor tetris_points(int64_t shape_class, torch::Dtype dtype) {
  const auto& shapes = tetris_shapes();
  if (shape_class < 0 || shape_class >= static_cast<int64_t>(shapes.size())) {
    throw std::invalid_argument("tetris: no shape of class " + std::to_string(shape_class));
  }
  auto points = torch::empty({4, 3}, torch::kDouble);
  auto p = points.accessor<double, 2>();
  for (int i = 0; i < 4; ++i) {
    for (int k = 0; k < 3; ++k) p[i][k] = shapes[shape_class].cubes[i][k];
  }
  return points.to(dtype);
}

namespace {

TetrisSet labelled_set(const std::vector<torch::Tensor>& clouds, const std::vector<int64_t>& labels, double cutoff) {
  return {models::batch_point_clouds(clouds, cutoff), torch::tensor(labels, torch::kLong)};
}

}  // namespace

TetrisSet tetris_training_set(double cutoff, torch::Dtype dtype) {
  std::vector<torch::Tensor> clouds;
  std::vector<int64_t> labels;
  for (int64_t c = 0; c < static_cast<int64_t>(tetris_shapes().size()); ++c) {
    clouds.push_back(tetris_points(c, dtype));
    labels.push_back(c);
  }
  return labelled_set(clouds, labels, cutoff);
}

TetrisSet tetris_test_set(int64_t copies, uint64_t seed, double cutoff, torch::Dtype dtype, double translation) {
  if (copies < 1) throw std::invalid_argument("tetris: the test set needs at least one copy of each shape");
  if (!(translation >= 0.0)) throw std::invalid_argument("tetris: the translation scale must not be negative");
  const auto num_classes = static_cast<int64_t>(tetris_shapes().size());
  auto generator = at::detail::createCPUGenerator(seed);
  // Drawn in float64 and converted at the end, so the set is the same geometry in every dtype.
  const auto rotations = o3::random_rotation(num_classes * copies, torch::kDouble, generator);
  const auto translations = torch::randn({num_classes * copies, 1, 3}, generator, torch::kDouble) * translation;
  std::vector<torch::Tensor> clouds;
  std::vector<int64_t> labels;
  for (int64_t c = 0; c < num_classes; ++c) {
    const auto points = tetris_points(c);
    for (int64_t i = 0; i < copies; ++i) {
      const int64_t k = c * copies + i;
      clouds.push_back((torch::matmul(points, rotations[k].t()) + translations[k]).to(dtype));
      labels.push_back(c);
    }
  }
  return labelled_set(clouds, labels, cutoff);
}

}  // namespace e3::train
