// The SQLite store's WAL checkpoints, outside the commit (docs/storage.md, "Checkpoints"):
// a WAL at its limit is checkpointed by the committing thread at once, so it stays bounded
// however busy the store is, and nothing written is lost by it.
#include <doctest/doctest.h>

#include "sqlite_files.hpp"
#include "store/sqlite_store.hpp"
#include "workflow/store.hpp"

using namespace workflow;
using namespace workflow::testing;
namespace fs = std::filesystem;

namespace {

StoreCommit one_event(CaseId c, std::uint32_t seq, std::string snapshot) {
  StoreCommit out;
  out.events.push_back(Event{c, seq, EventKind::accept, DateTime::from_seconds(1'795'000'000 + seq),
                             "w1a", "county", "w1", "", "", "rules-v1"});
  out.cases.push_back({c, seq, std::move(snapshot)});
  return out;
}

}  // namespace

TEST_CASE("sqlite store: a WAL at its limit is checkpointed by the commit that filled it") {
  TempDir dir;
  const fs::path db = dir / "cases.db";
  // One snapshot larger than the limit: its transaction alone leaves the WAL past it.
  const std::string big(static_cast<std::size_t>(detail::kWalLimitPages) * 4096 + 4096, 'x');
  {
    auto store = open_sqlite_store(db, {.synchronous_full = false});
    store->wait_durable(store->append(one_event(1, 1, "small")));
    CHECK(detail::sqlite_stats(*store).inline_checkpoints == 0);
    store->wait_durable(store->append(one_event(2, 1, big)));
    CHECK(detail::sqlite_stats(*store).inline_checkpoints == 1);
    // Everything the WAL held is now in the database file itself.
    CHECK(fs::file_size(db) > big.size());
    store->wait_durable(store->append(one_event(1, 2, "small again")));
    CHECK(detail::sqlite_stats(*store).inline_checkpoints == 1);
    CHECK(store->history(1).size() == 2);
  }
  CHECK(sql_int(db, "SELECT length(encoded) FROM cases WHERE id = 2") ==
        static_cast<std::int64_t>(big.size()));
  CHECK(verify_sqlite_log(db).ok);
}
