"""The stubs (_workflow.pyi) agree with the runtime: for every public Engine method and the
constructor, the parameters' names, kinds and whether they have a default.

The runtime signature comes from inspect (the named verbs are Python functions) or, for the
extension's methods, from pybind11's docstring signature line. (mypy's stubtest would do
this too, but cannot see the signatures of pybind11 methods.)"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import workflow
from workflow import _workflow

STUB = Path(_workflow.__file__).with_name("_workflow.pyi")

# (name, kind, has_default); kind: "pos" (positional or keyword), "kw" (keyword-only),
# "*args", "**kwargs".
Param = tuple


def stub_methods(source: str, cls: str = "Engine") -> dict[str, list[Param]]:
    tree = ast.parse(source)
    node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
    out = {}
    for f in node.body:
        if not isinstance(f, ast.FunctionDef):
            continue
        if any(isinstance(d, ast.Name) and d.id == "property" for d in f.decorator_list):
            continue
        a = f.args
        pos = a.posonlyargs + a.args
        params = [(p.arg, "pos", i >= len(pos) - len(a.defaults)) for i, p in enumerate(pos)]
        if a.vararg:
            params.append((a.vararg.arg, "*args", False))
        params += [(p.arg, "kw", d is not None) for p, d in zip(a.kwonlyargs, a.kw_defaults)]
        if a.kwarg:
            params.append((a.kwarg.arg, "**kwargs", False))
        out[f.name] = params
    return out


def split_top(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def pybind_params(name: str, doc: str) -> list[Param]:
    line = doc.splitlines()[0]
    assert line.startswith(name + "("), (name, line)
    inner = line[len(name) + 1:line.rindex(") -> ")]
    params, kind = [], "pos"
    for part in split_top(inner):
        if part == "*":
            kind = "kw"
        elif part.startswith("**"):
            params.append((part[2:].split(":")[0], "**kwargs", False))
        elif part.startswith("*"):
            params.append((part[1:].split(":")[0], "*args", False))
            kind = "kw"
        else:
            params.append((part.split(":")[0].split("=")[0].strip(), kind, "=" in part))
    return params


def runtime_params(name: str, obj) -> list[Param]:
    if inspect.isfunction(obj):
        kinds = {inspect.Parameter.POSITIONAL_OR_KEYWORD: "pos",
                 inspect.Parameter.POSITIONAL_ONLY: "pos",
                 inspect.Parameter.KEYWORD_ONLY: "kw",
                 inspect.Parameter.VAR_POSITIONAL: "*args",
                 inspect.Parameter.VAR_KEYWORD: "**kwargs"}
        return [(p.name, kinds[p.kind], p.default is not inspect.Parameter.empty)
                for p in inspect.signature(obj).parameters.values()]
    return pybind_params(name, obj.__doc__)


def public_methods() -> list[str]:
    names = [n for n, v in vars(_workflow.Engine).items()
             if not n.startswith("_") and not isinstance(v, property)]
    return sorted(names) + ["__init__"]


def mismatches(stubs: dict[str, list[Param]]) -> list[str]:
    bad = []
    for name in public_methods():
        runtime = runtime_params(name, getattr(_workflow.Engine, name))
        if name not in stubs:
            bad.append(f"{name}: not in the stub")
        elif stubs[name] != runtime:
            bad.append(f"{name}: stub {stubs[name]} != runtime {runtime}")
    return bad


def test_every_engine_method_has_the_stubs_signature():
    assert mismatches(stub_methods(STUB.read_text(encoding="utf-8"))) == []


def test_the_check_fails_when_stub_and_runtime_disagree():
    source = STUB.read_text(encoding="utf-8")
    approve = "    def approve(self, case_id: int, *, actor: str, request_id: Optional[str] = None)"
    assert approve in source
    for wrong in (approve.replace("actor: str,", "actor: str, days: int = 0,"),  # extra
                  approve.replace("request_id: Optional[str] = None", "request_id: str"),
                  approve.replace("*, actor", "actor")):                          # kind
        bad = mismatches(stub_methods(source.replace(approve, wrong)))
        assert len(bad) == 1 and bad[0].startswith("approve:"), bad


@pytest.mark.parametrize("verb", workflow.VERBS)
def test_verbs_are_python_functions_with_real_signatures(verb):
    assert inspect.isfunction(getattr(workflow.Engine, verb))
