#!/usr/bin/env bash
# The README's install route, offline: a venv that sees Debian's packages, then
#   pip install --no-build-isolation ./bindings/python
# with the package index switched off, then a real call through the installed package.
#   check_pip_install.sh PYTHON SOURCE_DIR VENV_DIR
set -euo pipefail
python=$1 source=$2 venv=$3
rm -rf "$venv"
"$python" -m venv --system-site-packages "$venv"
"$venv/bin/python" -m pip install --no-build-isolation --no-index --quiet "$source/bindings/python"
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
print("pip install ok:", workflow.__file__)
PY
