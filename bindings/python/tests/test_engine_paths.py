"""Scenarios after acceptance (后台分类审批) and of the hall's working rules through the Python
API: escalated and joint cases, AB岗 with mark_away/mark_back, the 办不成事 window, and
county→township delegation."""

from __future__ import annotations

import pytest

import workflow
from conftest import FOOD_LICENCE, FOOD_MATERIALS, d, food_case_at_review, kinds, t

CONSTRUCTION = ["工程建设项目审批申请表（一表申请）", "项目审批、核准或备案文件", "建设用地批准文件",
                "施工图设计文件", "环境影响评价文件", "水土保持方案", "建设资金落实承诺书"]


def test_escalated_fuel_licence_decided_by_ganzhou(hall):
    engine = hall()
    case_id = engine.submit("360730-SWJ-0001", "nd",
                            ["成品油零售经营资格申请书", "营业执照", "加油站规划选址确认文件",
                             "建设工程消防验收文件", "安全评价报告", "成品油供油协议"],
                            actor="nd-s003")
    engine.accept(case_id, actor="nd-s003")
    engine.review_pass(case_id, actor="nd-s003")
    assert engine.case(case_id).post == "nd-swj-review"
    engine.report_up(case_id, actor="nd-s078")
    case = engine.case(case_id)
    assert (case.state, case.office, case.post) == ("escalated", "gz", "gz-swj-approve")
    with pytest.raises(workflow.PermissionDenied):  # the county cannot decide for the city
        engine.higher_approve(case_id, actor="nd-s078")
    assert "higher_approve" in engine.available_actions(case_id, "gz-s03")
    engine.higher_approve(case_id, actor="gz-s03")
    case = engine.case(case_id)
    assert (case.state, case.office, case.post) == ("decided", "nd", "nd-w03")
    engine.issue(case_id, actor="nd-s003")
    assert kinds(engine, case_id).count("routed") == 2


def test_joint_construction_approval_with_a_department_deemed_to_agree(hall):
    engine = hall()
    case_id = engine.submit("360730-ZJ-0001", "nd", CONSTRUCTION, actor="nd-s100")
    engine.accept(case_id, actor="nd-s100")
    engine.review_pass(case_id, actor="nd-s100")
    case = engine.case(case_id)
    assert (case.state, case.post, case.kind) == ("opinions", "nd-zjj-review", "joint")
    assert case.promised_deadline == d("2025-05-29")
    for clerk in ["nd-s054", "nd-s042", "nd-s074", "nd-s062", "nd-s066", "nd-s070"]:
        engine.opinion_agree(case_id, actor=clerk)
    with pytest.raises(workflow.InvalidTransition):  # an opinion is still pending
        engine.approve(case_id, actor="nd-s054")
    engine.advance_to(t("2025-03-18T00:00"))  # 发改委 stayed silent past its 10 days
    last = engine.case(case_id).history[-1]
    assert (last.kind, last.detail, last.actor) == \
        ("opinion_deemed", "stage=项目审批核准备案意见", "system")
    engine.approve(case_id, actor="nd-s054")
    assert engine.case(case_id).post == "nd-yc-gcjs"


def test_one_disagreeing_department_means_the_lead_can_only_deny(hall):
    engine = hall()
    case_id = engine.submit("360730-ZJ-0001", "nd", CONSTRUCTION, actor="nd-s100")
    engine.accept(case_id, actor="nd-s100")
    engine.review_pass(case_id, actor="nd-s100")
    for clerk in ["nd-s054", "nd-s058", "nd-s042", "nd-s062", "nd-s066", "nd-s070"]:
        engine.act(case_id, "opinion_agree", actor=clerk)
    engine.opinion_disagree(case_id, actor="nd-s074", reason="环评文件与选址不符")
    with pytest.raises(workflow.InvalidTransition):
        engine.approve(case_id, actor="nd-s054")
    with pytest.raises(workflow.InvalidArgument):  # deny needs its reason
        engine.deny(case_id, actor="nd-s054")
    engine.deny(case_id, actor="nd-s054", reason="生态环境局不同意：环评文件与选址不符")
    case = engine.case(case_id)
    assert case.decision == "denied"
    assert case.history[-1].reason == "生态环境局不同意：环评文件与选址不符"


def test_ab_post_reviewer_on_leave_b_takes_over(hall):
    engine = hall()
    case_id = food_case_at_review(engine)
    assert engine.case(case_id).holder == "nd-s022"
    with pytest.raises(workflow.PermissionDenied):  # B may not act while A is at work
        engine.review_pass(case_id, actor="nd-s023")
    assert engine.case(case_id).history[-1].kind == "permission_denied"

    engine.clock.set(t("2025-03-04T09:00"))
    engine.mark_away("nd-s022", "leave", actor="nd-s017", until=t("2025-03-07T00:00"))  # from now
    case = engine.case(case_id)
    assert (case.holder, case.holding) == ("nd-s023", "b_covering")
    assert case.history[-1].kind == "handoff"
    assert case.history[-1].detail == "post=nd-amr-review; from=nd-s022; to=nd-s023"
    second = food_case_at_review(engine)
    assert engine.case(second).holder == "nd-s023"  # new work goes to B too
    with pytest.raises(workflow.PermissionDenied):
        engine.review_pass(case_id, actor="nd-s022")
    engine.review_pass(case_id, actor="nd-s023")
    assert engine.case(case_id).post == "nd-amr-chief"

    engine.advance_to(t("2025-03-07T09:00"))  # A is back
    third = food_case_at_review(engine)
    assert (engine.case(third).holder, engine.case(third).holding) == ("nd-s022", "a_holder")
    assert engine.case(second).holder == "nd-s023"  # what B took over stays with B


def test_absence_announced_ahead_and_mark_back(hall):
    engine = hall()
    case_id = food_case_at_review(engine)
    engine.mark_away("nd-s022", "field_work", start=t("2025-03-05T08:00"),
                     actor="nd-s017", until=t("2025-03-06T18:00"))
    engine.advance_to(t("2025-03-05T07:59"))
    assert engine.case(case_id).holder == "nd-s022"
    engine.advance_to(t("2025-03-05T08:00"))
    assert engine.case(case_id).holder == "nd-s023"
    engine.mark_back("nd-s022", actor="nd-s017")
    assert engine.case(food_case_at_review(engine)).holder == "nd-s022"
    with pytest.raises(workflow.InvalidArgument):  # until must be after start
        engine.mark_away("nd-s022", "out", start=t("2025-03-05T10:00"),
                         actor="nd-s017", until=t("2025-03-05T10:00"))
    with pytest.raises(workflow.NotFound):
        engine.mark_away("nobody", "out", actor="nd-s017", until=t("2025-03-05T11:00"))
    with pytest.raises(workflow.InvalidArgument, match="leave, vacation, out, field_work"):
        engine.mark_away("nd-s022", "sick", actor="nd-s017", until=t("2025-03-09T00:00"))


def test_both_away_the_case_goes_to_the_unresolved_window(hall):
    engine = hall()
    case_id = food_case_at_review(engine)
    for staff, kind in (("nd-s023", "vacation"), ("nd-s022", "leave")):
        engine.mark_away(staff, kind, start=t("2025-03-03T09:00"), actor="nd-s017",
                         until=t("2025-03-10T00:00"))
    case = engine.case(case_id)
    assert (case.holding, case.post, case.holder) == ("unresolved", "nd-unresolved", "nd-s018")
    assert case.history[-1].kind == "routed_unresolved"
    assert [c.id for c in engine.cases(post="nd-unresolved")] == [case_id]
    # The 办不成事 window coordinates; the reviewers' supervisor decides (test_unresolved.py).
    with pytest.raises(workflow.PermissionDenied):
        engine.review_pass(case_id, actor="nd-s018")
    engine.review_pass(case_id, actor="nd-s024")
    assert engine.case(case_id).post == "nd-amr-chief"


def test_laicun_delegation_lapses_between_two_applications(hall):
    engine = hall("2025-12-30T09:00")
    before = engine.submit(FOOD_LICENCE, "nd-lc", FOOD_MATERIALS, actor="nd-lc-s01")
    case = engine.case(before)
    assert (case.accepting_office, case.delegation, case.delegation_mode) == \
        ("nd-lc", "dlg-2025-lc-spjy", "partial")
    engine.accept(before, actor="nd-lc-s01")
    assert engine.case(before).promised_deadline == d("2026-01-07")
    engine.review_pass(before, actor="nd-lc-s01")
    assert engine.case(before).office == "nd"

    engine.advance_to(t("2026-01-05T09:00"))
    after = engine.submit(FOOD_LICENCE, "nd-lc", FOOD_MATERIALS, actor="nd-lc-s01")
    case = engine.case(after)
    assert (case.accepting_office, case.delegation, case.first_handler) == \
        ("nd", None, "nd-lc-s01")
    assert "no delegation" in case.history[0].reason
    assert {c.id for c in engine.cases(office="nd-lc")} == {before}

    engine.review_pass(before, actor="nd-s022")
    engine.approve(before, actor="nd-s024")
    assert engine.case(before).post == "nd-lc-w-zh"
    engine.issue(before, actor="nd-lc-s01")
    assert engine.case(before).state == "issued"


def test_full_delegation_meijiang_decides_in_the_county_bureaus_name(hall):
    engine = hall()
    case_id = engine.submit("360730-MZ-0001", "nd-mj",
                            ["临时救助申请书", "居民身份证及户口簿", "遭遇困难的有关证明材料"],
                            actor="nd-mj-s01")
    engine.accept(case_id, actor="nd-mj-s01")
    engine.review_pass(case_id, actor="nd-mj-s01")
    assert engine.case(case_id).delegation_mode == "full"
    engine.review_pass(case_id, actor="nd-mj-s10")
    engine.approve(case_id, actor="nd-mj-s10")
    approve = next(e for e in engine.case(case_id).history if e.verb == "approve")
    assert (approve.detail, approve.office) == ("in_name_of=nd-mzj", "nd-mj")
    assert "routed" not in kinds(engine, case_id)


def test_status_board_records_who_and_retries_are_harmless(hall):
    engine = hall()
    case = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    engine.accept(case, actor="nd-s001")
    engine.review_pass(case, actor="nd-s001")
    engine.mark_away("nd-s022", "leave", actor="nd-s017", until=t("2025-03-07T00:00"),
                     request_id="board-1")
    handoff = engine.case(case).history[-1]
    assert handoff.kind == "handoff" and "as recorded by nd-s017" in handoff.reason
    engine.mark_away("nd-s022", "leave", actor="nd-s017", until=t("2025-03-07T00:00"),
                     request_id="board-1")  # the retry
    assert len(engine.case(case).history) == handoff.seq
    with pytest.raises(workflow.InvalidArgument):
        engine.mark_back("nd-s022", actor="nd-s017", request_id="board-1")
    with pytest.raises(workflow.NotFound):
        engine.mark_back("nd-s022", actor="ghost")
    with pytest.raises(TypeError):
        engine.mark_back("nd-s022")  # who records it is required, as for every command
