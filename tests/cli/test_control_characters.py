"""Names from rule files reach the terminal and the pages escaped (docs/cli.md, "Control
characters"): a rule set whose matter, office and department names carry terminal escape
sequences (ESC [ colours, OSC retitling the window ended by BEL, the C1 CSI) must give a text
report, JSON, HTML page with its SVG charts and a `rules diff` without one raw control byte.

The rule set is rules/ningdu with a suffix of controls on every name, written with YAML's
double-quoted escapes (\\e, \\a, \\u009b), so the files themselves stay plain text."""
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CLI = os.environ["WORKFLOW_CLI"]
SOURCE = Path(os.environ["WORKFLOW_SOURCE_DIR"])
NINGDU = SOURCE / "rules" / "ningdu"

# ESC [ 31m (red), OSC 0 (window title) ended by BEL, C1 CSI 2J (clear the screen), DEL.
SUFFIX_YAML = r"\e[31m\e]0;pwned\a\u009b2J\x7f"
SUFFIX = "\x1b[31m\x1b]0;pwned\x07\u009b2J\x7f"
# Raw C0 controls but newline and tab, DEL, and C1 controls as UTF-8 (C2 80..9F).
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


def run(*args):
    r = subprocess.run([CLI, *map(str, args)], capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    return r.stdout


def strings(value):
    """Every string in a decoded JSON value, keys too."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def raw_controls(data):
    return [data[max(0, m.start() - 20):m.end() + 5] for m in RAW_CONTROL.finditer(data)]


@pytest.fixture(scope="module")
def hostile_rules(tmp_path_factory):
    out = tmp_path_factory.mktemp("rules") / "ningdu-controls"
    shutil.copytree(NINGDU, out)
    names = re.compile(r"(\bname: )([^\"',}\n]+?)(\s*[,}\n])")
    for path in out.glob("*.yaml"):
        if path.name.startswith(("matters", "offices", "departments")):
            text = path.read_text(encoding="utf-8")
            path.write_text(names.sub(lambda m: f'{m[1]}"{m[2]}{SUFFIX_YAML}"{m[3]}', text),
                            encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def hall(hostile_rules, tmp_path_factory):
    db = tmp_path_factory.mktemp("hall") / "hall.db"
    run("simulate", "--rules", hostile_rules, "--db", db, "--days", 3, "--start", "2026-11-30")
    return db


def test_the_rule_set_really_carries_the_controls(hostile_rules):
    # The loader keeps the names as written: the escaping is the printers' job.
    text = (hostile_rules / "matters-social.yaml").read_text(encoding="utf-8")
    assert f'name: "临时救助{SUFFIX_YAML}"' in text


def test_text_report_escapes_control_characters(hall):
    out = run("report", hall)
    assert raw_controls(out) == []
    # The names are still there, their controls written as \xNN and \u009B.
    assert rb"\x1B[31m\x1B]0;pwned\x07\u009B2J\x7F" in out


def test_json_report_escapes_control_characters_as_u00xx(hall):
    out = run("report", hall, "--json")
    assert raw_controls(out) == []
    assert rb"\u001b]0;pwned\u0007\u009b2J\u007f" in out
    figures = json.loads(out)  # still JSON, and the names decode to what the rules say
    assert any(SUFFIX in s for s in strings(figures))


def test_html_report_and_its_svg_charts_escape_control_characters(hall, tmp_path):
    page = tmp_path / "report.html"
    run("report", hall, "--html", page)
    data = page.read_bytes()
    assert raw_controls(data) == []
    svg = b"".join(re.findall(rb"<svg.*?</svg>", data, re.S))
    assert rb"\x1B]0;pwned\x07" in svg  # a chart label, escaped


def test_rules_diff_escapes_control_characters(hostile_rules):
    out = run("rules", "diff", NINGDU, hostile_rules)
    assert b"changed" in out or b"change" in out
    assert raw_controls(out) == []
