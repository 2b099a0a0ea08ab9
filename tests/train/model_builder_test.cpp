// From a configuration to the model, optimizer and loss it describes.

#include "e3/train/model_builder.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "e3/nn/kernel_conv.h"

namespace e3::train {
namespace {

TrainConfig small_config(const std::string& precision) {
  TrainConfig config;
  config.set("representation", "4x0+2x1", "test");
  config.set("layers", 2, "test");
  config.set("radial_hidden", 8, "test");
  config.set("targets", "mu", "test");
  config.set("precision", precision, "test");
  return config;
}

// Every convolution of the model runs at the precision the key asks for, where the CPU can.
TEST(ModelBuilder, PrecisionReachesEveryConvolution) {
  const auto expected = nn::cpu_has_bf16_gemm() ? nn::GemmPrecision::bf16_mixed : nn::GemmPrecision::float32;
  for (const auto& [name, precision] : {std::pair{"float32", nn::GemmPrecision::float32},
                                        std::pair{"bf16-mixed", expected}}) {
    const auto config = small_config(name);
    EXPECT_EQ(config_precision(config), precision) << name;
    models::MoleculeNet model(model_options(config, 6.0));
    int convolutions = 0;
    for (const auto& module : model->modules()) {
      if (const auto conv = std::dynamic_pointer_cast<nn::KernelConvImpl>(module)) {
        EXPECT_EQ(conv->options.kernel().precision(), precision) << name;
        ++convolutions;
      }
    }
    EXPECT_EQ(convolutions, 2) << name;
  }
}

TEST(ModelBuilder, APrecisionTheCpuLacksIsSaidOnce) {
  EXPECT_EQ(precision_notice(small_config("float32")), "");
  const auto notice = precision_notice(small_config("bf16-mixed"));
  if (nn::cpu_has_bf16_gemm()) {
    EXPECT_EQ(notice, "");
  } else {
    EXPECT_NE(notice.find("running float32"), std::string::npos) << notice;
  }
}

TEST(ModelBuilder, OptimizerAndLossFollowTheirKeys) {
  auto config = small_config("float32");
  const std::vector<torch::Tensor> parameters{torch::zeros({2}, torch::requires_grad())};
  EXPECT_NE(dynamic_cast<torch::optim::Adam*>(config_optimizer(config, parameters).get()), nullptr);
  config.set("weight_decay", 0.01, "test");
  EXPECT_NE(dynamic_cast<torch::optim::AdamW*>(config_optimizer(config, parameters).get()), nullptr);
  config.set("loss", "huber", "test");
  config.set("huber_delta", 0.5, "test");
  const auto loss = config_loss(config);
  EXPECT_EQ(loss.kind(), LossKind::huber);
  EXPECT_EQ(loss.huber_delta(), 0.5);
}

}  // namespace
}  // namespace e3::train
