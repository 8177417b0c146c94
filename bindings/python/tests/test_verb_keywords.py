"""Each verb takes exactly the details it uses: a keyword it would ignore is a TypeError
naming the keyword and the verb, by the named method, by act() and by act_bundle()."""

from __future__ import annotations

import inspect

import pytest

import workflow
from conftest import FOOD_LICENCE, FOOD_MATERIALS


def test_every_verb_has_its_details():
    assert set(workflow.VERB_DETAILS) == set(workflow.VERBS)
    assert workflow.VERB_DETAILS["approve"] == ()
    assert workflow.VERB_DETAILS["accept"] == ("tolerate_missing", "on_promise")
    assert workflow.VERB_DETAILS["suspend"] == ("reason", "procedure", "days")
    assert workflow.VERB_DETAILS["issue"] == ("channel",)
    for verb, details in workflow.VERB_DETAILS.items():
        params = list(inspect.signature(getattr(workflow.Engine, verb)).parameters)
        assert params == ["self", "case_id", "actor", *details, "request_id"], verb


def test_an_ignored_keyword_is_a_type_error_naming_it_and_the_verb(hall):
    engine = hall()
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    with pytest.raises(TypeError, match=r"approve\(\).*'days'"):
        engine.approve(case_id, actor="nd-s001", days=3)
    with pytest.raises(TypeError, match=r"accept\(\).*'reason'"):
        engine.accept(case_id, actor="nd-s001", reason="x")
    with pytest.raises(TypeError, match=r"act\(\): verb 'approve' .*'days'"):
        engine.act(case_id, "approve", actor="nd-s001", days=3)
    with pytest.raises(TypeError, match=r"act\(\): verb 'accept' .*'channel'"):
        engine.act(case_id, "accept", actor="nd-s001", channel="post")
    assert engine.case(case_id).state == "received"  # nothing was done
    engine.accept(case_id, actor="nd-s001", request_id="r1")
    assert engine.case(case_id).state != "received"


def test_act_bundle_checks_the_same_way(hall):
    engine = hall()
    with pytest.raises(TypeError, match=r"act_bundle\(\): verb 'notify_missing' .*'materials'"):
        engine.act_bundle(1, "notify_missing", actor="nd-s001", materials=["x"])


def test_a_required_detail_left_out_is_still_the_engines_invalid_argument(hall):
    engine = hall()
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    with pytest.raises(workflow.InvalidArgument, match="refuse needs a reason"):
        engine.refuse(case_id, actor="nd-s001")
    with pytest.raises(workflow.InvalidArgument, match="refuse needs a reason"):
        engine.act(case_id, "refuse", actor="nd-s001")
    engine.refuse(case_id, actor="nd-s001", reason="不属于本中心受理范围")
    assert engine.case(case_id).state == "refused"


def test_positional_details_are_refused(hall):
    engine = hall()
    with pytest.raises(TypeError, match=r"approve\(\)"):
        engine.approve(1, "nd-s001")  # actor is keyword-only
