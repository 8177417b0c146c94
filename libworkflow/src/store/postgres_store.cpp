// The PostgreSQL case store: like the SQLite store, append() queues a commit under a mutex
// and one writer thread writes everything queued in one transaction (group commit), then
// wakes waiters and runs callbacks. The writer's connection holds the partition's advisory
// lock for the store's life; reads use a second connection and see committed data only.
#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "store/hash_chain.hpp"
#include "store/postgres_store.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {

namespace {

using Callback = std::function<void(std::exception_ptr)>;

class PostgresStore final : public CaseStore {
 public:
  PostgresStore(const std::string& conninfo, const std::string& partition,
                const PostgresOptions& options)
      : partition_(partition), read_only_(options.read_only) {
    if (partition.empty() || partition.find('\0') != std::string::npos) {
      throw Error(ErrorCode::invalid_argument, "a PostgreSQL partition needs a name (no NUL)");
    }
    const std::string key = read_chain_key(options.key_file);
    if (!key.empty()) key_.emplace(key);
    reader_ = std::make_unique<PgSession>(conninfo, partition, read_only_ ? "reader" : "reads");
    if (read_only_) {
      reader_->exec("SET default_transaction_read_only = on", "opening read-only");
      prepare_schema(*reader_, options);
      keyed_ = postgres_chain_keyed(*reader_);
    } else {
      writer_db_ = std::make_unique<PgSession>(conninfo, partition, "writer");
      prepare_schema(*writer_db_, options);
      // Only after the schema exists: the lock is the last check before any write.
      lock_partition(*writer_db_, options.wait_for_lock);
      keyed_ = postgres_chain_keyed(*writer_db_);
      if (!options.synchronous_commit.empty()) {
        writer_db_->query("SELECT set_config('synchronous_commit', $1, false)",
                          PgParams().text(options.synchronous_commit), "setting synchronous_commit");
      }
      prepare_writer();
    }
    prepare_reader();
    if (!read_only_) writer_ = std::thread([this] { run_writer(); });
  }

  // Flushes everything queued (the writer drains the queue before it stops), then closes:
  // closing the writer's connection releases the partition lock.
  ~PostgresStore() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    // Release the partition lock before returning, not when the server gets round to ending
    // the session: PQfinish does not wait, and whoever opens the partition next (a standby,
    // `simulate` moving its finished partition into place) must not find it still held.
    if (writer_db_) {
      try {
        writer_db_->exec("SELECT pg_advisory_unlock_all()", "releasing the partition lock");
      } catch (const std::exception&) {
        // A connection already lost holds no lock any more.
      }
    }
  }

  std::uint64_t append(StoreCommit commit) override {
    std::unique_lock lock(mutex_);
    if (read_only_) throw_pg(partition_, "is open read-only");
    if (failure_) throw Error(ErrorCode::store_error, failure_message_);
    if (stopping_) throw_pg(partition_, "is closing");
    const std::uint64_t ticket = ++issued_;
    if (commit.request) pending_requests_[commit.request->request_id] = {*commit.request, ticket};
    queue_.push_back({ticket, std::move(commit)});
    lock.unlock();
    work_cv_.notify_one();
    return ticket;
  }

  void wait_durable(std::uint64_t ticket) override {
    std::unique_lock lock(mutex_);
    check_issued(ticket);
    durable_cv_.wait(lock, [&] { return durable_ >= ticket || failure_; });
    if (durable_ < ticket) throw Error(ErrorCode::store_error, failure_message_);
  }

  void on_durable(std::uint64_t ticket, Callback done) override {
    std::unique_lock lock(mutex_);
    check_issued(ticket);
    if (durable_ < ticket && !failure_) {
      callbacks_.emplace(ticket, std::move(done));
      return;
    }
    const std::exception_ptr error = durable_ >= ticket ? nullptr : failure_;
    lock.unlock();
    done(error);
  }

  LogBatch events_after(std::uint64_t position, std::size_t limit) const override {
    std::lock_guard lock(read_mutex_);
    return postgres_events_after(*reader_, position, limit);
  }

  std::vector<Event> history(CaseId id) const override {
    std::lock_guard lock(read_mutex_);
    return postgres_history(*reader_, id);
  }


  // Pages of 256 in id order, visited with no lock held (see the SQLite store).
  void for_each_case(const std::function<void(const CaseSnapshot&)>& visit) const override {
    std::int64_t after = 0;
    for (;;) {
      std::vector<CaseSnapshot> page;
      {
        std::lock_guard lock(read_mutex_);
        const PgResult r = reader_->run("cases_page", PgParams().text(partition_).integer(after),
                                        "reading case snapshots");
        std::vector<std::int64_t> sealed_by;
        for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
          page.push_back({static_cast<CaseId>(pg_int(r.get(), i, 0)),
                          static_cast<std::uint32_t>(pg_int(r.get(), i, 1)),
                          pg_bytes(r.get(), i, 2)});
          sealed_by.push_back(pg_int(r.get(), i, 3));
        }
        seals_->check(page, sealed_by);
      }
      if (page.empty()) return;
      after = static_cast<std::int64_t>(page.back().id);
      for (const CaseSnapshot& s : page) visit(s);
    }
  }

  std::string engine_state() const override {
    std::lock_guard lock(read_mutex_);
    const PgResult r =
        reader_->run("engine_state", PgParams().text(partition_), "reading the engine state");
    return PQntuples(r.get()) > 0 ? pg_bytes(r.get(), 0, 0) : std::string();
  }

  std::vector<StoredRuleSet> rule_sets() const override {
    std::lock_guard lock(read_mutex_);
    const PgResult r = reader_->run("rule_sets", PgParams().text(partition_), "reading rule sets");
    std::vector<StoredRuleSet> out;
    for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
      const std::int64_t position = pg_int(r.get(), i, 0);
      out.push_back(StoredRuleSet{pg_bytes(r.get(), i, 1),
                                  decode_rule_files(pg_bytes(r.get(), i, 4), position),
                                  DateTime::from_seconds(pg_int(r.get(), i, 2)),
                                  pg_bytes(r.get(), i, 3)});
    }
    return out;
  }

  // A request leaves pending_requests_ only after its transaction committed.
  std::optional<RequestRecord> find_request(std::string_view request_id) const override {
    {
      std::lock_guard lock(mutex_);
      const auto it = pending_requests_.find(std::string(request_id));
      if (it != pending_requests_.end()) return it->second.first;
    }
    std::lock_guard lock(read_mutex_);
    const PgResult r = reader_->run("find_request", PgParams().text(partition_).text(request_id),
                                    "looking up a request");
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return RequestRecord{std::string(request_id), pg_bytes(r.get(), 0, 0),
                         static_cast<CaseId>(pg_int(r.get(), 0, 1))};
  }

  bool read_only() const noexcept override { return read_only_; }
  bool takes_commit_rules_version() const noexcept override { return true; }

  PostgresStats stats() const {
    PostgresStats out;
    {
      std::lock_guard lock(mutex_);
      out = stats_;
    }
    std::lock_guard lock(read_mutex_);
    out.sealing_events_read = seals_->events_read();
    return out;
  }

 private:
  struct Queued {
    std::uint64_t ticket;
    StoreCommit commit;
  };

  void check_issued(std::uint64_t ticket) const {
    if (ticket > issued_) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("PostgreSQL partition '{}': ticket {} was never issued", partition_,
                              ticket));
    }
  }

  void prepare_reader() {
    prepare_store_reads(*reader_);
    seals_.emplace(postgres_seal_check(*reader_, keyed_, key_ ? &*key_ : nullptr));
  }

  void prepare_writer() {
    PgSession& w = *writer_db_;
    prepare_store_writes(w);
    // Continue the chain from the head, not from the last row (see the SQLite store).
    const PgResult head = w.query("SELECT last_id, hash FROM wf_log_head WHERE partition = $1",
                                  PgParams().text(partition_), "reading the log head");
    if (PQntuples(head.get()) > 0) load_head(pg_int(head.get(), 0, 0), pg_bytes(head.get(), 0, 1));
    const PgResult last = w.query(
        "SELECT id, hash FROM wf_events WHERE partition = $1 ORDER BY id DESC LIMIT 1",
        PgParams().text(partition_), "reading the log head");
    if (PQntuples(last.get()) > 0 && pg_int(last.get(), 0, 0) > last_id_) {
      load_head(pg_int(last.get(), 0, 0), pg_bytes(last.get(), 0, 1));
    }
    head_row_id_ = PQntuples(head.get()) > 0 ? pg_int(head.get(), 0, 0) : -1;
    check_postgres_chain_key(w, last_id_, keyed_, key_ ? &*key_ : nullptr);
    const PgResult unsealed = w.query(
        "SELECT 1::bigint FROM wf_cases WHERE partition = $1 AND sealed_by = 0 LIMIT 1",
        PgParams().text(partition_), "reading unsealed snapshots");
    unsealed_ = PQntuples(unsealed.get()) > 0;
  }

  void load_head(std::int64_t id, const std::string& hash) {
    last_id_ = id;
    head_ = {};
    std::copy_n(hash.begin(), std::min(hash.size(), head_.size()), head_.begin());
  }

  void run_writer() {
    std::unique_lock lock(mutex_);
    for (;;) {
      work_cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything is written
      std::vector<Queued> batch;
      batch.swap(queue_);
      std::exception_ptr error = failure_;
      std::string message;
      lock.unlock();
      if (!error) {
        try {
          write(batch);
        } catch (const std::exception& e) {
          error = std::current_exception();
          message = e.what();
          const std::string prefix = fmt::format("PostgreSQL partition '{}': ", partition_);
          if (!message.starts_with(prefix)) {  // e.g. a value refused before it was sent
            message = prefix + message;
            error = std::make_exception_ptr(Error(ErrorCode::store_error, message));
          }
        }
      }
      const std::uint64_t last = batch.back().ticket;
      const std::size_t commits = batch.size();
      batch.clear();
      lock.lock();
      if (error && !failure_) {
        failure_ = error;
        failure_message_ = std::move(message);
      } else if (!error) {
        durable_ = last;
        ++stats_.transactions;
        stats_.commits += commits;
      }
      std::erase_if(pending_requests_, [&](const auto& kv) { return kv.second.second <= last; });
      const auto end = error ? callbacks_.end() : callbacks_.upper_bound(durable_);
      std::vector<Callback> due;
      for (auto it = callbacks_.begin(); it != end; ++it) due.push_back(std::move(it->second));
      callbacks_.erase(callbacks_.begin(), end);
      lock.unlock();
      durable_cv_.notify_all();
      for (Callback& done : due) {
        try {
          done(error);
        } catch (...) {
          // A callback must not throw; the writer thread must not die of it either.
        }
      }
      lock.lock();
    }
  }

  // One transaction for the whole batch; the in-memory head moves only after COMMIT. Its
  // statements go in a libpq pipeline: BEGIN, every row and the log head in one round trip,
  // then COMMIT in a second once the head is known to have moved from where this writer
  // left it (a round trip per statement was what limited it: docs/performance.md). The
  // pipeline ends before the catch below rolls back.
  void write(const std::vector<Queued>& batch) {
    PgSession& w = *writer_db_;
    try {
      // Snapshots left unsealed (rare: by a commit without an event, or before schema 3) are
      // read before the pipeline starts; the group's first commit with an event seals them.
      PgGroupSnapshots snapshots;
      if (unsealed_) {
        const PgResult rows = w.run("unsealed_rows", PgParams().text(partition_),
                                    "reading unsealed snapshots");
        for (int i = 0, n = PQntuples(rows.get()); i < n; ++i) {
          snapshots.stored_unsealed(pg_int(rows.get(), i, 0), pg_int(rows.get(), i, 1),
                                    pg_bytes(rows.get(), i, 2));
        }
      }
      PgPipeline p(w);
      p.send_sql("BEGIN", "writing");
      std::int64_t id = last_id_;
      Sha256::Digest head = head_;
      PgEventRows events;
      for (const Queued& q : batch) {
        // The last event of each commit seals its snapshots and any left unsealed before it,
        // exactly as in the SQLite store (docs/storage.md, "Snapshots in the chain").
        const std::int64_t sealing =
            q.commit.events.empty() ? 0 : id + static_cast<std::int64_t>(q.commit.events.size());
        const std::string seals = snapshots.commit(q.commit.cases, sealing);
        for (const Event& e : q.commit.events) {
          const std::string_view kind = to_string(e.kind);
          ++id;
          const std::string_view listed = id == sealing ? std::string_view(seals) : "";
          const ChainedEvent c{id, static_cast<std::int64_t>(e.case_id), e.seq, kind,
                               e.time.seconds(), e.actor, e.office, e.post, e.reason,
                               e.detail, version_of(e, q.commit), e.notify, listed};
          head = chain_hash(head, c, key_ ? &*key_ : nullptr);
          events.add(c, digest_bytes(head));
        }
        if (q.commit.engine_state) {
          p.send("put_engine", PgParams().text(partition_).bytes(*q.commit.engine_state),
                 "writing the engine state");
        }
        if (const auto& rs = q.commit.rules) {
          p.send("put_rules",
                 PgParams().text(partition_).text(rs->version).integer(rs->installed_at.seconds())
                     .text(rs->installed_by).bytes(encode_rule_files(rs->files)),
                 "writing a rule set");
        }
        // The outbox rows and the receipt share the command's transaction (and position).
        for (const HandoffOut& h : q.commit.handoffs) {
          p.send("put_handoff",
                 PgParams().text(partition_).text(h.to_partition).bytes(h.payload).integer(id),
                 "writing a handoff to the outbox");
        }
        if (const auto& got = q.commit.receipt) {
          p.send("take_handoff",
                 PgParams().text(got->from_partition)
                     .integer(static_cast<std::int64_t>(got->seq)).text(partition_).integer(id),
                 "marking a handoff received");
        }
        if (const auto& r = q.commit.request) {
          p.send("put_request",
                 PgParams().text(partition_).text(r->request_id).text(r->fingerprint)
                     .integer(static_cast<std::int64_t>(r->case_id)),
                 "writing a request");
        }
      }
      if (events.size() > 0) {
        p.send("insert_events", events.params(partition_), "writing the events");
      }
      // Before put_cases: only the rows stored unsealed before the group still have 0.
      if (snapshots.stored_sealed_by() != 0) {
        p.send("seal_rest", PgParams().text(partition_).integer(snapshots.stored_sealed_by()),
               "sealing snapshots");
      }
      if (!snapshots.empty()) {
        p.send("put_cases", snapshots.params(partition_), "writing case snapshots");
      }
      const bool moves = id != last_id_;
      if (moves) {
        p.send("put_head",
               PgParams().text(partition_).integer(id).bytes(digest_bytes(head))
                   .integer(head_row_id_),
               "writing the log head");
      }
      const std::vector<PgResult> results = p.sync();
      if (moves && std::string_view(PQcmdTuples(results.back().get())) != "1") {
        throw_pg(partition_, "the log head moved under this writer: another engine wrote "
                             "the partition");
      }
      p.send_sql("COMMIT", "committing");
      p.sync();
      if (id != last_id_) head_row_id_ = id;
      last_id_ = id;
      head_ = head;
      unsealed_ = snapshots.unsealed();
    } catch (...) {
      PQclear(PQexec(w.get(), "ROLLBACK"));
      throw;
    }
  }

  const std::string partition_;
  const bool read_only_;

  // Used by the writer thread only (and the constructor before it starts).
  std::unique_ptr<PgSession> writer_db_;
  std::int64_t last_id_ = 0;
  std::int64_t head_row_id_ = -1;  // last_id in wf_log_head, -1 while there is no row
  Sha256::Digest head_{};
  bool unsealed_ = false;  // some snapshots have sealed_by 0

  bool keyed_ = false;             // wf_partitions.chain: HMAC-SHA-256
  std::optional<HmacSha256> key_;  // the key, if a key file was given

  mutable std::mutex read_mutex_;  // the read connection
  std::unique_ptr<PgSession> reader_;
  mutable std::optional<SealCheck> seals_;  // on the read connection

  mutable std::mutex mutex_;  // everything below
  std::condition_variable work_cv_, durable_cv_;
  std::vector<Queued> queue_;
  std::multimap<std::uint64_t, Callback> callbacks_;
  std::unordered_map<std::string, std::pair<RequestRecord, std::uint64_t>> pending_requests_;
  std::uint64_t issued_ = 0, durable_ = 0;
  std::exception_ptr failure_;
  std::string failure_message_;
  bool stopping_ = false;
  PostgresStats stats_;
  std::thread writer_;
};

}  // namespace

PostgresStats postgres_stats(const CaseStore& store) {
  const auto* pg = dynamic_cast<const PostgresStore*>(&store);
  if (pg == nullptr) throw Error(ErrorCode::invalid_argument, "not a PostgreSQL store");
  return pg->stats();
}

}  // namespace workflow::detail

namespace workflow {

std::unique_ptr<CaseStore> open_postgres_store(const std::string& conninfo,
                                               const std::string& partition,
                                               PostgresOptions options) {
  return std::make_unique<detail::PostgresStore>(conninfo, partition, options);
}

}  // namespace workflow
