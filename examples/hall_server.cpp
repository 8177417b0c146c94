// A hall server's loop: the engine on a boost::asio::io_context, its timers run in real time
// by workflow::AsioDriver, window commands given through the Asio completion-token API
// (workflow/asio.hpp). One instant case (即办件) of 三都镇 goes from the window to the result
// while the server runs; a real-time timer of about 1.5 s then shuts the server down.
//
//   hall_server RULES_DIR CALENDAR_DIR
//
// The clock follows real time from a fixed hall moment (Monday 2025-03-03 09:10), so the run
// is the same whatever day it is; a production server would pass workflow::SystemClock.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs std::exchange

#include <boost/asio.hpp>

#include <workflow/asio.hpp>
#include <workflow/asio_driver.hpp>
#include <workflow/engine.hpp>

namespace {

// Real time, starting at a chosen hall moment.
class RunningClock final : public workflow::Clock {
 public:
  explicit RunningClock(workflow::DateTime start)
      : start_(start), origin_(std::chrono::steady_clock::now()) {}
  workflow::DateTime now() const override {
    const auto elapsed =
        std::chrono::floor<std::chrono::seconds>(std::chrono::steady_clock::now() - origin_);
    return start_.plus_seconds(elapsed.count());
  }

 private:
  const workflow::DateTime start_;
  const std::chrono::steady_clock::time_point origin_;
};

std::string name(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: hall_server RULES_DIR CALENDAR_DIR\n");
    return 2;
  }
  try {
    boost::asio::io_context io;
    auto clock = std::make_shared<RunningClock>(workflow::DateTime::parse("2025-03-03T09:10"));
    workflow::Engine engine(workflow::RuleSet::load(argv[1]), workflow::Calendar::load(argv[2]),
                            clock);
    // Observers run on the thread that gave the command; print on the server's thread.
    engine.subscribe([&io](const workflow::Event& e) {
      boost::asio::post(io, [line = std::string(to_string(e.kind)) + " by " + e.actor + " at " +
                                    e.office,
                             id = e.case_id, seq = e.seq] {
        std::printf("hall_server: case %llu #%u %s\n", static_cast<unsigned long long>(id), seq,
                    line.c_str());
      });
    });

    workflow::AsioDriver driver(io, engine);
    driver.start();

    int failures = 0;
    const auto ex = io.get_executor();
    workflow::Action clerk;
    clerk.actor = "sd-s07";
    workflow::Submission application{"430481-SD-SHSW-0001", "ly-sd", "sd-s07", "刘桂英",
                                     {"居民身份证或户口簿", "城乡居民基本养老保险参保登记表"}};
    // submit → accept → approve → issue, each step started when the previous one is durable.
    workflow::async_submit(engine, ex, application, [&](std::exception_ptr e, workflow::CaseId id) {
      if (e) return (void)(++failures, std::fprintf(stderr, "hall_server: submit: %s\n", name(e).c_str()));
      workflow::async_act(engine, ex, id, workflow::Verb::accept, clerk, [&, id](std::exception_ptr e) {
        if (e) return (void)(++failures, std::fprintf(stderr, "hall_server: accept: %s\n", name(e).c_str()));
        workflow::async_act(engine, ex, id, workflow::Verb::approve, clerk, [&, id](std::exception_ptr e) {
          if (e) return (void)(++failures, std::fprintf(stderr, "hall_server: approve: %s\n", name(e).c_str()));
          workflow::async_act(engine, ex, id, workflow::Verb::issue, clerk, [&, id](std::exception_ptr e) {
            if (e) return (void)(++failures, std::fprintf(stderr, "hall_server: issue: %s\n", name(e).c_str()));
            const workflow::CaseView v = engine.get(id);
            std::printf("hall_server: case %llu: %s, %s, %zu events\n",
                        static_cast<unsigned long long>(v.id), std::string(to_string(v.state)).c_str(),
                        std::string(to_string(v.decision)).c_str(), v.history.size());
          });
        });
      });
    });

    // The server runs until this real-time timer fires (a real one: until told to stop).
    const auto started = std::chrono::steady_clock::now();
    boost::asio::steady_timer closing(io, std::chrono::milliseconds(1500));
    closing.async_wait([&](const boost::system::error_code&) {
      const auto ran = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
      std::printf("hall_server: closing after %lld ms of real time; hall time %s; the driver "
                  "advanced the engine %llu times\n",
                  static_cast<long long>(ran.count()), clock->now().to_string().c_str(),
                  static_cast<unsigned long long>(driver.advances()));
      driver.stop();
      io.stop();
    });
    io.run();
    return failures == 0 ? 0 : 1;
  } catch (const workflow::Error& e) {
    std::fprintf(stderr, "hall_server: %s\n", e.what());
    return 1;
  }
}
