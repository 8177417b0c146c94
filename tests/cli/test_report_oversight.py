"""The report's oversight section (督办 and 改派, issue 14), recomputed here from the store
alone and compared with `workflow report --json`, text and HTML: 督办件数, the replies and
按期回复率, the orders closed and escalated, reassignments per unit.

The independent pass reads the `events` table with sqlite3 (columns in docs/storage.md): the
`order` event's `order=` and `department=`, the `reply_order` event's `on_time=`, the
`close_order` and `escalate_order` events, the `light_changed` events with `task=order` (an
order turned red is overdue if never replied), and the `reassign` event's `department=`; it
shares no code with the report."""
import json
import os
import re
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
def hall(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("oversight")
    db = tmp / "hall.db"
    r = run("simulate", "--db", db, "--days", 12, "--seed", 3)
    assert r.returncode == 0, r.stdout + r.stderr
    report = run("report", db, "--json", "--html", tmp / "report.html")
    assert report.returncode == 0, report.stderr
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT case_id, kind, detail FROM events WHERE kind IN ('order', 'reply_order', "
            "'close_order', 'escalate_order', 'reassign', 'light_changed') ORDER BY id").fetchall()
    finally:
        con.close()
    return json.loads(report.stdout), rows, r.stdout, run("report", db).stdout, \
        (tmp / "report.html").read_text(encoding="utf-8")


def test_the_order_figures_match_the_events(hall):
    figures, rows, _, _, _ = hall
    unit, replied, red, ended, ended_keys = {}, {}, set(), Counter(), set()
    moves = Counter()
    for case, kind, text in rows:
        d = detail(text)
        if kind == "order":
            unit[(case, d["order"])] = d["department"]
        elif kind == "reply_order":
            replied[(case, d["order"])] = d["on_time"] == "true"
        elif kind in ("close_order", "escalate_order"):
            ended[kind] += 1
            ended_keys.add((case, d["order"]))
        elif kind == "reassign":
            moves[d["department"]] += 1
        elif d.get("task") == "order" and d.get("to") == "red":
            red.add((case, d["order"]))
    o = figures["oversight"]
    overdue = [k for k in unit if k not in replied and k in red]
    on_time = sum(replied.values())
    assert (o["orders"], o["cases_ordered"]) == (len(unit), len({c for c, _ in unit}))
    assert (o["replied"], o["replied_on_time"], o["overdue"]) == (len(replied), on_time,
                                                                  len(overdue))
    assert o["reply_on_time_rate"] == pytest.approx(on_time / (len(replied) + len(overdue)),
                                                    abs=1e-4)
    assert o["reply_on_time_target"] is None
    assert (o["closed"], o["escalated"]) == (ended["close_order"], ended["escalate_order"])
    assert o["open"] == len([k for k in unit if k not in replied and k not in ended_keys])
    assert o["orders_by_unit"] == dict(Counter(unit.values()))
    assert o["reassignments"] == sum(moves.values())
    assert o["reassignments_by_unit"] == dict(moves)
    # The demo hall gives orders in realistic numbers: most replied on time, some not.
    assert o["orders"] >= 5 and o["replied_on_time"] > o["replied"] / 2
    assert o["reassignments"] >= 1


def test_the_simulation_text_report_and_page_show_them(hall):
    figures, _, simulated, text, html = hall
    o = figures["oversight"]
    assert re.search(rf"^督办: {o['orders']} supervision orders? \(", simulated, re.M)
    assert re.search(rf"^督办 \(supervision orders\): {o['orders']} on {o['cases_ordered']} "
                     rf"cases? \({o['replied']} replied, {o['replied_on_time']} on time, "
                     rf"{o['overdue']} overdue", text, re.M)
    rate = o["reply_on_time_rate"]
    assert f"按期回复率 (replied by the due day, of the replies due): {rate * 100:.1f}%" in text
    assert "no target set" in text
    assert re.search(rf"^改派 \(reassignments\): {o['reassignments']}; by unit: ", text, re.M)
    for chart in ("chart-orders", "chart-orders-by-unit", "chart-reassignments"):
        assert f'id="{chart}"' in html, chart
    assert "督办件数" in html and "按期回复率" in html
