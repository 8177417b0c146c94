"""The exception hierarchy of the ``workflow`` package.

Every failure of libworkflow is a C++ ``workflow::Error`` with a typed code; the extension
raises the class below that matches its code, with the C++ message as ``str(exc)``, the
canonical code name as ``exc.code`` and, for rule and calendar files, every problem found as
``exc.diagnostics``.

=====================  ==========================================================
C++ ErrorCode          Python exception
=====================  ==========================================================
invalid_argument       InvalidArgument   (also a ValueError)
rules_invalid          RuleError
calendar_invalid       CalendarError     (with .diagnostics)
calendar_no_data       CalendarError     (a date outside the loaded years)
not_found              NotFound          (also a LookupError)
permission_denied      PermissionDenied
invalid_transition     InvalidTransition
store_error            StoreError        (also: any call on a closed Engine)
io_error               FileError         (also an OSError: a rule or calendar
                                          directory that cannot be read)
=====================  ==========================================================

``io_error`` is not a StoreError: it only comes from reading rule and calendar
directories, while a store that cannot be opened is ``store_error``. Making FileError an
OSError lets ``except OSError`` catch a missing directory, as it would for ``open()``.
"""

from __future__ import annotations

import errno as errno_module
import os
from typing import Any, Sequence


class Error(Exception):
    """Base of every libworkflow failure.

    Attributes:
        code: the canonical name of the C++ ErrorCode, e.g. ``"not_found"``.
        message: the C++ message (also ``str(exc)``).
        diagnostics: every problem found in rule or calendar files (``Diagnostic`` objects
            with file, line, column, field, message); empty for other errors.
    """

    default_code: str | None = None

    def __init__(self, message: str = "", *, code: str | None = None,
                 diagnostics: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.code = code if code is not None else self.default_code
        self.diagnostics = list(diagnostics)

    def __str__(self) -> str:
        return self.message


class InvalidArgument(Error, ValueError):
    """A malformed or missing argument: an unknown verb or state name, a missing reason,
    a negative day count, unknown materials. The message names the bad value and, for a
    name, lists the valid ones."""

    default_code = "invalid_argument"


class RuleError(Error):
    """A rule set failed to load; ``diagnostics`` holds every problem, sorted by file,
    line and column."""

    default_code = "rules_invalid"


class CalendarError(Error):
    """A calendar file is malformed (code ``calendar_invalid``, with ``diagnostics``), or
    a date falls in a year with no calendar loaded (code ``calendar_no_data``)."""

    default_code = "calendar_invalid"


class NotFound(Error, LookupError):
    """An unknown case, matter, post, office or staff id."""

    default_code = "not_found"


class PermissionDenied(Error):
    """The actor does not hold the stage (or post) the command needs. The attempt is
    recorded in the case history as a ``permission_denied`` event."""

    default_code = "permission_denied"


class InvalidTransition(Error):
    """The command is not allowed in the case's current state; the message says why in
    the hall's terms (missing materials, a stage that must pass first, suspended...)."""

    default_code = "invalid_transition"


class StoreError(Error):
    """The case store failed or refused (corrupt, locked by another engine, newer
    schema), or the Engine was closed."""

    default_code = "store_error"


class FileError(Error, OSError):
    """A rule or calendar directory (or file) could not be read.

    Like the ``OSError`` of ``open()``: ``filename`` is the path (None if unknown) and
    ``errno`` says why (``errno.ENOENT`` missing, ``errno.ENOTDIR`` not a directory,
    ``errno.EACCES`` not readable, ``errno.EIO`` otherwise), with ``strerror`` its text.
    """

    default_code = "io_error"

    def __init__(self, message: str = "", *, code: str | None = None,
                 diagnostics: Sequence[Any] = (), filename: str | None = None,
                 errno: int | None = None) -> None:
        super().__init__(message, code=code, diagnostics=diagnostics)
        if errno is None and filename is not None:
            errno = _errno_of(filename)
        self.errno = errno
        self.strerror = os.strerror(errno) if errno is not None else None
        self.filename = filename


def _errno_of(path: str) -> int:
    """Why ``path`` cannot be read as a directory, as an errno value."""
    if not os.path.lexists(path):
        return errno_module.ENOENT
    if not os.path.isdir(path):
        return errno_module.ENOTDIR
    if not os.access(path, os.R_OK | os.X_OK):
        return errno_module.EACCES
    return errno_module.EIO


_BY_CODE: dict[str, type[Error]] = {
    "invalid_argument": InvalidArgument,
    "rules_invalid": RuleError,
    "calendar_invalid": CalendarError,
    "calendar_no_data": CalendarError,
    "not_found": NotFound,
    "permission_denied": PermissionDenied,
    "invalid_transition": InvalidTransition,
    "store_error": StoreError,
    "io_error": FileError,
}


def class_for_code(code: str) -> type[Error]:
    """The exception class for a canonical error code name (Error for a code added to the
    C++ library after this package was written)."""
    return _BY_CODE.get(code, Error)
