"""`workflow audit verify DB`: exit 0 on an intact log, 1 naming the first tampered event, 2 for
a file that cannot be audited.

The store is built here from docs/storage.md: its schema block and its hash-chain encoding,
computed independently in Python, so these tests also hold the documentation to the
implementation. Tampering uses the sqlite3 shell, as someone at the server would."""
import hashlib
import hmac
import os
import re
import shutil
import sqlite3
import struct
import subprocess
from pathlib import Path

import pytest

CLI = os.environ["WORKFLOW_CLI"]
SOURCE = Path(os.environ["WORKFLOW_SOURCE_DIR"])
SQLITE3 = shutil.which("sqlite3")

EVENTS = [  # case, seq, kind, time, actor, office, post, reason, detail, rules_version, notify
    (1, 1, "submitted", 1700000000, "w1a", "county", "w1", "", "materials=申请书", "v1", ""),
    (2, 1, "submitted", 1700000060, "w2a", "county", "w2", "", "", "v1", ""),
    (1, 2, "accept", 1700000120, "w1a", "county", "w1", "", "", "v1", "v1-agent-a"),
    (1, 3, "review_pass", 1700003600, "b1a", "county", "b1", "", "", "v1", ""),
    (2, 2, "refuse", 1700007200, "w2a", "county", "w2", "不属于本机关职权范围", "", "v1", ""),
    (1, 4, "approve", 1700086400, "b2a", "county", "b2", "", "", "v1", "v1-agent-b"),
]
SCHEMA_VERSION = 5
# Two cases' snapshots, sealed by the last event (docs/storage.md, "Snapshots in the chain").
SNAPSHOTS = {1: (4, b"\x03case one, approved"), 2: (2, b"\x03case two, refused")}


def schema_from_docs():
    """Every version's SQL block of docs/storage.md, in order."""
    text = (SOURCE / "docs" / "storage.md").read_text(encoding="utf-8")
    return "".join(re.findall(r"```sql\n(.*?)```", text, re.S))


def text(value):
    data = value.encode("utf-8")
    return struct.pack(">I", len(data)) + data


def canonical(position, case, seq, kind, time, actor, office, post, reason, detail, rules,
              notify, snapshots=b""):
    return (struct.pack(">QQQ", position, case, seq) + text(kind) + struct.pack(">q", time)
            + b"".join(text(v) for v in (actor, office, post, reason, detail, rules))
            + (text(notify) if notify or snapshots else b"")
            + (struct.pack(">I", len(snapshots)) + snapshots if snapshots else b""))


def seals(snapshots):
    return b"".join(struct.pack(">QQ", case, seq) + hashlib.sha256(encoded).digest()
                    for case, (seq, encoded) in sorted(snapshots.items()))


def row_seal(store_id, case, seq, sealed_by, encoded, key=None):
    """Schema 5's seal of a case row (docs/storage.md, "Row seals")."""
    message = (text("libworkflow row seal") + text(store_id)
               + struct.pack(">QQQ", case, seq, sealed_by) + hashlib.sha256(encoded).digest())
    return (hmac.new(key, message, hashlib.sha256).digest() if key is not None
            else hashlib.sha256(message).digest())


def make_store(path, events=EVENTS, snapshots=None, key=None):
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = WAL")
    con.executescript(schema_from_docs())
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    if key is not None:
        con.execute("UPDATE store_info SET value = 'hmac-sha256' WHERE key = 'chain'")
    previous = bytes(32)
    for position, event in enumerate(events, 1):
        listed = seals(snapshots) if snapshots and position == len(events) else b""
        message = previous + canonical(position, *event, listed)
        digest = (hmac.new(key, message, hashlib.sha256).digest() if key is not None
                  else hashlib.sha256(message).digest())
        con.execute("INSERT INTO events (id, case_id, seq, kind, time, actor, office, post, "
                    "reason, detail, rules_version, notify, snapshots, hash) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (position, *event, listed, digest))
        previous = digest
    store_id = con.execute("SELECT value FROM store_info WHERE key = 'store_id'").fetchone()[0]
    for case, (seq, encoded) in (snapshots or {}).items():
        con.execute("INSERT INTO cases (id, last_seq, encoded, sealed_by, seal) VALUES (?,?,?,?,?)",
                    (case, seq, encoded, len(events),
                     row_seal(store_id, case, seq, len(events), encoded, key)))
    con.execute("INSERT INTO log_head (singleton, last_id, hash) VALUES (1, ?, ?)",
                (len(events), previous))
    con.commit()
    con.close()
    return path


def shell(db, sql):
    subprocess.run([SQLITE3, str(db), sql], check=True, capture_output=True, timeout=60)


def verify(db, *options):
    return subprocess.run([CLI, "audit", "verify", str(db), *options], capture_output=True,
                          text=True, timeout=60)


@pytest.fixture
def store(tmp_path):
    return make_store(tmp_path / "cases.db")


def test_an_intact_log_verifies(store):
    r = verify(store)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == (f"{store}: ok: 6 events, hash chain intact\n"
                        f"{store}: 0 snapshots match the chain\n")
    assert r.stderr == ""


needs_shell = pytest.mark.skipif(SQLITE3 is None, reason="the sqlite3 shell is not installed")


@needs_shell
@pytest.mark.parametrize("sql, line", [
    ("UPDATE events SET reason = '材料齐全' WHERE id = 5",
     "event 5 (case 2 seq 2): hash does not match its contents and its predecessor's hash"),
    ("UPDATE events SET time = time - 86400 WHERE id = 4",
     "event 4 (case 1 seq 3): hash does not match its contents and its predecessor's hash"),
    ("DELETE FROM events WHERE id = 3",
     "event 4 (case 1 seq 3): event 3 is missing before it"),
    # Events 2 and 3 trade places: every column but the log position moves.
    ("CREATE TEMP TABLE t AS SELECT * FROM events WHERE id IN (2, 3);"
     "DELETE FROM events WHERE id IN (2, 3);"
     "INSERT INTO events SELECT 5 - id, case_id, seq, kind, time, actor, office, post, reason,"
     " detail, rules_version, hash, notify, snapshots FROM t;",
     "event 2 (case 1 seq 2): hash does not match its contents and its predecessor's hash"),
    # The agent a notice went to is chained too (帮办代办).
    ("UPDATE events SET notify = 'someone-else' WHERE id = 3",
     "event 3 (case 1 seq 2): hash does not match its contents and its predecessor's hash"),
    ("DELETE FROM events WHERE id = 6",
     "event 6: missing: the log ends at event 5 but its head records event 6"),
])
def test_tampering_names_the_first_bad_event(store, sql, line):
    shell(store, sql)
    r = verify(store)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stdout == f"{store}: {line}\n"


def test_files_that_cannot_be_audited_exit_2_and_are_left_alone(tmp_path, store):
    notes = tmp_path / "notes.db"
    notes.write_text("not a database, just text long enough to have a header\n")
    newer = tmp_path / "newer.db"
    shutil.copy(store, newer)
    sqlite3.connect(newer).execute("PRAGMA user_version = 7").connection.close()
    cases = [
        (tmp_path / "missing.db", "does not exist"),
        (notes, "is not an SQLite database"),
        (newer, "has schema version 7, newer than this library's 6: upgrade libworkflow"),
    ]
    for path, problem in cases:
        before = path.read_bytes() if path.exists() else None
        r = verify(path)
        assert r.returncode == 2, r.stdout + r.stderr
        assert r.stdout == ""
        assert r.stderr == f"workflow: error: {path} {problem}\n"
        assert (path.read_bytes() if path.exists() else None) == before


def test_a_tampered_snapshot_is_named_by_its_case(tmp_path):
    db = make_store(tmp_path / "cases.db", snapshots=SNAPSHOTS)
    r = verify(db)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.endswith(f"{db}: 2 snapshots match the chain\n")
    con = sqlite3.connect(db)
    con.execute("UPDATE cases SET encoded = ? WHERE id = 2", (b"\x03case two, issued!",))
    con.commit()
    con.close()
    r = verify(db)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stdout == f"{db}: case 2: its snapshot does not match the digest the log records for it\n"


def test_a_keyed_store_is_audited_with_its_key(tmp_path):
    key = tmp_path / "hall.key"
    key.write_bytes(b"k" * 32)
    db = make_store(tmp_path / "keyed.db", snapshots=SNAPSHOTS, key=b"k" * 32)
    r = verify(db, "--key", str(key))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith(f"{db}: ok: 6 events, hash chain, keyed, intact\n")
    r = verify(db)
    assert r.returncode == 2
    assert r.stderr == (f"workflow: error: {db} has a keyed chain (HMAC-SHA-256): audit it with "
                        "its key file (--key FILE)\n")
    other = tmp_path / "other.key"
    other.write_bytes(b"o" * 32)
    r = verify(db, "--key", str(other))
    assert r.returncode == 1
    assert r.stdout.startswith(f"{db}: event 1 (case 1 seq 1): hash does not match")
    # An unkeyed store audited with a key: its keyed chain may have been replaced.
    plain = make_store(tmp_path / "plain.db")
    r = verify(plain, "--key", str(key))
    assert r.returncode == 1
    assert "records an unkeyed chain, but a key was given" in r.stdout


def test_head_prints_an_anchor_that_verify_checks(tmp_path, store):
    r = subprocess.run([CLI, "audit", "head", str(store)], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    position, digest = r.stdout.strip().split(":")
    assert position == "6" and re.fullmatch(r"[0-9a-f]{64}", digest)
    assert verify(store, "--expect", r.stdout.strip()).returncode == 0
    # Cut the log back two events and move its head: the plain audit passes, the anchor not.
    con = sqlite3.connect(store)
    con.execute("DELETE FROM events WHERE id > 4")
    con.execute("UPDATE log_head SET last_id = 4, hash = (SELECT hash FROM events WHERE id = 4)")
    con.commit()
    con.close()
    assert verify(store).returncode == 0
    r = verify(store, "--expect", f"6:{digest}")
    assert r.returncode == 1
    assert r.stdout == (f"{store}: event 6: missing: the anchor recorded event 6, but the log "
                        "ends at event 4\n")
    r = verify(store, "--expect", "6:xyz")
    assert r.returncode == 2
    assert "give POS:HASH" in r.stderr


# The same audit of a PostgreSQL partition (`DB` is a conninfo, with --partition), run by
# ctest under tests/postgres/with_cluster.sh: its snapshots, its key and its anchors.
PG = os.environ.get("WORKFLOW_PG_CONNINFO")
PSQL = shutil.which("psql")
needs_postgres = pytest.mark.skipif(PG is None or PSQL is None,
                                    reason="no PostgreSQL cluster (run under with_cluster.sh)")


def psql(sql):
    r = subprocess.run([PSQL, PG, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def pg_partition(name):
    r = subprocess.run([CLI, "simulate", "--db", PG, "--partition", name, "--days", "1",
                        "--seed", "5", "--force"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return name


def pg(*args):
    return subprocess.run([CLI, "audit", *args[:1], PG, "--partition", *args[1:]],
                          capture_output=True, text=True, timeout=120)


@needs_postgres
def test_a_partitions_snapshots_are_checked_and_a_tampered_one_named():
    p = pg_partition("audit-snapshots")
    events = psql(f"SELECT count(*) FROM wf_events WHERE partition = '{p}'")
    cases = int(psql(f"SELECT count(*) FROM wf_cases WHERE partition = '{p}'"))
    label = f"PostgreSQL partition '{p}'"
    r = pg("verify", p)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == (f"{label}: ok: {events} events, hash chain intact\n"
                        f"{label}: {cases} snapshots match the chain\n")
    case = psql(f"UPDATE wf_cases SET encoded = encoded || '\\x00'::bytea WHERE partition = '{p}' "
                "AND id = (SELECT max(id) FROM wf_cases WHERE partition = "
                f"'{p}') RETURNING id").splitlines()[0]
    r = pg("verify", p)
    assert r.returncode == 1
    assert r.stdout == (f"{label}: case {case}: its snapshot does not match the digest the log "
                        "records for it\n")


@needs_postgres
def test_a_partitions_head_is_an_anchor_and_its_key_is_checked(tmp_path):
    p = pg_partition("audit-anchor")
    label = f"PostgreSQL partition '{p}'"
    r = pg("head", p)
    assert r.returncode == 0, r.stderr
    position, digest = r.stdout.strip().split(":")
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert pg("verify", p, "--expect", r.stdout.strip()).returncode == 0
    last = int(position)
    psql(f"DELETE FROM wf_events WHERE partition = '{p}' AND id > {last - 2}; "
         f"UPDATE wf_log_head SET last_id = {last - 2}, hash = (SELECT hash FROM wf_events WHERE "
         f"partition = '{p}' AND id = {last - 2}) WHERE partition = '{p}'")
    r = pg("verify", p, "--expect", f"{last}:{digest}")
    assert r.returncode == 1
    assert r.stdout.startswith(f"{label}: event {last}: missing: the anchor recorded event {last}, "
                               f"but the log ends at event {last - 2}\n")
    # A key given for an unkeyed partition is a finding; a keyed one needs its key.
    key = tmp_path / "hall.key"
    key.write_bytes(b"k" * 32)
    r = pg("verify", p, "--key", str(key))
    assert r.returncode == 1
    assert "records an unkeyed chain, but a key was given" in r.stdout
    psql(f"UPDATE wf_partitions SET chain = 'hmac-sha256' WHERE partition = '{p}'")
    r = pg("verify", p)
    assert r.returncode == 2
    assert r.stderr == (f"workflow: error: {label} has a keyed chain (HMAC-SHA-256): audit it "
                        "with its key file (--key FILE)\n")
    r = pg("verify", p, "--key", str(key))  # its events were not hashed under this key
    assert r.returncode == 1
    assert r.stdout.startswith(f"{label}: event 1 (case ")


def test_a_broken_row_seal_is_named_by_its_case(tmp_path):
    # Schema 5: reopening checks each case row's own seal, so the audit checks it too.
    db = make_store(tmp_path / "cases.db", snapshots=SNAPSHOTS)
    con = sqlite3.connect(db)
    con.execute("UPDATE cases SET seal = zeroblob(32) WHERE id = 1")
    con.commit()
    con.close()
    r = verify(db)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stdout == f"{db}: case 1: its row seal does not match its row (reopening refuses it)\n"
