#!/usr/bin/python3
"""Writes the provisional working-day calendar years (rules/calendar/YYYY.yaml).

A year whose State Council notice is not out yet still has its statutory holidays, fixed by
《全国年节及纪念日放假办法》 as amended by 国务院令第798号 (in force 2025-01-01); see
docs/calendar.md. This script derives them: the lunar dates from ICU's Chinese calendar
(PyICU), 正月初一 from the published
tables (ICU's approximate astronomy misses two of them, see PUBLISHED_SPRING_FESTIVAL), 清明
from the usual solar-term formula. tests/calendar/test_provisional_years.py
checks the files against an independent astronomical computation (PyEphem).

    /usr/bin/python3 tools/calendar/provisional_years.py [FIRST LAST] [--out rules/calendar]

Never run it over a year that already has its official file.
"""
import argparse
import datetime as dt
import math
import pathlib
import sys

import icu

IS_LEAP_MONTH = 22  # UCAL_IS_LEAP_MONTH, not exported by PyICU
BEIJING = icu.TimeZone.createTimeZone("Asia/Shanghai")

SOURCE = ("《全国年节及纪念日放假办法》（国务院令第798号修订，2025年1月1日起施行）规定的法定节假日"
          "及第六条补假；国务院办公厅该年部分节假日安排的通知尚未发布（暂定）")


def lunar(day: dt.date):
    """(month 1..12, day, leap) of a Gregorian date in the Chinese calendar (ICU)."""
    cal = icu.Calendar.createInstance(BEIJING, icu.Locale("zh_CN@calendar=chinese"))
    greg = icu.GregorianCalendar(BEIJING)
    greg.set(day.year, day.month - 1, day.day, 12, 0, 0)
    cal.setTime(greg.getTime())
    return (cal.get(icu.UCalendarDateFields.MONTH) + 1, cal.get(icu.UCalendarDateFields.DATE),
            bool(cal.get(IS_LEAP_MONTH)))


def find_lunar(year: int, month: int, mday: int) -> dt.date:
    """The Gregorian date in `year` of the non-leap lunar month/day."""
    found = [d for d in (dt.date(year, 1, 1) + dt.timedelta(i) for i in range(366))
             if d.year == year and lunar(d) == (month, mday, False)]
    if len(found) != 1:
        raise SystemExit(f"{year}: lunar {month}-{mday} found {len(found)} times")
    return found[0]


# 正月初一 as published by 紫金山天文台 and 香港天文台. ICU computes new moons approximately and
# gets two of these wrong by a day: the new moons of 2027-02-06 23:56 and 2030-02-03 00:07
# Beijing time lie minutes from midnight. The lunar months of 端午 and 中秋 agree.
PUBLISHED_SPRING_FESTIVAL = {
    2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3), 2031: (1, 23),
    2032: (2, 11), 2033: (1, 31), 2034: (2, 19), 2035: (2, 8),
}


def spring_festival(year: int) -> dt.date:
    icu_day = find_lunar(year, 1, 1)
    if year not in PUBLISHED_SPRING_FESTIVAL:
        print(f"{year}: 正月初一 {icu_day} from ICU alone; check it", file=sys.stderr)
        return icu_day
    published = dt.date(year, *PUBLISHED_SPRING_FESTIVAL[year])
    if published != icu_day:
        print(f"{year}: ICU says 正月初一 {icu_day}, published {published}: using the latter",
              file=sys.stderr)
    return published


def qingming(year: int) -> dt.date:
    """清明 in the 21st century: floor(Y * 0.2422 + 4.81) - floor(Y / 4), Y = year % 100."""
    y = year % 100
    return dt.date(year, 4, math.floor(y * 0.2422 + 4.81) - y // 4)


def statutory(year: int):
    """[(name, [statutory days])] of the 办法 for `year`."""
    chunjie = spring_festival(year)
    return [
        ("元旦", [dt.date(year, 1, 1)]),
        ("春节", [chunjie + dt.timedelta(i) for i in range(-1, 3)]),  # 除夕, 初一..初三
        ("清明节", [qingming(year)]),
        ("劳动节", [dt.date(year, 5, 1), dt.date(year, 5, 2)]),
        ("端午节", [find_lunar(year, 5, 5)]),
        # 国庆 before 中秋: when 中秋 falls on 10-01 the merged run is "国庆节、中秋节", as in 2025.
        ("国庆节", [dt.date(year, 10, d) for d in (1, 2, 3)]),
        ("中秋节", [find_lunar(year, 8, 15)]),
    ]


def runs(year: int):
    """Runs of days off: the statutory days and their 补假 (article 6), in date order.

    A statutory day on a Saturday or Sunday is made up on the next Monday–Friday that is not
    itself off. Two holidays on the same day (中秋 on 10-01..10-03) are one day off: article
    6 only makes up weekends. Overlapping or touching runs are merged ("国庆节、中秋节").
    """
    holidays = statutory(year)
    off = {d for _, days in holidays for d in days}
    out = []  # [name, statutory days, make-up days, notes]
    for name, days in holidays:
        makeup = []
        for d in days:
            if d.weekday() < 5:
                continue
            m = d + dt.timedelta(1)
            while m.weekday() >= 5 or m in off:
                m += dt.timedelta(1)
            off.add(m)
            makeup.append(m)
        out.append([name, list(days), makeup, []])
    out.sort(key=lambda r: min(r[1]))  # stable: ties keep the order above
    merged = []
    for r in out:
        if merged and min(r[1]) <= max(merged[-1][1] + merged[-1][2]) + dt.timedelta(1):
            for d in sorted(set(merged[-1][1]) & set(r[1])):
                merged[-1][3].append(f"{day_text(d)}{merged[-1][0]}与{r[0]}同日，不另补假")
            merged[-1][0] += "、" + r[0]
            merged[-1][1] = sorted(set(merged[-1][1] + r[1]))
            merged[-1][2] = sorted(merged[-1][2] + r[2])
        else:
            merged.append(r)
    return merged


WEEKDAY = "一二三四五六日"


def day_text(d: dt.date) -> str:
    return f"{d.month:02d}-{d.day:02d}（周{WEEKDAY[d.weekday()]}）"


def year_file(year: int) -> str:
    lines = [
        f"# Provisional: the State Council's notice for {year} is not out yet. Built from the",
        "# statutory days of 《全国年节及纪念日放假办法》 (国务院令第798号) and the 补假 of article 6",
        "# only; no bridge days and no make-up working days. Written by",
        "# tools/calendar/provisional_years.py; replace it with the notice's file when it appears.",
        f"year: {year}",
        "provisional: true",
        f"source: {SOURCE}",
        "holidays:",
    ]
    for name, days, makeup, notes in runs(year):
        first, last = min(days + makeup), max(days + makeup)
        comment = "法定 " + "、".join(day_text(d) for d in days)
        comment += ("；补假 " + "、".join(day_text(d) for d in makeup)) if makeup else "；无补假"
        comment += "".join("；" + n for n in notes)
        lines.append(f"  # {comment}")
        lines.append(f"  - {{name: {name}, from: {first.isoformat()}, to: {last.isoformat()}}}")
    lines.append("makeup_workdays: []")
    return "\n".join(lines) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("first", type=int, nargs="?", default=2027)
    ap.add_argument("last", type=int, nargs="?", default=2035)
    ap.add_argument("--out", type=pathlib.Path,
                    default=pathlib.Path(__file__).resolve().parents[2] / "rules" / "calendar")
    args = ap.parse_args(argv)
    for year in range(args.first, args.last + 1):
        (args.out / f"{year}.yaml").write_text(year_file(year), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
