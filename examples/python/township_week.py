#!/usr/bin/env python3
"""A simulated week at 梅江镇综合便民服务中心 (宁都县), then the supervision summary (电子监察).

Residents hand in applications at the township's windows and through the village agent of
水东村 (帮办代办); the windows accept what is complete, give the one complete notice
(一次性告知) or accept on 容缺 terms; the back offices review at a limited pace; delegated
county matters go up to the county and come back to be issued. Last week both 民政办 clerks
were away, so two 高龄津贴 cases sat at the 办不成事 window and run late; on Wednesday the
民政办 reviewer is out on household visits (入户调查) and B covers. Applicants served on the
spot rate the service on the window's rating device (好差评); a bad rating opens a
rectification task for the unit that handled the case. After Friday the clock runs to Monday
morning and the supervisor reads the board.

    township_week.py [--rules DIR] [--calendar DIR] [--db FILE] [--seed N]

Run from the build tree with PYTHONPATH=<build>/bindings/python, or after
`pip install ./bindings/python`. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import random
import sys
from pathlib import Path

import workflow

TOWNSHIP, VILLAGE = "nd-mj", "nd-mj-v1"
AGENT = "nd-mj-v1-s1"           # 水东村帮代办员
COMPREHENSIVE = "nd-mj-w-zh"    # 综合窗口: takes any matter
UNRESOLVED_CLERK = "nd-mj-s09"  # 办不成事窗口
MONDAY = dt.date(2025, 3, 3)
WEEK = [MONDAY + dt.timedelta(days=i) for i in range(5)]
ROUNDS = (dt.time(10, 30), dt.time(14, 30), dt.time(16, 45))  # when the back offices work
CAPACITY = 2  # actions per person per round
# Working days a stage's work takes at least: 现场踏勘 for a homestead, 入户核实 for welfare.
PACE = {"nd-mj-jsb-review": 3, "nd-mj-mzb-review": 1, "nd-mj-leader": 1}

# Who comes in, with a weight, and where they hand in.
DEMAND = [
    ("360730-MJ-SB-0001", 5, TOWNSHIP),  # 城乡居民养老保险参保登记 (instant)
    ("360730-MJ-SB-0002", 4, TOWNSHIP),  # 城乡居民医疗保险参保登记 (instant)
    ("360730-MJ-WJ-0001", 2, TOWNSHIP),  # 生育登记 (instant)
    ("360730-MJ-CZ-0001", 3, VILLAGE),   # 耕地地力保护补贴 (instant, by the village agent)
    ("360730-MJ-MZ-0001", 3, VILLAGE),   # 高龄津贴 (committed, 5 working days)
    ("360730-MJ-MZ-0002", 1, VILLAGE),   # 最低生活保障 (escalated to the county 民政局)
    ("360730-MJ-JS-0001", 1, TOWNSHIP),  # 宅基地审批 (committed, 10 working days)
    ("360730-MZ-0001", 1, TOWNSHIP),     # 临时救助 (county matter, fully delegated)
    ("360730-SCJG-0003", 2, TOWNSHIP),   # 个体工商户登记 (county matter, window-forward)
]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


class Township:
    def __init__(self, engine: workflow.Engine, seed: int) -> None:
        self.engine = engine
        self.rules = engine.rules
        self.rng = random.Random(seed)
        self.raters = random.Random(seed + 1)  # apart, so ratings do not change the week
        self.returning: dict[dt.date, list[int]] = collections.defaultdict(list)
        self.tally = collections.Counter()
        # The observer: a supervision ticker, as a hall's big screen would show it.
        self.ticker: list[str] = []
        engine.on_event(self.observe)

    def observe(self, event: workflow.Event) -> None:
        self.tally[event.kind] += 1
        if event.kind in ("light_changed", "handoff", "routed_unresolved"):
            self.ticker.append(f"{event.time:%m-%d %H:%M} case {event.case_id}: "
                               f"{event.kind} {event.detail}")

    def window_clerk(self, matter: workflow.Matter) -> str:
        """The township window of the matter's department if there is one, else 综合窗口."""
        for post in self.rules.posts:
            if post.office == TOWNSHIP and post.role == "window" and \
                    post.department == matter.department:
                return post.a
        return self.rules.post(COMPREHENSIVE).a

    def hand_in(self, code: str, where: str, when: dt.datetime, applicant: str,
                complete: bool = False) -> int:
        matter = self.rules.matter(code)
        materials = list(matter.materials)
        chance = 1.0 if complete else self.rng.random()
        required = [m for m in materials if m not in matter.tolerable_materials]
        if chance < 0.15 and len(required) > 1:
            materials.remove(self.rng.choice(required[1:]))        # forgot a document
        elif chance < 0.30 and matter.tolerable_materials:
            materials.remove(matter.tolerable_materials[0])        # 容缺 candidate
        self.engine.advance_to(when)
        clerk = AGENT if where == VILLAGE else self.window_clerk(matter)
        return self.engine.submit(code, where, materials, actor=clerk, applicant=applicant)

    def receive(self, case_id: int) -> None:
        """The window's decision on a new application."""
        case = self.engine.case(case_id)
        clerk = case.holder
        tolerable = set(self.rules.matter(case.matter).tolerable_materials)
        if not case.missing_materials:
            self.engine.accept(case_id, actor=clerk)
        elif set(case.missing_materials) <= tolerable:
            self.engine.accept(case_id, actor=clerk, tolerate_missing=True)
            self.tally["accepted_tolerating"] += 1
        else:
            self.engine.notify_missing(case_id, actor=clerk)
            back = self.engine.calendar.add_working_days(self.engine.now().date(), 1)
            self.returning[back].append(case_id)
        self.work_on_the_spot(case_id)

    def work_on_the_spot(self, case_id: int) -> None:
        case = self.engine.case(case_id)
        if case.state == "on_the_spot":  # 即办件: decided and issued while the applicant waits
            self.engine.approve(case_id, actor=case.holder)
            self.engine.issue(case_id, actor=self.engine.case(case_id).holder)
            if self.raters.random() < 0.6:  # most press a key on the 评价器 before leaving
                score = self.raters.choices([5, 4, 3, 2, 1], [70, 20, 6, 3, 1])[0]
                self.engine.rate(case_id, score, channel="window_device")

    def applicants_return(self, day: dt.date) -> None:
        for case_id in self.returning.pop(day, []):
            case = self.engine.case(case_id)
            self.engine.advance_to(at(day, 9, 30))
            self.engine.supplement(case_id, actor=case.holder, materials=case.missing_materials)
            self.receive(case_id)

    def supplements_arrive(self, day: dt.date) -> None:
        """容缺 applicants bring the missing material within two working days."""
        for case in self.engine.cases(office=TOWNSHIP):
            due = case.supplement_deadline
            if due and not case.concluded and \
                    self.engine.calendar.working_days_between(day, due) <= 3 and \
                    self.rng.random() < 0.8:
                window = self.rules.post(COMPREHENSIVE).a
                self.engine.supplement(case.id, actor=window, materials=case.missing_materials)

    def next_step(self, case: workflow.Case, actions: list[str]) -> str | None:
        if case.state in ("preliminary_review", "back_office_review"):
            for verb in ("report_up", "approve"):
                if verb in actions:
                    return verb
            return "review_pass" if "review_pass" in actions else None
        # A decided 容缺 case waits for its owed material before the licence is issued.
        verb = {"escalated": "higher_approve", "decided": "issue",
                "on_the_spot": "approve"}.get(case.state)
        return verb if verb in actions else None

    def ready(self, case: workflow.Case, today: dt.date) -> bool:
        """Has the case sat at its stage as long as the stage's work takes?"""
        moved = [e for e in self.engine.case(case.id).history if e.verb or e.kind == "routed"]
        since = moved[-1].time.date()
        return self.engine.calendar.working_days_between(since, today) >= PACE.get(case.post, 0)

    def back_office_round(self, when: dt.datetime) -> None:
        self.engine.advance_to(when)
        done = collections.Counter()
        for case in self.engine.cases():
            if case.concluded or case.suspended or case.state in ("received", "awaiting_materials"):
                continue
            if not self.ready(case, when.date()):
                continue
            actor = case.holder
            # The 办不成事 window coordinates from Tuesday; everyone does CAPACITY a round.
            if done[actor] >= CAPACITY or (actor == UNRESOLVED_CLERK and when.date() == MONDAY):
                continue
            verb = self.next_step(case, self.engine.available_actions(case.id, actor))
            if verb:
                self.engine.act(case.id, verb, actor=actor)
                done[actor] += 1

    def last_week(self) -> None:
        """Two 高龄津贴 cases from Monday 02-24, while both 民政办 clerks were away."""
        monday = MONDAY - dt.timedelta(days=7)
        for name in ("钟大爷", "曾奶奶"):
            case_id = self.hand_in("360730-MJ-MZ-0001", VILLAGE, at(monday, 9), name,
                                   complete=True)
            self.engine.accept(case_id, actor=self.engine.case(case_id).holder)
        self.engine.mark_away("nd-mj-s10", "leave", start=at(monday, 10), actor="nd-mj-s08",
                              until=at(MONDAY, 0))
        self.engine.mark_away("nd-mj-s11", "out", start=at(monday, 10), actor="nd-mj-s08",
                              until=at(MONDAY, 0))
        self.back_office_round(at(monday, 10, 30))  # 初审 passes; the stage goes unresolved

    def run_week(self) -> None:
        self.last_week()
        for number, day in enumerate(WEEK, start=1):
            if day.weekday() == 2:  # Wednesday: 入户调查 all day, B covers
                self.engine.mark_away("nd-mj-s10", "field_work", start=at(day, 8),
                                      actor="nd-mj-s08", until=at(day, 18))
            self.applicants_return(day)
            self.supplements_arrive(day)
            arrivals = sorted(self.rng.sample(range(9 * 60, 17 * 60), self.rng.randint(6, 10)))
            codes = self.rng.choices([c for c, _, _ in DEMAND], [w for _, w, _ in DEMAND],
                                     k=len(arrivals))
            rounds = list(ROUNDS)
            for i, (minute, code) in enumerate(zip(arrivals, codes)):
                when = at(day, minute // 60, minute % 60)
                while rounds and dt.datetime.combine(day, rounds[0]) <= when:
                    self.back_office_round(dt.datetime.combine(day, rounds.pop(0)))
                where = next(w for c, _, w in DEMAND if c == code)
                self.receive(self.hand_in(code, where, when, f"申请人{number}-{i + 1}"))
            for r in rounds:
                self.back_office_round(dt.datetime.combine(day, r))
        self.engine.advance_to(at(MONDAY + dt.timedelta(days=7), 8, 30))


def summary(hall: Township) -> list[str]:
    engine = hall.engine
    cases = [engine.case(c.id) for c in engine.cases()]
    this_week = [c for c in cases if c.received.date() >= MONDAY]
    lines = [f"== 梅江镇综合便民服务中心: a simulated week, {WEEK[0]} .. {WEEK[-1]}"]
    kinds = collections.Counter(c.kind for c in this_week)
    lines.append(f"received {len(this_week)} ("
                 + ", ".join(f"{k} {kinds[k]}" for k in ("instant", "committed", "escalated")
                             if kinds[k])
                 + f"), {sum(1 for c in this_week if c.agent)} by the 水东村 agent, "
                 + f"{sum(1 for c in this_week if c.delegation)} under county delegation")
    lines.append(f"one complete notices {hall.tally['notify_missing']}, "
                 f"容缺 acceptances {hall.tally['accepted_tolerating']}, "
                 f"AB handoffs {hall.tally['handoff']}, "
                 f"to the 办不成事 window {hall.tally['routed_unresolved']}")
    lines.append(f"== supervision summary, {engine.now():%Y-%m-%d %H:%M}")
    done = [c for c in cases if c.concluded]
    late = [c for c in done if c.light in ("red", "escalated_red")]
    states = collections.Counter(c.state for c in done)
    lines.append(f"concluded {len(done)}: " + ", ".join(f"{s} {n}" for s, n in sorted(states.items()))
                 + f"; decided late {len(late)}")
    still = [c for c in cases if not c.concluded]
    lights = collections.Counter(c.light for c in still)
    lines.append(f"open {len(still)}: " + ", ".join(f"{light} {lights[light]}"
                                                    for light in workflow.LIGHTS[1:])
                 + f", not yet accepted {sum(1 for c in still if c.light == 'none')}")
    rated = [c for c in cases if c.rating]
    tasks = [c.rectification for c in rated if c.rectification]
    if rated:
        lines.append(f"好差评 {len(rated)} ratings, average "
                     f"{sum(c.rating.score for c in rated) / len(rated):.2f}; bad {len(tasks)}, "
                     f"rectification still open "
                     f"{sum(1 for task in tasks if task.state != 'closed')}")
    flagged = [c for c in cases if c.light in ("yellow", "red", "escalated_red")]
    for c in sorted(flagged, key=lambda c: (c.promised_deadline or dt.date.max, c.id)):
        holder = engine.rules.staff_member(c.holder).name
        lines.append(f"  {c.light:<13} case {c.id:>3} {c.matter_name} [{c.state}] "
                     f"promised {c.promised_deadline}, with {holder}")
    lines.append(f"events observed {sum(v for k, v in hall.tally.items() if k in workflow.EVENT_KINDS)}"
                 f"; the board's ticker ({len(hall.ticker)}):")
    lines += ["  " + line for line in hall.ticker[-6:]]
    return lines


def check(hall: Township) -> None:
    """What the week must show whatever the seed: instant cases issued on the spot, and the
    two cases of last week decided late."""
    for c in hall.engine.cases():
        case = hall.engine.case(c.id)
        if case.kind == "instant" and case.accepted:
            assert case.state == "issued" and case.history[-1].time.date() == case.accepted, case
    assert [hall.engine.case(i).light for i in (1, 2)] == ["red", "red"]


def main() -> int:
    repo = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=Path, default=repo / "rules" / "ningdu")
    parser.add_argument("--calendar", type=Path, default=None,
                        help="default: the calendar directory next to the rules")
    parser.add_argument("--db", default=":memory:", help="an SQLite file to keep the cases in")
    parser.add_argument("--seed", type=int, default=20250303)
    args = parser.parse_args()
    clock = workflow.ManualClock(at(MONDAY - dt.timedelta(days=7), 8, 30))
    with workflow.Engine(args.rules, args.calendar, db=args.db, clock=clock) as engine:
        hall = Township(engine, args.seed)
        hall.run_week()
        check(hall)  # first: ctest passes on the summary's text, whatever the exit code
        print("\n".join(summary(hall)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
