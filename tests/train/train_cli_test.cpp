// e3cpp train, eval and predict as a user runs them. The runs in E3_SHARED_RUNS are trained
// once by the SharedRuns.Train fixture (tests/train/shared_runs.cmake): lnet (an L-Net on mu,
// one epoch), mlpnet (the multi-target network on every target, two epochs) and dipole (the
// L-Net on mu with the dipole readout, one epoch).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <map>
#include <sstream>

#include "e3/data/dataset.h"
#include "e3/data/elements.h"
#include "e3/nn/gemm_precision.h"
#include "e3/o3/rotation.h"
#include "cli.h"
#include "files.h"
#include "predictions.h"
#include "process.h"
#include "shared_runs.h"
#include "small_run.h"

namespace e3::testing {
namespace {

// Suites that read the shared runs.
class TrainCli : public SharedRunsTest {};

const std::string kBinary = E3CPP_BINARY;
const std::string kLNet = shared_run("lnet");
const std::string kMLPNet = shared_run("mlpnet");
const std::string kDipole = shared_run("dipole");

// A plain XYZ file of molecules given as (atomic numbers, positions [A, 3]).
std::string xyz_text(const std::vector<std::pair<std::vector<int64_t>, torch::Tensor>>& molecules) {
  std::ostringstream out;
  out << std::setprecision(17);
  for (const auto& [numbers, positions] : molecules) {
    out << numbers.size() << "\nmolecule\n";
    for (size_t a = 0; a < numbers.size(); ++a) {
      out << data::element_symbol(numbers[a]) << ' ' << positions[a][0].item<double>() << ' '
          << positions[a][1].item<double>() << ' ' << positions[a][2].item<double>() << '\n';
    }
  }
  return out.str();
}

// The test molecules of a run, in its split's order, as extended XYZ with every target
// (17 digits keep every coordinate and value exact).
std::string test_molecules(const std::string& run) {
  const data::Dataset sample = data::Dataset::read(sample_file());
  std::ostringstream text;
  text << std::setprecision(17);
  const auto split = nlohmann::json::parse(read_file(run + "/split.json"));
  for (const auto& id : split["test"]) {
    const auto& m = sample[*sample.find(id.get<std::string>())];
    text << m.num_atoms() << "\nProperties=species:S:1:pos:R:3";
    for (auto target : data::all_targets()) {
      text << ' ' << data::target_name(target) << '=' << m.target(target) / data::file_to_thesis_factor(target);
    }
    text << '\n';
    for (int64_t a = 0; a < m.num_atoms(); ++a) {
      text << data::element_symbol(m.atomic_numbers[a]) << ' ' << m.positions[3 * a] << ' ' << m.positions[3 * a + 1]
           << ' ' << m.positions[3 * a + 2] << '\n';
    }
  }
  return text.str();
}

TEST_F(TrainCli, TrainsAndReports) {
  const std::string log = read_file(shared_run("lnet.log"));
  EXPECT_NE(log.find("epoch 1/1  step 20  train loss"), std::string::npos) << log;
  EXPECT_NE(log.find("finished 1 epochs; best validation MAE"), std::string::npos) << log;
  const std::string multi = read_file(shared_run("mlpnet.log"));
  EXPECT_NE(multi.find("12 outputs"), std::string::npos) << multi;
  EXPECT_NE(multi.find("finished 2 epochs; best validation score"), std::string::npos) << multi;
}

TEST_F(TrainCli, EvalReportsJson) {
  const auto result = e3cpp("eval " + kLNet + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["target"], "mu");
  EXPECT_EQ(json["unit"], "D");
  EXPECT_EQ(json["split"], "test");
  EXPECT_EQ(json["molecules"], 48);
  EXPECT_GT(json["mae"].get<double>(), 0.0);
  EXPECT_GE(json["rmse"].get<double>(), json["mae"].get<double>());
  const auto val = nlohmann::json::parse(e3cpp("eval " + kLNet + " --split val --json").out);
  EXPECT_EQ(val["molecules"], 48);
}

TEST_F(TrainCli, EvalOfAMultiTargetRunReportsEveryTarget) {
  const auto result = e3cpp("eval " + kMLPNet + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["split"], "test");
  EXPECT_EQ(json["molecules"], 48);
  ASSERT_EQ(json["targets"].size(), 12u);
  for (auto target : data::all_targets()) {
    const auto& entry = json["targets"][data::target_name(target)];
    EXPECT_EQ(entry["unit"], data::thesis_unit(target));
    EXPECT_EQ(entry["molecules"], 48);
    EXPECT_GT(entry["mae"].get<double>(), 0.0);
    EXPECT_GE(entry["rmse"].get<double>(), entry["mae"].get<double>());
  }
  const auto text = e3cpp("eval " + kMLPNet);
  EXPECT_EQ(count_lines(text.out), 13) << text.out;
  EXPECT_NE(text.out.find("  U0: 48 molecules, MAE "), std::string::npos) << text.out;
}

// --mean-predictor: the MAE of predicting the training split's mean for every molecule;
// --subset: the molecules of the split that DATA has, where DATA is part of the run's data.
TEST_F(TrainCli, EvalGivesTheMeanPredictorAndASubsetOfTheSplit) {
  const data::Dataset sample = data::Dataset::read(sample_file());
  const auto split = nlohmann::json::parse(read_file(kLNet + "/split.json"));
  const auto mu = [&](const nlohmann::json& id) { return sample[*sample.find(id.get<std::string>())].target(data::Target::mu); };
  double sum = 0;
  for (const auto& id : split["train"]) sum += mu(id);
  const double mean = sum / static_cast<double>(split["train"].size());
  double absolute = 0;
  for (const auto& id : split["test"]) absolute += std::abs(mu(id) - mean);
  const double expected = absolute / static_cast<double>(split["test"].size());
  const auto result = e3cpp("eval " + kLNet + " --json --mean-predictor");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NEAR(nlohmann::json::parse(result.out)["mean_predictor_mae"].get<double>(), expected, 1e-9 * expected);
  EXPECT_NE(e3cpp("eval " + kLNet + " --mean-predictor").out.find(" (mean predictor: MAE "), std::string::npos);

  TempDir dir;
  write_text(dir.file("part.extxyz"), sample_extxyz(1000));
  int64_t present = 0;
  for (const auto& id : split["test"]) present += *sample.find(id.get<std::string>()) < 1000;
  ASSERT_GT(present, 0);
  ASSERT_LT(present, 48);
  const auto subset = e3cpp("eval " + kLNet + " --data " + dir.file("part.extxyz") + " --subset --json");
  ASSERT_EQ(subset.exit_code, 0) << subset.err;
  EXPECT_EQ(nlohmann::json::parse(subset.out)["molecules"], present);
  const auto whole = e3cpp("eval " + kLNet + " --data " + dir.file("part.extxyz") + " --json");
  EXPECT_EQ(whole.exit_code, 1);
  EXPECT_NE(whole.err.find("is not in the data set"), std::string::npos) << whole.err;
}

// eval's MAE and RMSE are the mean absolute and root-mean-square differences between what
// predict gives for the molecules and their targets, computed here from predict's output.
TEST_F(TrainCli, EvalErrorsAreThoseOfPredictsValues) {
  TempDir dir;
  write_text(dir.file("test.extxyz"), test_molecules(kMLPNet));
  const data::Dataset molecules = data::Dataset::read(dir.file("test.extxyz"));
  const auto predict = e3cpp("predict " + kMLPNet + " " + dir.file("test.extxyz") + " --json");
  ASSERT_EQ(predict.exit_code, 0) << predict.err;
  const auto predicted = nlohmann::json::parse(predict.out);
  ASSERT_EQ(predicted["targets"].size(), 12u);
  ASSERT_EQ(predicted["predictions"].size(), molecules.size());
  const auto eval = nlohmann::json::parse(
      e3cpp("eval " + kMLPNet + " --data " + dir.file("test.extxyz") + " --split all --json").out);
  const auto own = nlohmann::json::parse(e3cpp("eval " + kMLPNet + " --json").out);
  for (auto target : data::all_targets()) {
    const std::string name = data::target_name(target);
    double absolute = 0, squared = 0;
    for (size_t i = 0; i < molecules.size(); ++i) {
      const double error = predicted["predictions"][i]["values"][name].get<double>() - molecules[i].target(target);
      absolute += std::abs(error);
      squared += error * error;
    }
    const double n = double(molecules.size());
    const double mae = eval["targets"][name]["mae"], rmse = eval["targets"][name]["rmse"];
    EXPECT_NEAR(mae, absolute / n, 1e-12 * std::abs(mae)) << name;
    EXPECT_NEAR(rmse, std::sqrt(squared / n), 1e-12 * rmse) << name;
    // The run's own test split is the same molecules.
    EXPECT_EQ(own["targets"][name]["mae"], eval["targets"][name]["mae"]) << name;
  }
  // --predictions writes the same values, with each target beside its prediction.
  ASSERT_EQ(e3cpp("eval " + kMLPNet + " --predictions " + dir.file("p.csv")).exit_code, 0);
  std::istringstream csv(read_file(dir.file("p.csv")));
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("id,mu,mu_prediction,alpha,alpha_prediction,", 0), 0u) << header;
  std::string first;
  std::getline(csv, first);
  std::istringstream fields(first);
  std::string id, value, prediction;
  std::getline(fields, id, ',');
  std::getline(fields, value, ',');
  std::getline(fields, prediction, ',');
  EXPECT_EQ(std::stod(prediction), predicted["predictions"][0]["values"]["mu"].get<double>());
}

TEST_F(TrainCli, PredictIsInvariantToRotationAndTranslation) {
  TempDir dir;
  const data::Dataset sample = data::Dataset::read(sample_file());
  const auto& m = sample[17];
  const auto positions = torch::tensor(m.positions, torch::kDouble).reshape({-1, 3});
  auto generator = at::detail::createCPUGenerator(3);
  const auto rotation = o3::random_rotation(1, torch::kDouble, generator)[0];
  const auto moved = torch::matmul(positions, rotation.t()) + torch::tensor({{4.0, -2.5, 7.0}}, torch::kDouble);
  write_text(dir.file("original.xyz"), xyz_text({{m.atomic_numbers, positions}}));
  write_text(dir.file("moved.xyz"), xyz_text({{m.atomic_numbers, moved}}));
  for (const auto& run : {kLNet, kMLPNet}) {
    const auto result = e3cpp("predict " + run + " " + dir.file("original.xyz") + " " + dir.file("moved.xyz") + " --json");
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto json = nlohmann::json::parse(result.out);
    const auto& predictions = json["predictions"];
    ASSERT_EQ(predictions.size(), 2u);
    if (run == kLNet) {
      const double a = predictions[0]["value"], b = predictions[1]["value"];
      EXPECT_NEAR(a, b, 1e-5 * std::max(1.0, std::abs(a))) << "float32 network";
    } else {
      for (const auto& [name, value] : predictions[0]["values"].items()) {
        const double a = value, b = predictions[1]["values"][name];
        EXPECT_NEAR(a, b, 1e-5 * std::max(1.0, std::abs(a))) << name;
      }
    }
  }
  // The plain text output: a header with one column per target and one line per molecule.
  const auto text = e3cpp("predict " + kLNet + " " + dir.file("original.xyz"));
  EXPECT_EQ(text.out.rfind("file\tmolecule\tmu [D]\tflags\n", 0), 0u) << text.out;
  EXPECT_NE(text.out.find("\t-\n"), std::string::npos) << "a QM9 molecule is inside the domain: " << text.out;
  EXPECT_EQ(text.err, "");
  EXPECT_EQ(count_lines(text.out), 2);
  const auto multi = e3cpp("predict " + kMLPNet + " " + dir.file("original.xyz"));
  EXPECT_EQ(multi.out.rfind("file\tmolecule\tmu [D]\talpha [a0^3]\thomo [eV]", 0), 0u) << multi.out;
  EXPECT_NE(multi.out.find("\tCv [cal/(mol K)]\tflags\n"), std::string::npos) << multi.out;
}

// A run with the dipole readout predicts the vector too, in the input file's frame: its norm is
// the value, and rotating the molecule rotates it.
TEST_F(TrainCli, PredictGivesTheDipoleVectorOfADipoleReadout) {
  TempDir dir;
  const data::Dataset sample = data::Dataset::read(sample_file());
  const auto& m = sample[17];
  const auto positions = torch::tensor(m.positions, torch::kDouble).reshape({-1, 3});
  auto generator = at::detail::createCPUGenerator(5);
  const auto rotation = o3::random_rotation(1, torch::kDouble, generator)[0];
  const auto moved = torch::matmul(positions, rotation.t()) + torch::tensor({{-3.0, 1.5, 2.0}}, torch::kDouble);
  write_text(dir.file("two.xyz"), xyz_text({{m.atomic_numbers, positions}, {m.atomic_numbers, moved}}));
  const auto result = e3cpp("predict " + kDipole + " " + dir.file("two.xyz") + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto predictions = nlohmann::json::parse(result.out)["predictions"];
  ASSERT_EQ(predictions.size(), 2u);
  std::vector<torch::Tensor> vectors;
  for (const auto& entry : predictions) {
    const auto& v = entry["vectors"]["mu"];
    ASSERT_EQ(v.size(), 3u) << entry.dump();
    vectors.push_back(torch::tensor({v[0].get<double>(), v[1].get<double>(), v[2].get<double>()}, torch::kDouble));
    EXPECT_NEAR(vectors.back().norm().item<double>(), entry["value"].get<double>(), 1e-6);
  }
  EXPECT_GT(vectors[0].norm().item<double>(), 1e-3);
  EXPECT_LT((torch::matmul(rotation, vectors[0]) - vectors[1]).abs().max().item<double>(), 1e-4);
  // Text: three more columns after mu, whose norm is mu to the printed precision.
  const auto text = e3cpp("predict " + kDipole + " " + dir.file("two.xyz"));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out.rfind("file\tmolecule\tmu [D]\tmu_x [D]\tmu_y [D]\tmu_z [D]\tflags\n", 0), 0u) << text.out;
  std::istringstream lines(text.out);
  std::string header, line;
  std::getline(lines, header);
  std::getline(lines, line);
  std::istringstream fields(line);
  std::string file, molecule;
  double mu = 0, x = 0, y = 0, z = 0;
  fields >> file >> molecule >> mu >> x >> y >> z;
  EXPECT_NEAR(std::sqrt(x * x + y * y + z * z), mu, 1e-5) << line;
  // A run without a dipole readout has no vectors.
  const auto plain = e3cpp("predict " + kLNet + " " + dir.file("two.xyz") + " --json");
  EXPECT_FALSE(nlohmann::json::parse(plain.out)["predictions"][0].contains("vectors"));
}

// --precision bf16-mixed predicts a run trained in float32 with bfloat16 GEMM inputs. On a CPU
// with AVX512_BF16 or AMX the predictions move, by about a bfloat16 rounding: each of the
// run's 3 convolutions rounds its GEMMs' two inputs to 8 significant bits (a relative error of
// at most 2^-9 each), which moves its output by at most 2^-8 of the output's scale; through
// layers whose activations are normalized that adds up to 3 * 2^-8 of the predictions' scale,
// here given a factor 2. With oneDNN held below AVX512_BF16 (ONEDNN_MAX_CPU_ISA), as on a CPU
// without it, a note says so and the predictions are float32's, bit for bit.
TEST_F(TrainCli, PredictTakesBfloat16PrecisionForARunTrainedInFloat32) {
  TempDir dir;
  write_text(dir.file("test.extxyz"), test_molecules(kDipole));
  const auto predict = [&](const std::string& options) {
    const auto result = e3cpp("predict " + kDipole + " " + dir.file("test.extxyz") + " --json --threads 1 " + options);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    const auto json = nlohmann::json::parse(result.out);
    std::vector<double> values;
    for (const auto& entry : json["predictions"]) values.push_back(entry["value"]);
    return std::make_pair(values, result.err);
  };
  const auto [float32, float32_notes] = predict("");
  ASSERT_EQ(float32.size(), 48u);
  const std::string fallback_note = "note: precision bf16-mixed: this CPU has neither AVX512_BF16 nor AMX; running float32";

  setenv("ONEDNN_MAX_CPU_ISA", "AVX512_CORE", 1);
  const auto [held, held_notes] = predict("--precision bf16-mixed");
  unsetenv("ONEDNN_MAX_CPU_ISA");
  EXPECT_NE(held_notes.find(fallback_note), std::string::npos) << held_notes;
  EXPECT_EQ(held, float32);

  const auto [bf16, bf16_notes] = predict("--precision bf16-mixed");
  if (!nn::cpu_has_bf16_gemm()) {
    EXPECT_NE(bf16_notes.find(fallback_note), std::string::npos) << bf16_notes;
    EXPECT_EQ(bf16, float32);
  } else {
    EXPECT_EQ(bf16_notes.find("note: precision"), std::string::npos) << bf16_notes;
    EXPECT_NE(bf16, float32);  // the bfloat16 GEMMs ran
    double scale = 0;
    for (double value : float32) scale = std::max(scale, std::abs(value));
    ASSERT_EQ(bf16.size(), float32.size());
    for (size_t i = 0; i < bf16.size(); ++i) EXPECT_NEAR(bf16[i], float32[i], 2 * 3 * std::ldexp(scale, -8)) << i;
  }
  expect_one_line_error(e3cpp("eval " + kDipole + " --precision bf16"), 2,
                        "--precision: unknown precision 'bf16' (valid: float32, bf16-mixed)");
}

// predict reads and predicts its input a window of 1,024 molecules at a time and writes its
// JSON as it goes: over more molecules than a window, the values are still those eval computes
// on the whole file at once.
TEST_F(TrainCli, PredictStreamsInWindowsWithTheValuesEvalGives) {
  TempDir dir;
  write_text(dir.file("many.extxyz"), sample_extxyz(1100));
  const auto predict = e3cpp("predict " + kLNet + " " + dir.file("many.extxyz") + " --json");
  ASSERT_EQ(predict.exit_code, 0) << predict.err;
  const auto predicted = nlohmann::json::parse(predict.out);
  EXPECT_EQ(predicted["target"], "mu");
  EXPECT_EQ(predicted["unit"], "D");
  const auto& values = predicted["predictions"];
  ASSERT_EQ(values.size(), 1100u);
  const data::Dataset molecules = data::Dataset::read(dir.file("many.extxyz"));
  double absolute = 0;
  for (size_t i = 0; i < molecules.size(); ++i) {
    ASSERT_EQ(values[i]["molecule"], molecules[i].id);
    absolute += std::abs(values[i]["value"].get<double>() - molecules[i].target(data::Target::mu));
  }
  const auto eval = nlohmann::json::parse(
      e3cpp("eval " + kLNet + " --data " + dir.file("many.extxyz") + " --split all --json").out);
  EXPECT_EQ(eval["molecules"], 1100);
  const double mae = eval["mae"];
  EXPECT_NEAR(mae, absolute / 1100.0, 1e-12 * mae);
}

// Molecules a model would only extrapolate to are predicted and flagged: two atoms at one
// place, more atoms than any training molecule (domain.json), an element no training molecule
// has; a run without domain.json (an older e3cpp) still predicts and flags what it can.
TEST_F(TrainCli, PredictFlagsMoleculesOutsideTheTrainingDomain) {
  TempDir dir;
  const auto domain = nlohmann::json::parse(read_file(kLNet + "/domain.json"));
  const int64_t max_atoms = domain["max_atoms"];
  std::vector<int64_t> elements = domain["elements"];
  ASSERT_EQ(elements.front(), 1) << "the sample's training molecules have hydrogen";
  const data::Dataset sample = data::Dataset::read(sample_file());
  const auto& m = sample[17];
  const auto positions = torch::tensor(m.positions, torch::kDouble).reshape({-1, 3});
  const auto chain = torch::arange(max_atoms + 1, torch::kDouble).unsqueeze(1) * torch::tensor({{1.5, 0.0, 0.0}});
  std::vector<int64_t> carbons(static_cast<size_t>(max_atoms + 1), 6);
  // An embedded element (F, config "elements") no training molecule has, or none to test with.
  const bool fluorine_unseen = std::find(elements.begin(), elements.end(), 9) == elements.end();
  write_text(dir.file("odd.xyz"), xyz_text({{m.atomic_numbers, positions},
                                             {{6, 6}, torch::zeros({2, 3}, torch::kDouble)},
                                             {carbons, chain},
                                             {{6, fluorine_unseen ? 9 : 1}, torch::tensor({{0.0, 0.0, 0.0}, {1.35, 0.0, 0.0}}, torch::kDouble)}}));
  const auto text = e3cpp("predict " + kLNet + " " + dir.file("odd.xyz"));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  std::istringstream lines(text.out);
  std::vector<std::string> flags;
  for (std::string line; std::getline(lines, line);) flags.push_back(line.substr(line.rfind('\t') + 1));
  const std::string last = fluorine_unseen ? "unseen_element" : "-";
  EXPECT_EQ(flags, (std::vector<std::string>{"flags", "-", "coincident_atoms", "more_atoms", last})) << text.out;
  EXPECT_NE(text.err.find("warning: " + dir.file("odd.xyz") + ":" + std::to_string(m.num_atoms() + 3) +
                          ": molecule odd.xyz#1 is outside the training domain: coincident_atoms (atoms 1 (C) and "
                          "2 (C) are 0 A apart (closer than 0.5 A))"),
            std::string::npos)
      << text.err;
  EXPECT_NE(text.err.find("more_atoms (" + std::to_string(max_atoms + 1) + " atoms, more than any training molecule (" +
                          std::to_string(max_atoms) + "))"),
            std::string::npos)
      << text.err;
  EXPECT_NE(text.err.find(std::to_string(fluorine_unseen ? 3 : 2) + " of 4 molecules are outside the training domain "
                          "(1 coincident_atoms, 1 more_atoms, " + (fluorine_unseen ? "1" : "0") + " unseen_element, 0 charged)"),
            std::string::npos)
      << text.err;

  const auto json = nlohmann::json::parse(e3cpp("predict " + kMLPNet + " " + dir.file("odd.xyz") + " --json").out);
  ASSERT_EQ(json["predictions"].size(), 4u);
  EXPECT_EQ(json["predictions"][0]["flags"], nlohmann::json::array());
  EXPECT_EQ(json["predictions"][1]["flags"], nlohmann::json::array({"coincident_atoms"}));
  EXPECT_TRUE(std::isfinite(json["predictions"][1]["values"]["mu"].get<double>())) << "flagged, still predicted";

  // An older run: no domain.json.
  std::filesystem::copy(kLNet, dir.file("old"), std::filesystem::copy_options::recursive);
  std::filesystem::remove(dir.file("old") + "/domain.json");
  const auto old = e3cpp("predict " + dir.file("old") + " " + dir.file("odd.xyz"));
  ASSERT_EQ(old.exit_code, 0) << old.err;
  EXPECT_NE(old.out.find("\tcoincident_atoms\n"), std::string::npos) << old.out;
  EXPECT_EQ(old.out.find("more_atoms"), std::string::npos) << old.out;
  EXPECT_NE(old.err.find("has no domain.json"), std::string::npos) << old.err;
}

// A molecule with an element the model does not embed (Cl) is flagged and not predicted; the
// molecules around it are predicted as they would be alone.
TEST_F(TrainCli, PredictFlagsUnknownElementsAndPredictsTheMoleculesAroundThem) {
  TempDir dir;
  const data::Dataset sample = data::Dataset::read(sample_file());
  const auto molecule = [&](size_t index) {
    const auto& m = sample[index];
    return std::make_pair(m.atomic_numbers, torch::tensor(m.positions, torch::kDouble).reshape({-1, 3}));
  };
  const auto chloromethane = std::make_pair(
      std::vector<int64_t>{6, 17, 1, 1, 1},
      torch::tensor({{0.0, 0.0, 0.0}, {1.78, 0.0, 0.0}, {-0.36, 1.03, 0.0}, {-0.36, -0.51, 0.89}, {-0.36, -0.51, -0.89}},
                    torch::kDouble));
  write_text(dir.file("mixed.xyz"), xyz_text({molecule(3), chloromethane, molecule(5)}));
  write_text(dir.file("alone.xyz"), xyz_text({molecule(3), molecule(5)}));

  const auto text = e3cpp("predict " + kLNet + " " + dir.file("mixed.xyz"));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  ASSERT_EQ(count_lines(text.out), 4) << text.out;
  EXPECT_NE(text.out.find("mixed.xyz#1\t-\tunknown_element\n"), std::string::npos) << text.out;
  const std::string line = std::to_string(sample[3].num_atoms() + 3);
  EXPECT_NE(text.err.find("warning: " + dir.file("mixed.xyz") + ":" + line +
                          ": unknown_element: molecule mixed.xyz#1 is not predicted (element Cl, which the model does "
                          "not know (its elements: H, C, N, O, F))"),
            std::string::npos)
      << text.err;
  EXPECT_NE(text.err.find("1 records were not predicted (1 unknown_element)"), std::string::npos) << text.err;

  const auto mixed = nlohmann::json::parse(e3cpp("predict " + kLNet + " " + dir.file("mixed.xyz") + " --json").out);
  const auto alone = nlohmann::json::parse(e3cpp("predict " + kLNet + " " + dir.file("alone.xyz") + " --json").out);
  ASSERT_EQ(mixed["predictions"].size(), 3u);
  EXPECT_TRUE(mixed["predictions"][1]["value"].is_null());
  EXPECT_EQ(mixed["predictions"][1]["flags"], nlohmann::json::array({"unknown_element"}));
  EXPECT_EQ(mixed["predictions"][0]["value"], alone["predictions"][0]["value"]);
  EXPECT_EQ(mixed["predictions"][2]["value"], alone["predictions"][1]["value"]);
}

// Content that cannot be read ends the output where it is: the molecules before it are
// predicted, the JSON document is complete, and the error names the file and line.
TEST_F(TrainCli, PredictJsonIsACompleteDocumentWhenTheInputBreaksOff) {
  TempDir dir;
  write_text(dir.file("broken.xyz"), sample_extxyz(3) + "2\nProperties=species:S:1:pos:R:3\nC 0 0 0\nQq 1.2 0 0\n");
  const auto result = e3cpp("predict " + kLNet + " " + dir.file("broken.xyz") + " --json");
  EXPECT_EQ(result.exit_code, 1);
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["predictions"].size(), 3u);
  EXPECT_NE(result.err.find("error: " + dir.file("broken.xyz") + ":"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("unknown element"), std::string::npos) << result.err;
}

// --shard I/N over XYZ files: every molecule in exactly one shard (record r in shard r mod N,
// counted per file), with the value of the unsharded run (to float32 rounding: the molecule is
// in another batch); merged in order they are that run.
TEST_F(TrainCli, ShardsCoverEveryMoleculeOnceInOrder) {
  TempDir dir;
  write_text(dir.file("a.extxyz"), sample_extxyz(7));
  write_text(dir.file("b.extxyz"), sample_extxyz(4));
  const std::string files = " " + dir.file("a.extxyz") + " " + dir.file("b.extxyz");
  const auto whole = nlohmann::json::parse(e3cpp("predict " + kLNet + files + " --json").out)["predictions"];
  ASSERT_EQ(whole.size(), 11u);
  std::vector<nlohmann::json> parts;
  for (int64_t shard = 0; shard < 3; ++shard) {
    const auto result = e3cpp("predict " + kLNet + files + " --json --shard " + std::to_string(shard) + "/3");
    ASSERT_EQ(result.exit_code, 0) << result.err;
    parts.push_back(nlohmann::json::parse(result.out)["predictions"]);
  }
  // Merged: per file, record r from shard r mod 3.
  nlohmann::json merged = nlohmann::json::array();
  std::vector<size_t> next(3, 0);
  for (size_t records : {7u, 4u}) {
    for (size_t r = 0; r < records; ++r) merged.push_back(parts[r % 3].at(next[r % 3]++));
  }
  for (size_t shard = 0; shard < 3; ++shard) EXPECT_EQ(next[shard], parts[shard].size()) << shard;
  ASSERT_EQ(merged.size(), whole.size());
  for (size_t i = 0; i < whole.size(); ++i) expect_same_prediction(merged[i], whole[i], "row " + std::to_string(i));

  for (const std::string bad : {"3/3", "1", "-1/2", "a/b", "1/0"}) {
    expect_one_line_error(e3cpp("predict " + kLNet + files + " --shard=" + bad), 2, "--shard must be I/N");
  }
}

// --nproc 2: two processes, each a shard, merged into the output of one process to the printed
// digits (the text; JSON's 17 digits to rounding, since one thread each sums some products in
// another order than two), the summary of the flags counted once; a process that fails ends the
// output where its records stop, still a complete JSON document.
TEST_F(TrainCli, PredictWithTwoProcessesEqualsOneProcess) {
  TempDir dir;
  write_text(dir.file("a.extxyz"), sample_extxyz(9));
  write_text(dir.file("odd.xyz"), "5\nchloromethane\nC 0 0 0\nCl 1.78 0 0\nH -0.36 1.03 0\nH -0.36 -0.51 0.89\n"
                                  "H -0.36 -0.51 -0.89\n2\ntwo carbons at one place\nC 0 0 0\nC 0 0 0\n");
  const std::string files = " " + dir.file("a.extxyz") + " " + dir.file("odd.xyz");
  for (const std::string format : {"", " --json"}) {
    const auto one = e3cpp("predict " + kLNet + files + format);
    const auto two = e3cpp("predict " + kLNet + files + format + " --nproc 2");
    ASSERT_EQ(two.exit_code, 0) << two.err;
    if (format.empty()) {
      EXPECT_EQ(two.out, one.out);
    } else {
      const auto merged = nlohmann::json::parse(two.out), single = nlohmann::json::parse(one.out);
      ASSERT_EQ(merged["predictions"].size(), single["predictions"].size());
      for (size_t i = 0; i < single["predictions"].size(); ++i) {
        expect_same_prediction(merged["predictions"][i], single["predictions"][i], "row " + std::to_string(i));
      }
    }
    for (const std::string summary : {"1 of 10 molecules are outside the training domain (1 coincident_atoms",
                                      "1 records were not predicted (1 unknown_element)"}) {
      EXPECT_EQ(count_occurrences(two.err, summary), 1u) << two.err;
    }
  }
  write_text(dir.file("broken.xyz"), sample_extxyz(3) + "2\nProperties=species:S:1:pos:R:3\nC 0 0 0\nQq 1.2 0 0\n");
  const auto broken = e3cpp("predict " + kLNet + " " + dir.file("broken.xyz") + " --json --nproc 2");
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(broken.out)["predictions"].size(), 3u);
  EXPECT_NE(broken.err.find("the output ends before record 3 of " + dir.file("broken.xyz")), std::string::npos)
      << broken.err;
}

// An ensemble of 2 members: one split, seeds 7 and 8; predict and eval give the members' mean
// and (population) standard deviation; --flag-uncertain flags by that deviation, eval
// --calibration measures it; --resume trains a member that is missing, exactly as before.
TEST(Ensemble, TwoMembersGiveTheirMeanAndStandardDeviation) {
  TempDir dir;
  const std::string run = dir.file("ensemble");
  const std::string common = " --threads 2 --config " + small_config_file("lnet") + " --targets mu --data " +
                             sample_file() + " --epochs 1";
  const auto trained = e3cpp("train" + common + " --ensemble 2 --out " + run);
  ASSERT_EQ(trained.exit_code, 0) << trained.out << trained.err;
  EXPECT_NE(trained.out.find("ensemble of 2 members in " + run), std::string::npos) << trained.out;
  EXPECT_EQ(read_file(run + "/member-1/split.json"), read_file(run + "/member-2/split.json"));
  const auto first = nlohmann::json::parse(read_file(run + "/member-1/config.json"));
  const auto second = nlohmann::json::parse(read_file(run + "/member-2/config.json"));
  EXPECT_EQ(first["seed"], 7);  // small-lnet.json's
  EXPECT_EQ(second["seed"], 8);
  EXPECT_EQ(second["split_seed"], 7);

  write_text(dir.file("m.extxyz"), sample_extxyz(20));
  const std::string molecules = " " + dir.file("m.extxyz") + " --json";
  const auto ensemble = nlohmann::json::parse(e3cpp("predict " + run + molecules).out)["predictions"];
  const auto one = nlohmann::json::parse(e3cpp("predict " + run + "/member-1" + molecules).out)["predictions"];
  const auto two = nlohmann::json::parse(e3cpp("predict " + run + "/member-2" + molecules).out)["predictions"];
  ASSERT_EQ(ensemble.size(), 20u);
  for (size_t i = 0; i < ensemble.size(); ++i) {
    const double a = one[i]["value"], b = two[i]["value"];
    const double mean = (a + b) / 2;
    EXPECT_EQ(ensemble[i]["value"].get<double>(), mean) << i;
    EXPECT_EQ(ensemble[i]["std"].get<double>(), std::sqrt(((a - mean) * (a - mean) + (b - mean) * (b - mean)) / 2)) << i;
  }
  const auto text = e3cpp("predict " + run + " " + dir.file("m.extxyz"));
  EXPECT_NE(text.out.find("\tmu_std [D]\t"), std::string::npos) << text.out;

  const auto flagged = nlohmann::json::parse(e3cpp("predict " + run + molecules + " --flag-uncertain 0").out)["predictions"];
  const auto calm = nlohmann::json::parse(e3cpp("predict " + run + molecules + " --flag-uncertain 1e9").out)["predictions"];
  for (size_t i = 0; i < ensemble.size(); ++i) {
    EXPECT_EQ(flagged[i]["flags"], nlohmann::json::array({"uncertain"})) << i;
    EXPECT_EQ(calm[i]["flags"], nlohmann::json::array()) << i;
  }
  expect_one_line_error(e3cpp("predict " + run + "/member-1" + molecules + " --flag-uncertain 0.1"), 2,
                        "--flag-uncertain needs an ensemble");
  expect_one_line_error(e3cpp("predict " + run + molecules + " --flag-uncertain U0=1"), 2, "--flag-uncertain");

  const auto evaluated = e3cpp("eval " + run + " --json --calibration");
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  const auto calibration = nlohmann::json::parse(evaluated.out)["calibration"];
  EXPECT_EQ(calibration["molecules"], 48);
  const double one_std = calibration["within_1_std"], two_std = calibration["within_2_std"];
  EXPECT_LE(0.0, one_std);
  EXPECT_LE(one_std, two_std);
  EXPECT_LE(two_std, 1.0);
  EXPECT_LE(std::abs(calibration["spearman"].get<double>()), 1.0);
  expect_one_line_error(e3cpp("eval " + run + "/member-1 --calibration"), 2, "--calibration needs an ensemble");

  // eval's per-molecule table and report give the same standard deviations as the calibration.
  ASSERT_EQ(e3cpp("eval " + run + " --predictions " + dir.file("test.csv")).exit_code, 0);
  std::istringstream rows(read_file(dir.file("test.csv")));
  std::string row;
  std::getline(rows, row);
  EXPECT_EQ(row, "id,mu,mu_prediction,mu_std");
  double sum_of_std = 0;
  int64_t count = 0;
  while (std::getline(rows, row)) {
    const double std_of_row = std::stod(row.substr(row.rfind(',') + 1));
    EXPECT_GE(std_of_row, 0.0) << row;
    sum_of_std += std_of_row, ++count;
  }
  EXPECT_EQ(count, 48);
  EXPECT_NEAR(sum_of_std / count, calibration["mean_std"].get<double>(), 1e-12);
  const auto reported = nlohmann::json::parse(e3cpp("report " + run + " --json").out)["runs"][0];
  EXPECT_EQ(reported["members"], 2);
  EXPECT_NEAR(reported["mean_std"]["mu"].get<double>(), calibration["mean_std"].get<double>(), 1e-12);
  const auto member_report = nlohmann::json::parse(e3cpp("report " + run + "/member-1 --json").out)["runs"][0];
  EXPECT_EQ(member_report["members"], 1);
  EXPECT_FALSE(member_report.contains("mean_std"));
  EXPECT_NE(e3cpp("report " + run).out.find("an ensemble of 2 members, the mean of their standard deviations: mu "),
            std::string::npos);

  std::filesystem::remove_all(run + "/member-2");
  const auto resumed = e3cpp("train --resume " + run + " --threads 2");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_EQ(nlohmann::json::parse(e3cpp("predict " + run + "/member-2" + molecules).out)["predictions"], two);
}

// `train --ensemble 2 --nproc 2`: two processes, each training one member with one thread,
// make the members that one process makes one after another with one thread; `--resume --nproc
// 2` trains a missing member again, and the ensemble keeps its configuration in ensemble.json.
TEST(Ensemble, TwoProcessesTrainTheMembersThatOneProcessTrainsInTurn) {
  TempDir dir;
  const std::string common = " --config " + small_config_file("lnet") + " --targets mu --data " + sample_file() +
                             " --epochs 1 --ensemble 2 --out ";
  const auto alone = e3cpp("train --threads 1" + common + dir.file("alone"));
  ASSERT_EQ(alone.exit_code, 0) << alone.out << alone.err;
  const auto shared = e3cpp("train --nproc 2" + common + dir.file("shared"));
  ASSERT_EQ(shared.exit_code, 0) << shared.out << shared.err;
  for (const std::string member : {"member 1 of 2: ", "member 2 of 2: "}) {
    EXPECT_EQ(count_occurrences(shared.out, member), 1u) << shared.out;
  }
  const auto description = nlohmann::json::parse(read_file(dir.file("shared/ensemble.json")));
  EXPECT_EQ(description["members"], 2);
  EXPECT_EQ(description["config"]["seed"], 7);

  write_text(dir.file("m.extxyz"), sample_extxyz(10));
  const auto predictions = [&](const std::string& run) {
    return e3cpp("predict " + run + " " + dir.file("m.extxyz") + " --json --threads 1").out;
  };
  for (const std::string member : {"/member-1", "/member-2"}) {
    EXPECT_EQ(predictions(dir.file("shared") + member), predictions(dir.file("alone") + member)) << member;
  }
  std::filesystem::remove_all(dir.file("shared/member-2"));
  const auto resumed = e3cpp("train --resume " + dir.file("shared") + " --nproc 2");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_EQ(predictions(dir.file("shared/member-2")), predictions(dir.file("alone/member-2")));
  expect_one_line_error(e3cpp("train --resume " + dir.file("shared") + " --learning-rate 1"), 1,
                        "only --epochs, --max-minutes, --checkpoint-minutes and --data may be given");
  expect_one_line_error(e3cpp("train --world-size 2 --rank 1 --master 127.0.0.1:1" + common + dir.file("hand")), 2,
                        "several processes train the members of an ensemble that exists");
}

// A shell command that starts `train_arguments` in the background, waits until the run in
// `run` has validated once (metrics.csv has a line for it), sends `signal` and waits for the
// process: the signal lands while many steps remain, however fast the machine.
std::string signal_after_first_validation(const std::string& train_arguments, const std::string& run,
                                          const std::string& signal) {
  return "(" + kBinary + " " + train_arguments + " & pid=$!; while [ \"$(cat " + run +
         "/metrics.csv 2>/dev/null | wc -l)\" -lt 2 ]; do sleep 0.02; done; kill -" + signal + " $pid; wait $pid)";
}

// A run killed outright (SIGKILL, between validations) and resumed ends exactly where an
// uninterrupted run does: same validation records, same test error.
TEST(TrainRun, KilledRunResumesExactly) {
  TempDir dir;
  const std::string train = "train --threads 2 --config " + small_config_file("lnet") + " --targets mu --data " +
                            sample_file() + " --epochs 4 --validate-every '4 steps' --checkpoint-minutes 0.0005 --out ";
  ASSERT_EQ(e3cpp(train + dir.file("straight")).exit_code, 0);

  const auto killed = run_process(signal_after_first_validation(train + dir.file("killed"), dir.file("killed"), "KILL"));
  EXPECT_EQ(killed.exit_code, 128 + 9);  // the shell's status of a job killed by SIGKILL
  const std::string partial = read_file(dir.file("killed/metrics.csv"));
  ASSERT_LT(std::count(partial.begin(), partial.end(), '\n'), 21) << "the kill came after the last validation";
  const auto resumed = e3cpp("train --threads 2 --resume " + dir.file("killed"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("resuming"), std::string::npos);

  // metrics.csv without its timing columns: epoch to rmse_mu.
  auto records = [](const std::string& csv) {
    std::vector<std::string> lines;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
      size_t end = 0;
      for (int field = 0; field < 8 && end != std::string::npos; ++field) end = line.find(',', end + (field > 0));
      lines.push_back(line.substr(0, end));
    }
    return lines;
  };
  const auto straight_records = records(read_file(dir.file("straight/metrics.csv")));
  EXPECT_EQ(straight_records.size(), 21u);  // 80 steps, a validation every 4
  EXPECT_EQ(records(read_file(dir.file("killed/metrics.csv"))), straight_records);
  EXPECT_EQ(nlohmann::json::parse(e3cpp("eval " + dir.file("killed") + " --json").out)["mae"],
            nlohmann::json::parse(e3cpp("eval " + dir.file("straight") + " --json").out)["mae"]);
}

TEST(TrainRun, CtrlCStopsAfterTheBatchAndSaves) {
  TempDir dir;
  const std::string run = dir.file("interrupted");
  const auto interrupted = run_process(signal_after_first_validation(
      "train --threads 2 --config " + small_config_file("lnet") + " --targets mu --data " + sample_file() +
          " --epochs 4 --validate-every '4 steps' --out " + run,
      run, "INT"));
  EXPECT_EQ(interrupted.exit_code, 130) << interrupted.err;
  EXPECT_NE(interrupted.out.find("interrupted at epoch"), std::string::npos) << interrupted.out;
  EXPECT_NE(interrupted.out.find("Continue with: e3cpp train --resume " + run), std::string::npos);
  const auto resumed = e3cpp("train --threads 2 --resume " + run);
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("finished 4 epochs"), std::string::npos) << resumed.out;
}

TEST(TrainRun, ARunWithoutValidationSaysHowToGetOne) {
  TempDir dir;
  const std::string run = dir.file("run");
  ASSERT_EQ(e3cpp("train --config " + small_config_file("lnet") + " --targets mu --data " + sample_file() +
                  " --max-minutes 0.00001 --out " + run)
                .exit_code,
            0);
  expect_one_line_error(e3cpp("eval " + run), 1, "has not validated yet (no best.pt); continue it with `e3cpp train --resume");
  const auto last = e3cpp("eval " + run + " --checkpoint last --json");
  EXPECT_EQ(last.exit_code, 0) << last.err;
  EXPECT_EQ(nlohmann::json::parse(last.out)["molecules"], 48);
}

TEST_F(TrainCli, BadInputGivesOneLineErrors) {
  TempDir dir;
  write_text(dir.file("unknown_key.json"), R"({"batch_size": 16, "learnin_rate": 0.001})");
  expect_one_line_error(e3cpp("train --config " + dir.file("unknown_key.json") + " --target mu --data x --out " +
                     dir.file("r1")),
               1, "unknown_key.json: unknown key 'learnin_rate'");
  write_text(dir.file("wrong_type.json"), R"({"batch_size": "sixteen"})");
  expect_one_line_error(e3cpp("train --config " + dir.file("wrong_type.json") + " --target mu --data x --out " +
                     dir.file("r2")),
               1, "wrong_type.json: 'batch_size' must be an integer, got \"sixteen\"");
  expect_one_line_error(e3cpp("train --target mu --data " + dir.file("missing.xyz") + " --out " + dir.file("r3")), 1,
               "missing.xyz");
  expect_one_line_error(e3cpp("train --target energy --data " + sample_file() + " --out " + dir.file("r4")), 1,
               "'targets' is invalid: unknown target 'energy'");
  expect_one_line_error(e3cpp("train --targets mu,energy --data " + sample_file() + " --out " + dir.file("r4")), 1,
               "'targets' is invalid: unknown target 'energy'");
  expect_one_line_error(e3cpp("train --target mu --data " + sample_file() + " --out " + dir.file("r5") + " --batch-size x"),
               2, "--batch-size: 'batch_size' must be an integer, got 'x'");
  expect_one_line_error(e3cpp("train --target mu --data " + sample_file() + " --out " + dir.file("r6") + " --patience -2"), 1,
               "'patience' must be at least 0");
  expect_one_line_error(e3cpp("train --target mu --data " + sample_file() + " --out " + dir.file("r7") + " --ema-decay 1"), 1,
               "'ema_decay' must be in [0, 1)");
  expect_one_line_error(e3cpp("train --target mu --data " + sample_file()), 2, "give --out RUN");
  expect_one_line_error(e3cpp("eval " + dir.path()), 1, "not an e3cpp run directory");
  expect_one_line_error(e3cpp("predict " + dir.file("nothing") + " x.xyz"), 1, "no such run directory");
  expect_one_line_error(e3cpp("eval " + kLNet + " --split tests"), 2, "--split must be test, val, train or all");
  expect_one_line_error(e3cpp("eval " + kLNet + " --checkpoint first"), 2, "--checkpoint must be best or last");
  expect_one_line_error(e3cpp("train --resume " + kLNet + " --learning-rate 0.1"), 1, "only --epochs, --max-minutes");
  expect_one_line_error(e3cpp("predict " + kLNet + " " + dir.file("missing.xyz")), 1, "missing.xyz");
}

}  // namespace
}  // namespace e3::testing
