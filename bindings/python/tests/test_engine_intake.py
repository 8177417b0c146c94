"""Scenarios at the window (收件) through the Python API: an instant case at 三都镇, one
complete notice, the §32 notice deadline, 容缺受理, 告知承诺, a village agent, request ids."""

from __future__ import annotations

import datetime as dt

import pytest

import workflow
from conftest import (FOOD_LICENCE, FOOD_MATERIALS, FOOD_REQUIRED, PENSION, PENSION_MATERIALS, d,
                      kinds, t)


def test_sandu_instant_pension_enrolment_decided_and_issued_at_once(hall, sandu):
    engine = hall("2025-03-03T09:10", rules=sandu)
    case_id = engine.submit(PENSION, "ly-sd", PENSION_MATERIALS, actor="sd-s07",
                            applicant="刘桂英")
    assert case_id == 1
    assert engine.available_actions(case_id, "sd-s07") == \
        ["accept", "refuse", "withdraw"]  # nothing missing: no notice to give
    engine.accept(case_id, actor="sd-s07")
    assert engine.case(case_id).state == "on_the_spot"
    engine.approve(case_id, actor="sd-s07")
    engine.issue(case_id, actor="sd-s07")
    case = engine.case(case_id)
    assert (case.state, case.decision, case.kind) == ("issued", "approved", "instant")
    assert case.concluded
    assert case.accepted == d("2025-03-03")
    assert case.promised_deadline == d("2025-03-03")
    assert case.light == "green"
    assert (case.office, case.applicant, case.matter_name) == ("ly-sd", "刘桂英", "城乡居民基本养老保险参保登记")
    assert kinds(engine, case_id) == ["submitted", "accept", "approve", "issue"]
    assert [e.verb for e in case.history] == [None, "accept", "approve", "issue"]
    assert all(e.actor == "sd-s07" for e in case.history)
    assert case.history[0].time == t("2025-03-03T09:10")
    assert engine.available_actions(case_id, "sd-s07") == []


def test_one_complete_notice_lists_every_missing_material(hall):
    engine = hall()
    case_id = engine.submit(FOOD_LICENCE, "nd", [FOOD_REQUIRED[0]], actor="nd-s001")
    engine.notify_missing(case_id, actor="nd-s001")
    case = engine.case(case_id)
    assert case.state == "awaiting_materials"
    assert case.missing_materials == FOOD_MATERIALS[1:]
    assert case.history[-1].detail == "missing=" + "; ".join(FOOD_MATERIALS[1:])
    assert case.accepted is None and case.light == "none"

    engine.advance_to(t("2025-03-12T10:00"))  # notified in time: no deemed acceptance
    assert engine.case(case_id).state == "awaiting_materials"
    engine.supplement(case_id, actor="nd-s001", materials=FOOD_MATERIALS[1:])
    assert engine.case(case_id).state == "received"
    engine.accept(case_id, actor="nd-s001")
    case = engine.case(case_id)
    assert case.accepted == d("2025-03-12")  # the clock starts now
    assert case.promised_deadline == d("2025-03-19")
    assert case.deadlines == {"promised": d("2025-03-19"), "legal": d("2025-03-26"),
                              "supplement": None}


def test_section_32_no_notice_in_5_working_days_means_accepted_when_received(hall):
    engine = hall()
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_REQUIRED, actor="nd-s001")
    engine.advance_to(t("2025-03-10T23:59"))
    assert engine.case(case_id).state == "received"
    assert engine.next_due() == t("2025-03-11T00:00")
    engine.advance_to(t("2025-03-11T00:00"))
    case = engine.case(case_id)
    assert case.state == "preliminary_review"
    assert case.accepted == d("2025-03-03")
    assert case.light == "red"
    deemed = case.history[1]
    assert (deemed.kind, deemed.actor, deemed.time) == \
        ("deemed_accepted", "system", t("2025-03-11T00:00"))
    assert engine.now() == t("2025-03-11T00:00")


def test_tolerated_material_must_come_within_5_working_days(hall):
    engine = hall()
    incomplete = engine.submit(FOOD_LICENCE, "nd", [FOOD_REQUIRED[0]], actor="nd-s001")
    with pytest.raises(workflow.InvalidTransition):
        engine.accept(incomplete, actor="nd-s001", tolerate_missing=True)
    late = engine.submit(FOOD_LICENCE, "nd", FOOD_REQUIRED, actor="nd-s001")
    prompt = engine.submit(FOOD_LICENCE, "nd", FOOD_REQUIRED, actor="nd-s001")
    engine.accept(late, actor="nd-s001", tolerate_missing=True)
    engine.act(prompt, "accept", actor="nd-s001", tolerate_missing=True)
    assert engine.case(late).supplement_deadline == d("2025-03-10")

    engine.advance_to(t("2025-03-07T15:00"))
    # Any window of the accepting office may take them.
    engine.supplement(prompt, actor="nd-s002", materials=[FOOD_MATERIALS[-1]])
    assert engine.case(prompt).supplement_deadline is None

    engine.advance_to(t("2025-03-11T00:00"))
    assert engine.case(late).state == "terminated"
    assert engine.case(late).history[-1].kind == "supplement_overdue"
    assert engine.case(prompt).state == "preliminary_review"
    assert [c.id for c in engine.cases(state="terminated")] == [late]


def test_business_opening_approved_on_written_promise(hall):
    engine = hall()
    case_id = engine.submit("360730-SCJG-0001", "nd",
                            ["公司登记（备案）申请书", "公司章程", "股东主体资格文件或自然人身份证明",
                             "法定代表人、董事、监事和高级管理人员的任职文件及身份证明"],
                            actor="nd-s098")
    engine.accept(case_id, actor="nd-s098", on_promise=True)
    case = engine.case(case_id)
    assert (case.state, case.decision, case.on_promise) == ("decided", "approved", True)
    engine.issue(case_id, actor="nd-s098", channel="e_certificate")
    assert engine.case(case_id).history[-1].detail == "channel=e_certificate"

    food = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    with pytest.raises(workflow.InvalidTransition, match="告知承诺"):
        engine.accept(food, actor="nd-s001", on_promise=True)
    assert engine.case(food).state == "received"


def test_village_agent_hands_in_for_a_resident(hall):
    engine = hall()
    case_id = engine.submit("360730-MJ-SB-0001", "nd-mj-v1", PENSION_MATERIALS,
                            actor="nd-mj-v1-s1", applicant="曾老汉")
    case = engine.case(case_id)
    assert (case.agent, case.first_handler, case.applicant) == \
        ("nd-mj-v1-s1", "nd-mj-v1-s1", "曾老汉")
    assert (case.accepting_office, case.office) == ("nd-mj", "nd-mj")
    assert case.history[0].office == "nd-mj-v1"
    assert engine.case(engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS,
                                     actor="nd-s001")).agent is None
    with pytest.raises(workflow.Error):  # a county licence is not open to proxy submission
        engine.submit(FOOD_LICENCE, "nd-mj-v1", FOOD_REQUIRED, actor="nd-mj-v1-s1")


def test_unknown_materials_are_refused_with_the_matters_list(hall):
    engine = hall()
    with pytest.raises(workflow.InvalidArgument, match="营业执照"):
        engine.submit(FOOD_LICENCE, "nd", ["户口本复印件"], actor="nd-s001")
    assert engine.cases() == []


def test_a_retried_request_is_answered_not_redone(hall):
    engine = hall()
    first = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001",
                          applicant="甲", request_id="req-1")
    assert engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001",
                         applicant="甲", request_id="req-1") == first
    assert len(engine.cases()) == 1
    engine.accept(first, actor="nd-s001", request_id="req-2")
    events = len(engine.case(first).history)
    engine.accept(first, actor="nd-s001", request_id="req-2")  # the retry: nothing new
    assert len(engine.case(first).history) == events
    # The same id for another command is a mistake the caller must hear about.
    with pytest.raises(workflow.InvalidArgument):
        engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001", applicant="乙",
                      request_id="req-1")
    with pytest.raises(workflow.InvalidArgument):
        engine.review_pass(first, actor="nd-s001", request_id="req-2")


def test_system_clock_by_default(ningdu):
    with workflow.Engine(ningdu) as engine:
        assert isinstance(engine.clock, workflow.SystemClock)
        now = engine.now()
        assert abs((now - engine.clock.now()).total_seconds()) < 5
        # China Standard Time whatever the machine's zone.
        cst = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).replace(tzinfo=None)
        assert abs((now - cst).total_seconds()) < 5


def test_view_and_holder_answer_without_the_history(hall):
    engine = hall("2025-03-03T09:00")
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    engine.accept(case_id, actor="nd-s001")
    engine.review_pass(case_id, actor="nd-s001")
    full, cheap = engine.case(case_id), engine.view(case_id)
    assert len(full.history) == 3 and cheap.history == []
    assert (cheap.state, cheap.holder, cheap.post, cheap.light) == \
        (full.state, full.holder, full.post, full.light)
    assert cheap.promised_deadline == full.promised_deadline
    assert engine.holder(case_id) == full.holder != "nd-s001"  # the back office has it now
    with pytest.raises(workflow.NotFound):
        engine.view(99)
    with pytest.raises(workflow.NotFound):
        engine.holder(99)
