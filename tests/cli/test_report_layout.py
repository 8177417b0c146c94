"""The HTML report as its reader sees it: at 1280 px, with the CJK font installed, no text
overflows its box or its chart (layout.py), the zh-CN page shows names and no English ids,
and an empty store says 暂无数据. The demo's page is kept as build/demo/report-1280.png for
a person to look at."""
import html as htmllib
import os
import re
import subprocess
from pathlib import Path

import pytest

from layout import text_overflows
from screenshot import chromium, chromium_run

CLI = os.environ["WORKFLOW_CLI"]
SOURCE = Path(os.environ["WORKFLOW_SOURCE_DIR"])
BUILD = Path(CLI).resolve().parents[1]  # <build>/tools/workflow

needs_chromium = pytest.mark.skipif(
    chromium() is None, reason="Chromium is not installed (tools/run installs `chromium`)")


def run(*args):
    r = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def demo_page(demo_db, tmp_path_factory):
    """The page of the demo hall (tools/run demo: 20 days, every matter of the rule set)."""
    tmp = tmp_path_factory.mktemp("demo")
    run("report", demo_db, "--html", tmp / "report.html")
    return tmp / "report.html"


def visible_text(page: str) -> list[str]:
    page = re.sub(r"<(style|title)>.*?</\1>", "", page, flags=re.S)
    return [htmllib.unescape(t).strip() for t in re.findall(r">([^<>]+)<", page) if t.strip()]


@needs_chromium
def test_the_check_catches_a_label_cut_by_a_fixed_column():
    # The page before issue 15: a 300 px label column, right-aligned, whatever the label.
    label = "企业开办“一件事”（设立登记、公章刻制、首次申领发票、企业参保、公积金缴存登记） · 宁都县政务服务中心"
    old = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>'
           'body{font-family:"Noto Sans CJK SC",sans-serif}svg text{font-size:13px}</style></head><body>'
           '<svg width="800" viewBox="0 0 800 60"><text x="292" y="30" text-anchor="end">'
           f'{label}</text><rect x="300" y="18" width="200" height="14"/></svg>'
           '<div style="width:200px;overflow:hidden;white-space:nowrap">' + label + '</div>'
           '</body></html>')
    found, _ = text_overflows(old)
    assert any(f.startswith("outside its chart: text") for f in found), found
    assert any(f.startswith("overflows its box: div") for f in found), found


@needs_chromium
def test_no_text_overflows_the_demo_page_at_1280(demo_page):
    page = demo_page.read_text(encoding="utf-8")
    found, height = text_overflows(page, 1280)
    assert not found, "text overflows at 1280 px:\n" + "\n".join(found)
    # For a person to look at: the whole page at 1280 px.
    shot = BUILD / "demo" / "report-1280.png"
    shot.parent.mkdir(exist_ok=True)
    chromium_run(demo_page, f"--screenshot={shot}", size=f"1280,{min(height, 16000)}")
    assert shot.exists() and shot.stat().st_size > 50_000


def test_the_page_names_things_in_chinese(demo_page):
    page = demo_page.read_text(encoding="utf-8")
    texts = visible_text(page)
    # Ids (nd-amr, back_office_review, window_device, nd-cs-v1-agent1) are lower-case ASCII;
    # matter codes (360730-SCJG-0004) and AB岗 are what a reader knows.
    english = sorted({t for t in texts if re.search(r"\b[a-z][a-z_-]+\b", t)})
    assert not english, english
    # The header: the hall, a readable time.
    head = re.search(r"<h1>(.*?)</h1>\s*<p[^>]*>(.*?)</p>", page, re.S)
    assert head.group(1).startswith("宁都县政务服务中心")
    assert re.search(r"数据截至 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", head.group(2)), head.group(2)
    assert re.search(r"生成于 \d{4}年\d{2}月\d{2}日 \d\d:\d\d", head.group(2)), head.group(2)
    # Every matter with a decision is in the working-days chart, the 60-day one too, and two
    # matters of the same name differ by their office.
    days = page[page.index('id="chart-days"'):]
    days = days[:days.index("</svg>")]
    labels = re.findall(r'text-anchor="end">([^<]+)</text>', days)
    assert len(labels) == len(set(labels))
    assert any("工程建设项目审批" in htmllib.unescape(l) for l in labels)
    assert sum("高龄津贴申请" in l for l in labels) >= 2
    # Red now and ever red; the worst cases have a heading; rates against their targets;
    # figures per week; the ranking.
    for needle in ("曾亮红灯", "在办红灯", "<h3>最需关注的办件", "目标 ≥ 90%", "目标 ≥ 40%",
                   'id="chart-weeks-rates"', 'id="ranking"', "<h2>好差评与差评整改</h2>"):
        assert needle in page, needle


@needs_chromium
def test_an_empty_store_says_no_data(tmp_path):
    db = tmp_path / "empty.db"
    run("simulate", "--db", db, "--days", 1)
    # Keep the schema and the rule set, drop the cases: a hall that has taken nothing yet.
    import sqlite3
    with sqlite3.connect(db) as con:
        for table in ("events", "cases", "requests"):
            con.execute(f"DELETE FROM {table}")
    run("report", db, "--html", tmp_path / "empty.html")
    page = (tmp_path / "empty.html").read_text(encoding="utf-8")
    assert "暂无数据" in page
    assert not re.search(r"\b0\.0%", page), "an empty store shows a 0.0 % rate"
    found, _ = text_overflows(page, 1280)
    assert not found, found
