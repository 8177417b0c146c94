"""`workflow simulate` and `workflow report`: the demo hall and the supervision report.

Small runs (--days 3) keep CI fast; the Chromium test renders the HTML report headless and
checks that the charts are drawn (screenshot.py). The ratings, bundles, cross-region and
proxy sections are checked against the store in test_report_services.py.
"""
import json
import re
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from screenshot import chromium, chromium_run, png_pixels

CLI = os.environ["WORKFLOW_CLI"]
SOURCE = Path(os.environ["WORKFLOW_SOURCE_DIR"])


def run(*args, cwd=None, timeout=120):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)


@pytest.fixture(scope="module")
def hall_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("hall") / "hall.db"
    r = run("simulate", "--db", db, "--days", 3, "--seed", 11)
    assert r.returncode == 0, r.stdout + r.stderr
    return db


@pytest.fixture(scope="module")
def figures(hall_db):
    r = run("report", hall_db, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def dump(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        # Not cases.seal: a row seal names the store's identity, drawn anew for every store.
        return {t: con.execute(f"SELECT {columns} FROM {t} ORDER BY 1").fetchall()
                for t, columns in (("events", "*"), ("cases", "id, last_seq, encoded, sealed_by"),
                                   ("engine", "*"))}
    finally:
        con.close()


def test_simulate_prints_what_it_did_and_no_progress_bar_off_a_terminal(hall_db, tmp_path):
    r = run("simulate", "--db", tmp_path / "x.db", "--days", 2, "--seed", 3)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # the progress bar only shows on a terminal
    lines = r.stdout.splitlines()
    assert lines[0].startswith("simulated 2 working days, 2025-12-15 .. 2025-12-16, seed 3")
    assert any(l.startswith("cases: ") for l in lines)
    assert lines[-1].startswith(f"database: {tmp_path / 'x.db'}")
    assert "engine refused" not in r.stdout


def test_progress_bar_on_a_terminal(tmp_path):
    import pty
    master, slave = pty.openpty()
    try:
        r = subprocess.run([CLI, "simulate", "--db", str(tmp_path / "p.db"), "--days", "2"],
                           stdout=subprocess.PIPE, stderr=slave, timeout=120)
        os.close(slave)
        slave = None
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)
    assert r.returncode == 0
    assert b"simulating [" in seen and b"day 2/2" in seen


def test_same_seed_same_database_other_seed_other(tmp_path):
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        r = run("simulate", "--db", tmp_path / f"{name}.db", "--days", 3, "--seed", seed)
        assert r.returncode == 0, r.stderr
    a, b, c = (dump(tmp_path / f"{n}.db") for n in "abc")
    assert a["events"] and a == b
    assert a["events"] != c["events"]


def test_simulate_refuses_to_overwrite_without_force(hall_db, tmp_path):
    db = tmp_path / "h.db"
    assert run("simulate", "--db", db, "--days", 1).returncode == 0
    before = db.read_bytes()
    r = run("simulate", "--db", db, "--days", 1)
    assert r.returncode == 2
    assert r.stderr.startswith("workflow: error: ") and "--force" in r.stderr
    assert db.read_bytes() == before
    r = run("simulate", "--db", db, "--days", 1, "--seed", 2, "--force")
    assert r.returncode == 0, r.stderr


def test_a_run_that_fails_halfway_leaves_no_database_and_says_on_which_day(tmp_path):
    # The calendar ends with 2035: deadlines of cases accepted in December 2035 reach 2036.
    db = tmp_path / "h.db"
    r = run("simulate", "--db", db, "--start", "2035-12-01", "--days", 40)
    assert r.returncode == 2
    assert r.stdout == ""
    first = r.stderr.splitlines()[0]
    assert re.fullmatch(r"workflow: error: simulate: failed on simulated day 2035-12-\d\d "
                        r"\(day \d+ of 40\): .*2036.*; .*h\.db was not written", first), first
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no partial store, no temporary
    # A failed --force run leaves the old database as it was.
    assert run("simulate", "--db", db, "--days", 1).returncode == 0
    before = db.read_bytes()
    r = run("simulate", "--db", db, "--start", "2035-12-01", "--days", 40, "--force")
    assert r.returncode == 2
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.db"]
    # And a rerun of a good run is not refused because of it.
    r = run("simulate", "--db", tmp_path / "other.db", "--days", 1)
    assert r.returncode == 0, r.stderr


def test_simulate_output_uses_singular_for_one(tmp_path):
    r = run("simulate", "--db", tmp_path / "h.db", "--days", 1)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("simulated 1 working day, ")
    assert not re.search(r"\b1 (working days|bundles|ratings|cross-region cases|"
                         r"one complete notices|容缺 acceptances|village agents)\b", r.stdout)


def test_default_db_is_created_in_the_current_directory(tmp_path):
    r = run("simulate", "--days", 1, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "workflow-demo.db").stat().st_size > 0


def test_json_figures_are_consistent(figures):
    f = figures
    n = f["cases"]
    assert n > 100
    for key in ("by_kind", "by_state", "by_office", "light_now"):
        assert sum(f[key].values()) == n, key
    assert f["instant"] == f["by_kind"].get("instant", 0)
    assert f["instant_share"] == pytest.approx(f["instant"] / n, abs=1e-4)
    for key in ("on_time_rate", "instant_share", "first_time_right_rate"):
        assert 0 <= f[key] <= 1, key
    assert f["decided_on_time"] <= f["decided"] <= f["accepted"] <= n
    assert f["on_time_rate"] == pytest.approx(f["decided_on_time"] / f["decided"], abs=1e-4)
    assert f["first_time_right"] + f["notices"] >= f["accepted"] >= f["first_time_right"]
    assert f["handoffs"] == sum(f["handoffs_by_post"].values())
    assert sum(f["delegated_by_township"].values()) == sum(f["delegated_by_mode"].values())
    assert set(f["delegated_by_township"]) <= {"nd-mj", "nd-zz", "nd-xb", "nd-cs", "nd-lc", "nd-ht"}
    assert f["ever_light"].get("red", 0) >= f["ever_light"].get("escalated_red", 0)
    assert len(f["worst"]) <= 10
    law = f["law_limits"]
    # A case counts once per stage it overran: the per-unit stages are at least the cases.
    assert sum(law["stage_overdue_by_unit"].values()) >= law["stage_overdue"]
    assert law["revoked"] <= law["false_commitments"] <= law["verified"] <= law["on_promise"]
    assert law["on_promise"] > 0  # 企业设立登记 on commitment, from the first day
    for t in f["working_days"]:
        assert 0 <= t["on_time"] <= t["decided"]
        assert t["max_days_used"] >= t["mean_days_used"] >= 0


def test_text_report_shows_the_figures(hall_db, figures):
    r = run("report", hall_db)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("== Supervision report (电子监察), as of ")
    assert f"cases: {figures['cases']}\n" in out
    for needle in ("on-time rate: ", "instant-case share: ", "一次办好 rate: ", "AB handoffs: ",
                   "delegated cases by township: ", "办不成事 window: ",
                   "time limits of the law: §43 reported up late ", "告知承诺: "):
        assert needle in out
    law = figures["law_limits"]
    assert (f"告知承诺: {law['on_promise']} approved on commitment, {law['verified']} verified, "
            f"{law['false_commitments']} false, {law['revoked']} revoked\n") in out


def test_report_is_read_only(hall_db, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(hall_db, db)
    before = db.read_bytes()
    assert run("report", db, "--json").returncode == 0
    assert run("report", db, "--html", tmp_path / "r.html").returncode == 0
    assert db.read_bytes() == before


def test_report_missing_and_corrupt_databases_fail_clearly(tmp_path):
    r = run("report", tmp_path / "absent.db")
    assert r.returncode == 2
    assert r.stderr.startswith("workflow: error: ") and "absent.db" in r.stderr
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not an sqlite database at all" * 100)
    r = run("report", bad)
    assert r.returncode == 2
    assert r.stderr.startswith("workflow: error: ") and "bad.db" in r.stderr
    assert bad.read_bytes() == b"this is not an sqlite database at all" * 100


def test_report_under_another_rule_set_is_a_clear_error(hall_db):
    r = run("report", hall_db, "--rules", SOURCE / "rules" / "sandu")
    assert r.returncode == 2
    assert r.stderr.startswith("workflow: error: ")


@pytest.fixture(scope="module")
def html_report(hall_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "report.html"
    r = run("report", hall_db, "--html", path)
    assert r.returncode == 0, r.stderr
    return path


def test_html_is_self_contained(html_report):
    text = html_report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    for banned in ("http://", "https://", "<script", "<link", "@import", "url("):
        assert banned not in text, banned
    assert text.count("<svg") >= 6
    for chart in ("chart-targets", "chart-instant", "chart-on-time", "chart-lights", "chart-kinds", "chart-days", "chart-handoffs",
                  "chart-delegated"):
        assert f'id="{chart}"' in text


# ---- headless Chromium ------------------------------------------------------------------

def test_chromium_renders_the_charts(html_report, figures, tmp_path):
    if chromium() is None:
        pytest.skip("Chromium is not installed (tools/run installs Debian's `chromium`); "
                    "the HTML screenshot test needs it")
    dom = chromium_run(html_report, "--dump-dom")
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")[-2000:]
    rendered = dom.stdout.decode("utf-8", errors="replace")
    assert rendered.count("<svg") >= 6 and rendered.count("<rect") >= 10
    shot = tmp_path / "report.png"
    r = chromium_run(html_report, f"--screenshot={shot}")
    assert shot.exists(), r.stderr.decode(errors="replace")[-2000:]
    assert shot.stat().st_size > 20_000
    width, height, colours = png_pixels(shot)
    assert (width, height) == (1280, 2000)
    # Solid chart fills: blue counts, green rates, and the lights the cases showed.
    expected = [("blue", (0x2f, 0x6f, 0xb0)), ("green", (0x2e, 0x9d, 0x4f))]
    if figures["ever_light"].get("yellow"):
        expected.append(("yellow", (0xe0, 0xb0, 0x00)))
    if figures["ever_light"].get("red"):
        expected.append(("red", (0xd0, 0x30, 0x2a)))
    for name, rgb in expected:
        assert colours.get(rgb, 0) > 200, f"no {name} chart pixels in the screenshot"


def test_a_hall_at_the_turn_of_the_year_reports_its_provisional_deadlines(tmp_path):
    # 2026-12-14: the 20-working-day matters accepted in these days are due in 2027, whose
    # holiday notice is not out (provisional year): counted, never refused.
    db = tmp_path / "december.db"
    r = run("simulate", "--db", db, "--days", 3, "--seed", 5, "--start", "2026-12-14")
    assert r.returncode == 0, r.stdout + r.stderr
    r = run("report", db, "--json")
    assert r.returncode == 0, r.stderr
    figures = json.loads(r.stdout)
    with sqlite3.connect(db) as con:
        accepted = con.execute("SELECT count(DISTINCT case_id) FROM events WHERE kind = 'accept'"
                               ).fetchone()[0]
    assert 0 < figures["provisional_now"] <= accepted
    assert figures["deadlines_recomputed"] == 0
    text = run("report", db)
    assert f"provisional deadlines (next year's holiday notice not out): " \
           f"{figures['provisional_now']} open cases" in text.stdout
