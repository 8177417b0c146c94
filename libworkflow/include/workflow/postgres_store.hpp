// The PostgreSQL case store: many halls (partitions, e.g. one per county) in one database,
// each with its own hash-chained event log, snapshots, engine state, requests and rule sets.
// Built when the library was configured with WORKFLOW_POSTGRES (the default when libpq is
// found; WORKFLOW_HAS_POSTGRES is then defined). See docs/storage.md and docs/deployment.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "workflow/export.hpp"
#include "workflow/store.hpp"

namespace workflow {

struct WORKFLOW_EXPORT PostgresOptions {
  // Open for reading only (reports, a hot-standby replica): no partition lock is taken, the
  // session is read-only, every append throws, and the partition's writer may write
  // meanwhile. The database must already hold this library's schema version and the
  // partition. Default: false.
  bool read_only = false;
  // Create the schema (or migrate an older one) and the partition if missing; with false an
  // absent schema or partition is an error. Never for read_only. Default: true.
  bool create = true;
  // A writer holds the partition's advisory lock for its life. false: a partition another
  // writer holds is refused at once (store_error naming the holder). true: block until the
  // holder's session ends (a standby engine), then recover from the database. Default: false.
  bool wait_for_lock = false;
  // The session's synchronous_commit, sent as is: "on" (a commit is acknowledged once in
  // the primary's WAL on disk, and on synchronous standbys if configured), "remote_apply",
  // "remote_write", "local" or "off" (may lose the last commits on a server crash; never for
  // a hall). Default: empty, the server's setting (PostgreSQL's default is "on").
  std::string synchronous_commit;
  // A file holding the key of the partition's keyed chain (HMAC-SHA-256), kept outside the
  // database, as SqliteOptions::key_file: a partition with no events given a key becomes
  // keyed for good; a keyed partition needs its key to be opened for writing, and an
  // unkeyed partition with events refuses one. Readers need none (with it, reopening also
  // checks the sealing events' hashes). Default: none (the chain is plain SHA-256).
  std::filesystem::path key_file;
};

// Opens the case store of `partition` (a non-empty name, e.g. "360730" for 宁都县) in the
// database `conninfo` names (libpq keyword/value or URI form). Every table is shared by all
// partitions and keyed by partition; a writer takes the partition's session-level advisory
// lock on its own connection, so one writer per partition is enforced by the database and a
// writer that dies releases it with its session.
// Throws Error(store_error) naming the partition and the problem: no connection, a schema
// newer than this library, a partition held by another writer (its pid, application_name
// and client address), a missing schema or partition when it may not be created.
// Thread safety: like every CaseStore, safe for concurrent use from any number of threads.
WORKFLOW_EXPORT std::unique_ptr<CaseStore> open_postgres_store(const std::string& conninfo,
                                               const std::string& partition,
                                               PostgresOptions options = {});

// Recomputes one partition's hash chain, read-only, in one snapshot of the database, and
// checks every case snapshot against the seal the chain records for it; a keyed partition
// needs options.key_file, options.expect is an anchor (as verify_sqlite_log). Throws like
// open_postgres_store.
WORKFLOW_EXPORT AuditResult verify_postgres_log(const std::string& conninfo,
                                                const std::string& partition,
                                                const AuditOptions& options = {});

// Every partition the database holds, in name order (empty if it holds no case store).
WORKFLOW_EXPORT std::vector<std::string> postgres_partitions(const std::string& conninfo);

// Deletes every row of `partition` in one transaction (nothing if it does not exist). Refused
// (store_error) while an engine has the partition open for writing.
WORKFLOW_EXPORT void drop_postgres_partition(const std::string& conninfo,
                                             const std::string& partition);

// Renames partition `from` to `to` in one transaction, replacing whatever `to` held: readers
// see the old `to` or the new one, never a mix. Refused (store_error) while an engine has
// either open for writing, or if `from` does not exist. `workflow simulate` builds a hall in
// a temporary partition and moves it into place with this.
WORKFLOW_EXPORT void move_postgres_partition(const std::string& conninfo, const std::string& from,
                                             const std::string& to);

// One row of the outbox of cross-county handoffs (跨县通办, docs/deployment.md): written by
// the sender's engine with the command that carries it (Submission::hand_over), taken in by
// the receiver's with the command that names it (Submission::received_from). A plain value.
struct WORKFLOW_EXPORT Handoff {
  std::string from_partition;
  std::uint64_t seq = 0;  // 1, 2, ... per sender: (from_partition, seq) names the handoff
  std::string to_partition;
  std::string payload;
  std::uint64_t sent_position = 0;      // the sender's log position of that command
  std::uint64_t received_position = 0;  // the receiver's, once taken in; 0 until then
};

// The handoffs to `partition` not taken in yet, oldest first per sender, at most `limit`:
// what its engine polls and takes in (docs/deployment.md). Read-only; the partition need not
// exist yet, and a database without an outbox has none. Throws Error(store_error) if the
// database cannot be reached.
WORKFLOW_EXPORT std::vector<Handoff> postgres_pending_handoffs(const std::string& conninfo,
                                                               const std::string& partition,
                                                               std::size_t limit = 100);

// Every handoff `partition` has sent, in order, with whether it was taken in.
WORKFLOW_EXPORT std::vector<Handoff> postgres_sent_handoffs(const std::string& conninfo,
                                                            const std::string& partition);

}  // namespace workflow
