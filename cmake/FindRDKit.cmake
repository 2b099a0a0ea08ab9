# Finds RDKit's C++ libraries as Debian's librdkit-dev installs them (no CMake package of their
# own) and defines the imported target RDKit::RDKit with the libraries e3::chem uses. RDKit's
# headers include Boost's, so the Boost headers are required too.

find_path(RDKit_INCLUDE_DIR GraphMol/RWMol.h PATH_SUFFIXES rdkit)
find_path(RDKit_Boost_INCLUDE_DIR boost/shared_ptr.hpp)
set(RDKit_COMPONENTS
  FileParsers SmilesParse DistGeomHelpers DistGeometry ForceFieldHelpers ForceField Optimizer
  MolAlign Alignment SubstructMatch GraphMol RDGeometryLib EigenSolvers DataStructs RDGeneral)
set(RDKit_LIBRARIES)
set(RDKit_MISSING)
foreach(component ${RDKit_COMPONENTS})
  find_library(RDKit_${component}_LIBRARY NAMES RDKit${component})
  if(RDKit_${component}_LIBRARY)
    list(APPEND RDKit_LIBRARIES ${RDKit_${component}_LIBRARY})
  else()
    list(APPEND RDKit_MISSING RDKit${component})
  endif()
endforeach()

if(NOT RDKit_INCLUDE_DIR OR NOT RDKit_Boost_INCLUDE_DIR OR RDKit_MISSING)
  set(RDKit_FOUND FALSE)
  if(RDKit_FIND_REQUIRED)
    message(FATAL_ERROR
      "RDKit is missing (headers: ${RDKit_INCLUDE_DIR}; Boost headers: ${RDKit_Boost_INCLUDE_DIR}; "
      "libraries not found: ${RDKit_MISSING}). e3cpp reads SMILES and SDF with it: install "
      "Debian's librdkit-dev and libboost-dev (scripts/install-deps.sh does).")
  endif()
  return()
endif()

set(RDKit_FOUND TRUE)
add_library(RDKit::RDKit INTERFACE IMPORTED)
set_target_properties(RDKit::RDKit PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${RDKit_INCLUDE_DIR};${RDKit_Boost_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "${RDKit_LIBRARIES}")
