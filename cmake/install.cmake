# Install rules: the library, its public headers (and the generated version.hpp, export.hpp),
# the shipped rules and calendar, the licence, a CMake package so consumers can
# `find_package(workflow CONFIG)` and link workflow::workflow, and workflow.pc for pkg-config.
include(CMakePackageConfigHelpers)

set(WORKFLOW_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/workflow")
set(WORKFLOW_RULES_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/workflow/rules")

install(TARGETS workflow EXPORT workflowTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY libworkflow/include/workflow DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES "${WORKFLOW_GENERATED_INCLUDE_DIR}/workflow/version.hpp"
              "${WORKFLOW_GENERATED_INCLUDE_DIR}/workflow/export.hpp"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/workflow)
install(EXPORT workflowTargets NAMESPACE workflow:: DESTINATION ${WORKFLOW_CMAKE_DIR})
install(DIRECTORY rules/ DESTINATION ${WORKFLOW_RULES_INSTALL_DIR})
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/workflow)

# A static library needs its private dependencies found by consumers too; a shared one not.
get_target_property(_workflow_type workflow TYPE)
if(_workflow_type STREQUAL "SHARED_LIBRARY")
  set(WORKFLOW_PACKAGE_STATIC OFF)
else()
  set(WORKFLOW_PACKAGE_STATIC ON)
endif()
configure_package_config_file(cmake/workflowConfig.cmake.in
  "${PROJECT_BINARY_DIR}/workflowConfig.cmake" INSTALL_DESTINATION ${WORKFLOW_CMAKE_DIR}
  PATH_VARS WORKFLOW_RULES_INSTALL_DIR)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/workflowConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/workflowConfig.cmake"
              "${PROJECT_BINARY_DIR}/workflowConfigVersion.cmake"
        DESTINATION ${WORKFLOW_CMAKE_DIR})

# workflow.pc: prefix is found from the .pc file's own place (${pcfiledir}), so the file stays
# right whatever --prefix the tree is installed to or moved to.
file(RELATIVE_PATH WORKFLOW_PC_TO_PREFIX "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig"
     "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" WORKFLOW_PC_TO_PREFIX "${WORKFLOW_PC_TO_PREFIX}")
# The PostgreSQL store links libpq when it is built: named in Libs.private rather than as
# Requires.private libpq, whose --static closure asks for libpgcommon/libpgport archives that
# Debian ships only with the server development package.
set(WORKFLOW_PC_LIBS_PRIVATE "-pthread")
if(WORKFLOW_POSTGRES)
  string(PREPEND WORKFLOW_PC_LIBS_PRIVATE "-lpq ")
endif()
configure_file(cmake/workflow.pc.in "${PROJECT_BINARY_DIR}/workflow.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/workflow.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
