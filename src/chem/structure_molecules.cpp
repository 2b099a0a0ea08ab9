#include "structure_molecules.h"

#include <filesystem>

namespace e3::chem {

std::vector<data::Molecule> structure_molecules(const Structure& structure, const data::Molecule& record) {
  std::vector<data::Molecule> molecules;
  const size_t count = structure.conformers.size();
  for (size_t k = 0; k < count; ++k) {
    data::Molecule molecule = record;
    if (count > 1) molecule.id += ":" + std::to_string(k);
    molecule.atomic_numbers = structure.atomic_numbers;
    molecule.positions = structure.conformers[k];
    molecule.charge = structure.charge;
    if (molecule.smiles.empty()) molecule.smiles = structure.smiles;
    molecule.geometry = structure.geometry;
    molecule.conformer = structure.geometry.empty() ? -1 : static_cast<int64_t>(k);
    molecules.push_back(std::move(molecule));
  }
  return molecules;
}

EmbeddingOptions embedding_options(const data::ReadOptions& options) {
  EmbeddingOptions embedding;
  embedding.conformers = options.conformers;
  embedding.seed = options.embedding_seed;
  embedding.xtb = options.optimize == "xtb";
  return embedding;
}

std::string unnamed_id(const std::string& path, int64_t record) {
  return std::filesystem::path(path).filename().string() + "#" + std::to_string(record);
}

}  // namespace e3::chem
