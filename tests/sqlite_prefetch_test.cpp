// The read-ahead of a cold reopening (store/sqlite_prefetch.hpp): walking the `cases` table's
// interior pages by hand must name exactly the leaf pages SQLite itself reports for it
// (its dbstat table), in key order, however the rows interleave with event pages.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <set>

#include "sqlite_files.hpp"
#include "store/sqlite_prefetch.hpp"
#include "workflow/store.hpp"

using namespace workflow;
using namespace workflow::testing;
namespace fs = std::filesystem;

namespace {

// Commits of one case each, with an event and a snapshot, as a hall writes them: the leaf
// pages of `cases` end up scattered among those of `events`.
void write_cases(const fs::path& db, int n) {
  auto store = open_sqlite_store(db);
  std::uint64_t t = 0;
  for (int c = 1; c <= n; ++c) {
    StoreCommit one;
    one.events.push_back(Event{static_cast<CaseId>(c), 1, EventKind::submitted,
                               DateTime::from_seconds(1'796'000'000 + c), "w1a", "county", "w1",
                               "", std::string(300, 'd'), "rules-v1"});
    one.cases.push_back({static_cast<CaseId>(c), 1, std::string(150, static_cast<char>('a' + c % 26))});
    t = store->append(std::move(one));
  }
  store->wait_durable(t);
}

}  // namespace

TEST_CASE("sqlite read-ahead: the leaf runs of `cases` are exactly its leaf pages, in key order") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  write_cases(db, 3000);  // a table three levels deep at 4 KiB pages is not needed: two suffice
  const auto root = static_cast<std::uint32_t>(
      sql_int(db, "SELECT rootpage FROM sqlite_master WHERE name = 'cases'"));
  const auto page_size = static_cast<std::uint32_t>(sql_int(db, "PRAGMA page_size"));
  const std::int64_t leaves = sql_int(db, "SELECT count(*) FROM dbstat WHERE name = 'cases' AND pagetype = 'leaf'");
  REQUIRE(leaves > 50);
  REQUIRE(sql_int(db, "SELECT count(*) FROM dbstat WHERE name = 'cases' AND pagetype = 'internal'") >= 1);
  // The events' pages lie between the cases' pages: runs are needed, not one range.
  REQUIRE(sql_int(db, "SELECT max(pageno) - min(pageno) + 1 FROM dbstat WHERE name = 'cases' AND "
                      "pagetype = 'leaf'") > 2 * leaves);

  const int fd = ::open(db.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  const auto exact = detail::table_leaf_runs(fd, page_size, root, 0);
  const auto merged = detail::table_leaf_runs(fd, page_size, root, 4);
  const auto by_default = detail::table_leaf_runs(fd, page_size, root);
  ::close(fd);
  const auto pages = [](const std::vector<detail::PageRun>& runs) {
    std::uint64_t n = 0;
    for (const auto& r : runs) n += r.count;
    return n;
  };
  // Case rows lie every few pages among the events: merging holes of 4 pages reads most of
  // the file (twice the leaves and more), the default reads the leaves and few pages besides.
  CHECK(pages(merged) > 2 * static_cast<std::uint64_t>(leaves));
  CHECK(pages(by_default) < static_cast<std::uint64_t>(leaves) * 3 / 2);

  std::set<std::uint32_t> named;
  std::uint32_t previous = 0;
  bool ascending = true;  // rows written in id order: their leaves too
  for (const auto& r : exact) {
    for (std::uint32_t p = r.first; p < r.first + r.count; ++p) {
      ascending = ascending && p > previous;
      previous = p;
      named.insert(p);
    }
  }
  CHECK(ascending);
  CHECK(named.size() == static_cast<std::size_t>(leaves));
  for (const std::uint32_t p : named) {
    CHECK(sql_int(db, "SELECT count(*) FROM dbstat WHERE name = 'cases' AND pagetype = 'leaf' AND "
                      "pageno = " + std::to_string(p)) == 1);
  }
  // Merging gaps of up to 4 pages covers every leaf with fewer, longer runs.
  CHECK(merged.size() < exact.size());
  std::uint64_t covered = 0;
  for (const auto& r : merged) {
    for (std::uint32_t p = r.first; p < r.first + r.count; ++p) covered += named.count(p);
  }
  CHECK(covered == named.size());
}

TEST_CASE("sqlite read-ahead: a page that is not a table B-tree names nothing") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  write_cases(db, 10);
  const auto page_size = static_cast<std::uint32_t>(sql_int(db, "PRAGMA page_size"));
  const auto index_root = static_cast<std::uint32_t>(
      sql_int(db, "SELECT rootpage FROM sqlite_master WHERE type = 'index' LIMIT 1"));
  const int fd = ::open(db.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  CHECK(detail::table_leaf_runs(fd, page_size, index_root).empty());
  CHECK(detail::table_leaf_runs(fd, page_size, 1u << 30).empty());  // beyond the file
  ::close(fd);
}

TEST_CASE("sqlite read-ahead: a damaged interior page names nothing and reads nothing outside it") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  write_cases(db, 3000);
  const auto root = static_cast<std::uint32_t>(
      sql_int(db, "SELECT rootpage FROM sqlite_master WHERE name = 'cases'"));
  const auto page_size = static_cast<std::uint32_t>(sql_int(db, "PRAGMA page_size"));
  const int fd = ::open(db.c_str(), O_RDWR | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE_FALSE(detail::table_leaf_runs(fd, page_size, root).empty());
  // The root is an interior page (3000 rows): claim 65,535 cells, far more than fit in it.
  const off_t at = static_cast<off_t>(root - 1) * page_size + (root == 1 ? 100 : 0);
  unsigned char header[5];
  REQUIRE(::pread(fd, header, sizeof header, at) == static_cast<ssize_t>(sizeof header));
  REQUIRE(header[0] == 5);
  const unsigned char many[2] = {0xFF, 0xFF};
  REQUIRE(::pwrite(fd, many, sizeof many, at + 3) == static_cast<ssize_t>(sizeof many));
  CHECK(detail::table_leaf_runs(fd, page_size, root).empty());
  // A root whose right-most child is the root itself: a loop, not followed forever.
  header[3] = 0, header[4] = 0;
  REQUIRE(::pwrite(fd, header + 3, 2, at + 3) == 2);
  const unsigned char self[4] = {static_cast<unsigned char>(root >> 24), static_cast<unsigned char>(root >> 16),
                                 static_cast<unsigned char>(root >> 8), static_cast<unsigned char>(root)};
  REQUIRE(::pwrite(fd, self, sizeof self, at + 8) == static_cast<ssize_t>(sizeof self));
  CHECK(detail::table_leaf_runs(fd, page_size, root).empty());
  ::close(fd);
}
