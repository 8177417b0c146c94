// workflow/asio.hpp: the engine's asynchronous commands with Asio completion tokens.
#include "workflow/asio.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <thread>

#include "error_of.hpp"
#include "hall_fixture.hpp"

using namespace workflow;
using namespace workflow::testing;

TEST_CASE("async_submit and async_act complete on the io_context with the result") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  boost::asio::io_context io;
  CaseId submitted = 0;
  std::thread::id ran_on;
  async_submit(hall.engine, io.get_executor(),
               Submission{"360730-SCJG-0004", "nd", "nd-s001", "甲", food_licence_materials()},
               [&](std::exception_ptr e, CaseId id) {
                 CHECK_FALSE(e);
                 submitted = id;
                 ran_on = std::this_thread::get_id();
               });
  CHECK(submitted == 0);  // the handler runs on the io_context, not inside the call
  io.run();
  CHECK(submitted == 1);
  CHECK(ran_on == std::this_thread::get_id());

  // A refused command reaches the handler as its exception.
  io.restart();
  std::exception_ptr refused;
  Action stranger;
  stranger.actor = "nd-s022";
  async_act(hall.engine, io.get_executor(), 1, Verb::accept, stranger,
            [&](std::exception_ptr e) { refused = e; });
  io.run();
  REQUIRE(refused);
  CHECK(error_of([&] { std::rethrow_exception(refused); }).code() ==
        ErrorCode::permission_denied);
}

TEST_CASE("async_act works with use_future") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id =
      hall.engine.submit({"360730-SCJG-0004", "nd", "nd-s001", "甲", food_licence_materials()});
  boost::asio::io_context io;
  std::thread runner;
  auto guard = boost::asio::make_work_guard(io);
  runner = std::thread([&] { io.run(); });
  Action accept;
  accept.actor = "nd-s001";
  auto done = async_act(hall.engine, io.get_executor(), id, Verb::accept, accept,
                        boost::asio::use_future);
  done.get();  // rethrows a failure, if any
  guard.reset();
  runner.join();
  CHECK(hall.state(id) == CaseState::preliminary_review);
}
