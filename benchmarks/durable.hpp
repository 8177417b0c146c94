// Where lifecycle-durable's engines keep their cases, and the raw baselines each run is
// compared with: the SQLite store (synchronous NORMAL and FULL; durable_sqlite.cpp) or a
// PostgreSQL partition (synchronous_commit on and off; durable_postgres.cpp). The runs
// themselves (blocking and pipelined clients) are the same for both (workloads_durable.cpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hall.hpp"
#include "report.hpp"

namespace bench {

class DurableBackend {
 public:
  virtual ~DurableBackend() = default;
  // "SQLite" or "PostgreSQL", for the baseline's name.
  virtual std::string name() const = 0;
  // Put before every run's variant: "" for SQLite (as before PostgreSQL came), "postgres ".
  virtual std::string variant_prefix() const = 0;
  // The durability settings to run, in order; the headline is measured under the last.
  virtual std::vector<std::string> syncs() const = 0;
  // A fresh, empty store for the run named `run` (e.g. "FULL-8"), under `sync`.
  virtual std::shared_ptr<CaseStore> open(const std::string& run, const std::string& sync) = 0;
  // After the engine let go of the store (`store` is the last reference): the run's event
  // count, its raw baselines and ratios; then the run's data is removed.
  virtual void finish(Result& r, const std::string& run, const std::string& sync,
                      std::shared_ptr<CaseStore> store) = 0;
};

std::unique_ptr<DurableBackend> sqlite_backend(const Config& cfg);    // durable_sqlite.cpp
// Throws if the benchmark was built without PostgreSQL.
std::unique_ptr<DurableBackend> postgres_backend(const Config& cfg);  // durable_postgres.cpp

// Result::extra's value under `key`, 0 if absent.
double extra_of(const Result& r, const std::string& key);

}  // namespace bench
