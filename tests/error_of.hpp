// The workflow::Error a call throws, for asserting its code and message; fails the test if
// the call throws nothing.
#pragma once

#include <doctest/doctest.h>

#include "workflow/error.hpp"

namespace workflow::testing {

template <class F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected a workflow::Error");
  return Error(ErrorCode::io_error, "unreachable");
}

}  // namespace workflow::testing
