// The SQLite case store: append() queues a commit under a mutex; the first client waiting
// for it (or, for asynchronous callers, the writer thread) writes everything queued in one
// transaction (group commit), then wakes waiters and runs callbacks. With synchronous FULL
// the store syncs the WAL itself after the COMMIT (sqlite_wal_sync.hpp): a leading client
// syncs its own transaction, the notifier thread those of the writer thread while it writes
// the next. Reads use a second, read-only connection (WAL readers never block the writer).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "store/sqlite_prefetch.hpp"
#include "store/sqlite_store.hpp"
#include "store/sqlite_wal_sync.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {

namespace {

using Callback = std::function<void(std::exception_ptr)>;

class SqliteStore final : public CaseStore {
 public:
  SqliteStore(std::filesystem::path path, const SqliteOptions& options)
      : path_(std::move(path)), read_only_(options.read_only),
        file_(open_store_file(path_, options)) {
    keyed_ = store_info(file_.db.get(), path_, "chain") == "hmac-sha256";
    const std::string key = read_chain_key(options.key_file);
    if (!key.empty()) key_.emplace(key);
    if (!read_only_) {
      read_db_ = open_read_connection(path_);
      prepare_writer();
      if (options.synchronous_full) {
        // FULL: SQLite's COMMIT no longer syncs (its checkpoints still sync the WAL before
        // copying it and DB after); the store syncs the WAL before acknowledging.
        if (sqlite3_exec(file_.db.get(), "PRAGMA synchronous = NORMAL", nullptr, nullptr,
                         nullptr) != SQLITE_OK) {
          throw_sqlite(path_, file_.db.get(), "setting synchronous");
        }
        wal_sync_.emplace(path_);
      }
    }
    store_id_ = store_info(file_.db.get(), path_, "store_id");
    sqlite3* r = reader();
    // Row seals are checked under the key; a keyed store read without it (read-only) cannot
    // check a MAC, so it checks each snapshot against its sealing event's list as before.
    if (!keyed_ || key_) {
      rows_.emplace(r, path_, store_id_, key_ ? &*key_ : nullptr);
    } else {
      seals_.emplace(sqlite_seal_check(r, path_, keyed_, nullptr));
    }
    history_ = {r, path_,
                "SELECT case_id, seq, kind, time, actor, office, post, reason, detail, "
                "rules_version, notify FROM events WHERE case_id = ? ORDER BY seq"};
    cases_page_ = {r, path_,
                   "SELECT id, last_seq, encoded, sealed_by, seal FROM cases WHERE id > ? ORDER "
                   "BY id LIMIT 256"};
    engine_state_ = {r, path_, "SELECT value FROM engine WHERE key = 'state'"};
    find_request_ = {r, path_, "SELECT fingerprint, case_id FROM requests WHERE request_id = ?"};
    rule_sets_ = {r, path_,
                  "SELECT position, version, installed_at, installed_by, files FROM rule_sets "
                  "ORDER BY position"};
    events_after_ = {r, path_,
                     "SELECT id, case_id, seq, kind, time, actor, office, post, reason, detail, "
                     "rules_version, notify, hash, snapshots FROM events WHERE id > ? ORDER BY "
                     "id LIMIT ?"};
    hash_at_ = {r, path_, "SELECT hash FROM events WHERE id = ?"};
    last_position_ = {r, path_, "SELECT COALESCE(MAX(id), 0) FROM events"};
    cases_root_ = {r, path_, "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'cases'"};
    page_size_ = {r, path_, "PRAGMA page_size"};
    if (!read_only_) {
      checkpointer_.emplace(file_.db.get(), path_);
      notifier_ = std::thread([this] { run_notifier(); });
      writer_ = std::thread([this] { run_writer(); });
    }
  }

  // Flushes everything queued (the writer drains the queue before it stops), then closes.
  ~SqliteStore() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    // Every callback handed over by then runs before the store is gone.
    {
      std::lock_guard lock(notify_mutex_);
      notify_stopping_ = true;
    }
    notify_cv_.notify_one();
    if (notifier_.joinable()) notifier_.join();
  }

  std::uint64_t append(StoreCommit commit) override {
    // The seal entries of the commit's own snapshots (their SHA-256 digests), computed on
    // the calling thread before the lock: the writer thread, the serial part of every
    // durable command, only adds the entries of rows left unsealed before (rare).
    std::string seals;
    if (!commit.events.empty()) {
      for (const CaseSnapshot& snap : commit.cases) {
        append_seal(seals, static_cast<std::int64_t>(snap.id), snap.last_seq, snap.encoded);
      }
    }
    std::unique_lock lock(mutex_);
    if (read_only_) fail("is open read-only");
    if (!commit.handoffs.empty() || commit.receipt) {
      fail("has no outbox: cross-county handoffs need the PostgreSQL store");
    }
    if (failure_) throw Error(ErrorCode::store_error, failure_message_);
    if (stopping_) fail("is closing");
    const std::uint64_t ticket = ++issued_;
    if (commit.request) pending_requests_[commit.request->request_id] = {*commit.request, ticket};
    queue_.push_back({ticket, std::move(commit), std::move(seals)});
    // No wake-up here: a blocking caller writes its commit itself in wait_durable, an
    // asynchronous one wakes the writer thread in on_durable.
    return ticket;
  }

  void wait_durable(std::uint64_t ticket) override {
    std::unique_lock lock(mutex_);
    check_issued(ticket);
    // Leader/follower: the only waiting client, finding its commit queued while nobody
    // writes, writes the queue itself (its commit and everything queued with it) instead of
    // waking the writer thread and sleeping until it is woken back: two thread handoffs
    // saved. With several clients waiting the writer thread writes, as before: leading
    // clients wrote transactions of one or two commits each and spent 2.5x the CPU per
    // command (docs/performance.md), where the writer's wake-up lets more commits gather.
    ++waiting_;
    // Leaving may make another waiter the only one: wake it to lead what is queued.
    struct Leave {
      SqliteStore& s;
      ~Leave() {
        if (--s.waiting_ == 1 && !s.queue_.empty() && !s.writing_) s.durable_cv_.notify_all();
      }
    } leave{*this};
    for (;;) {
      if (durable_ >= ticket) return;
      if (failure_) throw Error(ErrorCode::store_error, failure_message_);
      if (!writing_ && !queue_.empty() && waiting_ == 1) {
        write_queued(lock, /*leader=*/true);
        continue;
      }
      if (!writing_ && !queue_.empty()) work_cv_.notify_one();
      durable_cv_.wait(lock);
    }
  }

  void on_durable(std::uint64_t ticket, Callback done) override {
    std::unique_lock lock(mutex_);
    check_issued(ticket);
    if (durable_ < ticket && !failure_) {
      callbacks_.emplace(ticket, std::move(done));
      const bool wake = !writing_;
      lock.unlock();
      if (wake) work_cv_.notify_one();
      return;
    }
    const std::exception_ptr error = durable_ >= ticket ? nullptr : failure_;
    lock.unlock();
    done(error);
  }

  std::vector<Event> history(CaseId id) const override {
    std::lock_guard lock(read_mutex_);
    ResetOnExit guard{history_};
    history_.bind(1, static_cast<std::int64_t>(id));
    std::vector<Event> events;
    while (history_.step()) {
      events.push_back(read_event(history_, 0));
    }
    return events;
  }

  LogBatch events_after(std::uint64_t position, std::size_t limit) const override {
    std::lock_guard lock(read_mutex_);
    // One read transaction: the events, the head and the last position agree.
    ReadTransaction tx(reader(), path_);
    LogBatch batch;
    {
      ResetOnExit guard{last_position_};
      last_position_.step();
      batch.last_position = static_cast<std::uint64_t>(last_position_.int64(0));
    }
    if (position > batch.last_position) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("{}: log position {} is beyond the last one ({})", path_.string(),
                              position, batch.last_position));
    }
    batch.head_position = position;
    std::string head(32, '\0');
    if (position > 0) {
      ResetOnExit guard{hash_at_};
      hash_at_.bind(1, static_cast<std::int64_t>(position));
      if (hash_at_.step()) head = hash_at_.blob(0);
    }
    {
      ResetOnExit guard{events_after_};
      events_after_.bind(1, static_cast<std::int64_t>(position));
      events_after_.bind(2, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
      while (events_after_.step()) {
        const auto p = static_cast<std::uint64_t>(events_after_.int64(0));
        batch.events.push_back({p, read_event(events_after_, 1), events_after_.blob(13)});
        batch.head_position = p;
        head = events_after_.blob(12);
      }
    }
    Sha256::Digest digest{};
    std::copy_n(head.begin(), std::min(head.size(), digest.size()), digest.begin());
    batch.head_hash = to_hex(digest);
    return batch;
  }

  // Pages of 256 in id order, visited with no lock held: `visit` may call back into the
  // store, and a huge store is never held in memory at once.
  void for_each_case(const std::function<void(const CaseSnapshot&)>& visit) const override {
    // A read-only store may be read while an engine writes: all its pages come from one read
    // transaction, so the cases read (and whatever the visitor reads meanwhile on this
    // thread) are one state of the store, not pages of different moments. A writing store
    // has no other writer, so its pages need not share a transaction.
    std::unique_lock whole(read_mutex_, std::defer_lock);
    std::optional<ReadTransaction> one_state;
    if (read_only_) {
      whole.lock();
      one_state.emplace(reader(), path_);
    }
    // From a cold cache the case rows' pages would be read one at a time, each waiting for
    // the disk: a helper names them all from the table's interior pages and has the kernel
    // read them ahead (sqlite_prefetch.hpp). Stopped and joined when the reading ends.
    std::atomic<bool> stop{false};
    std::jthread ahead;
    {
      std::lock_guard lock(read_mutex_);
      ResetOnExit r{cases_root_}, p{page_size_};
      if (cases_root_.step() && page_size_.step()) {
        const auto root = static_cast<std::uint32_t>(cases_root_.int64(0));
        const auto size = static_cast<std::uint32_t>(page_size_.int64(0));
        const int fd = file_.guard.fd();
        ahead = std::jthread([fd, root, size, &stop] {
          read_ahead(fd, size, table_leaf_runs(fd, size, root), stop);
        });
      }
    }
    struct Stop {
      std::atomic<bool>& stop;
      ~Stop() { stop = true; }  // before `ahead` joins
    } stop_on_exit{stop};
    std::int64_t after = 0;
    for (;;) {
      std::vector<CaseSnapshot> page;
      {
        std::lock_guard lock(read_mutex_);
        // One read transaction for the page and its seals: they agree, and SQLite takes its
        // shared lock once per page instead of once per statement (two fcntl calls each).
        ReadTransaction tx(reader(), path_);
        CaseRows rows = read_case_rows(cases_page_, after, true);
        if (rows_) {
          rows_->check(rows.snapshots, rows.sealed_by, rows.seals);
        } else {
          seals_->check(rows.snapshots, rows.sealed_by);
        }
        page = std::move(rows.snapshots);
      }
      if (page.empty()) return;
      after = static_cast<std::int64_t>(page.back().id);
      for (const CaseSnapshot& s : page) visit(s);
    }
  }

  std::string engine_state() const override {
    std::lock_guard lock(read_mutex_);
    ResetOnExit guard{engine_state_};
    return engine_state_.step() ? engine_state_.blob(0) : std::string();
  }

  std::vector<StoredRuleSet> rule_sets() const override {
    std::lock_guard lock(read_mutex_);
    ResetOnExit guard{rule_sets_};
    std::vector<StoredRuleSet> out;
    while (rule_sets_.step()) {
      const std::int64_t position = rule_sets_.int64(0);
      out.push_back(StoredRuleSet{rule_sets_.text(1), decode_rule_files(rule_sets_.blob(4), position),
                                  DateTime::from_seconds(rule_sets_.int64(2)), rule_sets_.text(3)});
    }
    return out;
  }

  // A request leaves pending_requests_ only after its transaction committed, so a request
  // missing there and then read from the database cannot fall between the two.
  std::optional<RequestRecord> find_request(std::string_view request_id) const override {
    {
      std::lock_guard lock(mutex_);
      const auto it = pending_requests_.find(std::string(request_id));
      if (it != pending_requests_.end()) return it->second.first;
    }
    std::lock_guard lock(read_mutex_);
    ResetOnExit guard{find_request_};
    find_request_.bind_text(1, request_id);
    if (!find_request_.step()) return std::nullopt;
    return RequestRecord{std::string(request_id), find_request_.text(0),
                         static_cast<CaseId>(find_request_.int64(1))};
  }

  bool read_only() const noexcept override { return read_only_; }
  bool takes_commit_rules_version() const noexcept override { return true; }

  SqliteStats stats() const {
    SqliteStats out;
    {
      std::lock_guard lock(mutex_);
      out = stats_;
      if (checkpointer_) {
        out.checkpoints = checkpointer_->checkpoints();
        out.inline_checkpoints = checkpointer_->inline_checkpoints();
      }
    }
    std::lock_guard lock(read_mutex_);
    out.sealing_events_read = seals_ ? seals_->events_read() : 0;
    return out;
  }

 private:
  struct Queued {
    std::uint64_t ticket;
    StoreCommit commit;
    std::string seals;  // append_seal of commit.cases if it has events (computed in append)
  };

  // An event from columns first.. first+10 (case_id, seq, kind, time, actor, office, post,
  // reason, detail, rules_version, notify).
  Event read_event(const Statement& s, int first) const {
    Event e;
    e.case_id = static_cast<CaseId>(s.int64(first));
    e.seq = static_cast<std::uint32_t>(s.int64(first + 1));
    const std::string kind = s.text(first + 2);
    const auto parsed = parse_event_kind(kind);
    if (!parsed) {
      fail(fmt::format("has an event of unknown kind '{}' (case {} seq {})", kind, e.case_id,
                       e.seq));
    }
    e.kind = *parsed;
    e.time = DateTime::from_seconds(s.int64(first + 3));
    e.actor = s.text(first + 4);
    e.office = s.text(first + 5);
    e.post = s.text(first + 6);
    e.reason = s.text(first + 7);
    e.detail = s.text(first + 8);
    e.rules_version = s.text(first + 9);
    e.notify = s.text(first + 10);
    return e;
  }

  [[noreturn]] void fail(std::string_view problem) const {
    throw Error(ErrorCode::store_error, fmt::format("{} {}", path_.string(), problem));
  }

  void check_issued(std::uint64_t ticket) const {
    if (ticket > issued_) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("{}: ticket {} was never issued", path_.string(), ticket));
    }
  }

  sqlite3* reader() const { return read_only_ ? file_.db.get() : read_db_.get(); }

  void prepare_writer() {
    sqlite3* w = file_.db.get();
    insert_event_ = {w, path_,
                     "INSERT INTO events (id, case_id, seq, kind, time, actor, office, post, "
                     "reason, detail, rules_version, hash, notify, snapshots) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"};
    put_case_ = {w, path_,
                 "INSERT INTO cases (id, last_seq, encoded, sealed_by, seal) VALUES (?,?,?,?,?) "
                 "ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq, encoded = "
                 "excluded.encoded, sealed_by = excluded.sealed_by, seal = excluded.seal"};
    unsealed_rows_ = {w, path_, "SELECT id, last_seq, encoded FROM cases WHERE sealed_by = 0"};
    seal_rest_ = {w, path_, "UPDATE cases SET sealed_by = ?, seal = ? WHERE id = ? AND sealed_by = 0"};
    put_engine_ = {w, path_,
                   "INSERT INTO engine (key, value) VALUES ('state', ?) ON CONFLICT (key) "
                   "DO UPDATE SET value = excluded.value"};
    // The first record of a request id stands, as find_request answered it.
    put_request_ = {w, path_,
                    "INSERT OR IGNORE INTO requests (request_id, fingerprint, case_id) "
                    "VALUES (?,?,?)"};
    put_rules_ = {w, path_,
                  "INSERT INTO rule_sets (position, version, installed_at, installed_by, files) "
                  "VALUES ((SELECT COALESCE(MAX(position), 0) + 1 FROM rule_sets), ?, ?, ?, ?)"};
    put_head_ = {w, path_,
                 "INSERT INTO log_head (singleton, last_id, hash, store_id) VALUES (1, ?, ?, "
                 "(SELECT value FROM store_info WHERE key = 'store_id')) ON CONFLICT "
                 "(singleton) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash, "
                 "store_id = excluded.store_id"};
    begin_ = {w, path_, "BEGIN IMMEDIATE"};
    commit_ = {w, path_, "COMMIT"};
    // Continue the chain from the head, not from the last row: an event deleted at the end
    // then stays visible to the audit as a gap instead of being written over.
    Statement head(w, path_, "SELECT last_id, hash FROM log_head");
    if (head.step()) load_head(head.int64(0), head.blob(1));
    head.reset();
    Statement last(w, path_, "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1");
    if (last.step() && last.int64(0) > last_id_) load_head(last.int64(0), last.blob(1));
    last.reset();
    check_chain_key(w, path_, last_id_, keyed_, key_ ? &*key_ : nullptr);
    Statement unsealed(w, path_, "SELECT EXISTS (SELECT 1 FROM cases WHERE sealed_by = 0)");
    unsealed_ = unsealed.step() && unsealed.int64(0) != 0;
    unsealed.reset();
  }

  void load_head(std::int64_t id, const std::string& hash) {
    last_id_ = id;
    head_ = {};
    std::copy_n(hash.begin(), std::min(hash.size(), head_.size()), head_.begin());
  }

  // The writer thread writes what no single waiting client leads: the commits of
  // asynchronous callers (on_durable wakes it), those of several blocking clients (the
  // second waiter wakes it), whatever is left when the store closes, and, as a safety net,
  // a commit nobody waits for (within kUnclaimed, or kIdle if it was asleep on an empty
  // queue).
  void run_writer() {
    constexpr auto kUnclaimed = std::chrono::milliseconds(10);
    constexpr auto kIdle = std::chrono::seconds(1);
    std::unique_lock lock(mutex_);
    std::uint64_t seen = 0;  // the first queued ticket at the last look
    for (;;) {
      const bool claimable = !writing_ && !queue_.empty();
      // A commit left unclaimed for a whole look (a leader missed its turn) is written too.
      const bool stale = claimable && queue_.front().ticket == seen;
      seen = queue_.empty() ? 0 : queue_.front().ticket;
      // FULL: at most one transaction ahead of the sync. One written while an earlier one
      // still waits for its sync to begin would be durable no sooner (the next sync covers
      // both), only smaller: its commits wait in the queue and join the next one instead.
      // sync_written wakes this thread when a sync begins or ends.
      const bool ahead = wal_sync_ && written_ > (syncing_ ? sync_target_ : durable_);
      if (claimable && (stopping_ || stale || failure_ || (waiting_ != 1 && !ahead))) {
        write_queued(lock, /*leader=*/false);
        continue;
      }
      if (stopping_ && !writing_ && queue_.empty()) return;  // everything is written
      // An append does not wake this thread: look again soon while commits are queued,
      // now and then while none are.
      work_cv_.wait_for(lock, queue_.empty() ? kIdle : kUnclaimed);
    }
  }

  // Writes everything queued in one transaction, marks it written and (NORMAL) durable, or
  // the store failed, then releases the waiters and callbacks that became due. With FULL the
  // transaction becomes durable only through sync_written(): a leading client (`leader`,
  // waiting for its own commit anyway) syncs at once; the writer thread hands the sync to
  // the notifier thread and goes on to the next transaction. Called with `lock` held,
  // !writing_ and a non-empty queue, on the writer thread or a leading client (CaseStore lets
  // the store choose); returns with it held. writing_ hands the write connection from thread
  // to thread under mutex_: one writer at a time.
  void write_queued(std::unique_lock<std::mutex>& lock, bool leader) {
    writing_ = true;
    std::vector<Queued> batch;
    batch.swap(queue_);
    std::exception_ptr error = failure_;
    std::string message;
    std::uint64_t superseded = 0;
    lock.unlock();
    if (!error) {
      try {
        superseded = write(batch);
      } catch (const std::exception& e) {
        error = std::current_exception();
        message = e.what();
      }
    }
    const std::uint64_t last = batch.back().ticket;
    const std::size_t commits = batch.size();
    batch.clear();  // free the commits outside the lock
    lock.lock();
    writing_ = false;
    if (error && !failure_) {
      failure_ = error;
      failure_message_ = std::move(message);
    } else if (!error) {
      written_ = last;
      if (!wal_sync_) durable_ = last;
      ++stats_.transactions;
      stats_.commits += commits;
      stats_.snapshots_superseded += superseded;
    }
    // In the database now (find_request reads it there); a retry still waits for
    // durability: the engine waits for its latest ticket (EngineCore::replayed).
    std::erase_if(pending_requests_, [&](const auto& kv) { return kv.second.second <= last; });
    // Commits queued meanwhile: a single waiting client leads them, else the writer thread
    // (woken with the lock released, so that it does not wake only to wait for it).
    const bool more = (!queue_.empty() && waiting_ != 1) || stopping_;
    if (!wal_sync_ || error) {
      release_due(lock, more);
      return;
    }
    lock.unlock();
    if (more) work_cv_.notify_one();
    if (!leader) request_sync();
    lock.lock();
    if (leader) sync_written(lock);
  }

  // FULL: makes every written transaction durable: syncs the WAL, then moves durable_ and
  // releases the waiters and callbacks of those tickets. One thread syncs at a time
  // (syncing_); one finding a sync under way leaves the rest to that thread, which looks
  // again when its sync returns. A failed sync fails the store: its tickets and every later
  // one get the error, none is acknowledged. Called and returns with `lock` held.
  void sync_written(std::unique_lock<std::mutex>& lock) {
    while (!syncing_ && !failure_ && durable_ < written_) {
      syncing_ = true;
      const std::uint64_t target = sync_target_ = written_;
      const bool queued = !queue_.empty();  // the writer thread may write the next one now
      lock.unlock();
      if (queued) work_cv_.notify_one();
      std::exception_ptr error;
      std::string message;
      try {
        wal_sync_->sync();
      } catch (const std::exception& e) {
        error = std::current_exception();
        message = e.what();
      }
      lock.lock();
      syncing_ = false;
      if (error && !failure_) {
        failure_ = error;
        failure_message_ = std::move(message);
      } else if (!error && !failure_) {
        durable_ = target;
        ++stats_.syncs;
      }
      // Nothing written ahead (no next sync to begin here): the writer may write now.
      release_due(lock, durable_ == written_ && !queue_.empty());
    }
  }

  // Wakes the waiters and hands the callbacks that became due (every one, if the store
  // failed) to the notifier, and the writer thread if `wake_writer`. Called and returns with
  // `lock` held.
  void release_due(std::unique_lock<std::mutex>& lock, bool wake_writer) {
    const std::exception_ptr error = failure_;
    const auto end = error ? callbacks_.end() : callbacks_.upper_bound(durable_);
    std::vector<Callback> due;
    for (auto it = callbacks_.begin(); it != end; ++it) due.push_back(std::move(it->second));
    callbacks_.erase(callbacks_.begin(), end);
    lock.unlock();
    durable_cv_.notify_all();
    if (wake_writer) work_cv_.notify_one();
    hand_to_notifier(due, error);
    lock.lock();
  }

  // The callbacks that became due go to the notifier thread, which runs them in ticket
  // order: each typically wakes a client thread (a futex call, often a context switch),
  // and run here they were a third of the pipelined writer's time (docs/performance.md,
  // "Issue 19, the durable round"). The writer, the serial part of every durable command,
  // goes on to the next transaction meanwhile. One wake-up per handover, none while the
  // notifier is busy.
  void hand_to_notifier(std::vector<Callback>& due, const std::exception_ptr& error) {
    if (due.empty()) return;
    bool wake = false;
    {
      std::lock_guard lock(notify_mutex_);
      for (Callback& done : due) notify_queue_.emplace_back(std::move(done), error);
      wake = std::exchange(notifier_idle_, false);
    }
    if (wake) notify_cv_.notify_one();
  }

  // FULL: the writer thread asks the notifier thread to sync what it wrote; the callbacks
  // the sync makes due come back through notify_queue_, in ticket order.
  void request_sync() {
    bool wake = false;
    {
      std::lock_guard lock(notify_mutex_);
      sync_wanted_ = true;
      wake = std::exchange(notifier_idle_, false);
    }
    if (wake) notify_cv_.notify_one();
  }

  // Runs the callbacks handed over, in ticket order; with FULL, also the syncs the writer
  // thread asks for, after the callbacks already due (their clients go on meanwhile, and the
  // next sync covers what they send).
  void run_notifier() {
    std::unique_lock lock(notify_mutex_);
    std::vector<std::pair<Callback, std::exception_ptr>> batch;
    for (;;) {
      if (!notify_queue_.empty()) {
        batch.swap(notify_queue_);
        lock.unlock();
        for (auto& [done, error] : batch) {
          try {
            done(error);
          } catch (...) {
            // A callback must not throw; the notifier must not die of it either.
          }
        }
        batch.clear();
        lock.lock();
        continue;
      }
      if (sync_wanted_) {
        sync_wanted_ = false;
        lock.unlock();
        {
          std::unique_lock store(mutex_);
          sync_written(store);  // hands the callbacks it makes due back to notify_queue_
        }
        lock.lock();
        continue;
      }
      if (notify_stopping_) return;
      notifier_idle_ = true;
      notify_cv_.wait(lock);
    }
  }

  // Per snapshot of the batch (commit by commit, in order): true if the row it writes would
  // be overwritten later in the same transaction, so it need not be written at all. Only
  // for commits with events: their rows are sealed at once, so no later commit of the
  // transaction reads them (unsealed_rows_ reads rows with sealed_by 0) and the committed
  // rows, seal lists and chain are exactly those of writing every snapshot. A commit
  // without events leaves its rows unsealed for the next sealing commit to list: kept.
  static std::vector<bool> superseded_snapshots(const std::vector<Queued>& batch) {
    std::size_t total = 0;
    for (const Queued& q : batch) total += q.commit.cases.size();
    std::vector<bool> out(total, false);
    if (batch.size() < 2) return out;
    std::unordered_map<CaseId, std::size_t> later;  // case -> index of its last snapshot
    later.reserve(total);
    std::size_t i = total;
    for (auto q = batch.rbegin(); q != batch.rend(); ++q) {
      const auto& cases = q->commit.cases;
      for (auto snap = cases.rbegin(); snap != cases.rend(); ++snap) {
        --i;
        const bool seen = !later.emplace(snap->id, i).second;
        out[i] = seen && !q->commit.events.empty();
      }
    }
    return out;
  }

  // One transaction for the whole batch; the in-memory head moves only after COMMIT.
  // Returns the number of snapshots superseded within it (not written).
  std::uint64_t write(const std::vector<Queued>& batch) {
    sqlite3* w = file_.db.get();
    begin_.run();
    try {
      std::int64_t id = last_id_;
      Sha256::Digest head = head_;
      std::uint64_t skipped = 0;
      // The last event of each commit seals the snapshots it writes, and any left unsealed
      // before it (schema 3 stores, commits without events): per commit, not per
      // transaction, so the chain does not depend on how commits were grouped.
      bool unsealed = unsealed_;
      const HmacSha256* key = key_ ? &*key_ : nullptr;
      const std::vector<bool> superseded = superseded_snapshots(batch);
      std::size_t snapshot = 0;  // index into superseded
      for (const Queued& q : batch) {
        const std::int64_t sealing =
            q.commit.events.empty() ? 0 : id + static_cast<std::int64_t>(q.commit.events.size());
        // commit_seals(cases, rows unsealed before): with no such rows, exactly q.seals.
        // Rows left unsealed before this commit get their row seals (schema 5) under it.
        std::vector<std::pair<std::int64_t, Sha256::Digest>> rest;
        std::string with_unsealed;
        std::string_view seals = q.seals;
        if (sealing != 0 && unsealed) {
          with_unsealed = commit_seals(q.commit.cases, [&](const UnsealedVisitor& visit) {
            ResetOnExit guard{unsealed_rows_};
            while (unsealed_rows_.step()) {
              const std::int64_t case_id = unsealed_rows_.int64(0), last_seq = unsealed_rows_.int64(1);
              const std::string_view encoded = unsealed_rows_.view(2);
              visit(case_id, last_seq, encoded);
              rest.emplace_back(case_id, row_seal(store_id_, case_id, last_seq, sealing,
                                                  snapshot_digest(encoded), key));
            }
          });
          seals = with_unsealed;
        }
        for (const Event& e : q.commit.events) {
          const std::string_view kind = to_string(e.kind);
          ++id;
          const std::string_view listed = id == sealing ? seals : std::string_view();
          const ChainedEvent c{id, static_cast<std::int64_t>(e.case_id), e.seq, kind,
                               e.time.seconds(), e.actor, e.office, e.post, e.reason,
                               e.detail, version_of(e, q.commit), e.notify, listed};
          head = chain_hash(head, c, key_ ? &*key_ : nullptr);
          // Bound without copies: the batch, `head` and `seals` outlive the statement's run.
          Statement& s = insert_event_;
          s.bind(1, c.id), s.bind(2, c.case_id), s.bind(3, c.seq), s.bind_text_static(4, kind);
          s.bind(5, c.time), s.bind_text_static(6, e.actor), s.bind_text_static(7, e.office);
          s.bind_text_static(8, e.post), s.bind_text_static(9, e.reason);
          s.bind_text_static(10, e.detail), s.bind_text_static(11, c.rules_version);
          s.bind_blob_static(12, {reinterpret_cast<const char*>(head.data()), head.size()});
          s.bind_text_static(13, e.notify);
          s.bind_blob_static(14, listed.empty() ? std::string_view("") : listed);
          s.run();
        }
        // The commit's own seals end `seals`, in its order: their digests are reused.
        std::size_t own = seals.size() - q.commit.cases.size() * kSealBytes;
        for (const CaseSnapshot& snap : q.commit.cases) {
          if (superseded[snapshot++]) {  // a later commit of this transaction rewrites the row
            ++skipped;
            if (sealing != 0) own += kSealBytes;
            continue;
          }
          put_case_.bind(1, static_cast<std::int64_t>(snap.id));
          put_case_.bind(2, snap.last_seq);
          put_case_.bind_blob_static(3, snap.encoded);
          put_case_.bind(4, sealing);
          if (sealing == 0) {
            put_case_.bind_blob(5, "");  // sealed, row seal too, by the next commit with an event
          } else {
            Sha256::Digest digest;
            std::copy_n(seals.data() + own + 16, digest.size(), reinterpret_cast<char*>(digest.data()));
            own += kSealBytes;
            put_case_.bind_blob(5, digest_bytes(row_seal(store_id_, static_cast<std::int64_t>(snap.id),
                                                         snap.last_seq, sealing, digest, key)));
          }
          put_case_.run();
        }
        for (const auto& [case_id, row] : rest) {  // those this commit rewrote are skipped
          seal_rest_.bind(1, sealing);
          seal_rest_.bind_blob(2, digest_bytes(row));
          seal_rest_.bind(3, case_id);
          seal_rest_.run();
        }
        if (sealing != 0) {
          unsealed = false;
        } else if (!q.commit.cases.empty()) {
          unsealed = true;  // sealed by the next commit with an event
        }
        if (q.commit.engine_state) {
          put_engine_.bind_blob(1, *q.commit.engine_state);
          put_engine_.run();
        }
        if (const auto& rs = q.commit.rules) {
          put_rules_.bind_text(1, rs->version);
          put_rules_.bind(2, rs->installed_at.seconds());
          put_rules_.bind_text(3, rs->installed_by);
          put_rules_.bind_blob(4, encode_rule_files(rs->files));
          put_rules_.run();
        }
        if (const auto& r = q.commit.request) {
          put_request_.bind_text(1, r->request_id);
          put_request_.bind_text(2, r->fingerprint);
          put_request_.bind(3, static_cast<std::int64_t>(r->case_id));
          put_request_.run();
        }
      }
      if (id != last_id_) {
        put_head_.bind(1, id);
        put_head_.bind_blob(2, {reinterpret_cast<const char*>(head.data()), head.size()});
        put_head_.run();
      }
      commit_.run();
      last_id_ = id;
      head_ = head;
      unsealed_ = unsealed;
      return skipped;
    } catch (...) {
      sqlite3_exec(w, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  const std::filesystem::path path_;
  const bool read_only_;
  // Declared before the statements: members are destroyed in reverse, statements first,
  // then the connections, then the file guard (see FileGuard for why that order).
  OpenedFile file_;  // the write connection (the read connection if read_only_)
  DbHandle read_db_;
  std::optional<WalCheckpointer> checkpointer_;  // hooks file_.db: destroyed before it

  // Used only by the thread that set writing_ (the writer thread or a leading client), and
  // by the constructor before the writer thread starts.
  Statement insert_event_, put_case_, put_engine_, put_request_, put_rules_, put_head_, begin_,
      commit_, unsealed_rows_, seal_rest_;
  std::int64_t last_id_ = 0;
  Sha256::Digest head_{};
  bool unsealed_ = false;  // some case rows have sealed_by 0

  bool keyed_ = false;               // store_info: the chain is HMAC-SHA-256
  std::string store_id_;             // store_info: what row seals name
  std::optional<HmacSha256> key_;    // the key, if a key file was given

  // The read connection and its statements. Recursive: a read-only store's for_each_case
  // holds it across its pages (one snapshot of the file), and its visitor may read more.
  mutable std::recursive_mutex read_mutex_;
  mutable Statement history_, cases_page_, engine_state_, find_request_, rule_sets_,
      events_after_, hash_at_, last_position_, cases_root_, page_size_;
  // On the read connection: the row seals (schema 5), or, for a keyed store opened without
  // its key, the snapshots against their sealing events.
  mutable std::optional<RowSealCheck> rows_;
  mutable std::optional<SealCheck> seals_;

  mutable std::mutex mutex_;  // everything below
  std::condition_variable work_cv_, durable_cv_;
  std::vector<Queued> queue_;
  std::multimap<std::uint64_t, Callback> callbacks_;
  std::unordered_map<std::string, std::pair<RequestRecord, std::uint64_t>> pending_requests_;
  // issued_ >= written_ (committed to the WAL) >= durable_ (acknowledged; = written_ but
  // for a FULL store's transactions whose sync has not returned yet).
  std::uint64_t issued_ = 0, written_ = 0, durable_ = 0;
  std::optional<WalSync> wal_sync_;  // FULL only: syncs the WAL before durable_ moves
  std::exception_ptr failure_;
  std::string failure_message_;
  bool stopping_ = false;
  bool writing_ = false;  // a thread (the writer, or a leading client) is in write()
  bool syncing_ = false;  // a thread (the notifier, or a leading client) is in WalSync::sync
  std::uint64_t sync_target_ = 0;  // the last ticket the sync under way covers
  int waiting_ = 0;       // clients in wait_durable
  SqliteStats stats_;
  std::thread writer_;

  // Callbacks due, waiting for the notifier thread (hand_to_notifier).
  std::mutex notify_mutex_;
  std::condition_variable notify_cv_;
  std::vector<std::pair<Callback, std::exception_ptr>> notify_queue_;
  bool notifier_idle_ = false;  // asleep on notify_cv_: the next handover wakes it
  bool sync_wanted_ = false;    // FULL: the writer thread wrote a transaction to sync
  bool notify_stopping_ = false;
  std::thread notifier_;
};

}  // namespace

SqliteStats sqlite_stats(const CaseStore& store) {
  const auto* sqlite = dynamic_cast<const SqliteStore*>(&store);
  if (sqlite == nullptr) throw Error(ErrorCode::invalid_argument, "not an SQLite store");
  return sqlite->stats();
}

}  // namespace workflow::detail

namespace workflow {

std::unique_ptr<CaseStore> open_sqlite_store(const std::filesystem::path& path,
                                             SqliteOptions options) {
  return std::make_unique<detail::SqliteStore>(path, options);
}

}  // namespace workflow
