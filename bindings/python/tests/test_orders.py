"""督办 and 改派 through the Python API (issue 14): a supervision order issued by the centre's
duty leader to the unit holding a case, replied, closed or escalated, with its light; a stage
moved to another post of its unit; every refusal. The Python twin of
tests/scenario_supervision_orders_test.cpp and tests/scenario_reassignment_test.cpp."""

from __future__ import annotations

import pytest

import workflow
from conftest import FOOD_LICENCE, FOOD_MATERIALS, d, food_case_at_review, t


def test_the_vocabulary_names_the_oversight_verbs():
    for verb in ("order", "reply_order", "close_order", "escalate_order", "reassign"):
        assert verb in workflow.VERBS
        assert verb in workflow.EVENT_KINDS
    assert workflow.ORDER_STATES == ("open", "replied", "closed", "escalated")
    assert workflow.VERB_DETAILS["order"] == ("reason", "days")
    assert workflow.VERB_DETAILS["reply_order"] == ("reason", "order")
    assert workflow.VERB_DETAILS["reassign"] == ("reason", "to_post")


def test_an_order_is_replied_on_time_and_closed(hall):
    engine = hall("2026-12-01T09:00")
    case_id = food_case_at_review(engine)
    assert "order" in engine.available_actions(case_id, "nd-s017")
    engine.order(case_id, actor="nd-s017", reason="群众投诉审查拖延")
    (order,) = engine.case(case_id).orders
    assert (order.number, order.department, order.state, order.light) == (1, "nd-amr", "open",
                                                                         "green")
    assert (order.issued, order.due, order.reply_days) == (d("2026-12-01"), d("2026-12-08"), 5)
    assert order.replied is None and order.reply is None
    engine.reply_order(case_id, actor="nd-s022", reason="今日办结")
    engine.close_order(case_id, actor="nd-s017", reason="回复属实", order=1)
    (order,) = engine.case(case_id).orders
    assert (order.state, order.replied_on_time, order.reply, order.outcome) == (
        "closed", True, "今日办结", "回复属实")
    assert engine.case(case_id).history[-1].verb == "close_order"


def test_a_late_order_turns_red_and_is_escalated(hall):
    engine = hall("2026-12-01T09:00")
    case_id = food_case_at_review(engine)
    engine.act(case_id, "order", actor="nd-s017", reason="超期", days=2)
    engine.advance_to(t("2026-12-04T00:00"))
    assert engine.case(case_id).orders[0].light == "red"
    engine.escalate_order(case_id, actor="nd-s017", reason="逾期未回复")
    order = engine.case(case_id).orders[0]
    assert (order.state, order.replied) == ("escalated", None)


def test_refusals_change_nothing(hall):
    engine = hall("2026-12-01T09:00")
    case_id = food_case_at_review(engine)
    with pytest.raises(workflow.PermissionDenied):
        engine.order(case_id, actor="nd-s022", reason="越权")  # the case's own reviewer
    engine.order(case_id, actor="nd-s017", reason="督办")
    with pytest.raises(workflow.PermissionDenied):
        engine.reply_order(case_id, actor="nd-s030", reason="代答")  # 税务局: the wrong unit
    with pytest.raises(workflow.InvalidTransition):
        engine.close_order(case_id, actor="nd-s017", reason="未回复先销号")
    with pytest.raises(TypeError):
        engine.act(case_id, "review_pass", actor="nd-s022", to_post="nd-amr-chief")
    assert engine.case(case_id).orders[0].state == "open"


def test_a_window_case_is_reassigned_within_the_hall(hall):
    engine = hall("2026-12-01T09:00")
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    assert "reassign" in engine.available_actions(case_id, "nd-s017")
    engine.reassign(case_id, actor="nd-s017", to_post="nd-w02", reason="窗口积压")
    case = engine.case(case_id)
    assert (case.post, case.holder) == ("nd-w02", "nd-s002")
    (move,) = case.reassignments
    assert (move.actor, move.actor_post, move.from_post, move.to_post, move.department) == (
        "nd-s017", "nd-hall-duty", "nd-w01", "nd-w02", "nd-hall")
    with pytest.raises(workflow.PermissionDenied):
        engine.reassign(case_id, actor="nd-s001", to_post="nd-w03", reason="自行改派")
    with pytest.raises(workflow.InvalidArgument):
        engine.reassign(case_id, actor="nd-s017", to_post="nd-amr-review", reason="错派")
    with pytest.raises(workflow.InvalidArgument):
        engine.reassign(case_id, actor="nd-s017", to_post="nd-unresolved", reason="x")
    assert engine.case(case_id).post == "nd-w02"


def test_the_rules_name_who_supervises(ningdu):
    duty = ningdu.post("nd-hall-duty")
    assert duty.issues_orders and duty.reassigns
    assert not ningdu.post("nd-w01").issues_orders
    assert ningdu.policy["order_reply_days"] == 5


def test_the_supervision_figures_count_orders_and_reassignments(hall):
    engine = hall("2026-12-01T09:00")
    late = food_case_at_review(engine)
    on_time = food_case_at_review(engine)
    engine.order(late, actor="nd-s017", reason="超期", days=1)
    engine.order(on_time, actor="nd-s017", reason="投诉")
    engine.reply_order(on_time, actor="nd-s022", reason="已办")
    engine.reassign(on_time, actor="nd-s024", to_post="nd-amr-chief", reason="审核岗积压")
    engine.advance_to(t("2026-12-03T00:00"))  # the 1-day order is late now
    o = engine.supervise()["oversight"]
    assert (o["orders"], o["cases_ordered"], o["replied"], o["replied_on_time"], o["overdue"]) == (
        2, 2, 1, 1, 1)
    assert o["reply_on_time_rate"]["numerator"] == 1
    assert o["reply_on_time_rate"]["denominator"] == 2
    assert o["orders_by_unit"] == {"nd-amr": 2}
    assert (o["reassignments"], o["reassignments_by_unit"]) == (1, {"nd-amr": 1})
