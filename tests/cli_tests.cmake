# The `workflow` tool's output is a contract for scripts: these pytest tests pin it.
add_test(NAME cli.pytest
         COMMAND "${WORKFLOW_PYTHON}" -m pytest -q -p no:cacheprovider
                 "${CMAKE_CURRENT_SOURCE_DIR}/cli")
set_tests_properties(cli.pytest PROPERTIES ENVIRONMENT
  "WORKFLOW_CLI=$<TARGET_FILE:workflow_cli>;WORKFLOW_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
