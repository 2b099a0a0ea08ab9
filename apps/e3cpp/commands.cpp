#include "commands.h"

namespace e3::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"rs", "inspect a representation (Rs): dimension, layout offsets, both notations", run_rs},
      {"dataset", "describe molecule data (QM9 files, extended XYZ, archives): atoms, elements, targets", run_dataset},
      {"train", "train an L-Net or the multi-target network on QM9 targets (presets in configs/), or resume", run_train},
      {"eval", "MAE and RMSE of a trained run on its test/val/train split or on other molecules", run_eval},
      {"predict", "predict a trained run's or shipped model's targets for molecules (XYZ, SMILES, SDF)", run_predict},
      {"models", "the trained models that come with e3cpp: targets and test MAE (predict --model NAME)", run_models},
      {"report", "Table 3.5 for your runs: test MAE per target and run, beside the thesis' numbers", run_report},
      {"compare", "validation curves of several runs in one SVG figure (like Figures 3.2-3.5)", run_compare},
      {"hpsearch", "random hyperparameter search (Table 3.3) shared by many workers; its leaderboard", run_hpsearch},
      {"bench", "training and inference molecules/s of a configuration on this machine, against its GEMM peak", run_bench},
      {"tetris", "the tetris chirality experiment: train on 8 shapes, test on random rotations (Fig. 2.12)", run_tetris},
  };
  return table;
}

}  // namespace e3::cli
