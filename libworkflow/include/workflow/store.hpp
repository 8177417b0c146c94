// The seam between the engine and durable storage: an append-only event log plus case
// snapshots. The engine ships an in-memory store and an SQLite store; a hall may plug in a
// server database by implementing CaseStore, without touching the engine.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "workflow/case.hpp"

namespace workflow {

// A case's state as the engine encodes it (a private, versioned byte format). Stores keep it
// opaque; the engine decodes it when it reopens a store.
struct CaseSnapshot {
  CaseId id = 0;
  std::uint32_t last_seq = 0;  // seq of the last event included in this snapshot
  std::string encoded;
};

// One command's effect: everything in it becomes durable together, or nothing does.
struct StoreCommit {
  std::span<const Event> events;         // new events, in order
  std::span<const CaseSnapshot> cases;   // new snapshots of the cases those events changed
  const std::string* engine_state = nullptr;  // engine-wide state (absences, counters), if changed
};

// Implementations must be safe for concurrent access from multiple threads without any
// external synchronization (the engine may read histories while committing).
class CaseStore {
 public:
  virtual ~CaseStore() = default;
  // Makes the commit durable before returning; throws Error(store_error) and keeps nothing
  // of it on failure.
  virtual void commit(const StoreCommit& commit) = 0;
  // Every event of a case, in seq order (empty for an unknown case).
  virtual std::vector<Event> history(CaseId id) const = 0;
  // Visits every case snapshot, in id order (used when an engine reopens the store).
  virtual void for_each_case(const std::function<void(const CaseSnapshot&)>& visit) const = 0;
  // The last engine-wide state committed, or empty.
  virtual std::string engine_state() const = 0;
};

// A store that keeps everything in memory: the default, for tests and simulations.
std::unique_ptr<CaseStore> make_memory_store();

}  // namespace workflow
