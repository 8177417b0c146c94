# Packaging test (after fmt's test/find-package-test): install the build into a scratch
# prefix, then configure, build and run a tiny consumer that uses find_package(workflow).
set(_wf_prefix "${CMAKE_CURRENT_BINARY_DIR}/find-package-test/prefix")
add_test(NAME packaging.install
         COMMAND "${CMAKE_COMMAND}" --install "${PROJECT_BINARY_DIR}" --prefix "${_wf_prefix}")
set_tests_properties(packaging.install PROPERTIES FIXTURES_SETUP workflow_installed)

add_test(NAME packaging.find_package
         COMMAND "${CMAKE_CTEST_COMMAND}"
                 --build-and-test "${CMAKE_CURRENT_SOURCE_DIR}/find-package-test"
                                  "${CMAKE_CURRENT_BINARY_DIR}/find-package-test/build"
                 --build-generator "${CMAKE_GENERATOR}"
                 --build-makeprogram "${CMAKE_MAKE_PROGRAM}"
                 --build-options "-DCMAKE_PREFIX_PATH=${_wf_prefix}"
                                 "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}"
                 --test-command consumer "${_wf_prefix}/${CMAKE_INSTALL_DATADIR}/workflow/rules")
set_tests_properties(packaging.find_package PROPERTIES
  FIXTURES_REQUIRED workflow_installed
  PASS_REGULAR_EXPRESSION "consumer: ok: 2025-10-09 after 2025-09-30; [0-9]+ matters in ningdu")
