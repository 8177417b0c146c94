"""办不成事 through the Python API (issue 14): a case the window holds while its post's A and
B are away is not decided by the window's clerk, the post's own A keeps the right to act,
and the case goes back to its post when A returns. The Python twin of
tests/scenario_unresolved_test.cpp."""

from __future__ import annotations

import pytest

import workflow
from conftest import food_case_at_review, t


def stranded(engine: workflow.Engine) -> int:
    case_id = food_case_at_review(engine)
    for staff in ("nd-s023", "nd-s022"):
        engine.mark_away(staff, "leave", until=t("2026-12-07T00:00"), actor="nd-s017")
    case = engine.case(case_id)
    assert (case.post, case.holding, case.holder) == ("nd-unresolved", "unresolved", "nd-s018")
    return case_id


def test_the_window_clerk_cannot_pass_the_review_but_the_post_can(hall):
    engine = hall("2026-11-30T09:00")
    case_id = stranded(engine)
    assert "review_pass" not in engine.available_actions(case_id, "nd-s018")
    with pytest.raises(workflow.PermissionDenied):
        engine.review_pass(case_id, actor="nd-s018")
    assert "review_pass" in engine.available_actions(case_id, "nd-s022")
    engine.review_pass(case_id, actor="nd-s022")
    assert engine.case(case_id).post == "nd-amr-chief"


def test_the_case_goes_back_when_a_returns(hall):
    engine = hall("2026-11-30T09:00")
    case_id = stranded(engine)
    engine.mark_back("nd-s022", actor="nd-s017")
    case = engine.case(case_id)
    assert (case.post, case.holding, case.holder) == ("nd-amr-review", "a_holder", "nd-s022")
    assert case.history[-1].kind == "routed"
    assert engine.cases(post="nd-unresolved") == []
