// The prepared statements of the PostgreSQL store (postgres_store.cpp): its reads on the
// read connection, its writes on the writer's. Named here, run there by name.
#include "store/postgres_store.hpp"

namespace workflow::detail {

void prepare_store_reads(PgSession& r) {
  r.prepare("history",
            "SELECT case_id, seq, kind, time, actor, office, post, reason, detail, "
            "rules_version, notify FROM wf_events WHERE partition = $1 AND case_id = $2 "
            "ORDER BY seq");
  r.prepare("events_after",
            "SELECT id, case_id, seq, kind, time, actor, office, post, reason, detail, "
            "rules_version, notify, hash, snapshots FROM wf_events WHERE partition = $1 AND "
            "id > $2 ORDER BY id LIMIT $3");
  r.prepare("hash_at", "SELECT hash FROM wf_events WHERE partition = $1 AND id = $2");
  r.prepare("last_position",
            "SELECT COALESCE(MAX(id), 0)::bigint FROM wf_events WHERE partition = $1");
  r.prepare("cases_page",
            "SELECT id, last_seq, encoded, sealed_by FROM wf_cases WHERE partition = $1 AND "
            "id > $2 ORDER BY id LIMIT 256");
  // The events a page of snapshots names as their seals, each with its predecessor's hash.
  r.prepare("sealing_events",
            "SELECT e.id, e.case_id, e.seq, e.kind, e.time, e.actor, e.office, e.post, "
            "e.reason, e.detail, e.rules_version, e.notify, e.hash, e.snapshots, p.hash FROM "
            "wf_events e LEFT JOIN wf_events p ON p.partition = e.partition AND p.id = e.id - 1 "
            "WHERE e.partition = $1 AND e.id = ANY($2::bigint[]) ORDER BY e.id");
  r.prepare("sealed_any",
            "SELECT 1::bigint FROM wf_events WHERE partition = $1 AND length(snapshots) > 0 "
            "LIMIT 1");
  r.prepare("engine_state",
            "SELECT value FROM wf_engine WHERE partition = $1 AND key = 'state'");
  r.prepare("find_request",
            "SELECT fingerprint, case_id FROM wf_requests WHERE partition = $1 AND "
            "request_id = $2");
  r.prepare("rule_sets",
            "SELECT position, version, installed_at, installed_by, files FROM wf_rule_sets "
            "WHERE partition = $1 ORDER BY position");
}

void prepare_store_writes(PgSession& w) {
  // A group commit's events and snapshots, one statement each (arrays of its rows).
  w.prepare("insert_events",
            "INSERT INTO wf_events (partition, id, case_id, seq, kind, time, actor, office, "
            "post, reason, detail, rules_version, hash, notify, snapshots) SELECT $1, * FROM "
            "unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], "
            "$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], "
            "$13::bytea[], $14::text[], $15::bytea[])");
  // sealed_by: the event whose seal lists the snapshot as stored (docs/storage.md,
  // "Snapshots in the chain"), 0 until a commit with an event seals it.
  w.prepare("put_cases",
            "INSERT INTO wf_cases (partition, id, last_seq, encoded, sealed_by) SELECT $1, * "
            "FROM unnest($2::bigint[], $3::bigint[], $4::bytea[], $5::bigint[]) "
            "ON CONFLICT (partition, id) DO UPDATE SET last_seq = excluded.last_seq, "
            "encoded = excluded.encoded, sealed_by = excluded.sealed_by");
  // Snapshots no event has sealed yet (written before schema 3, or by a commit without an
  // event), read before a group starts and sealed by its first commit with an event.
  w.prepare("unsealed_rows",
            "SELECT id, last_seq, encoded FROM wf_cases WHERE partition = $1 AND sealed_by = 0 "
            "ORDER BY id");
  w.prepare("seal_rest",
            "UPDATE wf_cases SET sealed_by = $2 WHERE partition = $1 AND sealed_by = 0");
  w.prepare("put_engine",
            "INSERT INTO wf_engine (partition, key, value) VALUES ($1, 'state', $2) "
            "ON CONFLICT (partition, key) DO UPDATE SET value = excluded.value");
  // The first record of a request id stands, as find_request answered it.
  w.prepare("put_request",
            "INSERT INTO wf_requests (partition, request_id, fingerprint, case_id) "
            "VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING");
  w.prepare("put_rules",
            "INSERT INTO wf_rule_sets (partition, position, version, installed_at, "
            "installed_by, files) VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM "
            "wf_rule_sets WHERE partition = $1), $2, $3, $4, $5)");
  w.prepare("put_handoff",
            "INSERT INTO wf_outbox (partition, seq, partition_to, payload, sent_position) "
            "VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM wf_outbox WHERE partition = "
            "$1), $2, $3, $4)");
  // Only the first receipt counts; a handoff is taken in once (its request id sees to it).
  w.prepare("take_handoff",
            "UPDATE wf_outbox SET received_position = $4 WHERE partition = $1 AND seq = $2 "
            "AND partition_to = $3 AND received_position IS NULL");
  // Moves the head only from where this writer left it: should the lock ever fail to keep
  // a second writer out, its transaction finds no row to update and rolls back.
  w.prepare("put_head",
            "INSERT INTO wf_log_head AS h (partition, last_id, hash) VALUES ($1,$2,$3) "
            "ON CONFLICT (partition) DO UPDATE SET last_id = excluded.last_id, "
            "hash = excluded.hash WHERE h.last_id = $4");
}

}  // namespace workflow::detail
