"""simulate, report, export and audit verify on a PostgreSQL partition: `--db CONNINFO
--partition P` (or `report CONNINFO --partition P`) wherever they take an SQLite file.

Run by ctest under tests/postgres/with_cluster.sh, which provides WORKFLOW_PG_CONNINFO (a
throwaway cluster); without it (a build without the PostgreSQL store) these tests skip. The
same seed simulated into SQLite and into PostgreSQL must give the same report, the same change
feed and the same hash chain: the partition holds the same hall."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

CLI = os.environ["WORKFLOW_CLI"]
PG = os.environ.get("WORKFLOW_PG_CONNINFO")
PSQL = shutil.which("psql")

pytestmark = pytest.mark.skipif(PG is None or PSQL is None,
                                reason="no PostgreSQL cluster (run under with_cluster.sh)")


def run(*args, timeout=120):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def psql(sql):
    r = subprocess.run([PSQL, PG, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def log_of(where="true"):
    """The events' count and a digest of their chain hashes: equal only if nothing changed."""
    return psql("SELECT count(*), md5(string_agg(encode(hash, 'hex'), ',' ORDER BY partition, id)) "
                f"FROM wf_events WHERE {where}")


def partitions():
    return psql("SELECT partition FROM wf_partitions ORDER BY 1").splitlines()


@pytest.fixture(scope="module")
def halls(tmp_path_factory):
    """The same three days (seed 11) in an SQLite file and in partition 360730."""
    db = tmp_path_factory.mktemp("hall") / "hall.db"
    r = run("simulate", "--db", db, "--days", 3, "--seed", 11)
    assert r.returncode == 0, r.stderr
    r = run("simulate", "--db", PG, "--partition", "360730", "--days", 3, "--seed", 11)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1].startswith("database: PostgreSQL partition '360730' (")
    assert PG not in r.stdout  # a conninfo may hold a password: never printed
    return db


def test_the_partition_holds_the_same_hall_as_the_file(halls):
    sqlite = run("report", halls, "--json")
    pg = run("report", PG, "--partition", "360730", "--json")
    assert sqlite.returncode == 0 and pg.returncode == 0, sqlite.stderr + pg.stderr
    assert json.loads(pg.stdout) == json.loads(sqlite.stdout)
    assert json.loads(pg.stdout)["cases"] > 0
    # The change feed, positions and chain hashes included, is the same too.
    sqlite = run("export", "--db", halls, "--after", 0, "--limit", 100000)
    pg = run("export", "--db", PG, "--partition", "360730", "--after", 0, "--limit", 100000)
    assert pg.returncode == 0, pg.stderr
    assert pg.stdout == sqlite.stdout
    # Only the finished partition is left: the run's temporary one was moved into place.
    assert "360730" in partitions()
    assert not [p for p in partitions() if ".tmp-" in p]


def test_audit_verify_names_the_partition_and_the_first_bad_event(halls):
    events = int(psql("SELECT count(*) FROM wf_events WHERE partition = '360730'"))
    r = run("audit", "verify", PG, "--partition", "360730")
    assert r.returncode == 0, r.stderr
    cases = int(psql("SELECT count(*) FROM wf_cases WHERE partition = '360730'"))
    assert r.stdout == (f"PostgreSQL partition '360730': ok: {events} events, hash chain intact\n"
                        f"PostgreSQL partition '360730': {cases} snapshots match the chain\n")
    # Someone at the server rewrites a refusal's reason in another partition's copy.
    r = run("simulate", "--db", PG, "--partition", "tampered", "--days", 1, "--seed", 2)
    assert r.returncode == 0, r.stderr
    case, seq = psql("UPDATE wf_events SET actor = 'someone else' WHERE partition = 'tampered' "
                     "AND id = 7 RETURNING case_id, seq").splitlines()[0].split("|")
    r = run("audit", "verify", PG, "--partition", "tampered")
    assert r.returncode == 1, r.stderr
    assert r.stdout == (f"PostgreSQL partition 'tampered': event 7 (case {case} seq {seq}): "
                        "hash does not match its contents and its predecessor's hash\n")
    # The other partition is untouched by it.
    assert run("audit", "verify", PG, "--partition", "360730").returncode == 0


def test_simulate_refuses_a_partition_with_a_hall_unless_forced(halls):
    before = log_of("partition = '360730'")
    r = run("simulate", "--db", PG, "--partition", "360730", "--days", 1)
    assert r.returncode == 2
    assert r.stderr == ("workflow: error: PostgreSQL partition '360730' already holds a hall; "
                        "use --force to replace it\n")
    assert log_of("partition = '360730'") == before
    r = run("simulate", "--db", PG, "--partition", "forced", "--days", 2, "--seed", 5)
    assert r.returncode == 0, r.stderr
    r = run("simulate", "--db", PG, "--partition", "forced", "--days", 1, "--seed", 5, "--force")
    assert r.returncode == 0, r.stderr
    one_day = tuple(json.loads(run("report", PG, "--partition", "forced", "--json").stdout)
                    .items())
    fresh = run("simulate", "--db", PG, "--partition", "fresh", "--days", 1, "--seed", 5)
    assert fresh.returncode == 0, fresh.stderr
    # --force replaced the two days with one, nothing of the old run left.
    assert tuple(json.loads(run("report", PG, "--partition", "fresh", "--json").stdout)
                 .items()) == one_day
    assert (psql("SELECT count(*) FROM wf_events WHERE partition = 'forced'")
            == psql("SELECT count(*) FROM wf_events WHERE partition = 'fresh'"))


def test_a_failed_run_leaves_the_partition_as_it_was(halls, tmp_path):
    before = log_of("partition = '360730'")
    r = run("simulate", "--db", PG, "--partition", "360730", "--force", "--rules",
            tmp_path / "no-such-rules")
    assert r.returncode == 2
    assert r.stderr.startswith("workflow: error: ")
    assert log_of("partition = '360730'") == before
    assert not [p for p in partitions() if ".tmp-" in p]


def test_report_and_export_only_read(halls, tmp_path):
    before = log_of()
    r = run("report", PG, "--partition", "360730", "--html", tmp_path / "r.html")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "r.html").stat().st_size > 0
    assert run("export", "--db", PG, "--partition", "360730", "--after", 5).returncode == 0
    assert log_of() == before
    # A reader opens nothing: an unknown partition is not created.
    r = run("report", PG, "--partition", "360799")
    assert r.returncode == 2
    assert r.stderr == ("workflow: error: PostgreSQL partition '360799': no such partition in "
                        "this database\n")
    assert "360799" not in partitions()


def test_the_uri_form_names_the_same_database(halls):
    params = dict(kv.split("=", 1) for kv in PG.split())
    uri = f"postgresql:///{params['dbname']}?host={params['host']}&user={params['user']}"
    r = run("audit", "verify", uri, "--partition", "360730")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("PostgreSQL partition '360730': ok: ")


@pytest.mark.parametrize("args, message", [
    (["audit", "verify", "{pg}"],
     "a PostgreSQL database needs --partition (the hall's partition, e.g. 360730)"),
    (["report", "{pg}"],
     "a PostgreSQL database needs --partition (the hall's partition, e.g. 360730)"),
    (["export", "--db", "{pg}", "--after", "0"],
     "a PostgreSQL database needs --partition (the hall's partition, e.g. 360730)"),
    (["simulate", "--db", "{pg}", "--days", "1"],
     "a PostgreSQL database needs --partition (the hall's partition, e.g. 360730)"),
    (["audit", "verify", "{file}", "--partition", "360730"],
     "--partition 360730: {file} is an SQLite file, which has no partitions (a PostgreSQL "
     "database is named by a conninfo, postgresql://... or \"host=... dbname=...\")"),
    (["simulate", "--db", "{file}", "--partition", "360730", "--days", "1"],
     "--partition 360730: {file} is an SQLite file, which has no partitions (a PostgreSQL "
     "database is named by a conninfo, postgresql://... or \"host=... dbname=...\")"),
])
def test_a_partition_goes_with_a_conninfo_and_only_with_one(halls, tmp_path, args, message):
    file = tmp_path / "x.db"
    fill = lambda s: s.replace("{pg}", PG).replace("{file}", str(file))
    r = run(*map(fill, args))
    assert r.returncode == 2
    assert r.stderr == f"workflow: error: {fill(message)}\n"
    assert not file.exists()


def test_a_database_that_cannot_be_reached_is_a_clear_error(tmp_path):
    r = run("audit", "verify", f"host={tmp_path} dbname=postgres", "--partition", "360730")
    assert r.returncode == 2
    assert r.stderr.startswith("workflow: error: PostgreSQL partition '360730': cannot connect: ")
