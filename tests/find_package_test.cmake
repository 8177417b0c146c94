# Packaging tests (after fmt's test/find-package-test), each against a scratch install prefix
# in the build tree (never /usr/local or /opt/workflow); tests/packaging_test.cmake has the steps.
#   packaging.install        installs this build (the default static library) into prefix-static
#   packaging.find_package   builds and runs the consumer in find-package-test/ against it:
#                            the README's "Using the library" snippet verbatim, and a program
#                            given the package's workflow_RULES_DIR
#   packaging.pkg_config     compiles and runs the README's snippet with
#                            `pkg-config --cflags --libs --static workflow`
#   packaging.shared         builds the library alone with -DBUILD_SHARED_LIBS=ON (one reused
#                            scratch build dir), installs it into prefix-shared and checks it
#                            exports no workflow::detail symbol
#   packaging.shared_find_package   the same consumer against the shared install
set(_wf_dir "${CMAKE_CURRENT_BINARY_DIR}/find-package-test")
set(_wf_script "${CMAKE_CURRENT_SOURCE_DIR}/packaging_test.cmake")
set(_wf_consumer "${CMAKE_CURRENT_SOURCE_DIR}/find-package-test")
set(_wf_readme "${PROJECT_SOURCE_DIR}/README.md")
set(_wf_common -DSOURCE=${_wf_consumer} -DREADME=${_wf_readme} -DGENERATOR=${CMAKE_GENERATOR}
               -DCXX=${CMAKE_CXX_COMPILER} -DPROJECT_SOURCE=${PROJECT_SOURCE_DIR})

add_test(NAME packaging.install
         COMMAND "${CMAKE_COMMAND}" -DSTEP=install -DBUILD=${PROJECT_BINARY_DIR}
                 -DPREFIX=${_wf_dir}/prefix-static -P ${_wf_script})
set_tests_properties(packaging.install PROPERTIES FIXTURES_SETUP workflow_installed LABELS packaging)

add_test(NAME packaging.find_package
         COMMAND "${CMAKE_COMMAND}" -DSTEP=find_package ${_wf_common}
                 -DPREFIX=${_wf_dir}/prefix-static -DBUILD=${_wf_dir}/build-static -P ${_wf_script})
add_test(NAME packaging.pkg_config
         COMMAND "${CMAKE_COMMAND}" -DSTEP=pkg_config ${_wf_common}
                 -DPREFIX=${_wf_dir}/prefix-static -DBUILD=${_wf_dir}/build-pkg-config -P ${_wf_script})
set_tests_properties(packaging.find_package packaging.pkg_config PROPERTIES
  FIXTURES_REQUIRED workflow_installed LABELS packaging TIMEOUT 300)

add_test(NAME packaging.shared
         COMMAND "${CMAKE_COMMAND}" -DSTEP=shared ${_wf_common}
                 -DPREFIX=${_wf_dir}/prefix-shared -DBUILD=${_wf_dir}/library-shared -P ${_wf_script})
set_tests_properties(packaging.shared PROPERTIES
  FIXTURES_SETUP workflow_shared_installed LABELS packaging TIMEOUT 600)
add_test(NAME packaging.shared_find_package
         COMMAND "${CMAKE_COMMAND}" -DSTEP=find_package ${_wf_common}
                 -DPREFIX=${_wf_dir}/prefix-shared -DBUILD=${_wf_dir}/build-shared -P ${_wf_script})
set_tests_properties(packaging.shared_find_package PROPERTIES
  FIXTURES_REQUIRED workflow_shared_installed LABELS packaging TIMEOUT 300)
