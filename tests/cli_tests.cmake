# The `workflow` tool's output is a contract for scripts: these pytest tests pin it.
# With the PostgreSQL store built, against a throwaway cluster (with_cluster.sh, see
# tests/CMakeLists.txt), so test_postgres.py runs the commands on a partition too.
set(workflow_cli_cluster)
if(WORKFLOW_POSTGRES)
  set(workflow_cli_cluster "${CMAKE_CURRENT_SOURCE_DIR}/postgres/with_cluster.sh")
endif()
add_test(NAME cli.pytest
         COMMAND ${workflow_cli_cluster} "${WORKFLOW_PYTHON}" -m pytest -q -p no:cacheprovider
                 "${CMAKE_CURRENT_SOURCE_DIR}/cli")
set_tests_properties(cli.pytest PROPERTIES ENVIRONMENT
  "WORKFLOW_CLI=$<TARGET_FILE:workflow_cli>;WORKFLOW_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
