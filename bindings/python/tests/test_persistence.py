"""An SQLite store in tmp_path: cases, histories, timers, the roster and request ids survive
closing the engine (close(), a with-block, or del + gc) and reopening it."""

from __future__ import annotations

import gc

import pytest

import workflow
from conftest import FOOD_LICENCE, FOOD_MATERIALS, FOOD_REQUIRED, d, food_case_at_review, t


def snapshot(engine):
    return [(c.id, c.state, c.post, c.holder, c.light, c.accepted, c.promised_deadline,
             c.legal_deadline, c.suspended, [(e.seq, e.kind, e.actor, e.time, e.detail)
                                             for e in engine.case(c.id).history])
            for c in engine.cases()]


def test_cases_survive_close_and_reopen(tmp_path, ningdu):
    db = tmp_path / "hall.db"
    clock = workflow.ManualClock(t("2025-03-03T09:00"))
    engine = workflow.Engine(ningdu, db=db, clock=clock)
    assert engine.db == str(db)
    reviewed = food_case_at_review(engine)
    waiting = engine.submit(FOOD_LICENCE, "nd", [FOOD_REQUIRED[0]], actor="nd-s001",
                            applicant="梅江某某餐馆", request_id="req-7")
    engine.notify_missing(waiting, actor="nd-s001")
    engine.advance_to(t("2025-03-04T10:00"))
    engine.suspend(reviewed, actor="nd-s022", reason="现场核查", procedure="inspection", days=2)
    before = snapshot(engine)
    engine.close()
    assert db.exists()

    engine = workflow.Engine(ningdu, db=db, clock=workflow.ManualClock(t("2025-03-04T10:00")))
    assert snapshot(engine) == before
    assert engine.case(waiting).applicant == "梅江某某餐馆"
    assert engine.case(waiting).missing_materials == FOOD_MATERIALS[1:]
    # The request id is in the store too: a retry after the restart is answered, not redone.
    assert engine.submit(FOOD_LICENCE, "nd", [FOOD_REQUIRED[0]], actor="nd-s001",
                         applicant="梅江某某餐馆", request_id="req-7") == waiting
    assert len(engine.cases()) == 2
    # Work goes on where it stopped.
    engine.advance_to(t("2025-03-06T16:00"))
    engine.resume(reviewed, actor="nd-s022")
    case = engine.case(reviewed)
    assert case.suspended_working_days == 2
    assert case.promised_deadline == d("2025-03-12")
    engine.close()


def test_timers_are_recovered_with_the_cases(tmp_path, ningdu):
    db = tmp_path / "timers.db"
    with workflow.Engine(ningdu, db=db, clock=workflow.ManualClock(t("2025-03-03T09:00"))) as e:
        case_id = food_case_at_review(e)
        lights = []
        e.on_event(lambda ev: lights.append(ev.kind))
        # First the review stage's own 3 working days run out (环节时限), then the yellow light.
        assert e.next_due() == t("2025-03-07T00:00")
    assert e.closed
    with workflow.Engine(ningdu, db=db, clock=workflow.ManualClock(t("2025-03-05T09:00"))) as e:
        assert e.next_due() == t("2025-03-07T00:00")
        e.advance_to(t("2025-03-08T00:00"))
        assert e.case(case_id).stage_light == "red"
        assert e.next_due() == t("2025-03-10T00:00")
        e.advance_to(t("2025-03-11T00:00"))
        assert e.case(case_id).light == "red"
    assert lights == []  # the first engine's observers went with it


def test_del_and_gc_close_the_store_too(tmp_path, ningdu):
    db = tmp_path / "gc.db"
    engine = workflow.Engine(ningdu, db=str(db), clock=workflow.ManualClock(t("2025-03-03T09:00")))
    case_id = food_case_at_review(engine)
    # While it is open, a second engine on the same file is refused.
    with pytest.raises(workflow.StoreError, match="already open"):
        workflow.Engine(ningdu, db=db)
    del engine
    gc.collect()
    again = workflow.Engine(ningdu, db=db, clock=workflow.ManualClock(t("2025-03-03T10:00")))
    try:
        assert again.case(case_id).post == "nd-amr-review"
        assert [c.id for c in again.cases(state="back_office_review")] == [case_id]
    finally:
        again.close()


def test_the_roster_survives_a_restart(tmp_path, ningdu):
    db = tmp_path / "roster.db"
    with workflow.Engine(ningdu, db=db, clock=workflow.ManualClock(t("2025-03-03T09:00"))) as e:
        first = food_case_at_review(e)
        e.mark_away("nd-s022", "vacation", actor="nd-s017", until=t("2025-03-10T00:00"))
        assert e.case(first).holder == "nd-s023"
    with workflow.Engine(ningdu, db=db, clock=workflow.ManualClock(t("2025-03-04T09:00"))) as e:
        # Still away after the restart: new work goes to B.
        assert e.case(food_case_at_review(e)).holder == "nd-s023"


def test_an_engine_reopened_under_other_rules_is_refused(tmp_path, ningdu, sandu):
    db = tmp_path / "rules.db"
    with workflow.Engine(ningdu, db=db, clock=workflow.ManualClock(t("2025-03-03T09:00"))) as e:
        food_case_at_review(e)
    with pytest.raises(workflow.StoreError, match="rule set"):
        workflow.Engine(sandu, db=db)


def test_memory_stores_start_empty(ningdu):
    clock = workflow.ManualClock(t("2025-03-03T09:00"))
    with workflow.Engine(ningdu, db=":memory:", clock=clock) as e:
        food_case_at_review(e)
    with workflow.Engine(ningdu, db=None, clock=clock) as e:
        assert e.cases() == []
