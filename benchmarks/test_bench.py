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


@pytest.mark.smoke
def test_single_threaded_latencies_fit_in_the_timed_part(tmp_path):
    # lifecycle-mem and mixed give their commands one after another inside the timed part,
    # so the latencies, however the clock ticks are converted, add up to no more than it.
    out = tmp_path / "latency.jsonl"
    r = bench("--smoke", "--benchmarks=lifecycle-mem,mixed", "--json", str(out),
              "--data-dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    for line in out.read_text().splitlines():
        record = json.loads(line)
        latency = record["latency_ns"]
        assert latency["samples"] == record["commands"]
        assert 0 < latency["p50"] <= latency["p99"] <= latency["max"]
        assert 0 < latency["mean"] <= latency["max"]
        # (0.92-0.99 of it measured: the smoke run's first commands are its slowest; the slack
        # covers the printed digits, while ticks left unconverted give 2-4 times the part)
        assert latency["mean"] * latency["samples"] <= record["seconds"] * 1e9 * 1.001


@pytest.mark.smoke
def test_sqlite_durable_runs_report_both_raw_baselines(tmp_path):
    out = tmp_path / "durable.jsonl"
    r = bench("--smoke", "--benchmarks=lifecycle-durable", "--threads=2", "--json", str(out),
              "--data-dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    record = json.loads(out.read_text())
    for run in record["runs"]:
        extra = run["extra"]
        assert extra["raw_batched_events_per_s"] > 0
        # The store's own rows written raw: its ceiling, and how close the store comes.
        assert extra["raw_store_rows_events_per_s"] > 0
        assert extra["raw_store_rows_ratio_vs_batched"] == pytest.approx(
            extra["raw_store_rows_events_per_s"] / extra["raw_batched_events_per_s"], rel=1e-4)
        assert extra["ratio_vs_raw_store_rows"] > 0
        assert extra["raw_store_rows_cases"] == run["cases"]  # every case's row was written
        assert "checkpoints" in extra and "inline_checkpoints" in extra  # reported, each run
        # Pipelined runs: the same rows in transactions as large as the clients allow, half
        # as large, and as the store's mean transaction.
        pipelined = "pipelined" in run["variant"]
        assert ("commands_in_flight" in extra) == pipelined
        assert ("raw_store_rows_in_flight_tx_ratio_vs_batched" in extra) == pipelined
        assert ("raw_store_rows_half_in_flight_tx_ratio_vs_batched" in extra) == pipelined
        if pipelined:
            assert extra["commands_in_flight"] == 2 * int(run["variant"].split("depth=")[1])
            assert extra["raw_store_rows_in_flight_tx_ratio_vs_batched"] > 0
            assert extra["raw_store_rows_half_in_flight_tx_ratio_vs_batched"] > 0
            assert extra["raw_store_rows_store_tx_ratio_vs_batched"] > 0
            assert extra["ratio_vs_raw_store_rows_store_tx"] > 0
    assert not list(tmp_path.glob("*.db"))  # the store files and scratch databases are gone


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


@pytest.mark.cli
@pytest.mark.parametrize("args, message", [
    (["--store=nope"], "--store"),
    (["--store=postgres", "--benchmarks=lifecycle-durable"], "--conninfo"),
])
def test_a_bad_store_is_a_usage_error(args, message, monkeypatch):
    monkeypatch.delenv("WORKFLOW_PG_CONNINFO", raising=False)
    r = bench(*args)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert message in r.stderr
    assert r.stdout == ""


def psql(conninfo, sql):
    return subprocess.run(["psql", "-X", "-A", "-t", "-d", conninfo, "-c", sql],
                          capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.postgres
def test_lifecycle_durable_on_postgres_measures_both_settings_and_its_baselines(tmp_path):
    conninfo = os.environ.get("WORKFLOW_PG_CONNINFO")
    assert conninfo, "run under tests/postgres/with_cluster.sh"
    out = tmp_path / "pg.jsonl"
    r = bench("--smoke", "--benchmarks=lifecycle-durable", "--store=postgres", "--threads=2",
              "--json", str(out))
    assert r.returncode == 0, r.stderr
    record = json.loads(out.read_text())
    assert record["workload"] == "lifecycle-durable"
    assert record["variant"] == "postgres threads=2 sync=on blocking"
    variants = [run["variant"] for run in record["runs"]]
    assert variants == [f"postgres threads=2 sync={s} {kind}" for s in ("off", "on")
                        for kind in ("blocking", "pipelined depth=32")]
    for run in record["runs"]:
        assert run["events"] >= run["commands"] > 0  # read back from the partition
        assert run["baseline"].startswith("raw PostgreSQL batched")
        assert run["baseline_value"] > 0 and run["baseline_ratio"] > 0
        extra = run["extra"]
        assert extra["store_transactions"] > 0
        assert extra["raw_batched_events_per_s"] > 0
        assert extra["raw_one_tx_per_command_per_s"] > 0
    # Every run's partition and the baselines' scratch table are gone.
    assert psql(conninfo, "SELECT count(*) FROM wf_partitions WHERE partition LIKE 'bench-%'") == "0"
    assert psql(conninfo, "SELECT count(*) FROM wf_events WHERE partition LIKE 'bench-%'") == "0"
    assert psql(conninfo, "SELECT to_regclass('bench_raw_events') IS NULL") == "t"
