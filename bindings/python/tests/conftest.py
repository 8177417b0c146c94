"""Fixtures for the Python suite: the shipped rule sets and calendar of the repository, and a
hall on a ManualClock (the Python twin of tests/hall_fixture.hpp).

ctest sets PYTHONPATH to the build tree's bindings/python and WORKFLOW_SOURCE_DIR to the
repository; run by hand, the repository is found from this file's place.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

import workflow

SOURCE = Path(os.environ.get("WORKFLOW_SOURCE_DIR", Path(__file__).resolve().parents[3]))
RULES = SOURCE / "rules"

FOOD_LICENCE = "360730-SCJG-0004"  # 食品经营许可: committed, promised 5, legal 10 working days
# Its materials as the rule file lists them: four required, then one tolerable (容缺).
FOOD_MATERIALS = [
    "食品经营许可申请书",
    "营业执照或其他主体资格证明文件",
    "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
    "食品安全自查、从业人员健康管理、进货查验记录等保证食品安全的规章制度目录",
    "食品安全管理人员名单及培训考核证明",
]
FOOD_REQUIRED = FOOD_MATERIALS[:-1]
PENSION = "430481-SD-SHSW-0001"  # 三都镇: instant pension enrolment
PENSION_MATERIALS = ["居民身份证或户口簿", "城乡居民基本养老保险参保登记表"]


def t(text: str) -> dt.datetime:
    """'2025-03-03T09:00' -> datetime, to keep scenarios as terse as the C++ ones."""
    return dt.datetime.fromisoformat(text)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture(scope="session")
def ningdu() -> workflow.RuleSet:
    return workflow.load_rules(RULES / "ningdu")


@pytest.fixture(scope="session")
def sandu() -> workflow.RuleSet:
    return workflow.load_rules(RULES / "sandu")


@pytest.fixture(scope="session")
def calendar() -> workflow.Calendar:
    return workflow.Calendar.load(RULES / "calendar")


@pytest.fixture
def hall(ningdu):
    """make(start='2025-03-03T09:00', rules=ningdu, **engine_kwargs) -> Engine on a
    ManualClock; every engine made is closed at the end of the test."""
    made = []

    def make(start: str = "2025-03-03T09:00", rules=None, **kwargs) -> workflow.Engine:
        kwargs.setdefault("clock", workflow.ManualClock(t(start)))
        engine = workflow.Engine(rules if rules is not None else ningdu, **kwargs)
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.close()


def food_case_at_review(engine: workflow.Engine) -> int:
    """A food licence accepted at the county and passed to 市场监管局's reviewer
    (nd-s022, B nd-s023)."""
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    engine.accept(case_id, actor="nd-s001")
    engine.review_pass(case_id, actor="nd-s001")
    return case_id


def kinds(engine: workflow.Engine, case_id: int) -> list[str]:
    return [e.kind for e in engine.case(case_id).history]
