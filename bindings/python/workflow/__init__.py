"""libworkflow for Python: the back office of a government service hall (政务服务中心).

A thin layer over the C++ engine (the ``workflow._workflow`` extension)::

    import datetime as dt
    import workflow

    rules = workflow.load_rules(workflow.shipped_rules("ningdu"))
    clock = workflow.ManualClock(dt.datetime(2025, 3, 3, 9, 0))
    with workflow.Engine(rules, db=":memory:", clock=clock) as hall:   # calendar: rules/calendar
        case_id = hall.submit("360730-SCJG-0004", "nd", materials, actor="nd-s001")
        hall.accept(case_id, actor="nd-s001")
        hall.advance_to(dt.datetime(2025, 3, 10, 8, 0))
        print(hall.case(case_id).light)            # 'yellow'

Conventions:

* Dates are ``datetime.date``; times are naive ``datetime.datetime`` in hall-local time
  (China Standard Time; an aware datetime is converted to UTC+8), to the second.
* States, verbs, lights, procedures, channels, rating channels, rectification states and
  event kinds are the canonical lower-case strings (``workflow.STATES``, ``workflow.VERBS``,
  ``workflow.RATING_CHANNELS``...); an unknown one raises ``InvalidArgument`` listing the
  valid ones.
* Bundles (一件事一次办) are taken in with ``Engine.submit_bundle`` and worked at the window
  with ``Engine.act_bundle``; each part is an ordinary case (``Case.bundle``). A concluded
  case is rated with ``Engine.rate`` (好差评); a bad rating opens ``Case.rectification``,
  worked with the rectification verbs of ``Engine.act``.
* A new rule set is installed on a live engine with ``Engine.install_rules`` (see what it
  would do first with ``Engine.plan_rules``; ``workflow.diff_rules`` compares two sets). Open
  cases keep the terms of the version they were accepted under (``Case.rules_version``).
* Supervision figures (电子监察): ``Engine.supervise(period, office=...)`` returns them as a
  dict of plain values; ``workflow.open_store(db)`` reads a store another process's engine
  is writing (no writer lock; each ``Store.supervise()`` sees the latest commits), and
  ``events_after(position, limit)`` on either pages through the change feed.
* Every failure is a ``workflow.Error`` subclass carrying ``.code`` (see ``_errors``).
* Calls into the engine release the GIL; observers (``Engine.on_event``) take it. An
  exception raised by an observer goes to ``sys.unraisablehook``: the command that caused
  the event has already been committed and still returns normally.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Union

from ._errors import (CalendarError, Error, FileError, InvalidArgument, InvalidTransition,
                      NotFound, PermissionDenied, RuleError, StoreError)
from ._workflow import ASSISTANCE, SUBMISSION_CHANNELS
from ._workflow import ORDER_STATES, OrderView, ReassignmentView
from ._workflow import COORDINATION_STATES, CoordinationView
from ._workflow import (ABSENCE_KINDS, CHANNELS, DECISIONS, ERROR_CODES, EVENT_KINDS, HOLDINGS,
                        LIGHTS, PROCEDURES, RATING_CHANNELS, RECTIFICATION_STATES, STATES, VERBS,
                        VERIFICATIONS,
                        Bundle, BundleView, Calendar, CalendarYear, Case, CaseReroute, Clock,
                        Department, Delegation, Diagnostic, Engine, Event, Holiday, InstalledRules,
                        InstallPlan, ManualClock, Matter, Office, Post, RatingView,
                        RectificationView, RuleChange, RuleSet, Stage, StaffMember, Store,
                        SystemClock, diff_rules, open_store)
from . import _verbs, _workflow
from ._workflow import VERB_DETAILS

_verbs.install()  # Engine.accept(...), Engine.approve(...), ...: one method per verb

__version__: str = _workflow.__version__  # the CMake project version the extension was built as

__all__ = [
    "ASSISTANCE", "SUBMISSION_CHANNELS",
    "ORDER_STATES", "OrderView", "ReassignmentView",
    "COORDINATION_STATES", "CoordinationView",
    "ABSENCE_KINDS", "CHANNELS", "DECISIONS", "ERROR_CODES", "EVENT_KINDS", "HOLDINGS", "LIGHTS",
    "PROCEDURES", "RATING_CHANNELS", "RECTIFICATION_STATES", "STATES", "VERBS", "VERB_DETAILS", "VERIFICATIONS",
    "Bundle", "BundleView", "Calendar", "CalendarYear", "Case", "Clock", "Department",
    "Delegation", "Diagnostic", "Engine", "Event", "Holiday", "ManualClock", "Matter", "Office",
    "Post", "RatingView", "RectificationView", "RuleSet", "Stage", "StaffMember", "SystemClock",
    "CaseReroute", "InstalledRules", "InstallPlan", "RuleChange", "diff_rules",
    "Store", "open_store",
    "CalendarError", "Error", "FileError", "InvalidArgument", "InvalidTransition", "NotFound",
    "PermissionDenied", "RuleError", "StoreError",
    "load_rules", "load_calendar", "shipped_rules",
]


PathLike = Union[str, "os.PathLike[str]"]


def load_rules(dir: PathLike) -> RuleSet:
    """Loads and validates the rule set in ``dir`` (every ``*.yaml``/``*.yml`` file).

    Raises ``RuleError`` whose ``.diagnostics`` lists every problem (file, line, column,
    field, message), or ``FileError`` if ``dir`` is not a readable directory.
    """
    return RuleSet.load(dir)


SHIPPED_RULE_SETS = ("ningdu", "sandu", "calendar")


def shipped_rules(name: str) -> Path:
    """The directory of a rule set shipped with the package: ``"ningdu"`` (宁都县: county,
    townships, villages), ``"sandu"`` (耒阳市三都镇) or ``"calendar"`` (the working-day
    calendar). ``Engine(load_rules(shipped_rules("ningdu")))`` finds the shipped calendar
    next to it. Raises ValueError for another name.
    """
    if name not in SHIPPED_RULE_SETS:
        raise ValueError(f"no shipped rule set {name!r}; the shipped ones are "
                         f"{', '.join(map(repr, SHIPPED_RULE_SETS))}")
    path = Path(__file__).resolve().parent / "rules" / name
    if not path.is_dir():  # a package copied without its data
        raise FileError(f"shipped rule set {name!r} is missing from the package: {path}",
                        filename=str(path))
    return path


def load_calendar(dir: PathLike) -> Calendar:
    """Loads the official working-day calendar in ``dir``: ``Calendar.load(dir)``."""
    return Calendar.load(dir)


# Show the classes as workflow.X (reprs, help(), error messages), not workflow._workflow.X.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) and _obj.__module__ != __name__:
        try:
            _obj.__module__ = __name__
        except (AttributeError, TypeError):  # pragma: no cover - a type that refuses it
            pass
del _name, _obj
