"""限时办结 and 电子监察 through the Python API: §45 suspension, the §42 extension, the lights,
the clock and datetime conversion, and how an Engine finds its calendar."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

import workflow
from conftest import FOOD_LICENCE, FOOD_MATERIALS, RULES, d, food_case_at_review, t


def test_expert_review_suspends_4_working_days_and_moves_both_deadlines(hall):
    engine = hall()
    case_id = food_case_at_review(engine)
    case = engine.case(case_id)
    assert (case.promised_deadline, case.legal_deadline) == (d("2025-03-10"), d("2025-03-17"))
    with pytest.raises(workflow.InvalidArgument):  # the procedure and its days are required
        engine.suspend(case_id, actor="nd-s022", reason="专家评审")
    with pytest.raises(workflow.InvalidArgument, match="hearing, tender, auction"):
        engine.suspend(case_id, actor="nd-s022", reason="专家评审", procedure="party", days=4)
    engine.advance_to(t("2025-03-04T10:00"))
    engine.suspend(case_id, actor="nd-s022", reason="食品安全专家现场评审",
                   procedure="expert_review", days=4)
    assert engine.case(case_id).suspended
    assert engine.available_actions(case_id, "nd-s022") == ["resume", "withdraw"]
    with pytest.raises(workflow.InvalidTransition):
        engine.review_pass(case_id, actor="nd-s022")
    engine.advance_to(t("2025-03-10T08:00"))  # the old deadline day: the light stays green
    assert engine.case(case_id).light == "green"
    assert [c.id for c in engine.cases(suspended=True)] == [case_id]

    engine.advance_to(t("2025-03-10T16:00"))
    engine.resume(case_id, actor="nd-s022")
    case = engine.case(case_id)
    assert not case.suspended and case.suspended_working_days == 4
    assert (case.promised_deadline, case.legal_deadline) == (d("2025-03-14"), d("2025-03-21"))
    assert engine.calendar.working_days_between(d("2025-03-10"), case.promised_deadline) == 4


def test_one_extension_by_a_post_with_authority_moves_the_legal_deadline_only(hall):
    engine = hall()
    case_id = food_case_at_review(engine)
    reason = "案情复杂，需补充核查"
    with pytest.raises(workflow.PermissionDenied):  # the reviewer may not extend
        engine.extend(case_id, actor="nd-s022", reason=reason, days=10)
    with pytest.raises(workflow.InvalidArgument):  # over the policy's 10 days
        engine.extend(case_id, actor="nd-s024", reason=reason, days=11)
    engine.extend(case_id, actor="nd-s024", reason=reason, days=10)
    case = engine.case(case_id)
    assert case.extension_days == 10
    assert (case.legal_deadline, case.promised_deadline) == (d("2025-03-31"), d("2025-03-10"))
    with pytest.raises(workflow.InvalidTransition):  # only once
        engine.extend(case_id, actor="nd-s024", reason=reason, days=2)


def test_lights_green_yellow_red_escalated_red(hall):
    engine = hall()
    case_id = food_case_at_review(engine)
    seen = []
    for when, light in [("2025-03-09T23:59", "green"), ("2025-03-10T00:00", "yellow"),
                        ("2025-03-11T00:00", "red"), ("2025-03-18T00:00", "escalated_red")]:
        engine.advance_to(t(when))
        seen.append(engine.case(case_id).light)
        assert [c.id for c in engine.cases(light=light)] == [case_id]
    assert seen == ["green", "yellow", "red", "escalated_red"]
    changes = [e.detail for e in engine.case(case_id).history if e.kind == "light_changed"]
    assert changes == ["from=green; to=yellow", "from=yellow; to=red",
                       "from=red; to=escalated_red"]
    assert engine.cases(light="green") == []
    with pytest.raises(workflow.InvalidArgument, match="escalated_red"):
        engine.cases(light="orange")
    with pytest.raises(workflow.InvalidArgument, match="unknown state 'open'"):
        engine.cases(state="open")


def test_a_deadline_beyond_the_calendar_changes_nothing(hall):
    engine = hall("2035-12-18T09:00")  # the shipped calendar ends with 2035
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    engine.advance_to(t("2035-12-21T09:00"))
    with pytest.raises(workflow.CalendarError, match="2036") as caught:
        engine.accept(case_id, actor="nd-s001")
    assert caught.value.code == "calendar_no_data"
    assert engine.case(case_id).state == "received"
    assert len(engine.case(case_id).history) == 1


def test_clock_and_datetime_conversion(hall):
    clock = workflow.ManualClock(t("2025-03-03T09:00:00.900000"))
    assert clock.now() == t("2025-03-03T09:00")  # to the second
    engine = hall(clock=clock)
    assert engine.clock is clock
    # An aware datetime is converted to hall time (UTC+8): 01:30 UTC is 09:30 in the hall.
    utc = dt.datetime(2025, 3, 3, 1, 30, tzinfo=dt.timezone.utc)
    engine.advance_to(utc)
    assert engine.now() == t("2025-03-03T09:30")
    assert engine.now().tzinfo is None
    engine.advance_to(t("2025-03-01T00:00"))  # going back is a no-op
    assert engine.now() == t("2025-03-03T09:30")
    clock.set(t("2025-03-04T10:00"))  # the clock alone: timers fire at the next command
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    assert engine.case(case_id).received == t("2025-03-04T10:00")
    with pytest.raises(TypeError):
        engine.advance_to(d("2025-03-05"))  # a date is not a time
    # §32: the window has until the 5th working day (03-11) to accept or give the notice.
    assert engine.next_due() == t("2025-03-12T00:00")


def test_every_verb_has_a_named_method_taking_the_same_details(hall):
    engine = hall()
    # 19 case verbs, 6 rectification verbs, 3 告知承诺 follow-up verbs, 3 办不成事 verbs,
    # 5 督办 and 改派 verbs
    assert len(workflow.VERBS) == 36
    for verb in workflow.VERBS:
        assert callable(getattr(engine, verb)), verb
    with pytest.raises(workflow.InvalidArgument) as caught:
        engine.act(1, "aprove", actor="nd-s001")
    assert "unknown verb 'aprove'" in str(caught.value)
    assert ", ".join(workflow.VERBS) in str(caught.value)
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    with pytest.raises(workflow.InvalidArgument, match="pickup, post, e_certificate"):
        engine.issue(case_id, actor="nd-s001", channel="fax")
    with pytest.raises(TypeError):  # an unknown detail is a TypeError, as in any Python call
        engine.accept(case_id, actor="nd-s001", urgent=True)
    with pytest.raises(TypeError):  # actor is required
        engine.accept(case_id)


def test_calendar_defaults_to_the_one_next_to_the_rules(tmp_path, ningdu, calendar):
    with workflow.Engine(ningdu, clock=workflow.ManualClock(t("2025-03-03T09:00"))) as engine:
        assert engine.calendar.last_year == 2035
        assert engine.rules.version == ningdu.version
        assert engine.db == ":memory:"
    # A rule directory given as a path, and the calendar as a Calendar or a directory.
    for cal in (calendar, RULES / "calendar", str(RULES / "calendar")):
        with workflow.Engine(RULES / "sandu", cal) as engine:
            assert engine.calendar.first_year == 2020
    # Rules copied elsewhere, with no calendar beside them: say so, and how to fix it.
    shutil.copytree(RULES / "sandu", tmp_path / "sandu")
    with pytest.raises(workflow.InvalidArgument, match="calendar="):
        workflow.Engine(tmp_path / "sandu")
    shutil.copytree(RULES / "calendar", tmp_path / "calendar")
    with workflow.Engine(tmp_path / "sandu") as engine:
        assert engine.calendar.last_year == 2035
    with pytest.raises(TypeError, match="clock must be"):
        workflow.Engine(ningdu, clock="now")
    with pytest.raises(TypeError, match="rules must be a RuleSet or a directory, not int"):
        workflow.Engine(42)
    with pytest.raises(TypeError, match="db must be"):
        workflow.Engine(ningdu, db=3.5)
