// The seam between the engine and durable storage: an append-only, hash-chained event log
// plus case snapshots. The engine ships an in-memory store and an SQLite store; a hall may
// plug in a server database by implementing CaseStore, without touching the engine.
#pragma once

#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "workflow/case.hpp"
#include "workflow/rules.hpp"
#include "workflow/export.hpp"

namespace workflow {

// The value types below are plain data, safe to copy between threads.
//
// A case's state as the engine encodes it (a private, versioned byte format). Stores keep it
// opaque; the engine decodes it when it reopens a store.
struct WORKFLOW_EXPORT CaseSnapshot {
  CaseId id = 0;
  std::uint32_t last_seq = 0;  // seq of the last event included in this snapshot
  std::string encoded;
};

// A client request id and what it did, so a retried command is answered, not redone.
struct WORKFLOW_EXPORT RequestRecord {
  std::string request_id;
  std::string fingerprint;  // identifies the command; the same id with another is an error
  CaseId case_id = 0;       // the case it created or acted on
};

// A rule set as a store keeps it: every version the store's cases have run under, with its
// files, so that the store alone can explain any case (see Engine::install_rules).
struct WORKFLOW_EXPORT StoredRuleSet {
  std::string version;          // RuleSet::version() of the files
  std::vector<RuleFile> files;  // in name order
  DateTime installed_at;
  std::string installed_by;     // staff id; the engine's system actor for the first set
};

// One command's effect: everything in it becomes durable together, or nothing does.
struct WORKFLOW_EXPORT StoreCommit {
  std::vector<Event> events;         // new events, in order
  // Events whose rules_version is empty carry this one: the engine names the rule set once
  // per commit instead of copying its 64 characters into every event, but only for a store
  // that says it reads this field (CaseStore::takes_commit_rules_version). Such a store
  // keeps, hashes and returns those events exactly as if each carried the version itself.
  // Null (the default): every event carries its own.
  std::shared_ptr<const std::string> rules_version;
  std::vector<CaseSnapshot> cases;   // new snapshots of the cases those events changed
  std::optional<std::string> engine_state;  // engine-wide state (the roster), if it changed
  std::optional<RequestRecord> request;     // the command's request id, if it carried one
  std::optional<StoredRuleSet> rules;       // a rule set installed by this commit, if any
  // Cross-county handoffs (PostgreSQL only: the other stores refuse a commit with either):
  // outbox rows to write, and the row this commit takes in.
  std::vector<HandoffOut> handoffs;
  std::optional<HandoffReceipt> receipt;
};

// One event of the log with its log position: 1, 2, ... in the order the store made events
// durable, across every case (and case 0, the engine's own events); a position is never
// reused and never moves (it is hashed into the chain).
struct LoggedEvent {
  std::uint64_t position = 0;
  Event event;
  // The snapshot seals the chain hashes with this event (docs/storage.md, "Snapshots in the
  // chain"): empty but on the last event of a commit of an SQLite store.
  std::string snapshots;
};

// One page of the change feed (CaseStore::events_after).
struct LogBatch {
  // The durable events after the position asked for, at most `limit`, positions ascending
  // and contiguous.
  std::vector<LoggedEvent> events;
  // The position of the batch's last event (the position asked for if the batch is empty)
  // and the hash chain at it: 64 lower-case hex digits of SHA-256 as docs/storage.md
  // specifies ("000...0", 64 zeros, at position 0).
  std::uint64_t head_position = 0;
  std::string head_hash;
  // The last durable position when the batch was read (>= head_position): how far behind the
  // reader is.
  std::uint64_t last_position = 0;
};

// Implementations must be safe for concurrent access from multiple threads without any
// external synchronization.
class WORKFLOW_EXPORT CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Queues a commit and returns its ticket (increasing). The engine calls this (through
  // append_reusing) under its own lock, in command order, so it must not do I/O; commits
  // become durable in ticket order.
  // Throws Error(store_error) if the store is read-only or has failed.
  virtual std::uint64_t append(StoreCommit commit) = 0;
  // append() for a caller that reuses one StoreCommit from commit to commit (the engine
  // does, under its lock): the store moves or copies out what it keeps and leaves the rest
  // in `commit`, valid but in no particular state, so the vectors' capacity and the
  // snapshot strings' buffers serve the next commit instead of being freed here and
  // allocated again there. The store must not refer to `commit` once this returns; on a
  // throw it keeps nothing of it, as append(). Default: append(std::move(commit)), always
  // correct; a store that copies the events it keeps (the memory store) overrides it to
  // spare the caller's allocations.
  virtual std::uint64_t append_reusing(StoreCommit& commit) { return append(std::move(commit)); }
  // Blocks until every commit up to `ticket` is durable. Commits queued meanwhile by other
  // threads share the transaction (group commit). Throws Error(store_error) if that commit
  // could not be written; once a store has failed, every later append fails, and so does a
  // wait for any commit not durable before the failure. A ticket never issued is
  // Error(invalid_argument).
  virtual void wait_durable(std::uint64_t ticket) = 0;
  // Calls `done` once `ticket` is durable (nullptr) or failed (the error), on a thread of the
  // store's choosing or at once if it already is. `done` must not block.
  virtual void on_durable(std::uint64_t ticket, std::function<void(std::exception_ptr)> done) = 0;

  // Every durable event of a case, in seq order (empty for an unknown case).
  virtual std::vector<Event> history(CaseId id) const = 0;
  // Visits every durable case snapshot, in id order (used when an engine reopens the store).
  virtual void for_each_case(const std::function<void(const CaseSnapshot&)>& visit) const = 0;
  // The last engine-wide state committed, or empty.
  virtual std::string engine_state() const = 0;
  // Every durable rule set committed, in install order (the last is the current one).
  virtual std::vector<StoredRuleSet> rule_sets() const = 0;
  // The request with this id, queued or durable, if any. If two commits carry the same id
  // the first one stands.
  virtual std::optional<RequestRecord> find_request(std::string_view request_id) const = 0;
  // True if the store was opened for reading only: every append throws.
  virtual bool read_only() const noexcept = 0;
  // True if append() gives an event with an empty rules_version the commit's
  // (StoreCommit::rules_version): the engine then leaves it empty in the events it commits.
  // The stores of this library do. Default false, so a store written before the field is
  // given every event complete, as before. The engine asks once, when it opens the store.
  virtual bool takes_commit_rules_version() const noexcept { return false; }

  // The change feed (`workflow export`, a provincial platform's collector): the durable
  // events after log position `position` (0: from the start), at most `limit` of them, with
  // their positions and the chain hash at the batch's last one. Works on a read-only store
  // while another engine writes. Throws Error(invalid_argument) if `position` is beyond the
  // last durable one. Every store must implement it, keeping positions stable and the chain
  // as docs/storage.md specifies (the memory store and the SQLite store do; so must any
  // server-database store).
  virtual LogBatch events_after(std::uint64_t position, std::size_t limit) const = 0;
};

// A store that keeps everything in memory: the default, for tests and simulations.
WORKFLOW_EXPORT std::unique_ptr<CaseStore> make_memory_store();

struct WORKFLOW_EXPORT SqliteOptions {
  // FULL: a command is answered only after the WAL holding it was synced (it survives a
  // power loss); the store syncs the WAL itself after each transaction, overlapping the
  // sync with the next one (docs/storage.md, "synchronous"). NORMAL: SQLite syncs only at
  // checkpoints (survives a crash of the process, may lose the last commits on power loss).
  // Default: true (FULL), because an accepted application must not be lost.
  bool synchronous_full = true;
  // Open for reading only (reports): the database file is never written (like any WAL
  // reader it may create the -wal/-shm side files if no writer left them), every append
  // throws, and another engine may write meanwhile. The file must already be a store of
  // this library's schema version: an empty or older one needs a writer to migrate it.
  // Default: false.
  bool read_only = false;
  // Create the database if the file does not exist or is empty (never for read_only).
  // Default: true.
  bool create = true;
  // A file holding the key of the event log's keyed chain (HMAC-SHA-256, docs/storage.md
  // "Keyed chain"), kept outside the database: its bytes are the key, at least 16 of them.
  // A new store (no events yet) given a key becomes keyed for good; a keyed store needs its
  // key to be opened for writing, and an unkeyed store with events refuses one. Readers need
  // none. Default: none (the chain is plain SHA-256).
  std::filesystem::path key_file;
};

// Opens (or creates) an SQLite case store in WAL mode; see docs/storage.md for the schema.
// Throws Error(store_error) naming the file and the problem for a file that is not an
// SQLite database, a truncated one, a schema newer than this library, or one another engine
// has open for writing; the file is left exactly as it was.
WORKFLOW_EXPORT std::unique_ptr<CaseStore> open_sqlite_store(const std::filesystem::path& path,
                                             SqliteOptions options = {});

// What `workflow audit verify` reports: the first event whose hash does not chain.
struct WORKFLOW_EXPORT AuditResult {
  std::uint64_t events_checked = 0;
  bool ok = true;
  std::uint64_t first_bad_event = 0;  // the log position (events.id) of the first bad event
  CaseId first_bad_case = 0;          // 0 when that event is gone (deleted from the end)
  std::uint32_t first_bad_seq = 0;
  std::string problem;                // e.g. "hash does not match its contents"
  // Every case whose stored snapshot is not the one the chain records for it (edited,
  // replaced by an older one, unsealed, or missing): the stored ones in id order, then the
  // missing ones; snapshot_problems[i] says what is wrong with bad_snapshots[i]. Any makes
  // ok false.
  std::vector<CaseId> bad_snapshots;
  std::vector<std::string> snapshot_problems;
  std::uint64_t snapshots_checked = 0;
  // Snapshots written before schema 4 that no event has sealed yet (the next write seals
  // them): they cannot be checked.
  std::uint64_t snapshots_unsealed = 0;
  bool keyed = false;  // the chain is HMAC-SHA-256 under the key given
};

// What an audit is given besides the store.
struct WORKFLOW_EXPORT AuditOptions {
  // The key file of a keyed store (see SqliteOptions::key_file). Auditing a keyed store
  // without it is Error(store_error) saying so; a store that records an unkeyed chain
  // audited with a key is a finding (a keyed chain may have been replaced). Default: none.
  std::filesystem::path key_file;
  // An anchor: a log position and its chain hash (64 hex digits) recorded elsewhere
  // (`workflow audit head`, the export feed's heads). The audit fails if the event at that
  // position is gone or its hash differs. Default: none.
  std::optional<std::pair<std::uint64_t, std::string>> expect;
};

// Recomputes the hash chain of an SQLite store, read-only, and checks every case snapshot
// against the digest the chain records for it. Throws like open_sqlite_store.
WORKFLOW_EXPORT AuditResult verify_sqlite_log(const std::filesystem::path& path,
                                              const AuditOptions& options = {});

}  // namespace workflow
