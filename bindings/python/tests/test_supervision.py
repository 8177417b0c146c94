"""The supervision figures from Python (Engine.supervise, workflow.open_store) and the change
feed (events_after), above all while ANOTHER PROCESS writes the same SQLite store: a reader
takes no writer lock, is refused every command, and sees the writer's commits as they come."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
import time

import pytest

import workflow
from conftest import FOOD_LICENCE, FOOD_MATERIALS, RULES, d, t

# A writer process: the county window takes food licences (accepted at once) in a loop, one
# day after another, until the file `stop` appears; it prints "ready" after its first commit.
WRITER = textwrap.dedent("""
    import datetime as dt, pathlib, sys
    import workflow
    db, rules, stop = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    materials = %r
    clock = workflow.ManualClock(dt.datetime(2026, 11, 30, 9, 0))
    with workflow.Engine(workflow.load_rules(rules), db=db, clock=clock,
                         synchronous_full=False) as hall:
        n = 0
        while not stop.exists() and n < 20000:
            case_id = hall.submit(%r, "nd", materials, actor="nd-s001")
            hall.accept(case_id, actor="nd-s001")
            n += 1
            if n == 1:
                print("ready", flush=True)
            if n %% 25 == 0:
                clock.set(clock.now() + dt.timedelta(hours=2))
        print("wrote", n, flush=True)
""") % (FOOD_MATERIALS, FOOD_LICENCE)


@pytest.fixture
def writer(tmp_path):
    """A running writer process on tmp_path/hall.db; stopped (and checked) at the end."""
    db, stop = tmp_path / "hall.db", tmp_path / "stop"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(RULES / "ningdu"), str(stop)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    yield db
    stop.touch()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.startswith("wrote "), out + err


def test_a_store_read_while_another_process_writes_it(writer):
    seen_cases, seen_positions = [], []
    with workflow.open_store(writer) as store:
        assert store.read_only
        for _ in range(6):
            figures = store.supervise()
            batch = store.events_after(0, limit=100000)
            seen_cases.append(figures["cases"])
            seen_positions.append(batch["last_position"])
            # Each reading is consistent in itself: every case counted was accepted but the
            # one the writer may have just received, and the feed's positions are contiguous.
            assert figures["cases"] - figures["accepted"] in (0, 1)
            assert figures["hall"] == "宁都县政务服务中心"
            assert [e["position"] for e in batch["events"]] == \
                list(range(1, batch["head_position"] + 1))
            assert len(batch["head_hash"]) == 64
            time.sleep(0.3)
    assert seen_cases == sorted(seen_cases) and seen_cases[-1] > seen_cases[0], seen_cases
    assert seen_positions == sorted(seen_positions) and seen_positions[-1] > seen_positions[0]


def test_a_read_only_engine_beside_the_writer_sees_its_cases_and_refuses_commands(writer, ningdu):
    counts = []
    for _ in range(3):
        # The writer holds the store: a second writing engine is refused ...
        with pytest.raises(workflow.StoreError):
            workflow.Engine(ningdu, db=writer)
        # ... a reader is not, and each one opened later sees more.
        with workflow.Engine(ningdu, db=writer, read_only=True,
                             clock=workflow.ManualClock(t("2026-11-30T09:00"))) as reader:
            assert reader.read_only
            figures = reader.supervise("2026Q4")
            assert figures["period"] == {"from": d("2026-10-01"), "to": d("2026-12-31")}
            assert figures["cases"] == len(reader.cases())  # the cases as it opened
            counts.append(len(reader.cases()))
            with pytest.raises(workflow.StoreError, match="read-only"):
                reader.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
            with pytest.raises(workflow.StoreError, match="read-only"):
                reader.accept(1, actor="nd-s001")
            with pytest.raises(workflow.StoreError, match="read-only"):
                reader.advance_to(t("2027-03-01T09:00"))
            feed = reader.events_after(0, 10)
            assert [e["position"] for e in feed["events"]] == list(range(1, 11))
            assert feed["events"][0]["event"].kind == "submitted"
        time.sleep(0.3)
    assert counts == sorted(counts) and counts[-1] > counts[0], counts


def test_figures_are_plain_values(hall):
    engine = hall("2026-11-30T09:00")
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    engine.accept(case_id, actor="nd-s001")
    assert not engine.read_only
    f = engine.supervise("2026-11")
    # json can carry everything but the dates.
    json.dumps(f, default=lambda o: o.isoformat() if isinstance(o, dt.date) else None)
    assert f["cases"] == 1 and f["accepted"] == 1 and f["decided"] == 0
    # Nothing decided: the on-time rate has no value (no data), never 0 %.
    assert f["on_time"] == {"numerator": 0, "denominator": 0, "value": None}
    assert f["first_time_right_rate"]["value"] == 1.0
    assert f["weeks"][0]["from"] == d("2026-11-30") and f["weeks"][0]["received"] == 1
    assert [u["id"] for u in f["units"]] == ["nd-amr"]
    assert f["targets"]["first_time_right"] == 0.9
    assert f["law"]["on_promise"] == 0 and f["law"]["stage_overdue_by_unit"] == {}
    assert engine.supervise((d("2026-12-01"), d("2026-12-31")))["cases"] == 0
    assert engine.supervise(office="nd-amr")["cases"] == 1
    with pytest.raises(workflow.InvalidArgument):
        engine.supervise("2026Q5")
    with pytest.raises(workflow.InvalidArgument):
        engine.supervise(office="no-such-office")
    with pytest.raises(TypeError):
        engine.supervise(2026)
    feed = engine.events_after(0, 1)
    assert [e["event"].kind for e in feed["events"]] == ["submitted"]
    assert feed["head_position"] == 1 and feed["last_position"] >= 2
    assert engine.events_after(feed["last_position"])["events"] == []
    with pytest.raises(workflow.InvalidArgument):
        engine.events_after(feed["last_position"] + 1)


def test_open_store_refuses_what_it_cannot_read(tmp_path, ningdu):
    with pytest.raises(workflow.StoreError):
        workflow.open_store(tmp_path / "missing.db")
    with pytest.raises(workflow.InvalidArgument, match="read_only=True"):
        workflow.open_store(tmp_path / "missing.db", read_only=False)
    with pytest.raises(workflow.InvalidArgument, match="read_only"):
        workflow.Engine(ningdu, db=":memory:", read_only=True)
    # A store no writer has committed to has no rule set to read the cases by.
    db = tmp_path / "hall.db"
    workflow.Engine(ningdu, db=db).close()
    with workflow.open_store(db) as store:
        figures = store.supervise(rules=ningdu)
        assert figures["cases"] == 0 and figures["on_time"]["value"] is None
    store.close()
    with pytest.raises(workflow.StoreError, match="closed"):
        store.supervise()
    # The file was never written by the reader.
    with workflow.Engine(ningdu, db=db, read_only=True) as reader:
        assert reader.cases() == []
