// The baselines (baselines.hpp): the switch machine and the raw SQLite runs.
#include "baselines.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "measure.hpp"
#include "raw_sqlite.hpp"

namespace bench {

using workflow::MatterKind;
using workflow::Verb;

std::uint32_t SwitchMachine::submit(MatterKind kind, int stages, bool complete) {
  Case c;
  c.kind = kind;
  c.stages = static_cast<std::uint8_t>(stages);
  c.complete = complete;
  cases_.push_back(c);
  return static_cast<std::uint32_t>(cases_.size() - 1);
}

// The same rows as lifecycle.cpp's transition table, as one switch per verb. Guards read the
// case's own fields (the engine computes the same facts from its record and the rules).
bool SwitchMachine::act(std::uint32_t handle, Verb verb, bool tolerate) {
  Case& c = cases_[handle];
  using P = Phase;
  const bool concluded = c.phase >= P::issued;
  const bool clock_runs = c.phase >= P::on_the_spot && c.phase <= P::escalated;
  if (concluded) return false;
  if (c.suspended && verb != Verb::resume && verb != Verb::withdraw && verb != Verb::terminate)
    return false;
  const bool last = c.stage + 1 >= c.stages;
  const std::uint32_t all = (1u << c.stages) - 1u;
  auto go = [&](P to) { c.phase = to; return true; };
  switch (verb) {
    case Verb::accept:
      if (c.phase != P::received || !(c.complete || tolerate)) return false;
      c.tolerance = tolerate && !c.complete;
      return go(c.kind == MatterKind::instant ? P::on_the_spot : P::preliminary_review);
    case Verb::notify_missing:
      return c.phase == P::received && !c.complete && go(P::awaiting_materials);
    case Verb::supplement:
      if (c.phase == P::awaiting_materials) return c.complete = true, go(P::received);
      if (c.tolerance && c.phase >= P::on_the_spot && c.phase <= P::decided)
        return c.tolerance = false, c.complete = true, true;
      return false;
    case Verb::refuse:
      return (c.phase == P::received || c.phase == P::awaiting_materials) && go(P::refused);
    case Verb::review_pass:
      if (c.phase == P::preliminary_review) {
        if (c.kind == MatterKind::joint) return go(P::opinions);
        if (c.kind == MatterKind::committed || (c.kind == MatterKind::escalated && c.stages > 0))
          return c.stage = 0, go(P::back_office_review);
        return false;
      }
      if (c.phase == P::back_office_review && !last) return ++c.stage, true;
      return false;
    case Verb::review_return:
      if (c.phase != P::back_office_review) return false;
      if (c.stage == 0) return go(P::preliminary_review);
      return --c.stage, true;
    case Verb::approve:
    case Verb::deny: {
      const bool decided = [&] {
        switch (c.phase) {
          case P::on_the_spot: return go(P::decided);
          case P::preliminary_review: return verb == Verb::deny && go(P::decided);
          case P::back_office_review:
            return c.kind == MatterKind::committed && last && go(P::decided);
          case P::opinions: return (c.answered & all) == all && go(P::decided);
          default: return false;
        }
      }();
      if (decided && verb == Verb::deny) c.tolerance = false;  // nothing is owed for a denial
      return decided;
    }
    case Verb::report_up:
      if (c.kind != MatterKind::escalated) return false;
      if (c.phase == P::preliminary_review && c.stages == 0) return go(P::escalated);
      return c.phase == P::back_office_review && last && go(P::escalated);
    case Verb::higher_approve:
    case Verb::higher_deny:
      if (c.phase != P::escalated) return false;
      if (verb == Verb::higher_deny) c.tolerance = false;
      return go(P::decided);
    case Verb::opinion_agree:
    case Verb::opinion_disagree: {
      if (c.phase != P::opinions || (c.answered & all) == all) return false;
      for (std::uint32_t i = 0; i < c.stages; ++i)  // the first department still silent
        if (!(c.answered & (1u << i))) return c.answered |= 1u << i, true;
      return false;
    }
    case Verb::issue:  // 容缺: an approval waits for the owed materials
      return c.phase == P::decided && !c.tolerance && go(P::issued);
    case Verb::suspend:
      return clock_runs && (c.suspended = true);
    case Verb::resume:
      return c.suspended && !(c.suspended = false);
    case Verb::extend:
      return c.phase >= P::preliminary_review && c.phase <= P::escalated && !c.extended &&
             (c.extended = true);
    case Verb::withdraw:
    case Verb::terminate:
      if (c.phase >= P::decided) return false;
      c.suspended = false;
      return go(verb == Verb::withdraw ? P::withdrawn : P::terminated);
    case Verb::verify:
    case Verb::rectify:
    case Verb::explain:
    case Verb::appeal:
    case Verb::call_back:
    case Verb::close_rectification:
      return false;  // a rating's rectification task, not the case lifecycle
    case Verb::confirm_promise:
    case Verb::false_promise:
    case Verb::revoke:
    case Verb::send_unresolved:
    case Verb::hand_to_unit:
    case Verb::settle_unresolved:
    case Verb::order:
    case Verb::reply_order:
    case Verb::close_order:
    case Verb::escalate_order:
    case Verb::reassign:
      return false;  // promises, unresolved matters, orders, reassignment: not on the paths
  }
  return false;
}

using raw::Db;
using raw::Stmt;

void raw::bind_event_row(sqlite3_stmt* s, const EventRow& r) {
  sqlite3_bind_int64(s, 1, r.id);
  sqlite3_bind_int64(s, 2, r.case_id);
  sqlite3_bind_int64(s, 3, r.seq);
  bind_text(s, 4, r.kind);
  sqlite3_bind_int64(s, 5, r.time);
  int column = 6;  // actor ... rules_version: the texts between the time and the hash
  for (const std::string* text :
       {&r.actor, &r.office, &r.post, &r.reason, &r.detail, &r.rules_version}) {
    bind_text(s, column++, *text);
  }
  bind_blob(s, 12, r.hash);
  bind_text(s, 13, r.notify);
}

void remove_db(const std::filesystem::path& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix, ec);
}

EventLog read_event_rows(const std::filesystem::path& store) {
  Db db(store, SQLITE_OPEN_READONLY);
  EventLog log;
  {
    // The table exactly as the store created it, whatever its schema version.
    Stmt ddl(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'");
    if (sqlite3_step(ddl.s) != SQLITE_ROW)
      throw std::runtime_error(fmt::format("{}: no events table", store.string()));
    log.events_table = ddl.col(0);
  }
  Stmt q(db, "SELECT id, case_id, seq, kind, time, actor, office, post, reason, detail, "
             "rules_version, hash, notify, snapshots FROM events ORDER BY id");
  std::vector<EventRow>& rows = log.rows;
  while (sqlite3_step(q.s) == SQLITE_ROW) {
    EventRow& r = rows.emplace_back();
    r.id = sqlite3_column_int64(q.s, 0);
    r.case_id = sqlite3_column_int64(q.s, 1);
    r.seq = sqlite3_column_int64(q.s, 2);
    r.kind = q.col(3);
    r.time = sqlite3_column_int64(q.s, 4);
    r.actor = q.col(5);
    r.office = q.col(6);
    r.post = q.col(7);
    r.reason = q.col(8);
    r.detail = q.col(9);
    r.rules_version = q.col(10);
    r.hash = q.col(11);
    r.notify = q.col(12);
    r.snapshots = q.col(13);
  }
  return log;
}

std::vector<std::size_t> command_starts(const std::vector<EventRow>& rows) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i == 0 || rows[i].case_id != rows[i - 1].case_id || rows[i].actor != "system")
      starts.push_back(i);
  }
  return starts;
}

std::vector<std::size_t> fixed_batches(std::size_t rows, std::size_t batch) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < rows; i += batch) starts.push_back(i);
  return starts;
}

std::vector<std::size_t> command_groups(const std::vector<std::size_t>& commands,
                                        std::size_t per_group) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < commands.size(); i += std::max<std::size_t>(1, per_group))
    starts.push_back(commands[i]);
  return starts;
}

RawRun raw_insert(const std::filesystem::path& path, const EventLog& log,
                  const std::vector<std::size_t>& starts, bool synchronous_full) {
  const std::vector<EventRow>& rows = log.rows;
  remove_db(path);
  RawRun out;
  {
    Db db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    db.exec(log.events_table.c_str());
    Stmt ins(db, "INSERT INTO events (id, case_id, seq, kind, time, actor, office, post, "
                 "reason, detail, rules_version, hash, notify) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Stmt begin(db, "BEGIN IMMEDIATE"), commit(db, "COMMIT");
    Stopwatch sw;
    for (std::size_t g = 0; g < starts.size(); ++g) {
      const std::size_t end = g + 1 < starts.size() ? starts[g + 1] : rows.size();
      sqlite3_step(begin.s);
      sqlite3_reset(begin.s);
      for (std::size_t i = starts[g]; i < end; ++i) {
        raw::bind_event_row(ins.s, rows[i]);
        if (sqlite3_step(ins.s) != SQLITE_DONE)
          throw std::runtime_error(fmt::format("raw insert: {}", sqlite3_errmsg(db.db)));
        sqlite3_reset(ins.s);
      }
      if (sqlite3_step(commit.s) != SQLITE_DONE)
        throw std::runtime_error(fmt::format("raw commit: {}", sqlite3_errmsg(db.db)));
      sqlite3_reset(commit.s);
      ++out.transactions;
    }
    out.seconds = sw.seconds();
    out.rows = rows.size();
  }
  remove_db(path);
  return out;
}

RawRun raw_scan_cases(const std::filesystem::path& store) {
  Db db(store, SQLITE_OPEN_READONLY);
  Stmt q(db, "SELECT id, last_seq, encoded FROM cases ORDER BY id");
  struct Snap {
    std::int64_t id, last_seq;
    std::string encoded;
  };
  std::vector<Snap> all;
  Stopwatch sw;
  while (sqlite3_step(q.s) == SQLITE_ROW)
    all.push_back({sqlite3_column_int64(q.s, 0), sqlite3_column_int64(q.s, 1), q.col(2)});
  RawRun out;
  out.seconds = sw.seconds();
  out.rows = all.size();
  return out;
}

// Every column of every event, in log order: what a feed has to read at the least.
RawRun raw_scan_events(const std::filesystem::path& store) {
  Db db(store, SQLITE_OPEN_READONLY);
  Stmt q(db, "SELECT * FROM events ORDER BY id");
  const int columns = sqlite3_column_count(q.s);
  std::vector<std::string> all;
  Stopwatch sw;
  while (sqlite3_step(q.s) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < columns; ++c) row += q.col(c);
    all.push_back(std::move(row));
  }
  RawRun out;
  out.seconds = sw.seconds();
  out.rows = all.size();
  return out;
}

}  // namespace bench
