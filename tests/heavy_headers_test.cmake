# The build-time target (docs/performance.md, "Build times") depends on two headers that
# cost seconds in every translation unit that includes them staying where they are:
#   Boost.MSM        only in libworkflow/src/lifecycle/lifecycle.cpp (the case lifecycle);
#   CLI11            only in tools/main.cpp (the tool's command line) and
#                    benchmarks/bench_main.cpp (the benchmark's flags).
# Run with cmake -DSOURCE_DIR=... -P: names every other file that includes one, directly or
# through a header of ours (which is itself named), and fails.
cmake_minimum_required(VERSION 3.21)
set(_rules
  "boost/msm/|libworkflow/src/lifecycle/lifecycle.cpp"
  "CLI/|tools/main.cpp,benchmarks/bench_main.cpp")
file(GLOB_RECURSE _files RELATIVE "${SOURCE_DIR}"
     "${SOURCE_DIR}/libworkflow/*.cpp" "${SOURCE_DIR}/libworkflow/*.hpp"
     "${SOURCE_DIR}/tools/*.cpp" "${SOURCE_DIR}/tools/*.hpp"
     "${SOURCE_DIR}/benchmarks/*.cpp" "${SOURCE_DIR}/benchmarks/*.hpp"
     "${SOURCE_DIR}/bindings/*.cpp" "${SOURCE_DIR}/bindings/*.hpp"
     "${SOURCE_DIR}/examples/*.cpp" "${SOURCE_DIR}/tests/*.cpp" "${SOURCE_DIR}/tests/*.hpp")
set(_bad "")
foreach(_rule IN LISTS _rules)
  string(REPLACE "|" ";" _parts "${_rule}")  # prefix|allowed,allowed
  list(GET _parts 0 _prefix)
  list(GET _parts 1 _allowed)
  string(REPLACE "," ";" _allowed "${_allowed}")
  foreach(_file IN LISTS _files)
    if(_file IN_LIST _allowed)
      continue()
    endif()
    file(STRINGS "${SOURCE_DIR}/${_file}" _hits REGEX "^[ \t]*#[ \t]*include[ \t]*<${_prefix}")
    if(_hits)
      string(APPEND _bad "  ${_file}: ${_hits} (allowed only in ${_allowed})\n")
    endif()
  endforeach()
endforeach()
if(_bad)
  message(FATAL_ERROR "heavy headers outside their one translation unit:\n${_bad}")
endif()
