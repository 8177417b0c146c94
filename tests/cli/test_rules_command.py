"""`workflow rules diff|plan|install|history` (docs/cli.md): changing the rules of a live case
store. Rule set B is rules/ningdu with the edits of tests/data/rules/ningdu-b.edits.yaml.

`plan` must never change the store, and neither may a refused `install`: those tests compare
the database file and its -wal byte for byte (an absent -wal counts as an empty one: like any
WAL reader the tool may leave empty side files, docs/storage.md)."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CLI = os.environ["WORKFLOW_CLI"]
SOURCE = Path(os.environ["WORKFLOW_SOURCE_DIR"])
SQLITE3 = shutil.which("sqlite3")
NINGDU = SOURCE / "rules" / "ningdu"
NOW = "2026-03-05T09:00"

sys.path.insert(0, str(SOURCE / "tests" / "data" / "rules"))
from ningdu_b import build_ningdu_b  # noqa: E402


def run(*args):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=300)


def snapshot(db):
    """The store's bytes: the database file and its -wal (absent = empty)."""
    wal = Path(f"{db}-wal")
    return Path(db).read_bytes(), wal.read_bytes() if wal.exists() else b""


@pytest.fixture(scope="module")
def rules_b(tmp_path_factory):
    return build_ningdu_b(NINGDU, tmp_path_factory.mktemp("rules") / "ningdu-b")


@pytest.fixture(scope="module")
def hall_template(tmp_path_factory):
    db = tmp_path_factory.mktemp("hall") / "hall.db"
    r = run("simulate", "--db", db, "--days", 3, "--start", "2026-03-02")
    assert r.returncode == 0, r.stderr
    return db


@pytest.fixture
def hall(hall_template, tmp_path):
    db = tmp_path / "hall.db"
    shutil.copy(hall_template, db)
    return db


def test_diff_lists_every_change_and_exits_0(rules_b):
    r = run("rules", "diff", NINGDU, rules_b)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "staff added nd-s200" in lines
    assert "post removed nd-amr-review" in lines
    assert "post changed nd-amr-chief: a: nd-s024 -> nd-s200" in lines
    assert "matter removed 360730-SWJ-0001" in lines
    assert "delegation changed dlg-2026-mj-spjy: valid_until: 2026-12-31 -> 2026-03-04" in lines
    food = [l for l in lines if l.startswith("matter changed 360730-SCJG-0004: ")]
    assert len(food) == 1 and "promised_limit: 5 -> 3" in food[0]
    assert lines[-1] == ("9 changes: 1 staff added, 1 post removed, 1 post changed, "
                         "1 matter removed, 4 matter changed, 1 delegation changed")


def test_diff_of_a_set_with_itself(rules_b):
    r = run("rules", "diff", rules_b, rules_b)
    assert (r.returncode, r.stdout) == (0, "no entry differs\n")


def test_diff_of_a_broken_set_prints_its_diagnostics(tmp_path, rules_b):
    broken = tmp_path / "broken"
    shutil.copytree(NINGDU, broken)
    (broken / "offices.yaml").write_text("offices: [\n", encoding="utf-8")
    r = run("rules", "diff", broken, rules_b)
    assert r.returncode == 1
    assert "offices.yaml" in r.stdout


def test_plan_changes_nothing_and_shows_the_reroutes(hall, rules_b):
    before = snapshot(hall)
    r = run("rules", "plan", "--db", hall, rules_b, "--now", NOW)
    assert r.returncode == 0, r.stdout + r.stderr
    assert snapshot(hall) == before
    out = r.stdout
    assert re.search(r"^.*hall\.db: rule set [0-9a-f]{12} -> [0-9a-f]{12}$", out, re.M)
    assert re.search(r"^open cases: [1-9][0-9]*$", out, re.M)
    assert re.search(r"^keep old terms: [1-9][0-9]* \(case( [0-9]+)+\)$", out, re.M)
    reroutes = re.findall(r"^case [0-9]+: nd-amr-review -> nd-unresolved \(post nd-amr-review "
                          r"is removed.*\)$", out, re.M)
    assert reroutes and f"rerouted: {len(reroutes)}" in out.splitlines()
    assert out.splitlines()[-1].startswith("plan: ok: rule set ")


def test_plan_with_an_unknown_actor_has_a_problem(hall, rules_b):
    before = snapshot(hall)
    r = run("rules", "plan", "--db", hall, rules_b, "--actor", "nd-nobody", "--now", NOW)
    assert r.returncode == 1
    assert "problem: unknown installer 'nd-nobody'" in r.stdout
    assert r.stdout.splitlines()[-1] == "plan: refused: 1 problem"
    assert snapshot(hall) == before


def test_refused_install_leaves_the_store_untouched(hall, rules_b):
    before = snapshot(hall)
    r = run("rules", "install", "--db", hall, rules_b, "--actor", "nd-nobody", "--now", NOW)
    assert r.returncode == 1
    assert "problem: unknown installer 'nd-nobody'" in r.stdout
    assert r.stdout.splitlines()[-1].startswith("install: refused: 1 problem")
    assert snapshot(hall) == before
    same = run("rules", "install", "--db", hall, NINGDU, "--actor", "nd-s017", "--now", NOW)
    assert same.returncode == 1 and "is already the installed one" in same.stdout
    assert snapshot(hall) == before


@pytest.mark.skipif(SQLITE3 is None, reason="the sqlite3 shell is not installed")
def test_a_damaged_stored_rule_set_is_named_and_nothing_changes(hall, rules_b):
    subprocess.run([SQLITE3, str(hall),
                    "UPDATE rule_sets SET files = CAST(replace(CAST(files AS TEXT), "
                    "'legal_limit: 10', 'legal_limit: 11') AS BLOB) WHERE position = 1"],
                   check=True, capture_output=True, timeout=60)
    before = snapshot(hall)
    for args in (("plan",), ("install", "--actor", "nd-s017")):
        r = run("rules", args[0], "--db", hall, rules_b, *args[1:], "--now", NOW)
        assert r.returncode == 2, r.stdout
        assert "stored rule set 1 is damaged" in r.stderr
        assert r.stderr.startswith("workflow: error: ")
        assert snapshot(hall) == before
    history = run("rules", "history", "--db", hall)
    assert history.returncode == 0
    assert "(damaged: its files hash to " in history.stdout


def test_a_schema2_store_needs_its_rule_set_once(tmp_path, rules_b):
    db = tmp_path / "old.db"
    shutil.copy(SOURCE / "tests" / "data" / "stores" / "ningdu-schema2.db", db)
    before = snapshot(db)
    r = run("rules", "plan", "--db", db, rules_b, "--now", NOW)
    assert r.returncode == 2 and "--rules DIR" in r.stderr
    old_rules = SOURCE / "tests" / "data" / "stores" / "ningdu-schema2-rules"
    r = run("rules", "plan", "--db", db, rules_b, "--rules", old_rules, "--now", NOW)
    assert r.returncode == 0, r.stdout + r.stderr
    assert snapshot(db) == before


def test_missing_store_and_bad_now(tmp_path, rules_b):
    r = run("rules", "plan", "--db", tmp_path / "none.db", rules_b)
    assert r.returncode == 2 and "no such database file" in r.stderr
    r = run("rules", "history", "--db", tmp_path / "none.db")
    assert r.returncode == 2


def test_install_then_audit_report_and_history(hall, rules_b):
    plan = run("rules", "plan", "--db", hall, rules_b, "--actor", "nd-s017", "--now", NOW)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    r = run("rules", "install", "--db", hall, rules_b, "--actor", "nd-s017", "--now", NOW)
    assert r.returncode == 0, r.stdout + r.stderr
    last = r.stdout.splitlines()[-1]
    m = re.fullmatch(r"installed rule set ([0-9a-f]{12}) over ([0-9a-f]{12})", last)
    assert m, last
    # The plan shown by install is the dry run's, with its last line replaced.
    assert r.stdout.splitlines()[:-1] == plan.stdout.splitlines()[:-1]

    audit = run("audit", "verify", hall)
    assert audit.returncode == 0, audit.stdout
    assert "hash chain intact" in audit.stdout

    text = run("report", hall)
    assert text.returncode == 0, text.stderr
    assert f"rules {m.group(1)}" in text.stdout.splitlines()[0]
    report = run("report", hall, "--json")
    assert report.returncode == 0, report.stderr
    figures = json.loads(report.stdout)
    assert figures["rules_version"] == m.group(1)
    # The install (case 0) and the rerouted events are not cases.
    cases = figures["cases"]
    assert sum(figures["by_state"].values()) == cases
    assert sum(figures["by_kind"].values()) == cases
    rerouted = len(re.findall(r"^case [0-9]+: .* -> nd-unresolved ", plan.stdout, re.M))
    assert rerouted and figures["unresolved_now"] >= rerouted
    assert figures["unresolved"] >= rerouted

    history = run("rules", "history", "--db", hall)
    assert history.returncode == 0
    rows = [l.split(" ") for l in history.stdout.splitlines()]
    assert [r[0] for r in rows] == ["1", "2"]
    assert rows[0][1].startswith(m.group(2)) and rows[0][3] == "system"
    assert rows[1][1].startswith(m.group(1))
    assert rows[1][2:] == ["2026-03-05T09:00:00", "nd-s017"]

    again = run("rules", "install", "--db", hall, rules_b, "--actor", "nd-s017", "--now", NOW)
    assert again.returncode == 1 and "is already the installed one" in again.stdout
