#!/usr/bin/env bash
# The README's install route, offline: a venv that sees Debian's packages, then
#   pip install --no-build-isolation ./bindings/python
# with the package index switched off, then a real call through the installed package, the
# shipped rule sets and tool (python -m workflow), the metadata, and a source tree left
# exactly as it was (no build/, no *.egg-info).
#   check_pip_install.sh PYTHON SOURCE_DIR VENV_DIR
set -euo pipefail
python=$1 source=$2 venv=$3
rm -rf "$venv"
# New untracked or ignored files (build/, *.egg-info, ...); edits to tracked files are not ours.
tree_before=$(git -C "$source" status --porcelain --ignored -- bindings/python | grep -E "^(\?\?|!!)" || true)
"$python" -m venv --system-site-packages "$venv"
"$venv/bin/python" -m pip install --no-build-isolation --no-index --quiet "$source/bindings/python"
tree_after=$(git -C "$source" status --porcelain --ignored -- bindings/python | grep -E "^(\?\?|!!)" || true)
if [ "$tree_before" != "$tree_after" ]; then
  echo "pip install left files in the source tree:" >&2
  diff <(echo "$tree_before") <(echo "$tree_after") >&2 || true
  exit 1
fi
cd "$venv"  # away from the source tree: import what pip installed
"$venv/bin/python" - "$source" <<'PY'
import datetime, pathlib, sys, workflow
source = pathlib.Path(sys.argv[1])
assert pathlib.Path(workflow.__file__).is_relative_to(pathlib.Path(sys.prefix)), workflow.__file__
calendar = workflow.Calendar.load(str(source / "rules" / "calendar"))
assert calendar.add_working_days(datetime.date(2025, 9, 30), 3) == datetime.date(2025, 10, 11)
rules = workflow.load_rules(str(source / "rules" / "sandu"))
clock = workflow.ManualClock(datetime.datetime(2025, 3, 3, 9, 10))
with workflow.Engine(rules, calendar, clock=clock) as hall:
    case = hall.submit("430481-SD-SHSW-0001", "ly-sd",
                       ["居民身份证或户口簿", "城乡居民基本养老保险参保登记表"], actor="sd-s07")
    hall.accept(case, actor="sd-s07")
    assert hall.case(case).state == "on_the_spot"
# The shipped rules, without the source tree, as the README's snippet uses them.
with workflow.Engine(workflow.load_rules(workflow.shipped_rules("ningdu"))) as hall:
    assert hall.calendar.years
import importlib.metadata as md
meta = md.metadata("libworkflow-hall")
assert meta["Version"] == workflow.__version__, meta["Version"]
assert meta["License"] or "License :: OSI Approved :: MIT License" in meta.get_all("Classifier")
assert meta["Requires-Python"] == ">=3.9"
print("pip install ok:", workflow.__file__)
PY
# python -m workflow runs the tool shipped in the package, on the shipped rules.
version=$(env -u WORKFLOW_CLI "$venv/bin/python" -m workflow --version)
[ "$version" = "workflow $("$venv/bin/python" -c 'import workflow; print(workflow.__version__)')" ]
env -u WORKFLOW_CLI -u WORKFLOW_RULES_DIR "$venv/bin/python" -m workflow validate \
  "$("$venv/bin/python" -c 'import workflow; print(workflow.shipped_rules("sandu"))')" | grep -q ": ok: "
echo "python -m workflow ok: $version"
