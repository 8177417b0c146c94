// lifecycle-durable on the SQLite store (durable.hpp): synchronous NORMAL and FULL, one file
// per run; baselines: raw SQLite inserts of the run's rows with the same pragmas, batched
// (1,024 rows a transaction) and one transaction per command; and the store's own rows
// (events with their seal lists, case rows, head) raw, batched alike: its ceiling; for
// pipelined runs also in the transaction sizes the run allows and the store chose.
#include <sqlite3.h>

#include <algorithm>

#include <fmt/format.h>

#include "baselines.hpp"
#include "durable.hpp"
#include "store/sqlite_store.hpp"  // detail::sqlite_stats: the store's transactions

namespace bench {
namespace {

constexpr std::size_t kBatchRows = 1024;
// The one-transaction-per-command baseline inserts the first kPerCommand commands only:
// enough for a stable rate without spending minutes in fsync.
constexpr std::size_t kPerCommand = 3'000;

std::uint64_t count_events(const std::filesystem::path& db) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  std::uint64_t n = 0;
  if (sqlite3_prepare_v2(h, "SELECT count(*) FROM events", -1, &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW)
    n = static_cast<std::uint64_t>(sqlite3_column_int64(s, 0));
  sqlite3_finalize(s);
  sqlite3_close_v2(h);
  return n;
}

class SqliteBackend final : public DurableBackend {
 public:
  explicit SqliteBackend(const Config& cfg) : dir_(cfg.data_dir) {
    std::filesystem::create_directories(dir_);
  }
  std::string name() const override { return "SQLite"; }
  std::string variant_prefix() const override { return ""; }
  std::vector<std::string> syncs() const override { return {"NORMAL", "FULL"}; }

  std::shared_ptr<CaseStore> open(const std::string& run, const std::string& sync) override {
    const auto path = path_of(run);
    remove_db(path);
    return std::shared_ptr<CaseStore>(
        open_sqlite_store(path, SqliteOptions{.synchronous_full = sync == "FULL"}));
  }

  // The raw baselines, measured right after the run on the rows it wrote, so a shared
  // disk's changing fsync latency hits both alike.
  void finish(Result& r, const std::string& run, const std::string& sync,
              std::shared_ptr<CaseStore> store) override {
    // The group commit's size: with 8 blocking clients at most 8 commits share an fsync.
    const workflow::detail::SqliteStats stats = workflow::detail::sqlite_stats(*store);
    store.reset();  // closes the store: everything is written
    const auto path = path_of(run);
    r.events = count_events(path);
    const bool full = sync == "FULL";
    const EventLog log = read_event_rows(path);
    std::vector<std::size_t> commands = command_starts(log.rows);
    const std::vector<std::size_t> all_commands = commands;
    const auto raw = dir_ / "raw-baseline.db";
    const RawRun batched = raw_insert(raw, log, fixed_batches(log.rows.size(), kBatchRows), full);
    EventLog head = log;
    if (commands.size() > kPerCommand) {
      head.rows.resize(commands[kPerCommand]);
      commands.resize(kPerCommand);
    }
    const RawRun single = raw_insert(raw, head, commands, full);
    // The store's own rows, batched alike: the schema's ceiling for the ratio above.
    const StoreRows own = read_store_rows(path);
    const RawRun store_rows =
        raw_insert_store_rows(raw, log, own, fixed_batches(log.rows.size(), kBatchRows), full);
    const double batched_rate = static_cast<double>(batched.rows) / batched.seconds;
    const double store_rows_rate = static_cast<double>(store_rows.rows) / store_rows.seconds;
    const double single_rate = static_cast<double>(single.transactions) / single.seconds;
    r.baseline = fmt::format("raw SQLite batched, sync={}", sync);
    r.baseline_unit = "events/s";
    r.baseline_value = batched_rate;
    r.baseline_ratio = r.rate(r.events) / batched_rate;
    r.extra.push_back({"store_transactions", static_cast<double>(stats.transactions)});
    r.extra.push_back({"commits_per_transaction", static_cast<double>(stats.commits) /
                                                      static_cast<double>(std::max<std::uint64_t>(1, stats.transactions))});
    // The WAL's checkpoints: by the store's checkpoint thread, and by a committing thread
    // to start a long WAL over or at its limit (docs/storage.md, "Checkpoints").
    r.extra.push_back({"checkpoints", static_cast<double>(stats.checkpoints)});
    r.extra.push_back({"inline_checkpoints", static_cast<double>(stats.inline_checkpoints)});
    r.extra.push_back({"raw_batched_events_per_s", batched_rate});
    r.extra.push_back({"raw_one_tx_per_command_per_s", single_rate});
    r.extra.push_back({"x_one_tx_per_command", r.rate(r.commands) / single_rate});
    r.extra.push_back({"raw_store_rows_events_per_s", store_rows_rate});
    r.extra.push_back({"raw_store_rows_cases", static_cast<double>(store_rows.case_rows)});
    r.extra.push_back({"raw_store_rows_ratio_vs_batched", store_rows_rate / batched_rate});
    r.extra.push_back({"ratio_vs_raw_store_rows", r.rate(r.events) / store_rows_rate});
    // Pipelined runs: the same rows in transactions of whole commands, as many as the
    // clients keep in flight (the largest transaction this run allows any store), half as
    // many, and as many as the store's mean transaction held. The first bounds what any code
    // can reach with this schema at this depth. The second bounds a store that writes while
    // its clients work: the commands of the transaction being written wait for it, so the
    // next one can hold only the others, and the two average at most half of those in
    // flight. The store over the third is its cost beyond the rows.
    if (const double in_flight = extra_of(r, "commands_in_flight"); in_flight > 0) {
      const auto raw_rate = [&](double commands_per_tx) {
        const auto per = static_cast<std::size_t>(std::max(1.0, commands_per_tx + 0.5));
        const RawRun run = raw_insert_store_rows(raw, log, own, command_groups(all_commands, per), full);
        return static_cast<double>(run.rows) / run.seconds;
      };
      const double at_in_flight = raw_rate(in_flight);
      const double at_half_in_flight = raw_rate(in_flight / 2);
      const double at_store_tx = raw_rate(extra_of(r, "commits_per_transaction"));
      r.extra.push_back({"raw_store_rows_in_flight_tx_ratio_vs_batched", at_in_flight / batched_rate});
      r.extra.push_back({"raw_store_rows_half_in_flight_tx_ratio_vs_batched", at_half_in_flight / batched_rate});
      r.extra.push_back({"raw_store_rows_store_tx_ratio_vs_batched", at_store_tx / batched_rate});
      r.extra.push_back({"ratio_vs_raw_store_rows_store_tx", r.rate(r.events) / at_store_tx});
    }
    remove_db(path);
  }

 private:
  std::filesystem::path path_of(const std::string& run) const {
    return dir_ / fmt::format("durable-{}.db", run);
  }
  std::filesystem::path dir_;
};

}  // namespace

std::unique_ptr<DurableBackend> sqlite_backend(const Config& cfg) {
  return std::make_unique<SqliteBackend>(cfg);
}

}  // namespace bench
