// e3cpp rs: show how a representation is laid out.

#include <nlohmann/json.hpp>

#include <iostream>

#include "args.h"
#include "commands.h"
#include "e3/o3/rs.h"

namespace e3::cli {

int run_rs(const Arguments& args) {
  ArgParser parser("e3cpp rs", "Parses a representation in either notation (\"64x0e+21x1o\" or "
                               "\"[(64, 0), (21, 1)]\") and prints its\ndimension and the offset of each "
                               "entry in the flat feature layout (thesis Section 2.4.1).");
  parser.positional("RS", "the representation").flag("simplify", "merge neighbouring entries of equal l first")
      .flag("json", "print one JSON object");
  const auto parsed = parser.parse(args);
  o3::Rs rs;
  try {
    rs = o3::Rs::parse(parsed.positional("RS")[0]);
  } catch (const std::invalid_argument& error) {
    throw UsageError(error.what());
  }
  if (parsed.flag("simplify")) rs = rs.simplify();
  const auto offsets = rs.offsets();
  if (parsed.flag("json")) {
    nlohmann::json entries = nlohmann::json::array();
    for (size_t i = 0; i < rs.size(); ++i) {
      entries.push_back({{"mul", rs[i].mul}, {"l", rs[i].l}, {"parity", rs[i].parity}, {"offset", offsets[i]},
                         {"dim", rs[i].dim()}});
    }
    std::cout << nlohmann::json{{"rs", rs.str()}, {"list", rs.list_str()}, {"dim", rs.dim()}, {"entries", entries}}.dump()
              << "\n";
    return 0;
  }
  std::cout << "Rs:     " << rs.str() << "\n"
            << "list:   " << rs.list_str() << "\n"
            << "dim:    " << rs.dim() << "\n"
            << "lmax:   " << rs.lmax() << "\n"
            << "layout:\n";
  for (size_t i = 0; i < rs.size(); ++i) {
    std::cout << "  [" << offsets[i] << ", " << offsets[i + 1] << ")  " << rs[i].mul << " x l=" << rs[i].l
              << " (" << rs[i].ir_dim() << " components each)\n";
  }
  return 0;
}

}  // namespace e3::cli
