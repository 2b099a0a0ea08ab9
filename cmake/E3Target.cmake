# Shared build settings for every e3cpp target.
#
# Torch's headers dominate compile time, so one precompiled header (<torch/torch.h>) is
# built once, in e3_pch, and reused by every other target.

add_library(e3_pch STATIC ${CMAKE_CURRENT_LIST_DIR}/pch.cpp)
target_link_libraries(e3_pch PUBLIC ${TORCH_LIBRARIES})
target_precompile_headers(e3_pch PRIVATE <torch/torch.h>)
target_compile_options(e3_pch PRIVATE -Wall -Wextra)

# e3_target_defaults(<target>): warnings and the shared precompiled header.
function(e3_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  target_precompile_headers(${target} REUSE_FROM e3_pch)
endfunction()

# e3_add_library(<name> SOURCES <files...> DEPS <targets...>): one layer of the library.
function(e3_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC
    ${PROJECT_SOURCE_DIR}/include ${CMAKE_BINARY_DIR}/generated)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} ${TORCH_LIBRARIES})
  e3_target_defaults(${name})
endfunction()
