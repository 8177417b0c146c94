"""Engine.on_event with Python callables: order and content of events, unsubscribe, an
observer that raises (reported to sys.unraisablehook; the command still succeeds), observers
calling back into the engine, commands from several threads, and the GIL released during
long C++ work."""

from __future__ import annotations

import gc
import sys
import threading
import time
import weakref

import pytest

from conftest import FOOD_LICENCE, FOOD_MATERIALS, PENSION, PENSION_MATERIALS, t


def test_observers_hear_every_event_in_order(hall):
    engine = hall()
    first, second = [], []
    engine.on_event(first.append)
    token = engine.on_event(lambda e: second.append((e.case_id, e.seq, e.kind)))
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    engine.accept(case_id, actor="nd-s001")
    assert [(e.kind, e.verb, e.actor, e.office) for e in first] == \
        [("submitted", None, "nd-s001", "nd"), ("accept", "accept", "nd-s001", "nd")]
    assert first[1].post == "nd-w01" and first[1].time == t("2025-03-03T09:00")
    assert first[0].rules_version == engine.rules.version
    assert second == [(case_id, 1, "submitted"), (case_id, 2, "accept")]

    engine.unsubscribe(token)
    engine.unsubscribe(token)  # unknown tokens are ignored
    engine.review_pass(case_id, actor="nd-s001")
    assert len(first) == 3 and len(second) == 2


def test_timer_events_reach_observers_from_advance_to(hall):
    engine = hall()
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    engine.accept(case_id, actor="nd-s001")
    lights = []
    engine.on_event(lambda e: lights.append((e.detail, e.actor, e.time))
                    if e.kind == "light_changed" else None)
    engine.advance_to(t("2025-03-11T12:00"))
    assert lights == [("from=green; to=yellow", "system", t("2025-03-10T00:00")),
                      ("from=yellow; to=red", "system", t("2025-03-11T00:00"))]


def test_a_raising_observer_is_reported_and_the_command_stands(hall, monkeypatch):
    engine = hall()
    reported = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    after = []

    def broken(event):
        raise RuntimeError(f"dashboard down at {event.kind}")

    engine.on_event(broken)
    engine.on_event(after.append)  # registered after the broken one: still called
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    engine.accept(case_id, actor="nd-s001")
    assert engine.case(case_id).state == "preliminary_review"  # both commands happened
    assert [e.kind for e in after] == ["submitted", "accept"]
    assert [type(r.exc_value) for r in reported] == [RuntimeError, RuntimeError]
    assert str(reported[0].exc_value) == "dashboard down at submitted"
    assert reported[0].object is broken
    # Timers too: advance_to completes and reports.
    engine.advance_to(t("2025-03-10T00:00"))
    assert engine.case(case_id).light == "yellow"
    assert str(reported[-1].exc_value) == "dashboard down at light_changed"


def test_a_raising_observer_goes_to_the_default_hook(hall, monkeypatch, capfd):
    # With Python's own hook, "Exception ignored in: <observer>" and the traceback go to
    # stderr, as for any exception that cannot propagate (pytest replaces the hook during
    # tests, so put the default back for this one).
    engine = hall()

    def broken(event):
        raise ValueError("bad observer")

    engine.on_event(broken)
    monkeypatch.setattr(sys, "unraisablehook", sys.__unraisablehook__)
    engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    err = capfd.readouterr().err
    assert "Exception ignored in: <function" in err and "broken" in err
    assert "ValueError: bad observer" in err
    assert engine.cases()[0].state == "received"


def test_observers_may_call_back_into_the_engine(hall, sandu):
    # A "robot clerk": accepts every instant case as soon as it is submitted.
    engine = hall("2025-03-03T09:10", rules=sandu)
    states = []

    def clerk(event):
        if event.kind == "submitted":
            engine.accept(event.case_id, actor=event.actor)
        states.append(engine.case(event.case_id).state)

    engine.on_event(clerk)
    case_id = engine.submit(PENSION, "ly-sd", PENSION_MATERIALS, actor="sd-s07")
    assert engine.case(case_id).state == "on_the_spot"
    assert [e.kind for e in engine.case(case_id).history] == ["submitted", "accept"]
    assert states[-1] == "on_the_spot"


def test_commands_from_several_threads(hall, sandu):
    engine = hall("2025-03-03T09:10", rules=sandu)
    seen = []
    lock = threading.Lock()

    def record(event):
        with lock:
            seen.append((threading.get_ident(), event.case_id))

    engine.on_event(record)
    ids = {}

    def window(name):
        ids[name] = [engine.submit(PENSION, "ly-sd", PENSION_MATERIALS, actor="sd-s07")
                     for _ in range(40)]

    threads = [threading.Thread(target=window, args=(n,)) for n in ("a", "b", "c")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    all_ids = sorted(ids["a"] + ids["b"] + ids["c"])
    assert all_ids == list(range(1, 121))
    assert len(engine.cases()) == 120
    # Each observer call ran on the thread that gave the command.
    by_thread = {th.ident for th in threads}
    assert {ident for ident, _ in seen} == by_thread
    assert sorted(case for _, case in seen) == all_ids


def test_the_gil_is_released_during_long_engine_work(hall):
    engine = hall()
    for _ in range(10000):
        case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
        engine.accept(case_id, actor="nd-s001")
    # A thread that wakes every millisecond: each wake-up needs the GIL. Had advance_to kept
    # the GIL for its whole run, the thread could not count at all meanwhile.
    ticks = [0]
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks[0] += 1
            time.sleep(0.001)

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        time.sleep(0.01)
        before = ticks[0]
        started = time.monotonic()
        engine.advance_to(t("2025-12-31T00:00"))  # three light changes for each case
        elapsed = time.monotonic() - started
        during = ticks[0] - before
    finally:
        stop.set()
        ticker.join()
    assert len(engine.cases(light="escalated_red")) == 10000
    if elapsed < 0.03:
        pytest.skip(f"advance_to took only {elapsed:.3f}s: too quick to observe")
    assert during >= 3, f"{during} ticks during {elapsed:.3f}s of advance_to"


def test_closing_the_engine_releases_the_observers(hall):
    engine = hall()

    class Dashboard:
        def __call__(self, event):
            pass

    board = Dashboard()
    alive = weakref.ref(board)
    engine.on_event(board)
    del board
    gc.collect()
    assert alive() is not None  # the engine holds it
    engine.close()
    gc.collect()
    assert alive() is None


def test_observers_must_be_callable(hall):
    engine = hall()
    with pytest.raises(TypeError):
        engine.on_event("print")
