// The chain's hold on a partition's snapshots and its key, as for an SQLite store
// (sqlite_seals.cpp): each snapshot checked against its seal before an engine sees it, the
// key of a keyed chain checked before a writer extends it (docs/storage.md, "Snapshots in
// the chain", "Keyed chain"); and the seals a group commit writes (PgGroupSnapshots).
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

void PgGroupSnapshots::stored_unsealed(std::int64_t case_id, std::int64_t last_seq,
                                       std::string encoded) {
  unsealed_[case_id] = {last_seq, stored_.emplace_back(std::move(encoded))};
  stored_pending_ = true;
}

std::string PgGroupSnapshots::commit(std::span<const CaseSnapshot> cases, std::int64_t sealing) {
  if (sealing == 0) {
    for (const CaseSnapshot& snap : cases) {
      const auto id = static_cast<std::int64_t>(snap.id);
      unsealed_[id] = {snap.last_seq, snap.encoded};
      last_[id] = {&snap, 0};
    }
    return {};
  }
  std::string seals = commit_seals(cases, [&](const UnsealedVisitor& visit) {
    for (const auto& [id, row] : unsealed_) visit(id, row.last_seq, row.encoded);
  });
  // What waited is sealed now: the group's own (their last snapshot is the one just listed,
  // or this commit's, set below) and those stored before the group.
  for (auto& [id, written] : last_) {
    if (written.sealed_by == 0) written.sealed_by = sealing;
  }
  if (stored_pending_) {
    stored_sealed_by_ = sealing;
    stored_pending_ = false;
  }
  unsealed_.clear();
  for (const CaseSnapshot& snap : cases) last_[static_cast<std::int64_t>(snap.id)] = {&snap, sealing};
  return seals;
}

PgParams PgGroupSnapshots::params(std::string_view partition) const {
  PgArray ids, seqs, encoded, sealed_by;
  for (const auto& [id, written] : last_) {
    ids.integer(id);
    seqs.integer(written.snapshot->last_seq);
    encoded.bytes(written.snapshot->encoded);
    sealed_by.integer(written.sealed_by);
  }
  return PgParams().text(partition).text(ids.str()).text(seqs.str()).text(encoded.str())
      .text(sealed_by.str());
}

}  // namespace workflow::detail
