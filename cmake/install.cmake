# Install rules: the library, its public headers, the shipped rules and calendar, and a
# CMake package so consumers can `find_package(workflow CONFIG)` and link workflow::workflow.
include(CMakePackageConfigHelpers)

set(WORKFLOW_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/workflow")

install(TARGETS workflow EXPORT workflowTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY libworkflow/include/workflow DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT workflowTargets NAMESPACE workflow:: DESTINATION ${WORKFLOW_CMAKE_DIR})
install(DIRECTORY rules/ DESTINATION ${CMAKE_INSTALL_DATADIR}/workflow/rules)

configure_package_config_file(cmake/workflowConfig.cmake.in
  "${PROJECT_BINARY_DIR}/workflowConfig.cmake" INSTALL_DESTINATION ${WORKFLOW_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/workflowConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/workflowConfig.cmake"
              "${PROJECT_BINARY_DIR}/workflowConfigVersion.cmake"
        DESTINATION ${WORKFLOW_CMAKE_DIR})
