// The raw PostgreSQL baselines (baselines_pg.hpp), with libpq alone.
#include "baselines_pg.hpp"

#include <libpq-fe.h>

#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "measure.hpp"

namespace bench {
namespace {

constexpr const char* kTable = "bench_raw_events";

struct ResultFree {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using Res = std::unique_ptr<PGresult, ResultFree>;

class Conn {
 public:
  explicit Conn(const std::string& conninfo) : c_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(c_) != CONNECTION_OK) {
      const std::string msg = PQerrorMessage(c_);
      PQfinish(c_);
      throw std::runtime_error(fmt::format("raw PostgreSQL baseline: cannot connect: {}", msg));
    }
    PQsetNoticeProcessor(c_, [](void*, const char*) {}, nullptr);  // "does not exist, skipping"
  }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn() { PQfinish(c_); }
  PGconn* get() const { return c_; }
  Res exec(const std::string& sql) const {
    Res r(PQexec(c_, sql.c_str()));
    check(r.get(), sql);
    return r;
  }
  void check(const PGresult* r, std::string_view what) const {
    const ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
      throw std::runtime_error(fmt::format("raw PostgreSQL baseline: {}: {}", what.substr(0, 60),
                                           r ? PQresultErrorMessage(r) : PQerrorMessage(c_)));
  }

 private:
  PGconn* c_;
};

}  // namespace

EventLog read_pg_event_rows(const std::string& conninfo, const std::string& partition) {
  Conn c(conninfo);
  const char* values[] = {partition.c_str()};
  Res r(PQexecParams(c.get(),
                     "SELECT id, case_id, seq, kind, time, actor, office, post, reason, detail, "
                     "rules_version, hash, notify FROM wf_events WHERE partition = $1 ORDER BY id",
                     1, nullptr, values, nullptr, nullptr, 0));
  c.check(r.get(), "reading the partition's events");
  EventLog log;
  const auto text = [&](int i, int col) {
    return std::string(PQgetvalue(r.get(), i, col), static_cast<std::size_t>(PQgetlength(r.get(), i, col)));
  };
  for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
    EventRow& e = log.rows.emplace_back();
    e.id = std::stoll(text(i, 0));
    e.case_id = std::stoll(text(i, 1));
    e.seq = std::stoll(text(i, 2));
    e.kind = text(i, 3);
    e.time = std::stoll(text(i, 4));
    e.actor = text(i, 5);
    e.office = text(i, 6);
    e.post = text(i, 7);
    e.reason = text(i, 8);
    e.detail = text(i, 9);
    e.rules_version = text(i, 10);
    std::size_t len = 0;
    unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r.get(), i, 11)), &len);
    e.hash.assign(reinterpret_cast<const char*>(raw), len);
    PQfreemem(raw);
    e.notify = text(i, 12);
  }
  return log;
}

RawRun raw_pg_insert(const std::string& conninfo, const std::string& partition,
                     const std::vector<EventRow>& rows, const std::vector<std::size_t>& starts,
                     const std::string& synchronous_commit) {
  Conn c(conninfo);
  c.exec(fmt::format("DROP TABLE IF EXISTS {0}; CREATE TABLE {0} (LIKE wf_events INCLUDING ALL)", kTable));
  c.exec(fmt::format("SET synchronous_commit = '{}'", synchronous_commit));
  {
    Res p(PQprepare(c.get(), "ins",
                    fmt::format("INSERT INTO {} (partition, id, case_id, seq, kind, time, actor, "
                                "office, post, reason, detail, rules_version, hash, notify) VALUES "
                                "($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)", kTable).c_str(),
                    0, nullptr));
    c.check(p.get(), "prepare");
  }
  // The statements of a transaction: sent without waiting, then every result read.
  const auto send = [&](const char* name, int n, const char* const* values, const int* lengths,
                        const int* formats) {
    const int ok = name ? PQsendQueryPrepared(c.get(), name, n, values, lengths, formats, 0)
                        : PQsendQueryParams(c.get(), values[0], 0, nullptr, nullptr, nullptr, nullptr, 0);
    if (!ok) throw std::runtime_error(fmt::format("raw PostgreSQL baseline: send: {}", PQerrorMessage(c.get())));
  };
  const char* begin[] = {"BEGIN"};
  const char* commit[] = {"COMMIT"};
  const int formats[14] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
  RawRun out;
  if (PQenterPipelineMode(c.get()) != 1)
    throw std::runtime_error("raw PostgreSQL baseline: libpq cannot enter pipeline mode");
  Stopwatch sw;
  for (std::size_t g = 0; g < starts.size(); ++g) {
    const std::size_t end = g + 1 < starts.size() ? starts[g + 1] : rows.size();
    send(nullptr, 0, begin, nullptr, nullptr);
    for (std::size_t i = starts[g]; i < end; ++i) {
      const EventRow& r = rows[i];
      const std::string id = std::to_string(r.id), case_id = std::to_string(r.case_id),
                        seq = std::to_string(r.seq), time = std::to_string(r.time);
      const char* values[14] = {partition.c_str(), id.c_str(), case_id.c_str(), seq.c_str(),
                                r.kind.c_str(), time.c_str(), r.actor.c_str(), r.office.c_str(),
                                r.post.c_str(), r.reason.c_str(), r.detail.c_str(),
                                r.rules_version.c_str(), r.hash.data(), r.notify.c_str()};
      int lengths[14] = {};
      lengths[12] = static_cast<int>(r.hash.size());
      send("ins", 14, values, lengths, formats);
    }
    send(nullptr, 0, commit, nullptr, nullptr);
    if (PQpipelineSync(c.get()) != 1)
      throw std::runtime_error(fmt::format("raw PostgreSQL baseline: sync: {}", PQerrorMessage(c.get())));
    // Each statement's result is followed by a null; the sync's result ends the group.
    for (;;) {
      Res r(PQgetResult(c.get()));
      if (!r) {
        if (PQstatus(c.get()) == CONNECTION_BAD)
          throw std::runtime_error(fmt::format("raw PostgreSQL baseline: {}", PQerrorMessage(c.get())));
        continue;
      }
      if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) break;
      c.check(r.get(), "insert");
    }
    ++out.transactions;
  }
  out.seconds = sw.seconds();
  out.rows = rows.size();
  PQexitPipelineMode(c.get());
  c.exec(fmt::format("DROP TABLE {}", kTable));
  return out;
}

}  // namespace bench
