# The packaging tests' steps (cmake -P), driven by find_package_test.cmake:
#
#   -DSTEP=install -DBUILD=... -DPREFIX=...      install BUILD into a clean PREFIX
#   -DSTEP=find_package -DPREFIX=... -DBUILD=... -DSOURCE=<tests/find-package-test> -DREADME=...
#       configure, build and run the consumer project against PREFIX with find_package:
#       readme_example (the README's snippet verbatim) and consumer (workflow_RULES_DIR)
#   -DSTEP=pkg_config -DPREFIX=... -DBUILD=... -DSOURCE=... -DREADME=... -DCXX=...
#       compile the README's snippet with `pkg-config --cflags --libs --static workflow`
#   -DSTEP=shared -DPREFIX=... -DBUILD=... -DPROJECT_SOURCE=... -DGENERATOR=...
#       configure the library alone as a shared library (once; the build dir is reused and
#       ccache makes rebuilds cheap), build and install it into PREFIX, then check that it
#       exports the public API and nothing of workflow::detail
#
# The environment's WORKFLOW_RULES_DIR is cleared: the programs must find the rules alone.
cmake_minimum_required(VERSION 3.21)
unset(ENV{WORKFLOW_RULES_DIR})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(run_quiet)
    message("$ ${ARGN}\n${err}")
  else()
    message("$ ${ARGN}\n${out}${err}")
  endif()
  if(NOT rc EQUAL 0)
    list(GET ARGN 0 what)
    message(FATAL_ERROR "failed (${rc}): ${what}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

function(expect text regex what)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${what}: expected output matching\n  ${regex}\ngot\n${text}")
  endif()
endfunction()

set(readme_output "case 1: issued\n")

if(STEP STREQUAL "install")
  file(REMOVE_RECURSE "${PREFIX}")
  run("${CMAKE_COMMAND}" --install "${BUILD}" --prefix "${PREFIX}")

elseif(STEP STREQUAL "find_package")
  run("${CMAKE_COMMAND}" -S "${SOURCE}" -B "${BUILD}" -G "${GENERATOR}"
      "-DCMAKE_PREFIX_PATH=${PREFIX}" "-DWORKFLOW_README=${README}" "-DCMAKE_BUILD_TYPE=Release"
      ${EXTRA_OPTIONS})
  expect("${run_output}" "workflow_RULES_DIR = ${PREFIX}/[^\n]*share/workflow/rules"
         "workflow_RULES_DIR from the package config")
  run("${CMAKE_COMMAND}" --build "${BUILD}" -j2)
  run("${BUILD}/readme_example")
  expect("${run_output}" "^${readme_output}$" "the README's snippet")
  run("${BUILD}/consumer")
  expect("${run_output}" "consumer: ok: 2025-10-09 after 2025-09-30; [0-9]+ matters in ningdu; version [0-9]+\\.[0-9]+\\.[0-9]+"
         "the consumer of workflow_RULES_DIR")

elseif(STEP STREQUAL "pkg_config")
  find_program(PKG_CONFIG NAMES pkgconf pkg-config REQUIRED)
  include("${SOURCE}/readme_snippet.cmake")
  file(MAKE_DIRECTORY "${BUILD}")
  workflow_readme_snippet("${README}" "${BUILD}/readme_example.cpp")
  file(GLOB pc_dirs "${PREFIX}/lib*/pkgconfig" "${PREFIX}/lib*/*/pkgconfig")
  set(ENV{PKG_CONFIG_PATH} "${pc_dirs}")
  run("${PKG_CONFIG}" --cflags --libs --static workflow)
  string(STRIP "${run_output}" flags)
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run("${PKG_CONFIG}" --modversion workflow)
  expect("${run_output}" "^[0-9]+\\.[0-9]+\\.[0-9]+" "pkg-config --modversion")
  run("${PKG_CONFIG}" --variable=rulesdir workflow)
  string(STRIP "${run_output}" rulesdir)
  if(NOT IS_DIRECTORY "${rulesdir}/sandu" OR NOT IS_DIRECTORY "${rulesdir}/calendar")
    message(FATAL_ERROR "pkg-config's rulesdir ${rulesdir} holds no installed rules")
  endif()
  run("${CXX}" -std=c++20 -O1 "${BUILD}/readme_example.cpp" -o "${BUILD}/readme_example" ${flags})
  # Without CMake's hint the program finds the rules through WORKFLOW_RULES_DIR.
  set(ENV{WORKFLOW_RULES_DIR} "${rulesdir}")
  run("${BUILD}/readme_example")
  expect("${run_output}" "^${readme_output}$" "the README's snippet built with pkg-config")

elseif(STEP STREQUAL "shared")
  if(NOT EXISTS "${BUILD}/CMakeCache.txt")
    find_program(CCACHE ccache)
    set(launcher "")
    if(CCACHE)
      set(launcher "-DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE}")
    endif()
    run("${CMAKE_COMMAND}" -S "${PROJECT_SOURCE}" -B "${BUILD}" -G "${GENERATOR}"
        -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DWORKFLOW_INSTALL=ON
        -DWORKFLOW_BUILD_TESTS=OFF -DWORKFLOW_BUILD_EXAMPLES=OFF -DWORKFLOW_BUILD_BENCHMARKS=OFF
        -DWORKFLOW_BUILD_TOOLS=OFF -DWORKFLOW_BUILD_PYTHON=OFF ${launcher})
  endif()
  run("${CMAKE_COMMAND}" --build "${BUILD}" -j2 --target workflow)
  file(REMOVE_RECURSE "${PREFIX}")
  run("${CMAKE_COMMAND}" --install "${BUILD}" --prefix "${PREFIX}")
  file(GLOB_RECURSE sonames "${PREFIX}/lib*/libworkflow.so.*")
  file(GLOB_RECURSE statics "${PREFIX}/lib*/libworkflow.a")
  if(NOT sonames OR statics)
    message(FATAL_ERROR "expected libworkflow.so.* and no libworkflow.a in ${PREFIX}")
  endif()
  file(GLOB_RECURSE lib "${PREFIX}/lib*/libworkflow.so")
  run(objdump -p "${lib}")
  expect("${run_output}" "SONAME +libworkflow\\.so\\.[0-9]+\\.[0-9]+\n" "the SONAME (MAJOR.MINOR while 0.x)")
  set(run_quiet ON)
  run(nm -D --defined-only -C "${lib}")
  set(run_quiet OFF)
  set(exports "${run_output}")
  expect("${exports}" "workflow::Engine::Engine\\(" "an exported Engine")
  expect("${exports}" "workflow::RuleSet::load\\(" "an exported RuleSet::load")
  expect("${exports}" "typeinfo for workflow::Error" "an exported workflow::Error")
  # Free functions of every public header are exported too (each needs WORKFLOW_EXPORT).
  expect("${exports}" "workflow::supervise\\(" "an exported supervise()")
  expect("${exports}" "workflow::mask_identity_numbers(\\[abi:cxx11\\])?\\(" "an exported mask_identity_numbers()")
  expect("${exports}" "workflow::diff_rules\\(" "an exported diff_rules()")
  expect("${exports}" "workflow::Period::quarter\\(" "an exported Period::quarter()")
  expect("${exports}" "workflow::Engine::install_rules\\(" "an exported Engine::install_rules")
  # Symbols of namespace workflow::detail (functions, variables, typeinfo, vtables). A private
  # member of an exported class may still mention a detail type in its signature, e.g.
  # workflow::Calendar::Calendar(std::shared_ptr<workflow::detail::CalendarData const>).
  set(detail_symbol "[0-9a-f]+ [A-Za-z] ([a-zA-Z ]+ for )?workflow::detail::[^\n]*")
  string(REGEX MATCHALL "${detail_symbol}" leaked "${exports}")
  if(leaked)
    list(LENGTH leaked n)
    list(SUBLIST leaked 0 10 first)
    string(REPLACE ";" "\n" first "${first}")
    message(FATAL_ERROR "${n} workflow::detail symbols exported, e.g.\n${first}")
  endif()
  message("libworkflow.so exports the public API and no workflow::detail symbol")

else()
  message(FATAL_ERROR "packaging_test.cmake: unknown STEP '${STEP}'")
endif()
