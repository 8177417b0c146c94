"""Cross-county handoff kill test (PostgreSQL): 宁都 (partition 360730) hands applications
over to a neighbouring county (360731) through the transactional outbox while 360731's engine
polls and takes them in; both engines are SIGKILLed at random moments, independently, 12
rounds each (24 kills). After every round:

- the sender: every acknowledged application is a case with exactly one outbox row, written
  with the case's first event; no row without its case, no case without its row;
- the receiver: every row marked received names, by its position, the first event of a case
  that answers to the row's request id handoff/FROM/SEQ, and there is no other case: nothing
  taken in twice, nothing taken in without its row marked, nothing marked without its case;
- both chains verify (verify_postgres_log).

At the end a receiver that is not killed drains the outbox: every row is taken in, once.
Run by ctest postgres.handoff under tests/postgres/with_cluster.sh (WORKFLOW_PG_CONNINFO)."""
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

CHILD = os.environ["WORKFLOW_HANDOFF_CHILD"]
SOURCE = Path(os.environ["WORKFLOW_SOURCE_DIR"])
RULES = SOURCE / "rules" / "ningdu"
CALENDAR = SOURCE / "rules" / "calendar"
PG = os.environ.get("WORKFLOW_PG_CONNINFO")
PSQL = shutil.which("psql")
ROUNDS = 12
FROM, TO = "360730", "360731"


def child(*args):
    return subprocess.Popen([CHILD, str(RULES), str(CALENDAR), PG, *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def psql(sql):
    r = subprocess.run([PSQL, PG, "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0 and "does not exist" in r.stderr:
        return []  # both killed before the first opening created the store: nothing in it
    assert r.returncode == 0, r.stderr
    return [line.split("\t") for line in r.stdout.splitlines()]


def count(sql):
    rows = psql(sql)
    return int(rows[0][0]) if rows else 0


def acked(out):
    """request -> case of every 'ack' line (a torn last line is neither)."""
    found = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "ack":
            found[parts[1]] = int(parts[2])
    return found


def check(acknowledged):
    # The sender: each acknowledged application is there, with its one row.
    requests = {r: int(c) for r, c in psql(
        f"SELECT request_id, case_id FROM wf_requests WHERE partition = '{FROM}'")}
    for request, case in acknowledged.items():
        assert requests.get(request) == case, request
    rows = psql("SELECT o.seq, convert_from(o.payload, 'UTF8'), o.sent_position, "
                "coalesce(o.received_position, 0), e.case_id, e.seq, e.kind FROM wf_outbox o "
                "JOIN wf_events e ON e.partition = o.partition AND e.id = o.sent_position "
                f"WHERE o.partition = '{FROM}' ORDER BY o.seq")
    sent_cases = count(f"SELECT count(*) FROM wf_cases WHERE partition = '{FROM}'")
    assert count(f"SELECT count(*) FROM wf_outbox WHERE partition = '{FROM}'") == len(rows)
    assert len(rows) == sent_cases == len(requests), (len(rows), sent_cases, len(requests))
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
    for seq, payload, _, _, case, event_seq, kind in rows:
        # Written with the first event of the case of the request it names.
        assert payload == "申请人" + next(r for r, c in requests.items() if c == int(case)), seq
        assert (event_seq, kind) == ("1", "submitted"), seq
    # The receiver: one case per row received, found at the received position.
    taken = {r: int(c) for r, c in psql(
        f"SELECT request_id, case_id FROM wf_requests WHERE partition = '{TO}'")}
    at = {int(p): (int(c), int(s), k) for p, c, s, k in psql(
        f"SELECT id, case_id, seq, kind FROM wf_events WHERE partition = '{TO}' AND seq = 1")}
    received = [r for r in rows if r[3] != "0"]
    for seq, _, _, position, *_ in received:
        case = taken.get(f"handoff/{FROM}/{seq}")
        assert case is not None, f"row {seq} marked received without its case"
        assert at[int(position)] == (case, 1, "submitted"), seq
    got_cases = count(f"SELECT count(*) FROM wf_cases WHERE partition = '{TO}'")
    assert got_cases == len(taken) == len(received), (got_cases, len(taken), len(received))
    for (partition,) in psql("SELECT partition FROM wf_partitions"):  # those opened so far
        audit = child("check", partition)
        out, err = audit.communicate(timeout=60)
        assert audit.returncode == 0, err
    return len(rows), len(received)


def test_handoffs_survive_either_side_killed():
    assert PG, "WORKFLOW_PG_CONNINFO is not set: run under tests/postgres/with_cluster.sh"
    assert PSQL, "the psql client is not installed"
    rng = random.Random(20261130)
    acknowledged = {}
    for run in range(1, ROUNDS + 1):
        sender = child("send", FROM, TO, f"r{run}")
        receiver = child("receive", TO)
        # Kill them one after the other at random moments, in a random order.
        first, second = (sender, receiver) if rng.random() < 0.5 else (receiver, sender)
        time.sleep(rng.uniform(0.1, 0.6))
        first.send_signal(signal.SIGKILL)
        time.sleep(rng.uniform(0.0, 0.3))
        second.send_signal(signal.SIGKILL)
        out, err = sender.communicate(timeout=30)
        assert sender.returncode == -signal.SIGKILL, err
        _, rerr = receiver.communicate(timeout=30)
        assert receiver.returncode == -signal.SIGKILL, rerr
        acknowledged.update(acked(out))
        check(acknowledged)
    assert len(acknowledged) > ROUNDS, "the sender hardly ever got an application through"
    drain = child("receive", TO, "--drain")
    _, err = drain.communicate(timeout=120)
    assert drain.returncode == 0, err
    sent, received = check(acknowledged)
    assert sent == received, (sent, received)
    assert not psql(f"SELECT seq FROM wf_outbox WHERE partition_to = '{TO}' "
                    "AND received_position IS NULL")
    print(f"{sent} handed over, every one taken in once")
