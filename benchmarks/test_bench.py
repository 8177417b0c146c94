"""workflow-bench from the outside: the smoke run's JSON lines and the flags' errors.

Run by ctest as bench.smoke (-m smoke) and bench.cli (-m cli), with WORKFLOW_BENCH naming the
binary.
"""
import json
import os
import subprocess

import pytest

BENCH = os.environ.get("WORKFLOW_BENCH", "build/benchmarks/workflow-bench")
WORKLOADS = ["lifecycle-mem", "lifecycle-durable", "mixed", "open-cases", "recovery", "export"]


def bench(*args, timeout=150):
    return subprocess.run([BENCH, "--no-progress", *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.smoke
def test_smoke_writes_one_valid_json_line_per_workload(tmp_path):
    out = tmp_path / "bench.jsonl"
    r = bench("--smoke", "--json", str(out))
    assert r.returncode == 0, r.stderr
    assert f"# smoke: {len(WORKLOADS)} workloads run" in r.stdout
    assert '{"workload"' not in r.stdout  # the JSON lines went to the file only
    lines = out.read_text().splitlines()
    assert len(lines) == len(WORKLOADS)
    for line, workload in zip(lines, WORKLOADS):
        record = json.loads(line)  # raises on anything that is not one JSON value
        assert isinstance(record, dict)
        assert record["workload"] == workload
        assert record["seconds"] > 0 and record["cases"] > 0


@pytest.mark.cli
@pytest.mark.parametrize("args, message", [
    (["--threads=abc"], "--threads"),
    (["--threads", "1,x"], "--threads"),
    (["--cases=many"], "--cases"),
    (["--benchmarks=nope"], "unknown workload 'nope'"),
    (["--no-such-flag"], "--no-such-flag"),
])
def test_a_malformed_flag_is_a_usage_error(args, message):
    r = bench(*args)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert message in r.stderr
    assert "terminate" not in r.stderr
    assert r.stdout == ""


@pytest.mark.cli
def test_space_separated_values_work(tmp_path):
    out = tmp_path / "lines.jsonl"
    r = bench("--benchmarks", "lifecycle-mem", "--cases", "1000", "--json", str(out))
    assert r.returncode == 0, r.stderr
    record = json.loads(out.read_text())
    assert record["workload"] == "lifecycle-mem"
    assert record["cases"] == 1000


@pytest.mark.cli
def test_json_lines_stay_off_stdout_unless_asked(tmp_path):
    r = bench("--benchmarks=lifecycle-mem", "--cases=200")
    assert r.returncode == 0, r.stderr
    assert '{"workload"' not in r.stdout
    r = bench("--benchmarks=lifecycle-mem", "--cases=200", "--json", "-")
    assert r.returncode == 0, r.stderr
    lines = [line for line in r.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1
    assert json.loads(lines[0])["workload"] == "lifecycle-mem"


@pytest.mark.cli
def test_an_unwritable_json_path_is_an_error_naming_path_and_reason(tmp_path):
    path = tmp_path / "no-such-dir" / "out.jsonl"
    r = bench("--benchmarks=lifecycle-mem", "--cases=200", f"--json={path}")
    assert r.returncode != 0
    assert str(path) in r.stderr
    assert "No such file or directory" in r.stderr
    assert r.stdout == ""  # nothing was run


@pytest.mark.cli
def test_help_exits_0():
    r = bench("--help")
    assert r.returncode == 0
    assert "--json" in r.stdout
