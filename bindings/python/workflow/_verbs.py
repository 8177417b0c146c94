"""The named verb methods of ``Engine``: ``engine.accept(case_id, actor=...)`` is
``engine.act(case_id, "accept", actor=...)``.

Each takes exactly the details its verb uses (``VERB_DETAILS``, from the C++ binding), so a
keyword the verb would ignore, e.g. ``approve(case_id, actor=..., days=3)``, is a
``TypeError`` naming the keyword and the verb. A detail the engine requires (the reason of a
refusal, the procedure and days of a suspension) defaults to "not given" and its absence is
the engine's ``InvalidArgument``, exactly as with ``act``.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Optional, Sequence

from ._workflow import VERB_DETAILS, Engine

_P = inspect.Parameter

# Each detail's default and annotation in the signatures (and in _workflow.pyi).
_DETAILS: dict[str, tuple[Any, Any]] = {
    "reason": ("", str),
    "materials": ((), Sequence[str]),
    "days": (0, int),
    "procedure": (None, Optional[str]),
    "tolerate_missing": (False, bool),
    "on_promise": (False, bool),
    "channel": ("pickup", str),
    "to_post": ("", str),
    "order": (0, int),
    "unit": ("", str),
}


def _signature(details: Sequence[str]) -> inspect.Signature:
    params = [_P("self", _P.POSITIONAL_OR_KEYWORD),
              _P("case_id", _P.POSITIONAL_OR_KEYWORD, annotation=int),
              _P("actor", _P.KEYWORD_ONLY, annotation=str)]
    for name in details:
        default, annotation = _DETAILS[name]
        params.append(_P(name, _P.KEYWORD_ONLY, default=default, annotation=annotation))
    params.append(_P("request_id", _P.KEYWORD_ONLY, default=None, annotation=Optional[str]))
    return inspect.Signature(params, return_annotation=None)


def _verb_method(verb: str, details: Sequence[str]) -> Callable[..., None]:
    signature = _signature(details)
    takes = ", ".join(["actor", *details, "request_id"])

    def method(*args: Any, **kwargs: Any) -> None:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{verb}() {e} ({verb} takes case_id, {takes})") from None
        arguments = dict(bound.arguments)
        self, case_id = arguments.pop("self"), arguments.pop("case_id")
        self.act(case_id, verb, **arguments)

    method.__name__ = method.__qualname__ = verb
    method.__qualname__ = f"Engine.{verb}"
    method.__signature__ = signature  # type: ignore[attr-defined]
    method.__doc__ = (f"engine.act(case_id, {verb!r}, ...): see Engine.act. Takes case_id, "
                      f"{takes}.")
    return method


def install() -> None:
    """Defines Engine.<verb> for every verb of workflow.VERBS."""
    for verb, details in VERB_DETAILS.items():
        setattr(Engine, verb, _verb_method(verb, details))
