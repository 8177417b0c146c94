"""The law's time limits beyond a case's deadlines through the Python API (issue 13): §43
(上报件 review), §44 (issuing), stage shares (环节时限) and the follow-up of an approval on
commitment (告知承诺), with 容缺 and 告知承诺 on one acceptance."""

from __future__ import annotations

import datetime as dt

import pytest

import workflow
from conftest import FOOD_MATERIALS, d, food_case_at_review, kinds, t

COMPANY = "360730-SCJG-0001"  # 企业设立登记: 告知承诺 allowed
PREMISES = "住所（经营场所）使用证明"
CHARTER = "公司章程"
COMPANY_MATERIALS = ["公司登记（备案）申请书", CHARTER, "股东主体资格文件或自然人身份证明",
                     "法定代表人、董事、监事和高级管理人员的任职文件及身份证明", PREMISES]
FUEL = "360730-SWJ-0001"  # 成品油零售经营资格: the county reviews, the city decides


def midnight_after(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def test_vocabularies_name_the_new_states_verbs_and_events():
    assert workflow.STATES[-1] == "revoked"
    assert workflow.VERBS[25:28] == ("confirm_promise", "false_promise", "revoke")
    for kind in ("escalation_review_overdue", "issue_overdue", "stage_overdue",
                 "verification_overdue"):
        assert kind in workflow.EVENT_KINDS
    assert workflow.VERB_DETAILS["false_promise"] == ("reason",)


def test_rules_show_the_new_days(ningdu):
    assert ningdu.policy["issue_days"] == 10
    assert ningdu.policy["promise_verification_days"] == 20
    assert ningdu.matter(COMPANY).promise_verification_days == 10  # the matter's own
    assert ningdu.matter("360730-SCJG-0004").promise_verification_days == 0


def test_section_43_the_county_reports_up_within_20_working_days(hall):
    engine = hall("2026-11-30T09:00")
    materials = list(engine.rules.matter(FUEL).materials)
    case_id = engine.submit(FUEL, "nd", materials, actor="nd-s001")
    engine.accept(case_id, actor="nd-s001")
    engine.review_pass(case_id, actor="nd-s001")
    due = engine.calendar.add_working_days(d("2026-11-30"), 20)
    case = engine.case(case_id)
    assert case.escalation_review_deadline == due
    assert case.escalation_review_light == "green"
    engine.advance_to(midnight_after(due))
    case = engine.case(case_id)
    assert case.escalation_review_light == "red"
    assert kinds(engine, case_id).count("escalation_review_overdue") == 1


def test_section_44_and_stage_shares(hall):
    engine = hall("2026-11-30T09:00")
    case_id = food_case_at_review(engine)
    case = engine.case(case_id)
    assert case.stage == "材料审查及现场核查"
    stage_due = engine.calendar.add_working_days(d("2026-11-30"), 3)
    assert case.stage_deadline == stage_due and case.stage_light == "green"
    engine.advance_to(midnight_after(stage_due))
    case = engine.case(case_id)
    assert case.stage_light == "red" and case.overdue_stages == ["材料审查及现场核查"]
    overdue = [e for e in case.history if e.kind == "stage_overdue"]
    assert len(overdue) == 1 and "unit=nd-amr" in overdue[0].detail

    engine.review_pass(case_id, actor="nd-s022")
    engine.approve(case_id, actor="nd-s024")
    decided = engine.now().date()
    case = engine.case(case_id)
    assert case.issue_deadline == engine.calendar.add_working_days(decided, 10)
    assert case.issue_light == "green" and case.stage is None
    engine.advance_to(midnight_after(case.issue_deadline))
    assert engine.case(case_id).issue_light == "red"
    assert kinds(engine, case_id).count("issue_overdue") == 1


def test_promise_is_verified_or_revoked_and_the_filters_find_it(hall):
    engine = hall("2026-11-30T09:00")
    without_premises = [m for m in COMPANY_MATERIALS if m != PREMISES]
    honest = engine.submit(COMPANY, "nd", without_premises, actor="nd-s001")
    false_one = engine.submit(COMPANY, "nd", without_premises, actor="nd-s001")
    for case_id in (honest, false_one):
        engine.accept(case_id, actor="nd-s001", on_promise=True)
    case = engine.case(honest)
    assert case.state == "decided" and case.on_promise
    assert case.missing_materials == [] and case.excused_materials == [PREMISES]
    assert case.verification == "pending"
    assert case.verification_deadline == engine.calendar.add_working_days(d("2026-11-30"), 10)
    assert [c.id for c in engine.cases(on_promise=True)] == [honest, false_one]
    assert [c.id for c in engine.cases(verification_due=True)] == [honest, false_one]

    with pytest.raises(workflow.PermissionDenied):
        engine.confirm_promise(honest, actor="nd-s001")
    engine.confirm_promise(honest, actor="nd-s022", reason="现场核查属实")
    assert engine.case(honest).verification == "confirmed"

    engine.false_promise(false_one, actor="nd-s022", reason="住所为虚假地址")
    assert "revoke" in engine.available_actions(false_one, "nd-s024")
    with pytest.raises(workflow.PermissionDenied):
        engine.revoke(false_one, actor="nd-s022", reason="虚假承诺")
    engine.revoke(false_one, actor="nd-s024", reason="申请人作出虚假承诺，撤销登记")
    case = engine.case(false_one)
    assert case.state == "revoked"
    assert case.history[-1].kind == "revoke" and case.history[-1].verb == "revoke"
    assert engine.cases(verification_due=True) == []
    assert [c.id for c in engine.cases(state="revoked")] == [false_one]


def test_verification_overdue_is_recorded_once(hall):
    engine = hall("2026-11-30T09:00")
    case_id = engine.submit(COMPANY, "nd", COMPANY_MATERIALS, actor="nd-s001")
    engine.accept(case_id, actor="nd-s001", on_promise=True)
    due = engine.case(case_id).verification_deadline
    engine.advance_to(midnight_after(due))
    case = engine.case(case_id)
    assert case.verification_light == "red"
    assert kinds(engine, case_id).count("verification_overdue") == 1


def test_tolerance_and_promise_on_one_acceptance(hall):
    engine = hall("2026-11-30T09:00")
    lacking = [m for m in COMPANY_MATERIALS if m not in (PREMISES, CHARTER)]
    case_id = engine.submit(COMPANY, "nd", lacking, actor="nd-s001")
    engine.accept(case_id, actor="nd-s001", on_promise=True, tolerate_missing=True)
    case = engine.case(case_id)
    assert case.missing_materials == [PREMISES] and case.excused_materials == [CHARTER]
    assert case.supplement_deadline == engine.calendar.add_working_days(d("2026-11-30"), 5)
    food = engine.submit("360730-SCJG-0004", "nd", FOOD_MATERIALS[:-1], actor="nd-s001")
    with pytest.raises(workflow.InvalidArgument, match="does not allow approval on commitment"):
        engine.accept(food, actor="nd-s001", on_promise=True, tolerate_missing=True)
