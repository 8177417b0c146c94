"""The package's shape: the stubs describe exactly what the extension has, every public name
has a docstring, and the vocabularies are the canonical strings."""

from __future__ import annotations

import ast
from pathlib import Path

import workflow
from workflow import _workflow

PACKAGE = Path(workflow.__file__).parent


def stub_tree(name: str) -> ast.Module:
    return ast.parse((PACKAGE / name).read_text(encoding="utf-8"))


def public(names):
    return {n for n in names if not n.startswith("_")}


def test_the_package_ships_stubs_and_the_typed_marker():
    for name in ("py.typed", "__init__.pyi", "_workflow.pyi"):
        assert (PACKAGE / name).is_file(), name


def test_extension_stub_lists_every_class_and_member():
    stub = stub_tree("_workflow.pyi")
    classes = {node.name: node for node in stub.body if isinstance(node, ast.ClassDef)}
    runtime_classes = {n for n in dir(_workflow) if isinstance(getattr(_workflow, n), type)}
    assert set(classes) == public(runtime_classes)
    for name, node in classes.items():
        members = {item.name for item in node.body if isinstance(item, ast.FunctionDef)}
        runtime = public(vars(getattr(_workflow, name)))
        assert public(members) == runtime, name
    constants = {node.target.id for node in stub.body if isinstance(node, ast.AnnAssign)}
    runtime_constants = {n for n in dir(_workflow) if n.isupper()}
    assert constants == runtime_constants


def test_package_stub_matches_all():
    stub = stub_tree("__init__.pyi")
    names = set()
    for node in stub.body:
        if isinstance(node, ast.ImportFrom):
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
    assert set(workflow.__all__) <= names
    for name in workflow.__all__:
        assert hasattr(workflow, name), name


def test_public_names_are_documented():
    for name in workflow.__all__:
        obj = getattr(workflow, name)
        if callable(obj):
            assert obj.__doc__, name
    for method in ("submit", "act", "case", "cases", "available_actions", "advance_to",
                   "mark_away", "mark_back", "on_event", "close", "submit_bundle", "act_bundle",
                   "bundle", "bundles", "rate"):
        assert getattr(workflow.Engine, method).__doc__, method
    assert "calendar" in workflow.Engine.__doc__ and "db" in workflow.Engine.__doc__


def test_vocabularies_are_the_canonical_names():
    assert workflow.STATES[0] == "received" and "awaiting_materials" in workflow.STATES
    assert workflow.VERBS[0] == "accept" and workflow.VERBS[18] == "terminate"
    assert workflow.VERBS[19:] == ("verify", "rectify", "explain", "appeal", "call_back",
                                   "close_rectification", "confirm_promise", "false_promise",
                                   "revoke", "send_unresolved", "hand_to_unit",
                                   "settle_unresolved", "order", "reply_order", "close_order",
                                   "escalate_order", "reassign")
    assert workflow.STATES[-1] == "revoked"
    # One named method per verb, the rectification verbs included.
    for verb in workflow.VERBS:
        assert callable(getattr(workflow.Engine, verb)), verb
    assert workflow.LIGHTS == ("none", "green", "yellow", "red", "escalated_red")
    assert workflow.CHANNELS == ("pickup", "post", "e_certificate")
    assert workflow.ABSENCE_KINDS == ("leave", "vacation", "out", "field_work")
    assert "expert_review" in workflow.PROCEDURES
    assert workflow.EVENT_KINDS[0] == "submitted" and "light_changed" in workflow.EVENT_KINDS
    assert workflow.EVENT_KINDS[-14:] == ("rated", "rectification_opened", "rules_installed",
                                          "rerouted", "deadlines_recomputed",
                                          "escalation_review_overdue", "issue_overdue",
                                          "stage_overdue", "verification_overdue", "order",
                                          "reply_order", "close_order", "escalate_order",
                                          "reassign")
    assert workflow.VERIFICATIONS == ("none", "pending", "confirmed", "false_commitment")
    assert set(workflow.VERBS) < set(workflow.EVENT_KINDS)
    assert workflow.RATING_CHANNELS == ("window_device", "online", "phone")
    assert workflow.RECTIFICATION_STATES == ("verifying", "resolving", "calling_back",
                                             "called_back", "closed")
    assert workflow.__version__.count(".") == 2
