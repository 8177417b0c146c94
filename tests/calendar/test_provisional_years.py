"""The provisional calendar years (rules/calendar/2027.yaml .. 2035.yaml) against astronomy.

tools/calendar/provisional_years.py wrote those files from ICU's Chinese calendar and a
solar-term formula. This test derives the same holidays independently with PyEphem: new
moons and the sun's apparent ecliptic longitude, dated in Beijing time (UTC+8), the months
numbered by the rules of the Chinese calendar (GB/T 33661-2017): the month holding 冬至 is the
11th; a 岁 (冬至 to 冬至) with 13 months has a leap month, the first one holding no major
solar term (中气). It then applies article 6 of 《全国年节及纪念日放假办法》 (a statutory day on
a Saturday or Sunday is made up on the next Monday–Friday that is not off) and demands the
files hold exactly those runs. PyEphem is required: without it the test fails.
"""
import datetime as dt
import math
import os
import pathlib

import ephem  # python3-ephem: a missing module must fail this test, never skip it
import pytest
import yaml

ROOT = pathlib.Path(os.environ.get("WORKFLOW_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
CALENDAR = ROOT / "rules" / "calendar"
YEARS = range(2027, 2036)
BEIJING = 8 * ephem.hour


def beijing_date(t) -> dt.date:
    """The calendar date in Beijing of an ephem time (UTC)."""
    return ephem.Date(ephem.Date(t) + BEIJING).datetime().date()


def sun_longitude(t) -> float:
    """The sun's apparent geocentric ecliptic longitude at t, degrees in [0, 360)."""
    sun = ephem.Sun(ephem.Date(t))
    equ = ephem.Equatorial(sun.ra, sun.dec, epoch=ephem.Date(t))
    return math.degrees(float(ephem.Ecliptic(equ, epoch=ephem.Date(t)).lon)) % 360.0


def solar_term(year: int, longitude: float) -> dt.date:
    """The Beijing date on which the sun reaches `longitude` in Gregorian `year`."""
    # The sun moves about 0.9856° a day; start from a guess and refine by bisection.
    start = ephem.Date(f"{year}/3/20") + ((longitude % 360.0) / 360.0) * 365.2422
    if start > ephem.Date(f"{year + 1}/1/1"):
        start -= 365.2422

    def behind(t):  # how far the sun still has to go, in (-180, 180]
        return ((longitude - sun_longitude(t) + 180.0) % 360.0) - 180.0

    lo, hi = start - 10, start + 10
    assert behind(lo) > 0 > behind(hi)
    for _ in range(60):
        mid = (lo + hi) / 2
        if behind(mid) > 0:
            lo = mid
        else:
            hi = mid
    day = beijing_date(hi)
    assert day.year == year
    return day


def new_moons(first: dt.date, last: dt.date):
    """The Beijing dates of the new moons from shortly before `first` to after `last`."""
    t = ephem.previous_new_moon(ephem.Date(first - dt.timedelta(days=40)))
    out = []
    while True:
        d = beijing_date(t)
        out.append(d)
        if d > last + dt.timedelta(days=40):
            return out
        t = ephem.next_new_moon(ephem.Date(t) + 1)


def lunar_months(year: int):
    """{(month, leap): first day} for the 岁 from the 11th month of year-1 to the 11th of `year`."""
    winter = solar_term(year - 1, 270.0)
    winter_next = solar_term(year, 270.0)
    moons = new_moons(winter, winter_next)
    # The 11th month is the one holding 冬至 (the new moon on or before that day).
    first = max(i for i, m in enumerate(moons) if m <= winter)
    last = max(i for i, m in enumerate(moons) if m <= winter_next)
    count = last - first  # months in the 岁
    assert count in (12, 13)
    majors = []  # the major solar terms (中气, every 30°) in the 岁 and a little beyond
    for y in (year - 1, year, year + 1):
        majors += [solar_term(y, float(lon)) for lon in range(0, 360, 30)]
    months = {}
    number, leap_done = 11, False
    for i in range(first, last):
        start, end = moons[i], moons[i + 1]
        has_major = any(start <= d < end for d in majors)
        if i == first:
            months[(11, False)] = start
            continue
        if count == 13 and not leap_done and not has_major:
            months[(number, True)] = start  # leap month: the number of the one before
            leap_done = True
            continue
        number = number % 12 + 1
        months[(number, False)] = start
    return months


def statutory(year: int):
    """[(name, statutory days)] for `year`, from astronomy. 正月, 五月 and 八月 of `year` all lie
    in the 岁 that ends at 冬至 of `year`."""
    months = lunar_months(year)
    spring = months[(1, False)]
    return [
        ("元旦", [dt.date(year, 1, 1)]),
        ("春节", [spring + dt.timedelta(days=i) for i in range(-1, 3)]),  # 除夕, 初一..初三
        ("清明节", [solar_term(year, 15.0)]),
        ("劳动节", [dt.date(year, 5, 1), dt.date(year, 5, 2)]),
        ("端午节", [months[(5, False)] + dt.timedelta(days=4)]),  # 五月初五
        ("中秋节", [months[(8, False)] + dt.timedelta(days=14)]),  # 八月十五
        ("国庆节", [dt.date(year, 10, d) for d in (1, 2, 3)]),
    ]


def expected_runs(year: int):
    """The days off of `year` as sets: each holiday's statutory days plus its 补假 (article 6).

    Holidays sharing or touching days (中秋 on 10-01..10-03) form one run; a day that is two
    holidays at once is one day off (article 6 makes up weekends only)."""
    holidays = statutory(year)
    off = set()
    for _, days in holidays:
        off.update(days)
    runs = []
    for _, days in sorted(holidays, key=lambda h: min(h[1])):
        run = set(days)
        for d in sorted(days):
            if d.weekday() >= 5:  # Saturday or Sunday: made up on the next free weekday
                m = d + dt.timedelta(days=1)
                while m.weekday() >= 5 or m in off:
                    m += dt.timedelta(days=1)
                off.add(m)
                run.add(m)
        if runs and min(run) <= max(runs[-1]) + dt.timedelta(days=1):
            runs[-1] |= run
        else:
            runs.append(run)
    # A run is written from..to with the weekend days inside it.
    return [(min(r), max(r)) for r in runs]


def load(year: int):
    with open(CALENDAR / f"{year}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


KNOWN_SPRING_FESTIVAL = {  # 正月初一, as published (紫金山天文台, 香港天文台)
    2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3), 2031: (1, 23),
    2032: (2, 11), 2033: (1, 31), 2034: (2, 19), 2035: (2, 8),
}


@pytest.mark.parametrize("year", YEARS)
def test_astronomy_gives_the_published_spring_festival(year):
    assert lunar_months(year)[(1, False)] == dt.date(year, *KNOWN_SPRING_FESTIVAL[year])


def test_2033_has_a_leap_eleventh_month():
    # The 岁 from 冬至 2033 to 冬至 2034 has 13 months; the one after the 11th has no 中气.
    months = lunar_months(2034)
    assert (11, True) in months
    assert months[(11, True)] < months[(1, False)] == dt.date(2034, 2, 19)


@pytest.mark.parametrize("year", YEARS)
def test_file_is_provisional_without_makeup_days(year):
    data = load(year)
    assert data["year"] == year
    assert data["provisional"] is True
    assert data["makeup_workdays"] == []
    assert "国务院令第798号" in data["source"] and "全国年节及纪念日放假办法" in data["source"]
    assert "尚未发布" in data["source"]


@pytest.mark.parametrize("year", YEARS)
def test_file_runs_are_the_statutory_days_and_their_makeup(year):
    data = load(year)
    runs = [(h["from"], h["to"]) for h in data["holidays"]]
    runs = [(d if isinstance(d, dt.date) else dt.date.fromisoformat(d),
             e if isinstance(e, dt.date) else dt.date.fromisoformat(e)) for d, e in runs]
    assert runs == expected_runs(year)


def test_the_years_after_the_last_official_one_are_all_provisional():
    official = sorted(int(p.stem) for p in CALENDAR.glob("*.yaml") if "provisional" not in load(int(p.stem)))
    provisional = sorted(int(p.stem) for p in CALENDAR.glob("*.yaml") if load(int(p.stem)).get("provisional"))
    assert provisional == list(YEARS)
    assert official[-1] + 1 == provisional[0]
