// The PostgreSQL store's writer path (postgres_store.hpp): a group commit's rows as arrays,
// one statement per table (PgArray, PgEventRows), and its statements in one round trip
// (PgPipeline). docs/performance.md, "lifecycle-durable on PostgreSQL", has the A/B.
#include <fmt/format.h>

#include "store/postgres_store.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {

void PgArray::next() {
  if (size_++ > 0) body_ += ',';
}

PgArray& PgArray::integer(std::int64_t v) {
  next();
  body_ += std::to_string(v);
  return *this;
}

// Quoted, with the two characters an array element escapes: '"' and backslash.
PgArray& PgArray::text(std::string_view s) {
  if (s.find('\0') != std::string_view::npos) {
    throw Error(ErrorCode::store_error,
                "a text value contains a NUL byte, which PostgreSQL text cannot hold");
  }
  next();
  body_ += '"';
  for (const char c : s) {
    if (c == '"' || c == '\\') body_ += '\\';
    body_ += c;
  }
  body_ += '"';
  return *this;
}

// bytea's hex input form \xHEX, its backslash escaped inside the array literal.
PgArray& PgArray::bytes(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  next();
  body_ += "\"\\\\x";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    body_ += kHex[u >> 4];
    body_ += kHex[u & 15];
  }
  body_ += '"';
  return *this;
}

void PgEventRows::add(const ChainedEvent& c, std::string_view hash) {
  id_.integer(c.id);
  case_id_.integer(c.case_id);
  seq_.integer(c.seq);
  kind_.text(c.kind);
  time_.integer(c.time);
  actor_.text(c.actor);
  office_.text(c.office);
  post_.text(c.post);
  reason_.text(c.reason);
  detail_.text(c.detail);
  rules_version_.text(c.rules_version);
  hash_.bytes(hash);
  notify_.text(c.notify);
  snapshots_.bytes(c.snapshots);
}

PgParams PgEventRows::params(std::string_view partition) const {
  PgParams p;
  p.text(partition);
  for (const PgArray* a : {&id_, &case_id_, &seq_, &kind_, &time_, &actor_, &office_, &post_,
                           &reason_, &detail_, &rules_version_, &hash_, &notify_, &snapshots_}) {
    p.text(a->str());
  }
  return p;
}

PgPipeline::PgPipeline(PgSession& session) : session_(session) {
  if (PQenterPipelineMode(session_.get()) != 1) session_.fail("entering pipeline mode");
}

PgPipeline::~PgPipeline() {
  PGconn* c = session_.get();
  if (!pending_.empty() && PQstatus(c) == CONNECTION_OK) {
    try {
      sync();
    } catch (const std::exception&) {
      // The statements' error is not this destructor's to report: the one in flight is.
    }
  }
  PQexitPipelineMode(c);
}

void PgPipeline::send(const std::string& name, const PgParams& params, std::string_view what) {
  const auto values = params.values();
  const auto lengths = params.lengths();
  // libpq copies the parameters into its output buffer before returning.
  if (PQsendQueryPrepared(session_.get(), name.c_str(), params.size(), values.data(),
                          lengths.data(), params.formats(), 1) != 1) {
    session_.fail(what);
  }
  pending_.emplace_back(what);
}

void PgPipeline::send_sql(const char* sql, std::string_view what) {
  if (PQsendQueryParams(session_.get(), sql, 0, nullptr, nullptr, nullptr, nullptr, 1) != 1) {
    session_.fail(what);
  }
  pending_.emplace_back(what);
}

std::vector<PgResult> PgPipeline::sync() {
  PGconn* c = session_.get();
  std::vector<std::string> pending;
  pending.swap(pending_);  // read once, whatever happens
  if (PQpipelineSync(c) != 1) session_.fail("sending a pipeline sync");
  std::vector<PgResult> results;
  results.reserve(pending.size());
  std::string error;  // the first failure; the statements after it come back aborted
  for (const std::string& what : pending) {
    PgResult r(PQgetResult(c));
    if (!r) session_.fail(what);  // the connection is gone
    const ExecStatusType status = PQresultStatus(r.get());
    if (error.empty() && status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string msg = PQresultErrorMessage(r.get());
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      error = fmt::format("{}: {}", what, msg.empty() ? "aborted" : msg);
    }
    results.push_back(std::move(r));
    PQclear(PQgetResult(c));  // the null that ends each statement's results
  }
  PgResult end(PQgetResult(c));
  if (!end || PQresultStatus(end.get()) != PGRES_PIPELINE_SYNC) {
    session_.fail("reading a pipeline sync");
  }
  if (!error.empty()) throw_pg(session_.partition(), error);
  return results;
}

}  // namespace workflow::detail
