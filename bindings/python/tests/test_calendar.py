"""workflow.Calendar on the shipped calendar (rules/calendar), with datetime.date in
and out, and CalendarError for malformed files and years without a calendar."""

from __future__ import annotations

import datetime as dt

import pytest

import workflow
from conftest import RULES, d


def test_national_day_2025_and_its_makeup_saturday(calendar):
    assert calendar.is_working_day(d("2025-09-30"))
    assert not calendar.is_working_day(d("2025-10-01"))
    assert not calendar.is_working_day(d("2025-10-08"))
    assert calendar.is_working_day(d("2025-10-11"))  # 调休: a Saturday worked
    assert not calendar.is_working_day(d("2025-10-12"))
    # Accepted Tuesday 2025-09-30: the acceptance day is never counted.
    assert calendar.add_working_days(d("2025-09-30"), 0) == d("2025-09-30")
    assert calendar.add_working_days(d("2025-09-30"), 1) == d("2025-10-09")
    assert calendar.add_working_days(d("2025-09-30"), 3) == d("2025-10-11")
    assert calendar.add_working_days(d("2025-09-30"), 5) == d("2025-10-14")
    assert calendar.working_days_between(d("2025-09-30"), d("2025-10-14")) == 5
    assert calendar.working_days_between(d("2025-10-14"), d("2025-09-30")) == 0


def test_results_are_datetime_dates(calendar):
    due = calendar.add_working_days(dt.date(2025, 3, 3), 5)
    assert type(due) is dt.date
    assert due == dt.date(2025, 3, 10)


@pytest.mark.parametrize("year,days", [(2020, 249), (2021, 250), (2022, 249), (2023, 249),
                                       (2024, 251), (2025, 248), (2026, 248),
                                       # provisional: weekdays - holiday weekdays
                                       (2027, 248), (2028, 248), (2029, 248), (2030, 248),
                                       (2031, 249), (2032, 249), (2033, 247), (2034, 247),
                                       (2035, 248)])
def test_working_days_per_year_as_docs_calendar_md_lists_them(calendar, year, days):
    # 1 January is always a holiday, so (Jan 1, Dec 31] holds every working day of the year.
    assert calendar.working_days_between(dt.date(year, 1, 1), dt.date(year, 12, 31)) == days


def test_between_inverts_add_over_a_whole_year(calendar):
    start = dt.date(2025, 1, 1)
    for offset in range(0, 330, 7):
        day = start + dt.timedelta(days=offset)
        for n in (0, 1, 3, 10, 30):
            assert calendar.working_days_between(day, calendar.add_working_days(day, n)) == n


def test_years_and_their_sources(calendar):
    assert (calendar.first_year, calendar.last_year) == (2020, 2035)
    years = calendar.years
    assert [y.year for y in years] == list(range(2020, 2036))
    y2025 = years[5]
    assert "国办发明电〔2024〕12号" in y2025.source
    spring = next(h for h in y2025.holidays if h.name == "春节")
    assert (spring.first, spring.last) == (d("2025-01-28"), d("2025-02-04"))
    assert d("2025-01-26") in y2025.makeup_workdays
    assert workflow.load_calendar(RULES / "calendar").last_year == 2035


def test_provisional_years(calendar):
    # 2020..2026 from the State Council's notices, 2027..2035 from the statutory days alone.
    assert [y.provisional for y in calendar.years] == [False] * 7 + [True] * 9
    y2027 = calendar.years[7]
    assert y2027.year == 2027 and y2027.makeup_workdays == []
    assert "国务院令第798号" in y2027.source
    assert repr(y2027) == "<CalendarYear 2027 provisional>"
    assert not calendar.is_provisional(2026)
    assert calendar.is_provisional(2027)
    assert not calendar.is_provisional(2036)  # not loaded
    assert not calendar.provisional_between(d("2025-01-01"), d("2026-12-31"))
    assert calendar.provisional_between(d("2026-12-21"), d("2027-01-19"))
    assert calendar.provisional_between(dt.date(2027, 1, 19), dt.date(2026, 12, 21))
    # Accepted Monday 2026-12-21, 20 working days: Friday 2027-01-01 (元旦) is off.
    assert calendar.add_working_days(d("2026-12-21"), 20) == d("2027-01-19")
    # 春节 2027: 除夕 02-05 .. 初三 02-08 plus 补假 for the weekend 02-09, 02-10.
    assert [calendar.is_working_day(d(f"2027-02-{day:02d}")) for day in range(4, 12)] == \
        [True] + [False] * 6 + [True]


def test_a_provisional_file_with_makeup_days_is_refused(tmp_path):
    (tmp_path / "2027.yaml").write_text(
        "year: 2027\nprovisional: true\nsource: test\nholidays: []\nmakeup_workdays:\n  - 2027-02-20\n",
        encoding="utf-8")
    with pytest.raises(workflow.CalendarError) as caught:
        workflow.Calendar.load(tmp_path)
    assert caught.value.code == "calendar_invalid"
    [diag] = caught.value.diagnostics
    assert (diag.file, diag.line, diag.column, diag.field) == (
        str(tmp_path / "2027.yaml"), 6, 5, "makeup_workdays[0]")
    assert diag.message == ("a provisional year has no make-up working days: those come only with "
                            "the State Council's notice")


def test_a_year_without_a_calendar_is_an_error_naming_it(calendar):
    with pytest.raises(workflow.CalendarError) as caught:
        calendar.is_working_day(d("2036-01-04"))
    assert caught.value.code == "calendar_no_data"
    assert "2036" in str(caught.value)
    # Past the last provisional year there is no fallback: 2035-12-31 is the 6th working
    # day after Friday 2035-12-21.
    with pytest.raises(workflow.CalendarError, match="2036"):
        calendar.add_working_days(d("2035-12-21"), 10)


def test_negative_day_counts_are_invalid_arguments(calendar):
    with pytest.raises(workflow.InvalidArgument) as caught:
        calendar.add_working_days(d("2025-03-03"), -1)
    assert isinstance(caught.value, ValueError)
    assert caught.value.code == "invalid_argument"


def test_a_datetime_is_not_taken_for_a_date(calendar):
    # datetime is a subclass of date in Python; dropping the time silently would hide bugs.
    with pytest.raises(TypeError):
        calendar.is_working_day(dt.datetime(2025, 10, 11, 9, 0))
    with pytest.raises(TypeError):
        calendar.add_working_days("2025-10-11", 1)


def test_a_malformed_calendar_file_lists_its_problems(tmp_path):
    (tmp_path / "2025.yaml").write_text(
        "year: 2025\n"
        "source: test\n"
        "holidays:\n"
        "  - {name: 元旦, from: 2025-01-01, to: 2025-01-01}\n"
        "makeup_workdays:\n"
        "  - 2025-02-30\n"
        "  - 2025-03-04\n", encoding="utf-8")
    with pytest.raises(workflow.CalendarError) as caught:
        workflow.Calendar.load(tmp_path)
    error = caught.value
    assert error.code == "calendar_invalid"
    assert [(x.line, x.column) for x in error.diagnostics] == [(6, 5), (7, 5)]
    assert "'2025-02-30' is not a calendar date" in error.diagnostics[0].message
    assert all(x.file.endswith("2025.yaml") for x in error.diagnostics)


def test_a_missing_calendar_directory_is_a_file_error(tmp_path):
    with pytest.raises(workflow.FileError):
        workflow.Calendar.load(tmp_path / "none")
