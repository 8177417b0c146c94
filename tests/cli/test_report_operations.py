"""The report's channels section (渠道, issue 14), recomputed here from the store alone and
compared with `workflow report --json`, text and HTML: 一次不跑, 网上可办, 全程网办 and 帮办.

The independent pass reads the `events` table with sqlite3 (columns in docs/storage.md): the
`submitted` event's `channel=` and `assisted=` (absent: window, none) and the `issue` event's
`channel=`; it shares no code with the report."""
import json
import os
import re
import sqlite3
import subprocess
from collections import Counter

import pytest

CLI = os.environ["WORKFLOW_CLI"]
FROM_HOME = {"online", "mobile", "post"}
ONLINE = {"online", "mobile"}


def run(*args):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=120)


def detail(text):
    return dict(item.partition("=")[::2] for item in text.split("; ")) if text else {}


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("operations")
    db = tmp / "hall.db"
    r = run("simulate", "--db", db, "--days", 8, "--seed", 3)
    assert r.returncode == 0, r.stdout + r.stderr
    report = run("report", db, "--json", "--html", tmp / "report.html")
    assert report.returncode == 0, report.stderr
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT case_id, kind, detail FROM events "
                           "WHERE kind IN ('submitted', 'issue') ORDER BY id").fetchall()
    finally:
        con.close()
    return json.loads(report.stdout), rows, run("report", db).stdout, \
        (tmp / "report.html").read_text(encoding="utf-8")


def test_the_channel_rates_match_the_events(hall):
    figures, rows, _, _ = hall
    channel, assisted, issued_by = {}, Counter(), {}
    for case, kind, text in rows:
        d = detail(text)
        if kind == "submitted":
            channel[case] = d.get("channel", "window")
            assisted[d.get("assisted", "none")] += 1
        else:
            issued_by[case] = d["channel"]
    c = figures["channels"]
    assert c["by_channel"] == {k: Counter(channel.values())[k] for k in
                               ("window", "online", "mobile", "self_service", "post",
                                "village_agent")}
    # The demo uses every channel, and the seeds' 一次不跑 target is reached.
    assert all(n > 0 for n in c["by_channel"].values())
    zero = [k for k, how in issued_by.items()
            if channel[k] == "village_agent" or (channel[k] in FROM_HOME and how != "pickup")]
    assert (c["issued"], c["zero_trips"]) == (len(issued_by), len(zero))
    assert c["zero_trip_rate"] == pytest.approx(len(zero) / len(issued_by), abs=1e-4)
    assert c["zero_trip_target"] == 0.5 and c["zero_trip_rate"] >= 0.5
    online = [k for k in channel if channel[k] in ONLINE]
    assert c["applied_online"] == len(online)
    assert c["online_rate"] == pytest.approx(len(online) / len(channel), abs=1e-4)
    issued_online = [k for k in issued_by if channel[k] in ONLINE]
    fully = [k for k in issued_online if issued_by[k] == "e_certificate"]
    assert (c["issued_online"], c["fully_online"]) == (len(issued_online), len(fully))
    assert c["assisted"] == {"county": assisted["county"], "township": assisted["township"]}
    assert assisted["county"] > 0 and assisted["township"] > 0


def test_the_text_and_html_show_the_rates_against_their_targets(hall):
    figures, _, text, html = hall
    c = figures["channels"]
    assert re.search(rf"^  一次不跑 .*: {c['zero_trip_rate'] * 100:.1f}% \({c['zero_trips']} of "
                     rf"{c['issued']} issued; target >= 50%\)$", text, re.M)
    assert re.search(r"^  网上可办 .*no target set\); 全程网办", text, re.M)
    assert f"帮办 (staff assisted): county {c['assisted']['county']}, " \
           f"township {c['assisted']['township']}" in text
    for chart in ("chart-channels", "chart-zero-trips", "chart-assisted"):
        assert f'id="{chart}"' in html, chart
    svg = html[html.index('id="chart-zero-trips"'):]
    assert "stroke-dasharray" in svg[:svg.index("</svg>")]
