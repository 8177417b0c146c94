// Runs an engine's timers in real time on a Boost.Asio io_context, for hall systems.
#pragma once

#include <cstdint>
#include <memory>

#include "workflow/export.hpp"

namespace boost::asio {
class io_context;
}

namespace workflow {

class Engine;

// Sleeps on a boost::asio::steady_timer until the engine's next due timer (as read from the
// engine's clock), then calls Engine::advance_to(clock now). It re-arms itself after every
// engine event, so a command that creates an earlier deadline is honoured at once.
//
// Construct, start() and stop() on the io_context's thread; the driver is safe to destroy
// only after stop() or after the io_context has stopped running. The Engine must outlive it.
class WORKFLOW_EXPORT AsioDriver {
 public:
  AsioDriver(boost::asio::io_context& io, Engine& engine);
  ~AsioDriver();
  AsioDriver(const AsioDriver&) = delete;
  AsioDriver& operator=(const AsioDriver&) = delete;

  void start();
  void stop();
  // How many times the driver has advanced the engine (for monitoring).
  std::uint64_t advances() const noexcept;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace workflow
