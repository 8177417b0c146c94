"""Engine(db="postgresql://...", partition=...): the PostgreSQL store from Python, against a
real server. ctest's python.postgres runs this file under tests/postgres/with_cluster.sh,
which starts a throwaway cluster and sets WORKFLOW_PG_CONNINFO ("host=DIR dbname=postgres
user=USER"); without it the tests skip. Not named test_*.py, so the plain per-file Python
tests (which have no cluster) do not pick it up.
"""

from __future__ import annotations

import os
import time
import urllib.parse

import pytest

import workflow
from conftest import FOOD_LICENCE, FOOD_MATERIALS, RULES, t

CONNINFO = os.environ.get("WORKFLOW_PG_CONNINFO", "")
pytestmark = pytest.mark.skipif(not CONNINFO, reason="WORKFLOW_PG_CONNINFO is not set")


def uri() -> str:
    """The harness's key/value conninfo as the postgresql:// URI the binding takes."""
    fields = dict(item.split("=", 1) for item in CONNINFO.split())
    query = urllib.parse.urlencode({"host": fields["host"], "user": fields["user"]})
    return f"postgresql:///{fields['dbname']}?{query}"


def partition(label: str) -> str:
    return f"py-{label}-{os.getpid()}-{time.monotonic_ns()}"


def test_an_engine_on_a_partition_is_reopened_with_its_cases():
    ningdu = RULES / "ningdu"
    p = partition("360730")
    with workflow.Engine(ningdu, db=uri(), partition=p,
                         clock=workflow.ManualClock(t("2026-03-02T09:00"))) as engine:
        assert engine.db == uri()
        case = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001", applicant="甲")
        engine.act(case, "accept", actor="nd-s001")
        # One writer per partition: a second engine on it is refused, naming the holder.
        with pytest.raises(workflow.StoreError, match="already open for writing"):
            workflow.Engine(ningdu, db=uri(), partition=p)
    with workflow.Engine(ningdu, db=uri(), partition=p,
                         clock=workflow.ManualClock(t("2026-03-03T09:00"))) as engine:
        view = engine.case(case)
        assert view.applicant == "甲"
        assert [e.kind for e in view.history][:2] == ["submitted", "accept"]
    # Another partition of the same database is another hall.
    with workflow.Engine(ningdu, db=uri(), partition=partition("other"),
                         clock=workflow.ManualClock(t("2026-03-02T09:00"))) as engine:
        assert engine.cases() == []


def test_a_postgresql_db_needs_a_partition():
    with pytest.raises(workflow.InvalidArgument, match="partition"):
        workflow.Engine(RULES / "ningdu", db=uri())
    with pytest.raises(workflow.InvalidArgument, match="partition"):
        workflow.Engine(RULES / "ningdu", db=":memory:", partition="360730")
