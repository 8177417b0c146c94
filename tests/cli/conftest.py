"""Fixtures shared by the CLI tests."""
import os
import subprocess

import pytest


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The demo hall as `tools/run demo` makes it (20 days, seed 1), simulated once per run.
    Tests only read it (report, export)."""
    db = tmp_path_factory.mktemp("demo-hall") / "hall.db"
    r = subprocess.run([os.environ["WORKFLOW_CLI"], "simulate", "--db", str(db), "--force"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return db
