// The baselines each workload is compared with, measured in the same process and run:
//  - SwitchMachine: a hand-written `switch` state machine over the same lifecycle (same
//    phases, verbs and guards as lifecycle.cpp's table), one small struct per case. What a
//    lifecycle costs with nothing else around it.
//  - raw SQLite: the very event rows the engine wrote, read back from its store and inserted
//    into a fresh database with the same `events` table and the same pragmas (WAL,
//    synchronous NORMAL or FULL), either batched or one transaction per command.
//  - a raw scan of a store's `cases` table: the least work any reopening must do.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "workflow/case.hpp"

namespace bench {

class SwitchMachine {
 public:
  enum class Phase : std::uint8_t {
    received, awaiting_materials, on_the_spot, preliminary_review, back_office_review,
    opinions, escalated, decided, issued, refused, withdrawn, terminated,
  };
  struct Case {
    Phase phase = Phase::received;
    workflow::MatterKind kind = workflow::MatterKind::committed;
    std::uint8_t stage = 0, stages = 0;
    std::uint32_t answered = 0;  // joint: one bit per department
    bool complete = true, tolerance = false, suspended = false, extended = false;
  };

  void reserve(std::size_t n) { cases_.reserve(n); }
  // A new case; its handle is its index.
  std::uint32_t submit(workflow::MatterKind kind, int stages, bool complete);
  // True if the verb fires (and the case moved), false if the machine refuses it.
  // `tolerate`: accept under 容缺 (only tolerable materials missing).
  bool act(std::uint32_t handle, workflow::Verb verb, bool tolerate = false);
  const Case& at(std::uint32_t handle) const { return cases_[handle]; }
  std::size_t size() const { return cases_.size(); }

 private:
  std::vector<Case> cases_;
};

// One row of the `events` table, exactly as stored.
struct EventRow {
  std::int64_t id = 0, case_id = 0, seq = 0, time = 0;
  std::string kind, actor, office, post, reason, detail, rules_version, hash, notify;
  std::string snapshots;  // the seal list on a commit's last event (read, not inserted by raw_insert)
};

// A store's event rows and the statement that created its `events` table.
struct EventLog {
  std::string events_table;  // CREATE TABLE ... as in the store's sqlite_master
  std::vector<EventRow> rows;
};

// Every event row of a store, in log order (read-only connection).
EventLog read_event_rows(const std::filesystem::path& store);

// Where each command's rows begin: a command's unit starts with an event given by a person,
// or with the first event of another case (a timer's own unit); the engine's system events
// that follow a command (routed, handoff, light ...) belong to it. Returns start indexes.
std::vector<std::size_t> command_starts(const std::vector<EventRow>& rows);

struct RawRun {
  double seconds = 0;
  std::uint64_t rows = 0;
  std::uint64_t transactions = 0;
  std::uint64_t case_rows = 0;  // raw_insert_store_rows: the `cases` rows it left
};

// Inserts the log's rows into a new database at `path` (replaced if present) with the
// store's own `events` table and pragmas (journal_mode WAL; synchronous FULL or NORMAL). One
// transaction per group: groups start at `starts` (ascending, first 0).
RawRun raw_insert(const std::filesystem::path& path, const EventLog& log,
                  const std::vector<std::size_t>& starts, bool synchronous_full);
// Group starts every `batch` rows.
std::vector<std::size_t> fixed_batches(std::size_t rows, std::size_t batch);
// Group starts every `per_group` commands (`commands` from command_starts): transactions of
// whole commands, as the store writes them.
std::vector<std::size_t> command_groups(const std::vector<std::size_t>& commands,
                                        std::size_t per_group);

// What the store writes besides its events: the statements of its tables and indexes and
// each case's row as the run left it.
struct CaseRow {
  std::int64_t last_seq = 0, sealed_by = 0;
  std::string encoded, seal;
};
struct StoreRows {
  std::vector<std::string> schema;  // CREATE TABLE/INDEX of events, cases, log_head
  std::unordered_map<std::int64_t, CaseRow> cases;
  std::string store_id;
};
StoreRows read_store_rows(const std::filesystem::path& store);

// The rows the store writes, written raw: each event with its seal list, and after a commit's
// last event (the one carrying the list) the upsert of every case row it seals, then the
// head's row once per transaction, into the store's own tables and indexes (schema). The
// run's earlier snapshots are gone: each upsert writes the case's last one. One transaction
// per group as raw_insert. What any code must write per command on this schema, without the
// engine, the hash chain or the group commit: the store's ceiling.
RawRun raw_insert_store_rows(const std::filesystem::path& path, const EventLog& log,
                             const StoreRows& store, const std::vector<std::size_t>& starts,
                             bool synchronous_full);

// Reads every (id, last_seq, encoded) of a store's `cases` table in id order into memory,
// as the store's recovery scan does, and returns the time and the count in `rows`.
RawRun raw_scan_cases(const std::filesystem::path& store);
// The events table read in log order, every column (the export workload's baseline).
RawRun raw_scan_events(const std::filesystem::path& store);

// Removes a database and its -wal and -shm files.
void remove_db(const std::filesystem::path& path);

}  // namespace bench
