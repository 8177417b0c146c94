// What a writer refuses to open, before it writes anything: a file it cannot write, a
// write-ahead log that belongs to another store, a file damaged while the last writer did not
// close cleanly (docs/storage.md, "Opening: checks before anything is written").
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <set>

#include "error_of.hpp"
#include "sqlite_files.hpp"
#include "workflow/store.hpp"

using namespace workflow;
using namespace workflow::testing;
namespace fs = std::filesystem;

namespace {

Event event(CaseId c, std::uint32_t seq) {
  return Event{c, seq, EventKind::accept, DateTime::from_seconds(1'796'000'000 + seq), "w1a",
               "county", "w1", "reason " + std::string(200, 'x'), "", "rules-v1"};
}

StoreCommit commit_of(CaseId c, std::uint32_t seq) {
  StoreCommit out;
  out.events = {event(c, seq)};
  out.cases = {{c, seq, "snapshot " + std::to_string(seq)}};
  return out;
}

void fill(CaseStore& store, CaseId first, int n) {
  std::uint64_t t = 0;
  for (int i = 1; i <= n; ++i) t = store.append(commit_of(first + i - 1, 1));
  store.wait_durable(t);
}

// Runs `f` in a child process as the unprivileged user `nobody` (65534) when the tests run
// as root, who may write any file; returns the child's exit code.
int as_unprivileged(const std::function<int()>& f) {
  const pid_t child = ::fork();
  if (child == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(90);
    ::_exit(f());
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

// 0: refused at open with `expected` in the message; 1: opened; 2: refused otherwise.
int open_refused_with(const fs::path& db, const char* expected) {
  try {
    open_sqlite_store(db);
    return 1;
  } catch (const Error& e) {
    return e.code() == ErrorCode::store_error && std::strstr(e.what(), expected) != nullptr &&
                   std::strstr(e.what(), db.c_str()) != nullptr
               ? 0
               : 2;
  }
}

}  // namespace

TEST_CASE("sqlite open checks: a file or directory the engine cannot write is refused at open") {
  TempDir dir;
  fs::permissions(dir.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
  const fs::path db = dir / "hall.db";
  fill(*open_sqlite_store(db), 1, 3);
  REQUIRE(::chmod(db.c_str(), 0444) == 0);
  const std::string before = file_hash(db);
  CHECK(as_unprivileged([&] { return open_refused_with(db, "cannot be opened for writing"); }) == 0);
  CHECK(file_hash(db) == before);

  // The file is the engine's, its directory is not: SQLite could not create DB-wal.
  const fs::path sub = dir.path / "ro";
  fs::create_directories(sub);
  const fs::path inner = sub / "hall.db";
  fill(*open_sqlite_store(inner), 1, 1);
  REQUIRE(::chown(inner.c_str(), 65534, 65534) == 0);
  REQUIRE(::chmod(sub.c_str(), 0555) == 0);
  CHECK(as_unprivileged([&] { return open_refused_with(inner, "is not writable"); }) == 0);
}

TEST_CASE("sqlite open checks: a write-ahead log copied from another store is refused") {
  TempDir dir;
  const fs::path a = dir / "a.db", b = dir / "b.db";
  fill(*open_sqlite_store(a), 1, 478);
  {
    auto writer = open_sqlite_store(b);
    fill(*writer, 1, 5);
    // b is open, its WAL has frames: copied beside a, as an administrator restoring files might.
    REQUIRE(fs::file_size(dir.path / "b.db-wal") > 0);
    fs::copy_file(dir.path / "b.db-wal", dir.path / "a.db-wal");
  }
  const std::string before = file_hash(a);
  const Error e = error_of([&] { open_sqlite_store(a); });
  CHECK(e.code() == ErrorCode::store_error);
  CHECK_MESSAGE(std::string(e.what()).find("belongs to another store") != std::string::npos, e.what());
  CHECK(file_hash(a) == before);
  CHECK(std::string(error_of([&] { verify_sqlite_log(a); }).what()).find("belongs to another store") !=
        std::string::npos);
  // Moved away, a opens with all its cases.
  fs::remove(dir.path / "a.db-wal");
  fs::remove(dir.path / "a.db-shm");
  std::size_t cases = 0;
  open_sqlite_store(a)->for_each_case([&](const CaseSnapshot&) { ++cases; });
  CHECK(cases == 478);
}

TEST_CASE("sqlite open checks: a damaged page found after an unclean shutdown is refused") {
  TempDir dir;
  const fs::path db = dir / "hall.db", crashed = dir / "crashed.db";
  fill(*open_sqlite_store(db), 1, 300);
  {
    auto writer = open_sqlite_store(db);
    fill(*writer, 301, 1);
    // The image a crash leaves: the file and its WAL, copied while the writer is open.
    fs::copy_file(db, crashed);
    fs::copy_file(dir.path / "hall.db-wal", dir.path / "crashed.db-wal");
  }
  // Damage a b-tree page the WAL does not replace.
  const int fd = ::open(crashed.c_str(), O_RDWR);
  REQUIRE(fd >= 0);
  unsigned char header[100];
  REQUIRE(::pread(fd, header, 100, 0) == 100);
  const std::size_t page = (header[16] << 8) | header[17];
  const std::size_t pages = fs::file_size(crashed) / page;
  std::set<std::uint32_t> in_wal;
  {
    const int wal = ::open((dir.path / "crashed.db-wal").c_str(), O_RDONLY);
    const auto size = fs::file_size(dir.path / "crashed.db-wal");
    for (std::size_t at = 32; at + 24 + page <= size; at += 24 + page) {
      unsigned char f[4];
      REQUIRE(::pread(wal, f, 4, static_cast<off_t>(at)) == 4);
      in_wal.insert((std::uint32_t{f[0]} << 24) | (f[1] << 16) | (f[2] << 8) | f[3]);
    }
    ::close(wal);
  }
  std::size_t victim = 0;
  for (std::size_t p = pages / 2; p < pages && victim == 0; ++p) {
    if (!in_wal.contains(static_cast<std::uint32_t>(p + 1))) victim = p;  // 0-based
  }
  REQUIRE(victim > 0);
  const std::string garbage(64, '\x7f');
  REQUIRE(::pwrite(fd, garbage.data(), garbage.size(), static_cast<off_t>(victim * page)) == 64);
  ::close(fd);

  const std::string before = file_hash(crashed);
  const Error e = error_of([&] { open_sqlite_store(crashed); });
  CHECK(e.code() == ErrorCode::store_error);
  CHECK_MESSAGE(std::string(e.what()).find("is damaged (PRAGMA quick_check") != std::string::npos, e.what());
  CHECK(file_hash(crashed) == before);
  CHECK(std::string(error_of([&] { verify_sqlite_log(crashed); }).what()).find("is damaged") !=
        std::string::npos);
}
