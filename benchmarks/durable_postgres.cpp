// lifecycle-durable on a PostgreSQL partition (durable.hpp): synchronous_commit on and off,
// a fresh partition per run (dropped after it); baselines (baselines_pg.hpp): raw inserts of
// the run's rows batched in transactions of the store's own mean group-commit size, the
// same batched 1,024 rows a transaction (as the SQLite baseline), and one transaction per
// command (the small-transaction baselines on a prefix of the rows: kMaxTransactions).
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "durable.hpp"

#ifdef WORKFLOW_HAS_POSTGRES
#include "baselines_pg.hpp"
#include "store/postgres_store.hpp"  // detail::postgres_stats: the store's transactions
#include "workflow/postgres_store.hpp"
#endif

namespace bench {

#ifdef WORKFLOW_HAS_POSTGRES
namespace {

constexpr std::size_t kBatchRows = 1024;
// The baselines that commit small transactions insert a prefix of the rows only, at most
// kMaxTransactions transactions (each waits for a WAL flush, ~1-5 ms on a shared disk):
// enough for a stable rate without minutes of fsync per run.
constexpr std::size_t kMaxTransactions = 1'000;

class PostgresBackend final : public DurableBackend {
 public:
  explicit PostgresBackend(const Config& cfg) : conninfo_(cfg.conninfo) {}
  std::string name() const override { return "PostgreSQL"; }
  std::string variant_prefix() const override { return "postgres "; }
  std::vector<std::string> syncs() const override { return {"off", "on"}; }

  std::shared_ptr<CaseStore> open(const std::string& run, const std::string& sync) override {
    const std::string partition = partition_of(run);
    drop_postgres_partition(conninfo_, partition);
    return std::shared_ptr<CaseStore>(
        open_postgres_store(conninfo_, partition, PostgresOptions{.synchronous_commit = sync}));
  }

  void finish(Result& r, const std::string& run, const std::string& sync,
              std::shared_ptr<CaseStore> store) override {
    const workflow::detail::PostgresStats stats = workflow::detail::postgres_stats(*store);
    store.reset();  // closes the store: everything is written, the partition lock released
    const std::string partition = partition_of(run);
    const EventLog log = read_pg_event_rows(conninfo_, partition);
    drop_postgres_partition(conninfo_, partition);
    r.events = log.rows.size();
    if (log.rows.empty() || stats.transactions == 0) return;
    // The store's group commit wrote this many events a transaction on average.
    const auto group = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::lround(static_cast<double>(log.rows.size()) /
                                                static_cast<double>(stats.transactions))));
    const std::vector<EventRow> same_rows(
        log.rows.begin(), log.rows.begin() + static_cast<std::ptrdiff_t>(
                                                 std::min(log.rows.size(), group * kMaxTransactions)));
    const RawRun same = raw_pg_insert(conninfo_, partition, same_rows,
                                      fixed_batches(same_rows.size(), group), sync);
    const RawRun batched = raw_pg_insert(conninfo_, partition, log.rows,
                                         fixed_batches(log.rows.size(), kBatchRows), sync);
    std::vector<std::size_t> commands = command_starts(log.rows);
    std::vector<EventRow> head = log.rows;
    if (commands.size() > kMaxTransactions) {
      head.resize(commands[kMaxTransactions]);
      commands.resize(kMaxTransactions);
    }
    const RawRun single = raw_pg_insert(conninfo_, partition, head, commands, sync);
    const double same_rate = static_cast<double>(same.rows) / same.seconds;
    const double batched_rate = static_cast<double>(batched.rows) / batched.seconds;
    const double single_rate = static_cast<double>(single.transactions) / single.seconds;
    r.baseline = fmt::format("raw PostgreSQL batched as the store's groups ({} rows), "
                             "synchronous_commit={}", group, sync);
    r.baseline_unit = "events/s";
    r.baseline_value = same_rate;
    r.baseline_ratio = r.rate(r.events) / same_rate;
    r.extra.push_back({"store_transactions", static_cast<double>(stats.transactions)});
    r.extra.push_back({"events_per_transaction",
                       static_cast<double>(log.rows.size()) / static_cast<double>(stats.transactions)});
    r.extra.push_back({"raw_same_groups_events_per_s", same_rate});
    r.extra.push_back({"raw_batched_events_per_s", batched_rate});
    r.extra.push_back({"events_ratio_vs_batched_1024", r.rate(r.events) / batched_rate});
    r.extra.push_back({"raw_one_tx_per_command_per_s", single_rate});
    r.extra.push_back({"x_one_tx_per_command", r.rate(r.commands) / single_rate});
  }

 private:
  // Runs of concurrent benchmarks (or a crashed earlier one) never share a partition.
  static std::string partition_of(const std::string& run) {
    return fmt::format("bench-{}-{}", ::getpid(), run);
  }
  std::string conninfo_;
};

}  // namespace

std::unique_ptr<DurableBackend> postgres_backend(const Config& cfg) {
  return std::make_unique<PostgresBackend>(cfg);
}

#else

std::unique_ptr<DurableBackend> postgres_backend(const Config&) {
  throw std::runtime_error("--store=postgres: this workflow-bench was built without PostgreSQL "
                           "(libpq-dev missing when the library was configured)");
}

#endif

}  // namespace bench
