"""Installing a new rule set on a live SQLite store (docs/engine.md, "Installing rules").

Rule set A is rules/ningdu; B is A with the edits of tests/data/rules/ningdu-b.edits.yaml
(built by tests/data/rules/ningdu_b.py): nd-amr-review removed, nd-s200 the new A of
nd-amr-chief, the food licence promised in 3 working days instead of 5, the 梅江镇 food licence
delegation ended on 2026-03-04, and 360730-SWJ-0001 no longer offered."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import workflow
from conftest import FOOD_LICENCE, FOOD_MATERIALS, RULES, SOURCE, d, kinds, t

sys.path.insert(0, str(SOURCE / "tests" / "data" / "rules"))
from ningdu_b import build_ningdu_b  # noqa: E402

FUEL = "360730-SWJ-0001"
FUEL_MATERIALS = ["成品油零售经营资格申请书", "营业执照", "加油站规划选址确认文件",
                  "建设工程消防验收文件", "安全评价报告", "成品油供油协议"]
JOINT = "360730-ZJ-0001"
CONSTRUCTION = ["工程建设项目审批申请表（一表申请）", "项目审批、核准或备案文件", "建设用地批准文件",
                "施工图设计文件", "环境影响评价文件", "水土保持方案", "建设资金落实承诺书"]


def workflow_cli() -> Path | None:
    """The built `workflow` tool: the build tree holds it at tools/workflow, next to the
    bindings/python directory PYTHONPATH points at (ctest), or $WORKFLOW_CLI."""
    if os.environ.get("WORKFLOW_CLI"):
        return Path(os.environ["WORKFLOW_CLI"])
    package = Path(workflow.__file__).resolve().parent  # <build>/bindings/python/workflow
    candidate = package.parents[2] / "tools" / "workflow"
    return candidate if candidate.is_file() else None


@pytest.fixture(scope="module")
def rules_b(tmp_path_factory):
    return workflow.load_rules(build_ningdu_b(RULES / "ningdu",
                                              tmp_path_factory.mktemp("rules") / "ningdu-b"))


@pytest.fixture(scope="module")
def calendar():
    return workflow.Calendar.load(RULES / "calendar")


def test_install_b_on_a_live_store(tmp_path, ningdu, rules_b, calendar):
    db = tmp_path / "hall.db"
    clock = workflow.ManualClock(t("2026-03-02T09:00"))
    engine = workflow.Engine(ningdu, calendar, db=db, clock=clock)
    # Under A: a food licence at review (nd-amr-review, nd-s022), one still at the window.
    at_review = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    engine.accept(at_review, actor="nd-s001")
    engine.review_pass(at_review, actor="nd-s001")
    assert (engine.case(at_review).post, engine.case(at_review).holder) == \
        ("nd-amr-review", "nd-s022")
    old_deadline = engine.case(at_review).promised_deadline
    at_window = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    fuel = engine.submit(FUEL, "nd", FUEL_MATERIALS, actor="nd-s003")
    engine.accept(fuel, actor="nd-s003")
    joint = engine.submit(JOINT, "nd", CONSTRUCTION, actor="nd-s100")
    engine.accept(joint, actor="nd-s100")
    township = engine.submit(FOOD_LICENCE, "nd-mj", FOOD_MATERIALS, actor="nd-mj-s01")
    assert engine.case(township).delegation == "dlg-2026-mj-spjy"
    engine.accept(township, actor="nd-mj-s01")
    version_a = ningdu.version

    engine.advance_to(t("2026-03-05T09:00"))
    plan = engine.plan_rules(rules_b, actor="nd-s017")
    assert plan.ok and plan.problems == []
    assert (plan.from_version, plan.to_version) == (version_a, rules_b.version)
    assert plan.open_cases == 5
    assert {(r.case_id, r.from_post, r.to_post) for r in plan.reroutes} == \
        {(at_review, "nd-amr-review", "nd-unresolved")}
    assert {at_review, at_window, fuel, township} <= set(plan.keep_old_terms)
    changes = {(c.entity, c.change, c.id): c.fields for c in plan.changes}
    assert ("post", "removed", "nd-amr-review") in changes
    assert "promised_limit: 5 -> 3" in changes[("matter", "changed", FOOD_LICENCE)]
    assert [(c.entity, c.change, c.id) for c in workflow.diff_rules(ningdu, rules_b)] == \
        [(c.entity, c.change, c.id) for c in plan.changes]
    assert engine.installed_rules()[-1].version == version_a  # the plan changed nothing

    refused = engine.plan_rules(rules_b, actor="nd-nobody")
    assert not refused.ok and "unknown installer 'nd-nobody'" in refused.problems[0]
    with pytest.raises(workflow.InvalidArgument, match="nd-nobody"):
        engine.install_rules(rules_b, actor="nd-nobody")

    done = engine.install_rules(rules_b, actor="nd-s017")
    assert done.ok and [r.case_id for r in done.reroutes] == [at_review]
    assert engine.rules.version == rules_b.version

    # The case at the removed post went to the 办不成事 window, with a `rerouted` event.
    case = engine.case(at_review)
    assert case.post == "nd-unresolved"
    rerouted = [e for e in case.history if e.kind == "rerouted"]
    assert len(rerouted) == 1 and rerouted[0].actor == "nd-s017"
    assert "from_post=nd-amr-review; to_post=nd-unresolved" in rerouted[0].detail
    # ...and keeps its old terms: promised 5 working days.
    assert case.promised_deadline == old_deadline
    assert case.rules_version == version_a

    # A new food licence takes B's 3 days.
    new_food = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    engine.accept(new_food, actor="nd-s001")
    new_case = engine.case(new_food)
    assert new_case.rules_version == rules_b.version
    assert new_case.promised_deadline == calendar.add_working_days(d("2026-03-05"), 3)
    assert old_deadline == calendar.add_working_days(d("2026-03-02"), 5)

    # 梅江镇's delegation ended on 2026-03-04 in B: a new application goes to the county,
    # the old one keeps its delegation.
    after = engine.submit(FOOD_LICENCE, "nd-mj", FOOD_MATERIALS, actor="nd-mj-s01")
    assert (engine.case(after).accepting_office, engine.case(after).delegation) == ("nd", None)
    assert engine.case(township).delegation == "dlg-2026-mj-spjy"
    assert engine.case(township).rules_version == version_a

    # nd-s200 acts as A of nd-amr-chief: the new food licence reaches them.
    engine.review_pass(new_food, actor="nd-s001")
    assert (engine.case(new_food).post, engine.case(new_food).holder) == \
        ("nd-amr-chief", "nd-s200")
    assert "review_pass" in engine.available_actions(new_food, "nd-s200")
    engine.review_pass(new_food, actor="nd-s200")

    # The fuel licence is no longer offered, but the escalated case runs to its end under A.
    with pytest.raises(workflow.NotFound, match="no longer offered"):
        engine.submit(FUEL, "nd", FUEL_MATERIALS, actor="nd-s003")
    engine.review_pass(fuel, actor="nd-s003")
    engine.report_up(fuel, actor="nd-s078")
    engine.higher_approve(fuel, actor="gz-s03")
    engine.issue(fuel, actor="nd-s003")
    fuel_case = engine.case(fuel)
    assert (fuel_case.state, fuel_case.rules_version) == ("issued", version_a)
    assert "higher_approve" in kinds(engine, fuel)

    installed = engine.installed_rules()
    assert [(r.version, r.installed_by) for r in installed] == \
        [(version_a, "system"), (rules_b.version, "nd-s017")]
    assert installed[1].installed_at == t("2026-03-05T09:00")
    engine.close()

    # Reopening: with B it works; with A it is refused, naming the option.
    with workflow.Engine(rules_b, calendar, db=db, clock=workflow.ManualClock(
            t("2026-03-05T10:00"))) as again:
        assert again.case(at_review).post == "nd-unresolved"
        assert len(again.installed_rules()) == 2
    with pytest.raises(workflow.StoreError, match="install_rules"):
        workflow.Engine(ningdu, calendar, db=db, clock=workflow.ManualClock(t("2026-03-05T10:00")))

    cli = workflow_cli()
    if cli is None:
        pytest.skip("the workflow CLI is not built next to these bindings: audit not checked")
    audit = subprocess.run([str(cli), "audit", "verify", str(db)], capture_output=True,
                           text=True, timeout=120)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "hash chain intact" in audit.stdout


def test_opening_with_install_rules(tmp_path, ningdu, rules_b, calendar):
    db = tmp_path / "hall.db"
    with workflow.Engine(ningdu, calendar, db=db,
                         clock=workflow.ManualClock(t("2026-03-02T09:00"))) as engine:
        engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    with workflow.Engine(rules_b, calendar, db=db, clock=workflow.ManualClock(
            t("2026-03-05T09:00")), install_rules=True, rules_installer="nd-s017") as engine:
        assert [r.installed_by for r in engine.installed_rules()] == ["system", "nd-s017"]
        assert engine.rules.version == rules_b.version
    assert set(rules_b.files) == {p.name for p in Path(rules_b.directory).iterdir()}
