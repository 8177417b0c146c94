"""A hall through the turn of the year (今天 2026-11-30): a 20-working-day case accepted on
2026-12-21 gets a provisional 2027 deadline, and the official 2027 calendar recomputes it once,
with an event giving the old and new dates (行政许可法 §42, §82: working days)."""

from __future__ import annotations

import shutil

import pytest

import workflow
from conftest import RULES, d, t

RELIEF = "360730-MZ-0001"  # 临时救助: promised 5, legal 20 working days
RELIEF_MATERIALS = ["临时救助申请书", "居民身份证及户口簿", "遭遇困难的有关证明材料"]

# A TEST FIXTURE, not the real notice: Saturday 2027-01-09 is declared a working day.
OFFICIAL_2027 = """year: 2027
source: 测试用2027年安排（非真实通知）
holidays:
  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
  - {name: 春节, from: 2027-02-05, to: 2027-02-13}
  - {name: 清明节, from: 2027-04-03, to: 2027-04-05}
  - {name: 劳动节, from: 2027-05-01, to: 2027-05-05}
  - {name: 端午节, from: 2027-06-09, to: 2027-06-09}
  - {name: 中秋节, from: 2027-09-15, to: 2027-09-15}
  - {name: 国庆节, from: 2027-10-01, to: 2027-10-07}
makeup_workdays: [2027-01-09, 2027-02-20, 2027-04-10, 2027-10-09]
"""


def test_a_december_case_gets_a_provisional_deadline_then_the_official_one(hall, tmp_path):
    engine = hall("2026-12-21T09:00", db=str(tmp_path / "hall.db"))
    case_id = engine.submit(RELIEF, "nd", RELIEF_MATERIALS, actor="nd-s001")
    engine.accept(case_id, actor="nd-s001")
    case = engine.case(case_id)
    assert case.legal_deadline == d("2027-01-19")
    assert case.deadlines_provisional
    assert engine.calendar.is_provisional(2027)

    official = tmp_path / "calendar"
    shutil.copytree(RULES / "calendar", official)
    (official / "2027.yaml").write_text(OFFICIAL_2027, encoding="utf-8")
    engine.update_calendar(workflow.Calendar.load(official))
    case = engine.case(case_id)
    assert not case.deadlines_provisional
    assert case.legal_deadline == d("2027-01-18")
    assert not engine.calendar.is_provisional(2027)
    recomputed = [e for e in case.history if e.kind == "deadlines_recomputed"]
    assert len(recomputed) == 1
    assert recomputed[0].detail == ("promised_due=2026-12-28->2026-12-28; "
                                    "legal_due=2027-01-19->2027-01-18")

    # A calendar without years that open cases may count on is refused.
    (official / "2035.yaml").unlink()
    with pytest.raises(workflow.InvalidArgument, match="lacks 2035"):
        engine.update_calendar(workflow.Calendar.load(official))


def test_todays_case_is_not_provisional(hall):
    engine = hall("2026-11-30T09:00")
    case_id = engine.submit(RELIEF, "nd", RELIEF_MATERIALS, actor="nd-s001")
    engine.accept(case_id, actor="nd-s001")
    case = engine.case(case_id)
    assert case.legal_deadline == d("2026-12-28")
    assert not case.deadlines_provisional
    engine.advance_to(t("2026-12-29T00:00"))
    assert engine.case(case_id).light == "escalated_red"
