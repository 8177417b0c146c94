"""``python -m workflow ARGS...`` runs the ``workflow`` command-line tool with ARGS.

The tool is the C++ program of docs/cli.md; this only finds it and passes the arguments
and the exit code through. It looks, in order, for:

1. ``$WORKFLOW_CLI``, if set (an explicit choice is used even if wrong);
2. ``bin/workflow`` inside this package (a wheel built with the tool shipped in it);
3. ``tools/workflow`` of the CMake build tree this package was built in
   (``<build>/bindings/python/workflow/`` -> ``<build>/tools/workflow``);
4. ``workflow`` on ``PATH`` (e.g. ``cmake --install`` into ``/usr/local``).

The rule sets shipped with the package are given to the tool through
``$WORKFLOW_RULES_DIR`` unless it is already set, so ``python -m workflow simulate`` runs
on the same rules as ``workflow.shipped_rules("ningdu")``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def find_cli() -> str | None:
    """The path of the ``workflow`` tool, or None (see the module docstring for the order)."""
    explicit = os.environ.get("WORKFLOW_CLI")
    if explicit:
        return explicit
    for candidate in (HERE / "bin" / "workflow", HERE.parents[2] / "tools" / "workflow"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("workflow")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    cli = find_cli()
    if cli is None:
        print("python -m workflow: the workflow command-line tool was not found (looked at "
              "$WORKFLOW_CLI, this package's bin/, the build tree's tools/ and PATH)",
              file=sys.stderr)
        return 2
    env = dict(os.environ)
    if "WORKFLOW_RULES_DIR" not in env and (HERE / "rules" / "calendar").is_dir():
        env["WORKFLOW_RULES_DIR"] = str(HERE / "rules")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(cli, [cli, *args], env)  # the tool's output and exit code, unchanged
    return 2  # not reached


if __name__ == "__main__":
    sys.exit(main())
