"""The 办不成事反映窗口 as a path through the Python API (issue 14): a window clerk sends a
case there with a reason, the window hands it to a unit with a due date in working days, the
unit records the outcome; the coordination is a record of its own on the case
(Case.coordination). The Python twin of tests/scenario_unresolved_window_test.cpp."""

from __future__ import annotations

import pytest

import workflow
from conftest import d, food_case_at_review, kinds, t

REASON = "经营场所为历史遗留建筑，无法提供产权证明，需多部门协调"


def test_the_verbs_and_the_rules_fields_are_there(ningdu):
    assert workflow.VERBS[28:31] == ("send_unresolved", "hand_to_unit", "settle_unresolved")
    assert workflow.COORDINATION_STATES == ("coordinating", "handed", "settled")
    assert workflow.VERB_DETAILS["hand_to_unit"] == ("unit", "days", "reason")
    assert ningdu.policy["unresolved_settle_days"] == 10
    assert ningdu.post("nd-w01").sends_unresolved
    assert ningdu.post("nd-hall-duty").sends_unresolved
    assert not ningdu.post("nd-amr-review").sends_unresolved


def test_send_hand_and_settle_show_on_the_case(hall):
    engine = hall("2026-12-01T09:00")
    case_id = food_case_at_review(engine)
    assert "send_unresolved" in engine.available_actions(case_id, "nd-s001")
    engine.send_unresolved(case_id, actor="nd-s001", reason=REASON)
    k = engine.case(case_id).coordination
    assert (k.state, k.window, k.sent_by, k.sent_by_post, k.reason) == (
        "coordinating", "nd-unresolved", "nd-s001", "nd-w01", REASON)
    assert k.unit is None and k.due is None and k.light == "none"
    assert "hand_to_unit" in engine.available_actions(case_id, "nd-s018")
    engine.hand_to_unit(case_id, actor="nd-s018", unit="nd-amr", days=3)
    k = engine.case(case_id).coordination
    assert (k.state, k.unit, k.handed_by, k.settle_days) == ("handed", "nd-amr", "nd-s018", 3)
    assert (k.handed, k.due, k.light) == (d("2026-12-01"), d("2026-12-04"), "green")
    # The unit's A keeps the right while marked away; the stage stays with the department.
    engine.mark_away("nd-s022", "field_work", until=t("2026-12-10T00:00"), actor="nd-s017")
    assert "settle_unresolved" in engine.available_actions(case_id, "nd-s022")
    engine.advance_to(t("2026-12-05T00:00"))
    assert engine.case(case_id).coordination.light == "red"
    engine.advance_to(t("2026-12-07T10:00"))
    engine.settle_unresolved(case_id, actor="nd-s022", reason="现场核查后出具证明")
    case = engine.case(case_id)
    k = case.coordination
    assert (k.state, k.outcome, k.settled_by, k.settled, k.on_time) == (
        "settled", "现场核查后出具证明", "nd-s022", d("2026-12-07"), False)
    assert case.post == "nd-amr-review"
    assert kinds(engine, case_id)[-1] == "settle_unresolved"
    assert case.history[-1].verb == "settle_unresolved"


def test_refusals_change_nothing(hall):
    engine = hall("2026-12-01T09:00")
    case_id = food_case_at_review(engine)
    with pytest.raises(workflow.PermissionDenied):
        engine.send_unresolved(case_id, actor="nd-s030", reason=REASON)  # 税务局's reviewer
    with pytest.raises(workflow.InvalidArgument):
        engine.send_unresolved(case_id, actor="nd-s001")  # no reason
    with pytest.raises(workflow.InvalidTransition):
        engine.hand_to_unit(case_id, actor="nd-s018", unit="nd-amr")  # not sent there
    assert engine.case(case_id).coordination is None
    engine.act(case_id, "send_unresolved", actor="nd-s001", reason=REASON, request_id="s-1")
    engine.act(case_id, "send_unresolved", actor="nd-s001", reason=REASON, request_id="s-1")
    assert kinds(engine, case_id).count("send_unresolved") == 1
    with pytest.raises(workflow.NotFound):
        engine.hand_to_unit(case_id, actor="nd-s018", unit="nd-nowhere")
    with pytest.raises(workflow.InvalidArgument, match="the units that do are nd-amr"):
        engine.hand_to_unit(case_id, actor="nd-s018", unit="nd-tax")
    with pytest.raises(workflow.PermissionDenied):
        engine.hand_to_unit(case_id, actor="nd-s001", unit="nd-amr")
    with pytest.raises(TypeError, match="unit"):
        engine.act(case_id, "settle_unresolved", actor="nd-s018", reason="x", unit="nd-amr")
    assert engine.case(case_id).coordination.state == "coordinating"
    engine.hand_to_unit(case_id, actor="nd-s018", unit="nd-amr")
    with pytest.raises(workflow.PermissionDenied):
        engine.settle_unresolved(case_id, actor="nd-s030", reason="协调完毕")
    assert engine.case(case_id).coordination.state == "handed"
