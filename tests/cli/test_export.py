"""`workflow export`: the change feed of a store (docs/export.md). Everything is exported in
batches from a simulated store; positions must be contiguous, a re-read batch is recognised
by its positions, and re-hashing the exported events in order (docs/storage.md, the same
encoding tests/cli/test_audit.py checks) reproduces the chain head each batch reports."""
import hashlib
import json
import os
import sqlite3
import struct
import subprocess

import pytest

CLI = os.environ["WORKFLOW_CLI"]


def run(*args):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=300)


def text(value):
    data = value if isinstance(value, bytes) else value.encode("utf-8")
    return struct.pack(">I", len(data)) + data


def canonical(e):
    return (struct.pack(">QQQ", e["position"], e["case"], e["seq"]) + text(e["kind"])
            + struct.pack(">q", e["time_seconds"])
            + b"".join(text(e[k]) for k in ("actor", "office", "post", "reason", "detail",
                                             "rules_version"))
            + (text(e["notify"]) if e["notify"] or e["snapshots"] else b"")
            + (text(bytes.fromhex(e["snapshots"])) if e["snapshots"] else b""))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = tmp_path_factory.mktemp("export") / "hall.db"
    r = run("simulate", "--db", db, "--days", 3, "--start", "2026-03-02")
    assert r.returncode == 0, r.stdout + r.stderr
    return db


def batch(db, after, limit):
    r = run("export", "--db", db, "--after", after, "--limit", limit, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    return lines[:-1], lines[-1]


def test_export_in_batches_round_trips(store):
    k = 500
    after, events, heads = 0, [], []
    while True:
        got, tail = batch(store, after, k)
        assert tail["count"] == len(got) <= k
        heads.append((tail["head"]["position"], tail["head"]["hash"]))
        if not got:
            assert tail["head"]["position"] == after
            break
        events += got
        after = got[-1]["position"]
    con = sqlite3.connect(store)
    total, head = con.execute("SELECT last_id, hash FROM log_head").fetchone()
    con.close()
    # Contiguous positions 1..N, every event once.
    assert [e["position"] for e in events] == list(range(1, total + 1))
    assert len({(e["case"], e["seq"]) for e in events}) == total
    # Re-hashing in order reproduces every batch's head and the store's own head.
    assert not any(e["masked"] for e in events)
    chain, previous = {0: bytes(32)}, bytes(32)
    for e in events:
        previous = hashlib.sha256(previous + canonical(e)).digest()
        chain[e["position"]] = previous
    for position, digest in heads:
        assert chain[position].hex() == digest
    assert previous == head
    # The platform's fields: a matter on every case event, applicants masked.
    assert all(e["matter"] for e in events if e["case"] != 0)
    assert all(e["applicant"].endswith("**") for e in events if e["applicant"])


def test_a_batch_read_twice_is_recognised_by_its_positions(store):
    first, _ = batch(store, 10, 20)
    again, _ = batch(store, 20, 20)
    overlap = {e["position"] for e in first} & {e["position"] for e in again}
    assert overlap == set(range(21, 31))
    same = {e["position"]: e for e in first}
    for e in again:
        if e["position"] in same:
            assert e == same[e["position"]]


def test_position_beyond_the_end_is_an_error(store):
    r = run("export", "--db", store, "--after", 10**9)
    assert r.returncode == 2 and "beyond the last" in r.stderr


def test_only_jsonl(store):
    r = run("export", "--db", store, "--after", 0, "--format", "csv")
    assert r.returncode == 2 and "jsonl" in r.stderr
