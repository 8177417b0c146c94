// The libpq pipeline of the PostgreSQL store's writer (postgres_store.hpp): a group commit's
// statements in one round trip (docs/performance.md, "lifecycle-durable on PostgreSQL").
#include <fmt/format.h>

#include "store/postgres_store.hpp"

namespace workflow::detail {

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
