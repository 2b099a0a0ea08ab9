#pragma once
// How the random search divides a number of components between order-zero and order-one
// features (thesis Section 3.2.1, equation (3.4)).

#include <cstdint>
#include <string>

namespace e3::search {

/// Multiplicities of Y^0 (scalars, 1 component each) and Y^1 (vectors, 3 components each).
struct ComponentSplit {
  int64_t scalars = 0;  ///< R_0
  int64_t vectors = 0;  ///< R_1

  /// The representation "R0x0+R1x1".
  std::string rs() const;
  /// Its dimension R_0 + 3 R_1.
  int64_t dimension() const { return scalars + 3 * vectors; }
};

/// (3.4) for `components` C (at least 4) and a uniform random p in [0, 1].
///
/// As printed, (3.4) reads R_0 = pC, R_1 = (1 - p)C, which makes the dimension R_0 + 3 R_1
/// exceed C. Table 3.4 shows that C counts components: ARandNet's FC 107 is 20x0+29x1
/// (20 + 3*29 = 107) and its OC 89 is 5x0+28x1 (5 + 3*28 = 89), so p splits the components and
/// the Y^1 share is divided by 3: R_0 = round(pC), R_1 = round((1 - p)C / 3). BRandNet's FC 94
/// printed as 94x0+1x1 (dimension 97) shows both multiplicities kept at least 1, which is done
/// here too. The dimension is then within 2 of C (more only when a multiplicity is raised to 1).
ComponentSplit split_components(int64_t components, double p);

}  // namespace e3::search
