"""Type stubs of the workflow package: the extension's classes re-exported, the exception
hierarchy, and the two loading functions."""

import os
from pathlib import Path
from typing import Union

from ._errors import (CalendarError as CalendarError, Error as Error, FileError as FileError,
                      InvalidArgument as InvalidArgument, InvalidTransition as InvalidTransition,
                      NotFound as NotFound, PermissionDenied as PermissionDenied,
                      RuleError as RuleError, StoreError as StoreError)
from ._workflow import ASSISTANCE as ASSISTANCE, SUBMISSION_CHANNELS as SUBMISSION_CHANNELS
from ._workflow import (ORDER_STATES as ORDER_STATES, OrderView as OrderView,
                        ReassignmentView as ReassignmentView)
from ._workflow import (COORDINATION_STATES as COORDINATION_STATES,
                        CoordinationView as CoordinationView)
from ._workflow import (ABSENCE_KINDS as ABSENCE_KINDS, CHANNELS as CHANNELS,
                        DECISIONS as DECISIONS, ERROR_CODES as ERROR_CODES,
                        EVENT_KINDS as EVENT_KINDS, HOLDINGS as HOLDINGS, LIGHTS as LIGHTS,
                        PROCEDURES as PROCEDURES, RATING_CHANNELS as RATING_CHANNELS,
                        RECTIFICATION_STATES as RECTIFICATION_STATES, STATES as STATES,
                        VERIFICATIONS as VERIFICATIONS,
                        VERBS as VERBS, Bundle as Bundle, BundleView as BundleView,
                        Calendar as Calendar, CalendarYear as CalendarYear, Case as Case,
                        Clock as Clock, Delegation as Delegation, Department as Department,
                        Diagnostic as Diagnostic, Engine as Engine, Event as Event,
                        Holiday as Holiday, ManualClock as ManualClock, Matter as Matter,
                        Office as Office, Post as Post, RatingView as RatingView,
                        RectificationView as RectificationView, RuleSet as RuleSet, Stage as Stage,
                        StaffMember as StaffMember, SystemClock as SystemClock,
                        CaseReroute as CaseReroute, InstalledRules as InstalledRules,
                        InstallPlan as InstallPlan, RuleChange as RuleChange,
                        diff_rules as diff_rules, VERB_DETAILS as VERB_DETAILS,
                        Store as Store, open_store as open_store)

__version__: str
__all__: list[str]

PathLike = Union[str, os.PathLike[str]]

def load_rules(dir: PathLike) -> RuleSet: ...
def load_calendar(dir: PathLike) -> Calendar: ...
SHIPPED_RULE_SETS: tuple[str, ...]
def shipped_rules(name: str) -> Path: ...
