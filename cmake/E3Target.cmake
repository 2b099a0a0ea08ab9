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

# e3_without_pch(<files...>): sources that include no Torch header. Loading the precompiled
# header (over 500 MB) costs a translation unit about 4 s, several times what such a file takes
# to compile on its own; a file listed here that starts to include Torch still compiles (slower).
function(e3_without_pch)
  set_source_files_properties(${ARGN} DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
endfunction()

# e3_add_library(<name> SOURCES <files...> [PLAIN_SOURCES <files...>] DEPS <targets...>): one
# layer of the library; PLAIN_SOURCES include no Torch header (see e3_without_pch).
function(e3_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PLAIN_SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES} ${ARG_PLAIN_SOURCES})
  if(ARG_PLAIN_SOURCES)
    e3_without_pch(${ARG_PLAIN_SOURCES})
  endif()
  target_include_directories(${name} PUBLIC
    ${PROJECT_SOURCE_DIR}/include ${CMAKE_BINARY_DIR}/generated)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} ${TORCH_LIBRARIES})
  e3_target_defaults(${name})
endfunction()
