"""`workflow audit verify DB`: exit 0 on an intact log, 1 naming the first tampered event, 2 for
a file that cannot be audited.

The store is built here from docs/storage.md: its schema block and its hash-chain encoding,
computed independently in Python, so these tests also hold the documentation to the
implementation. Tampering uses the sqlite3 shell, as someone at the server would."""
import hashlib
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
SCHEMA_VERSION = 3


def schema_from_docs():
    """Every version's SQL block of docs/storage.md, in order."""
    text = (SOURCE / "docs" / "storage.md").read_text(encoding="utf-8")
    return "".join(re.findall(r"```sql\n(.*?)```", text, re.S))


def text(value):
    data = value.encode("utf-8")
    return struct.pack(">I", len(data)) + data


def canonical(position, case, seq, kind, time, actor, office, post, reason, detail, rules,
              notify):
    return (struct.pack(">QQQ", position, case, seq) + text(kind) + struct.pack(">q", time)
            + b"".join(text(v) for v in (actor, office, post, reason, detail, rules))
            + (text(notify) if notify else b""))


def make_store(path, events=EVENTS):
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = WAL")
    con.executescript(schema_from_docs())
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    previous = bytes(32)
    for position, event in enumerate(events, 1):
        digest = hashlib.sha256(previous + canonical(position, *event)).digest()
        con.execute("INSERT INTO events (id, case_id, seq, kind, time, actor, office, post, "
                    "reason, detail, rules_version, notify, hash) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", (position, *event, digest))
        previous = digest
    con.execute("INSERT INTO log_head VALUES (1, ?, ?)", (len(events), previous))
    con.commit()
    con.close()
    return path


def shell(db, sql):
    subprocess.run([SQLITE3, str(db), sql], check=True, capture_output=True, timeout=60)


def verify(db):
    return subprocess.run([CLI, "audit", "verify", str(db)], capture_output=True, text=True,
                          timeout=60)


@pytest.fixture
def store(tmp_path):
    return make_store(tmp_path / "cases.db")


def test_an_intact_log_verifies(store):
    r = verify(store)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == f"{store}: ok: 6 events, hash chain intact\n"
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
     " detail, rules_version, hash, notify FROM t;",
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
    sqlite3.connect(newer).execute("PRAGMA user_version = 4").connection.close()
    cases = [
        (tmp_path / "missing.db", "does not exist"),
        (notes, "is not an SQLite database"),
        (newer, "has schema version 4, newer than this library's 3: upgrade libworkflow"),
    ]
    for path, problem in cases:
        before = path.read_bytes() if path.exists() else None
        r = verify(path)
        assert r.returncode == 2, r.stdout + r.stderr
        assert r.stdout == ""
        assert r.stderr == f"workflow: error: {path} {problem}\n"
        assert (path.read_bytes() if path.exists() else None) == before
