"""Crash test: a child gives commands at full speed on an SQLite store and is SIGKILLed at
random moments, 24 times. After every kill the store must hold every command the child saw
acknowledged and no part of any other, pass PRAGMA integrity_check, and reopen in the engine
(recovery) with every case."""
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

CHILD = os.environ["WORKFLOW_CRASH_CHILD"]
SOURCE = Path(os.environ["WORKFLOW_SOURCE_DIR"])
RULES = SOURCE / "rules" / "ningdu"
CALENDAR = SOURCE / "rules" / "calendar"
KILLS = 24


def child(db, *extra):
    return subprocess.Popen([CHILD, str(RULES), str(CALENDAR), str(db), *map(str, extra)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def check_store(db, acked):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        requests = dict(con.execute("SELECT request_id, case_id FROM requests"))
        # Every acknowledged command is there, on the case it answered with.
        missing = [r for r in acked if r not in requests]
        assert not missing, f"{len(missing)} acknowledged commands lost, e.g. {missing[:3]}"
        for request, case in acked.items():
            assert requests[request] == case
        # No partial command: each case's events run 1..n with its snapshot at n.
        events = dict(con.execute("SELECT case_id, COUNT(*) FROM events GROUP BY case_id"))
        top = dict(con.execute("SELECT case_id, MAX(seq) FROM events GROUP BY case_id"))
        for case_id, last_seq in con.execute("SELECT id, last_seq FROM cases"):
            assert events.get(case_id) == last_seq == top.get(case_id), case_id
        # And every command that committed has its events: a submit at least one, an accept
        # the accept event.
        accepts = {c for (c,) in con.execute("SELECT case_id FROM events WHERE kind = 'accept'")}
        for request, case in requests.items():
            if request.endswith("-accept"):
                assert case in accepts, request
        return len(requests)
    finally:
        con.close()


def test_acknowledged_commands_survive_sigkill(tmp_path):
    db = tmp_path / "hall.db"
    rng = random.Random(20251121)
    acked = {}
    for run in range(1, KILLS + 1):
        p = child(db, "--seed", run)
        # Let it run a random while: sometimes before its first commit, mostly mid-stream.
        deadline = time.monotonic() + rng.uniform(0.05, 0.6)
        lines = []
        while time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(p.pid, signal.SIGKILL)
        out, err = p.communicate(timeout=30)
        assert p.returncode == -signal.SIGKILL, err
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "ack":
                acked[parts[1]] = int(parts[2])
            # a torn last line (killed mid-print) is simply not an acknowledgement
        check_store(db, acked)
    assert len(acked) > KILLS, "the child hardly ever got a command through"
    # The engine reopens the store and recovers every case.
    check = child(db, "--check")
    out, err = check.communicate(timeout=60)
    assert check.returncode == 0, err
    cases = len({c for c in acked.values()})
    assert out.startswith("ok "), out
    assert int(out.split()[1]) >= cases
