"""workflow.load_rules on the shipped rule sets, and RuleError with its diagnostics."""

from __future__ import annotations

import re

import pytest

import workflow
from conftest import FOOD_LICENCE, FOOD_MATERIALS, RULES, d


def test_shipped_ningdu_loads_with_its_offices_posts_and_matters(ningdu):
    assert isinstance(ningdu, workflow.RuleSet)
    assert re.fullmatch(r"[0-9a-f]{64}", ningdu.version)
    assert ningdu.directory == RULES / "ningdu"
    county = ningdu.office("nd")
    assert (county.name, county.level, county.parent) == ("宁都县政务服务中心", "county", "gz")
    meijiang = ningdu.office("nd-mj")
    assert meijiang.level == "township" and meijiang.parent == "nd"
    assert {o.id for o in ningdu.offices} >= {"nd", "nd-mj", "nd-mj-v1", "nd-lc"}
    review = ningdu.post("nd-amr-review")
    assert (review.a, review.b, review.role) == ("nd-s022", "nd-s023", "back_office")
    assert ningdu.staff_member("nd-s001").office == "nd"
    assert ningdu.department(review.department).office == "nd"
    assert len(ningdu.staff) > 50 and len(ningdu.posts) > 20


def test_matter_details_as_the_rule_files_give_them(ningdu):
    food = ningdu.matter(FOOD_LICENCE)
    assert food.name == "食品经营许可"
    assert (food.kind, food.promised_limit, food.legal_limit) == ("committed", 5, 10)
    assert food.materials == FOOD_MATERIALS
    assert food.tolerable_materials == [FOOD_MATERIALS[-1]]
    assert [s.post for s in food.stages][0] == "nd-amr-review"
    assert food.level == "county" and not food.promise_approval
    joint = ningdu.matter("360730-ZJ-0001")
    assert joint.kind == "joint" and joint.deemed_approval and len(joint.stages) >= 2
    escalated = ningdu.matter("360730-SWJ-0001")
    assert escalated.kind == "escalated" and escalated.escalate_to == "gz-swj-approve"
    kinds = {m.kind for m in ningdu.matters}
    assert kinds == {"instant", "committed", "escalated", "joint"}


def test_policy_and_delegations(ningdu):
    policy = ningdu.policy
    assert policy["notify_missing_days"] == 5
    assert policy["extension_max_days"] == 10
    assert 0 < policy["promised_ratio_cap"] <= 1
    # 赖村's food-licence delegation runs to the end of 2025 and was not renewed.
    lc = ningdu.delegation_in_force(FOOD_LICENCE, "nd-lc", d("2025-12-30"))
    assert lc is not None
    assert (lc.id, lc.mode, lc.township) == ("dlg-2025-lc-spjy", "partial", "nd-lc")
    assert lc.valid_until == d("2025-12-31")
    assert ningdu.delegation_in_force(FOOD_LICENCE, "nd-lc", d("2026-01-05")) is None
    full = [x for x in ningdu.delegations if x.mode == "full"]
    assert full and all(x.post for x in full)
    assert all(isinstance(w, workflow.Diagnostic) for w in ningdu.warnings)


def test_sandu_is_a_township_hall(sandu):
    assert sandu.office("ly-sd").level == "township"
    assert sandu.matter("430481-SD-SHSW-0001").kind == "instant"


def test_unknown_ids_raise_not_found(ningdu):
    with pytest.raises(workflow.NotFound, match="unknown matter 'nope'") as caught:
        ningdu.matter("nope")
    assert caught.value.code == "not_found"
    assert isinstance(caught.value, LookupError)
    with pytest.raises(workflow.NotFound):
        ningdu.post("nd-nobody")
    with pytest.raises(workflow.NotFound):
        ningdu.delegation_in_force(FOOD_LICENCE, "nowhere", d("2025-03-03"))


def write(dir, name, text):
    (dir / name).write_text(text, encoding="utf-8")


def test_rule_error_lists_every_problem_with_its_place(tmp_path):
    write(tmp_path, "offices.yaml",
          "offices:\n"
          "  - {id: nd, name: 宁都县政务服务中心, level: county}\n"
          "  - {id: nd-mj, name: 梅江镇, level: townshp, parent: nd}\n")
    write(tmp_path, "staff.yaml",
          "staff:\n"
          "  - {id: s1, name: 刘敏, office: nd}\n"
          "  - {id: s2, name: 陈芳, office: nowhere}\n")
    with pytest.raises(workflow.RuleError) as caught:
        workflow.load_rules(tmp_path)
    error = caught.value
    assert error.code == "rules_invalid"
    assert isinstance(error, workflow.Error)
    assert len(error.diagnostics) == 2
    level, office = error.diagnostics
    assert level.file == str(tmp_path / "offices.yaml")
    assert (level.line, level.column) == (3, 35)
    assert level.field == "offices[1].level"
    assert "townshp" in level.message and level.severity == "error"
    assert office.file.endswith("staff.yaml") and office.line == 3
    assert "unknown office 'nowhere'" in office.message
    # The message is the C++ one: a summary, then every diagnostic as file:line:col.
    assert "2 problems" in str(error)
    assert str(level) in str(error)
    assert str(level).startswith(f"{tmp_path / 'offices.yaml'}:3:35: offices[1].level: ")


def test_a_directory_without_rule_files_is_a_rule_error(tmp_path):
    with pytest.raises(workflow.RuleError) as caught:
        workflow.load_rules(tmp_path)
    assert caught.value.diagnostics


def test_a_missing_directory_is_a_file_error_and_an_os_error(tmp_path):
    with pytest.raises(OSError) as caught:
        workflow.load_rules(tmp_path / "missing")
    assert isinstance(caught.value, workflow.FileError)
    assert caught.value.code == "io_error"
    assert "missing" in str(caught.value)


def test_paths_may_be_str_or_pathlike():
    assert workflow.load_rules(str(RULES / "sandu")).version == \
        workflow.RuleSet.load(RULES / "sandu").version
    with pytest.raises(TypeError):
        workflow.load_rules(42)
