"""Crash test: a child gives commands from 4 threads on one engine over an SQLite store (FULL
and NORMAL in turn) or a PostgreSQL partition (synchronous_commit on and local in turn), some
of them retries of another thread's command still in flight, and is SIGKILLed at random
moments. After every kill:

- every command sent but never acknowledged is sent again by the next child, with the same
  request id: a stored one must be answered (with its case), a lost one is done then;
- the store holds every command the child saw acknowledged, on the case it answered with,
  and no part of any other; no submit was done twice; (SQLite) PRAGMA integrity_check passes;
- the hash chain verifies (verify_sqlite_log, verify_postgres_log) and the engine reopens the
  store (recovery).

Some rounds let the child kill itself right after acknowledging a retry whose original was
not acknowledged yet: the moment an answer given before the original was durable is lost.
At the end a last child re-sends everything still unanswered and must answer all of it.

`-k sqlite` runs the SQLite store (ctest crash.sigkill), `-k postgres` the PostgreSQL one
(ctest postgres.crash, under tests/postgres/with_cluster.sh, which sets WORKFLOW_PG_CONNINFO;
without it that test fails)."""
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

CHILD = os.environ["WORKFLOW_CRASH_CHILD"]
SOURCE = Path(os.environ["WORKFLOW_SOURCE_DIR"])
RULES = SOURCE / "rules" / "ningdu"
CALENDAR = SOURCE / "rules" / "calendar"
KILLS = 24


class SqliteStore:
    @staticmethod
    def first_line(p):
        """The kill window starts at once: a child may also die while it opens the store."""
        return ""

    def __init__(self, path):
        self.args = [str(path)]
        self.path = path
        # Tables, each with a WHERE clause the queries extend with AND.
        self.requests, self.events, self.cases = ("requests WHERE 1=1", "events WHERE 1=1",
                                                  "cases WHERE 1=1")

    def query(self, sql):
        con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            return con.execute(sql).fetchall()
        except sqlite3.OperationalError as e:
            # Killed while its first opening created the schema (each migration is its own
            # transaction): nothing in it. An acknowledged command then counts as lost.
            if "no such table" in str(e):
                return []
            raise
        finally:
            con.close()

    def integrity(self):
        assert self.query("PRAGMA integrity_check")[0][0] == "ok"


class PostgresStore:
    PARTITION = "crash-360730"

    @staticmethod
    def first_line(p):
        """The kill window starts at the child's first line (a resend answered or a command
        sent, so still before its first commit of new work): its two connections, the schema
        check and the lock take long enough on a loaded machine that a window from its start
        would kill most children before they commit anything."""
        ready, _, _ = select.select([p.stdout], [], [], 30)
        # Read from the pipe itself, as communicate() does after it: nothing is left in a
        # buffer between the two (the child's lines are ASCII).
        return os.read(p.stdout.fileno(), 65536).decode() if ready else ""

    def __init__(self, conninfo):
        self.conninfo = conninfo
        self.args = [conninfo, "--partition", self.PARTITION]
        where = f"WHERE partition = '{self.PARTITION}'"
        self.requests, self.events, self.cases = (f"wf_requests {where}", f"wf_events {where}",
                                                  f"wf_cases {where}")
        self.psql = shutil.which("psql")
        assert self.psql, "the psql client is not installed"

    def query(self, sql):
        r = subprocess.run([self.psql, self.conninfo, "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                            "-c", sql], capture_output=True, text=True, timeout=60)
        if r.returncode != 0 and "does not exist" in r.stderr:
            return []  # killed before its first opening created the store: nothing in it
        assert r.returncode == 0, r.stderr
        return [tuple(int(v) if v.isdigit() else v for v in line.split("\t"))
                for line in r.stdout.splitlines()]

    def integrity(self):
        """The chain audit below covers the log. First wait for the killed child's backends to
        end: a transaction whose COMMIT it sent before the kill is still committed by the
        server, and the checks run several queries, each its own snapshot; one that lands
        between them would look like a case without its events."""
        deadline = time.monotonic() + 30
        while self.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                         "AND pid <> pg_backend_pid() AND backend_type = 'client backend'") != [(0,)]:
            assert time.monotonic() < deadline, "the killed child's connections did not end"
            time.sleep(0.05)


def child(store, *extra):
    return subprocess.Popen([CHILD, str(RULES), str(CALENDAR), *store.args, *map(str, extra)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class Ledger:
    """What the parent saw: commands sent (kind, case) and acknowledgements (case)."""

    def __init__(self):
        self.sent = {}    # request -> (kind, case acted on; 0 for a submit)
        self.acked = {}   # request -> case it answered with

    def read(self, out):
        for line in out.splitlines():
            parts = line.split()
            # a torn last line (killed mid-print) is neither a send nor an acknowledgement
            if len(parts) == 4 and parts[0] == "send":
                self.sent[parts[2]] = (parts[1], int(parts[3]))
            elif len(parts) == 3 and parts[0] == "ack" and parts[1] in self.sent:
                request, case = parts[1], int(parts[2])
                # A retry answers exactly as the original did.
                assert self.acked.setdefault(request, case) == case, request
                kind, acted_on = self.sent[request]
                assert kind == "submit" or case == acted_on, request

    def unacked(self):
        return {r: s for r, s in self.sent.items() if r not in self.acked}

    def write_resends(self, path):
        with open(path, "w") as f:
            for request, (kind, case) in sorted(self.unacked().items()):
                f.write(f"{kind} {request} {case}\n")


def check_store(store, acked):
    store.integrity()
    requests = dict(store.query(f"SELECT request_id, case_id FROM {store.requests}"))
    # Every acknowledged command is there, on the case it answered with.
    missing = [r for r in acked if r not in requests]
    assert not missing, f"{len(missing)} acknowledged commands lost, e.g. {missing[:3]}"
    for request, case in acked.items():
        assert requests[request] == case, request
    # No partial command: each case's events run 1..n with its snapshot at n.
    events = dict(store.query(f"SELECT case_id, COUNT(*) FROM {store.events} GROUP BY case_id"))
    top = dict(store.query(f"SELECT case_id, MAX(seq) FROM {store.events} GROUP BY case_id"))
    cases = 0
    for case_id, last_seq in store.query(f"SELECT id, last_seq FROM {store.cases}"):
        assert events.get(case_id) == last_seq == top.get(case_id), case_id
        cases += 1
    # Every case came from exactly one submit request: a retried submit was answered,
    # not done twice.
    submits = [r for r in requests if r.endswith("-submit")]
    assert cases == len(submits), (cases, len(submits))
    assert len(set(requests[r] for r in submits)) == cases
    # And every command that committed has its events: an accept the accept event, a
    # pass the review_pass event.
    for kind in ("accept", "review_pass"):
        have = {c for (c,) in store.query(
            f"SELECT case_id FROM {store.events} AND kind = '{kind}'")}
        suffix = "-accept" if kind == "accept" else "-pass"
        for request, case in requests.items():
            if request.endswith(suffix):
                assert case in have, request
    return len(requests)


def audit_and_recover(store):
    """The chain verifies and the engine reopens the store; returns (cases, events)."""
    check = child(store, "--check")
    out, err = check.communicate(timeout=60)
    assert check.returncode == 0, err
    assert out.startswith("ok "), out
    return tuple(map(int, out.split()[1:3]))


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    if request.param == "sqlite":
        return SqliteStore(tmp_path / "hall.db")
    conninfo = os.environ.get("WORKFLOW_PG_CONNINFO")
    assert conninfo, "WORKFLOW_PG_CONNINFO is not set: run under tests/postgres/with_cluster.sh"
    return PostgresStore(conninfo)


def test_acknowledged_commands_survive_sigkill(tmp_path, store):
    resends = tmp_path / "resend.txt"
    rng = random.Random(20251121)
    ledger = Ledger()
    retried = 0
    for run in range(1, KILLS + 1):
        ledger.write_resends(resends)
        owed = set(ledger.unacked())
        extra = ["--die-on-retry"] if run % 3 == 0 else []
        p = child(store, "--seed", run, "--threads", 4, "--resend", resends, *extra)
        # Let it run a random while: sometimes before its first commit, mostly mid-stream.
        first = store.first_line(p)
        deadline = time.monotonic() + rng.uniform(0.05, 0.4)
        while time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.01)
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
        out, err = p.communicate(timeout=30)
        out = first + out
        assert p.returncode == -signal.SIGKILL, err
        ledger.read(out)
        retried += len(owed & set(ledger.acked))
        check_store(store, ledger.acked)
        cases, events = audit_and_recover(store)
        assert cases >= len({c for c in ledger.acked.values()})
    assert len(ledger.acked) > KILLS, "the child hardly ever got a command through"
    # A last child re-sends everything still unanswered and must answer all of it.
    ledger.write_resends(resends)
    p = child(store, "--seed", KILLS + 1, "--resend", resends, "--resend-only")
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    ledger.read(out)
    assert not ledger.unacked(), f"never answered: {sorted(ledger.unacked())[:3]}"
    check_store(store, ledger.acked)
    audit_and_recover(store)
    print(f"{len(ledger.acked)} acknowledged, {retried} answered after a kill")
    assert retried > 0, "no command was ever re-sent after a kill"
