"""The report's 办不成事反映窗口 section (issue 14), recomputed here from the store alone and
compared with `workflow report --json`, text and HTML: cases sent there, handed to a unit,
settled on time or late, still open, against the seeds' target (none set).

The independent pass reads the `events` table with sqlite3 (columns in docs/storage.md): the
`send_unresolved`, `hand_to_unit` and `settle_unresolved` events (detail `unit=`, `on_time=`)
and the coordination's `light_changed` events (`task=coordination; ... to=red`); it shares no
code with the report."""
import json
import os
import sqlite3
import subprocess
from collections import Counter

import pytest

CLI = os.environ["WORKFLOW_CLI"]


def run(*args):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=120)


def detail(text):
    return dict(item.partition("=")[::2] for item in text.split("; ")) if text else {}


@pytest.fixture(scope="module")
def hall(demo_db, tmp_path_factory):
    html = tmp_path_factory.mktemp("unresolved") / "report.html"
    report = run("report", demo_db, "--json", "--html", html)
    assert report.returncode == 0, report.stderr
    con = sqlite3.connect(f"file:{demo_db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT case_id, kind, post, detail FROM events WHERE kind IN ('send_unresolved', "
            "'hand_to_unit', 'settle_unresolved', 'light_changed') ORDER BY id").fetchall()
    finally:
        con.close()
    return json.loads(report.stdout), rows, run("report", demo_db).stdout, \
        html.read_text(encoding="utf-8")


def test_the_figures_match_the_events(hall):
    figures, rows, _, _ = hall
    sent, window, unit, on_time, red = set(), Counter(), {}, {}, set()
    for case, kind, post, text in rows:
        d = detail(text)
        if kind == "send_unresolved":
            sent.add(case)
            window[d["window"]] += 1
        elif kind == "hand_to_unit":
            unit[case] = d["unit"]
        elif kind == "settle_unresolved":
            on_time[case] = d["on_time"] == "true"
        elif d.get("task") == "coordination" and d.get("to") == "red":
            red.add(case)
    u = figures["unresolved_path"]
    assert (u["sent"], u["handed"], u["settled"]) == (len(sent), len(unit), len(on_time))
    assert u["settled_on_time"] == sum(on_time.values())
    assert u["settled_late"] == len(on_time) - sum(on_time.values())
    assert u["open"] == len(sent) - len(on_time)
    assert u["coordinating"] == len(sent - set(unit))
    assert u["open_overdue"] == len(red - set(on_time))
    assert u["by_unit"] == dict(Counter(unit.values()))
    assert u["by_window"] == dict(window)
    assert u["on_time_target"] is None  # the seeds set none
    # The demo sends a realistic few, most settled in time, some late.
    assert 2 <= u["sent"] <= 40
    assert u["settled_on_time"] > u["settled_late"] > 0


def test_the_text_and_html_show_the_section(hall):
    figures, _, text, html = hall
    u = figures["unresolved_path"]
    assert (f"办不成事反映窗口 (sent there to be coordinated): {u['sent']} sent, {u['handed']} "
            f"handed to a unit, {u['settled']} settled ({u['settled_on_time']} on time, "
            f"{u['settled_late']} late;") in text
    assert "target: none set)" in text
    assert f"{u['open']} open ({u['coordinating']} not yet handed, {u['open_overdue']} overdue)" \
        in text
    assert "<h2>办不成事反映窗口" in html
    assert 'id="chart-unresolved-path"' in html
    assert "按期办结率（种子未设目标）" in html
