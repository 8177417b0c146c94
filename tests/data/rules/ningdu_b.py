"""Rule set B of the install scenarios: rules/ningdu with the edits of ningdu-b.edits.yaml.

Shared by the CLI tests (tests/cli) and the Python tests (bindings/python/tests): put this
directory on sys.path and call build_ningdu_b(source_dir, destination). Each edit's `old` must
occur exactly `count` times (default 1) in its file, so a drift of rules/ningdu fails loudly."""
import shutil
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
EDITS = HERE / "ningdu-b.edits.yaml"


def build_ningdu_b(source: Path, destination: Path) -> Path:
    """Copies the rule set `source` (rules/ningdu) to `destination` (which must not exist)
    and applies the edits; returns `destination`."""
    source, destination = Path(source), Path(destination)
    shutil.copytree(source, destination)
    edits = yaml.safe_load(EDITS.read_text(encoding="utf-8"))
    for edit in edits:
        path = destination / edit["file"]
        if not path.is_file():
            raise ValueError(f"{EDITS.name}: {edit['file']} is not a file of {source}")
        if edit.get("delete"):
            path.unlink()
            continue
        text = path.read_text(encoding="utf-8")
        old, new, count = edit["old"], edit["new"], edit.get("count", 1)
        found = text.count(old)
        if found != count:
            raise ValueError(f"{EDITS.name}: {edit['file']}: {old!r} occurs {found} times, "
                             f"expected {count}")
        path.write_text(text.replace(old, new), encoding="utf-8")
    return destination
