// The chain's hold on a partition's snapshots and its key, as for an SQLite store
// (sqlite_seals.cpp): each snapshot checked against its seal before an engine sees it, the
// key of a keyed chain checked before a writer extends it (docs/storage.md, "Snapshots in
// the chain", "Keyed chain").
#include <fmt/format.h>

#include "store/postgres_store.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {

bool postgres_chain_keyed(PgSession& s) {
  const PgResult r = s.query("SELECT chain FROM wf_partitions WHERE partition = $1",
                             PgParams().text(s.partition()), "reading the chain's kind");
  return PQntuples(r.get()) > 0 && pg_view(r.get(), 0, 0) == "hmac-sha256";
}

// A page's sealing events in one query (ids as an array), in log order.
SealCheck postgres_seal_check(PgSession& reader, bool keyed, const HmacSha256* key) {
  PgSession* r = &reader;
  auto load = [r](std::span<const std::int64_t> ids,
                  const std::function<void(const StoredSealingEvent&)>& row) {
    std::string array = "{";
    for (const std::int64_t id : ids) {
      if (array.size() > 1) array += ',';
      array += std::to_string(id);
    }
    array += '}';
    const PgResult got = r->run("sealing_events", PgParams().text(r->partition()).text(array),
                                "reading the snapshots' seals");
    const PGresult* e = got.get();
    for (int i = 0, n = PQntuples(e); i < n; ++i) {
      row({{pg_int(e, i, 0), pg_int(e, i, 1), pg_int(e, i, 2), pg_view(e, i, 3), pg_int(e, i, 4),
            pg_view(e, i, 5), pg_view(e, i, 6), pg_view(e, i, 7), pg_view(e, i, 8),
            pg_view(e, i, 9), pg_view(e, i, 10), pg_view(e, i, 11), pg_view(e, i, 13)},
           pg_view(e, i, 12), PQgetisnull(e, i, 14) ? std::string_view() : pg_view(e, i, 14)});
    }
  };
  auto any_sealed = [r] {
    const PgResult got = r->run("sealed_any", PgParams().text(r->partition()),
                                "reading the snapshots' seals");
    return PQntuples(got.get()) > 0;
  };
  const std::string where = fmt::format("PostgreSQL partition '{}':", reader.partition());
  return SealCheck(where,
                   fmt::format("workflow audit verify CONNINFO --partition {}", reader.partition()),
                   keyed, key, std::move(load), std::move(any_sealed));
}

void check_postgres_chain_key(PgSession& w, std::int64_t last_id, bool& keyed,
                              const HmacSha256* key) {
  if (keyed && key == nullptr) {
    throw_pg(w.partition(), "has a keyed chain (HMAC-SHA-256): give its key file "
                            "(PostgresOptions::key_file, --key FILE) to open it for writing");
  }
  if (key == nullptr) return;
  if (!keyed) {
    if (last_id > 0) {
      throw_pg(w.partition(), "has an unkeyed chain with events in it: a key can be given only "
                              "to a new partition (see docs/storage.md, \"Keyed chain\")");
    }
    w.query("UPDATE wf_partitions SET chain = 'hmac-sha256' WHERE partition = $1",
            PgParams().text(w.partition()), "marking the chain keyed");
    keyed = true;
    return;
  }
  if (last_id == 0) return;
  const PgResult r = w.query(
      "SELECT e.case_id, e.seq, e.kind, e.time, e.actor, e.office, e.post, e.reason, e.detail, "
      "e.rules_version, e.notify, e.snapshots, e.hash, p.hash FROM wf_events e LEFT JOIN "
      "wf_events p ON p.partition = e.partition AND p.id = e.id - 1 WHERE e.partition = $1 AND "
      "e.id = $2",
      PgParams().text(w.partition()).integer(last_id), "checking the key");
  const PGresult* e = r.get();
  if (PQntuples(e) == 0) return;  // deleted at the end: the audit reports it
  Sha256::Digest previous{};
  if (!PQgetisnull(e, 0, 13) && PQgetlength(e, 0, 13) == 32) {
    std::copy_n(PQgetvalue(e, 0, 13), 32, reinterpret_cast<char*>(previous.data()));
  }
  const auto computed = chain_hash(
      previous,
      {last_id, pg_int(e, 0, 0), pg_int(e, 0, 1), pg_view(e, 0, 2), pg_int(e, 0, 3),
       pg_view(e, 0, 4), pg_view(e, 0, 5), pg_view(e, 0, 6), pg_view(e, 0, 7), pg_view(e, 0, 8),
       pg_view(e, 0, 9), pg_view(e, 0, 10), pg_view(e, 0, 11)},
      key);
  if (pg_view(e, 0, 12) != digest_bytes(computed)) {
    throw_pg(w.partition(), fmt::format("cannot be opened: the key file given is not this "
                                        "partition's key (event {} does not hash under it)",
                                        last_id));
  }
}

}  // namespace workflow::detail
