"""The package is self-contained: the shipped rule sets, the README's Python snippet run
verbatim from anywhere, and ``python -m workflow``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import workflow
from conftest import SOURCE

PYTHON = "/usr/bin/python3"
PACKAGE_PARENT = str(Path(workflow.__file__).resolve().parent.parent)


def test_shipped_rules_are_in_the_package():
    package = Path(workflow.__file__).resolve().parent
    for name in ("ningdu", "sandu", "calendar"):
        path = workflow.shipped_rules(name)
        assert path == package / "rules" / name and path.is_dir()
        source = sorted(p.name for p in (SOURCE / "rules" / name).iterdir())
        assert sorted(p.name for p in path.iterdir()) == source, name
    assert workflow.load_rules(workflow.shipped_rules("sandu")).version == \
        workflow.load_rules(SOURCE / "rules" / "sandu").version


def test_shipped_rules_names_the_choices():
    with pytest.raises(ValueError, match="'ningdu', 'sandu', 'calendar'"):
        workflow.shipped_rules("bogus")


def test_engine_finds_the_shipped_calendar():
    with workflow.Engine(workflow.shipped_rules("ningdu")) as hall:
        assert hall.calendar.years[0].year >= 2020
    with workflow.Engine(workflow.load_rules(workflow.shipped_rules("sandu"))) as hall:
        assert hall.calendar.years


def readme_snippet() -> str:
    text = (SOURCE / "README.md").read_text(encoding="utf-8")
    section = text[text.index("\n## Python\n"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_snippet_runs_verbatim_twice_and_leaves_nothing(tmp_path):
    script = readme_snippet()
    assert "shipped_rules" in script
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = dict(os.environ, PYTHONPATH=PACKAGE_PARENT, PYTHONDONTWRITEBYTECODE="1")
    outputs = []
    for _ in range(2):
        r = subprocess.run([PYTHON, "-c", script], cwd=cwd, env=env, capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
        outputs.append(r.stdout)
        assert list(cwd.iterdir()) == []
    assert outputs[0] == outputs[1]  # the second run did not see the first one's cases
    assert "yellow" in outputs[0]


def test_python_m_workflow_runs_the_tool(tmp_path):
    cli = Path(PACKAGE_PARENT).parent.parent / "tools" / "workflow"
    if not cli.is_file():
        pytest.skip("the workflow tool is not built")
    # From the build tree, the tool is found beside the package (no $WORKFLOW_CLI needed).
    env = {k: v for k, v in os.environ.items() if k not in ("WORKFLOW_CLI", "WORKFLOW_RULES_DIR")}
    env["PYTHONPATH"] = PACKAGE_PARENT
    r = subprocess.run([PYTHON, "-m", "workflow", "--version"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout) == (0, f"workflow {workflow.__version__}\n")
    r = subprocess.run([PYTHON, "-m", "workflow", "calendar", "add", "2025-09-30", "5"],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout) == (0, "2025-10-14\n")
    r = subprocess.run([PYTHON, "-m", "workflow", "bogus"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "unknown command 'bogus'" in r.stderr
