// workflow/version.hpp: the macros come from project(VERSION) and agree with version().
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "workflow/version.hpp"

static_assert(WORKFLOW_VERSION_MAJOR >= 0 && WORKFLOW_VERSION_MINOR >= 0 && WORKFLOW_VERSION_PATCH >= 0);
static_assert(WORKFLOW_VERSION ==
              WORKFLOW_VERSION_MAJOR * 10000 + WORKFLOW_VERSION_MINOR * 100 + WORKFLOW_VERSION_PATCH);

TEST_CASE("version: the library's version() is the headers' MAJOR.MINOR.PATCH") {
  char expected[32];
  std::snprintf(expected, sizeof expected, "%d.%d.%d", WORKFLOW_VERSION_MAJOR, WORKFLOW_VERSION_MINOR,
                WORKFLOW_VERSION_PATCH);
  CHECK(std::string(workflow::version()) == expected);
  CHECK(std::string(WORKFLOW_VERSION_STRING) == expected);
}
