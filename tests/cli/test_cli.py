"""The `workflow` command line: exit codes and exact output shapes scripts rely on."""
import os
import re
import subprocess
import textwrap
from pathlib import Path

CLI = os.environ["WORKFLOW_CLI"]
SOURCE = Path(os.environ["WORKFLOW_SOURCE_DIR"])
RULES = SOURCE / "rules"


def run(*args, env=None):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, env=env,
                          timeout=60)


def test_validate_shipped_sets_prints_one_summary_line_each():
    r = run("validate", RULES / "ningdu", RULES / "sandu")
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 2
    for line, name in zip(lines, ["ningdu", "sandu"]):
        assert re.fullmatch(
            rf".*/rules/{name}: ok: \d+ offices, \d+ posts, \d+ matters, \d+ delegations, "
            r"\d+ bundles? \(version [0-9a-f]{12}\)", line), line
    assert ", 1 bundle (version" in lines[0]  # ningdu: 企业开办一件事, singular
    assert ", 0 bundles (version" in lines[1]


def test_validate_summary_breaks_the_set_down():
    r = run("validate", "--summary", RULES / "ningdu")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"^  offices: .*\d+ county, \d+ township, \d+ village", r.stdout, re.M)
    assert re.search(r"^  matters: .*\d+ instant", r.stdout, re.M)
    assert re.search(r"^  bundles: +1 \(5 parts\), cross-region matters: \d+$", r.stdout, re.M)


def write_set(tmp_path, files):
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_validate_bad_set_lists_every_problem_with_location(tmp_path):
    write_set(tmp_path, {
        "offices.yaml": """\
            offices:
              - {id: nd, name: 宁都县政务服务中心, level: county}
            departments:
              - {id: hall, name: 政务服务办, office: nd}
            staff:
              - {id: s1, name: 刘敏, office: nd}
            """,
        "posts.yaml": """\
            posts:
              - {id: w1, name: 综合窗口1, office: nd, department: hall, a: s1, b: s1}
              - {id: w2, name: 综合窗口2, office: nowhere, department: hall, a: s1, b: s9}
            """,
    })
    r = run("validate", tmp_path)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    posts = re.escape(str(tmp_path / "posts.yaml"))
    # One line per problem, each "file:line:col: field: message", all of them at once.
    assert any(re.fullmatch(rf"{posts}:2:\d+: posts\[0\]\.b: .*", l) for l in lines), lines
    assert any(re.fullmatch(rf"{posts}:3:\d+: posts\[1\]\.office: .*'nowhere'.*", l)
               for l in lines), lines
    assert any(re.fullmatch(rf"{posts}:3:\d+: posts\[1\]\.b: .*'s9'.*", l) for l in lines), lines
    assert all(re.match(r".+:\d+:\d+: ", l) for l in lines), lines


def test_validate_missing_directory_is_an_error_naming_it_once(tmp_path):
    r = run("validate", tmp_path / "absent")
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.startswith("workflow: error: ")
    assert r.stderr.count(str(tmp_path / "absent")) == 1, r.stderr


def test_validate_missing_directory_among_good_ones_still_checks_them(tmp_path):
    r = run("validate", RULES / "ningdu", tmp_path / "absent")
    assert r.returncode == 2
    assert ": ok: " in r.stdout and "absent" in r.stderr


def test_calendar_is_workday_one_line_per_date():
    # 2025-10-11 is a 调休 Saturday; 2025-10-08 is inside the National Day holiday.
    r = run("calendar", "is-workday", "2025-10-11", "2025-10-08", "2025-10-09")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "2025-10-11 true\n2025-10-08 false\n2025-10-09 true\n"


def test_calendar_add_and_between_agree():
    r = run("calendar", "add", "2025-09-30", "5")
    assert (r.returncode, r.stdout) == (0, "2025-10-14\n"), r.stderr
    r = run("calendar", "between", "2025-09-30", "2025-10-14")
    assert (r.returncode, r.stdout) == (0, "5\n"), r.stderr


def test_calendar_explicit_directory(tmp_path):
    r = run("calendar", "add", "--calendar", RULES / "calendar", "2026-02-13", "1")
    assert (r.returncode, r.stdout) == (0, "2026-02-14\n"), r.stderr  # 调休 Saturday


def test_calendar_bad_date_is_a_clear_error():
    r = run("calendar", "is-workday", "2025-02-30")
    assert r.returncode != 0
    assert "2025-02-30" in r.stderr and r.stdout == ""


def test_calendar_unknown_year_names_the_year():
    # The shipped calendar ends with the provisional year 2035.
    r = run("calendar", "is-workday", "2036-05-06")
    assert r.returncode != 0
    assert "2036" in r.stderr


def test_calendar_years_one_line_per_year():
    r = run("calendar", "years")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [str(y) for y in range(2020, 2036)]
    assert lines[6] == "2026 official 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）"
    assert lines[7].startswith("2027 provisional 《全国年节及纪念日放假办法》")
    assert "国务院令第798号" in lines[7]
    assert all(line.split(" ")[1] == ("official" if i < 7 else "provisional") for i, line in enumerate(lines))


def test_calendar_years_explicit_directory(tmp_path):
    (tmp_path / "2027.yaml").write_text(
        "year: 2027\nprovisional: true\nsource: test\nholidays: []\nmakeup_workdays: []\n", encoding="utf-8")
    r = run("calendar", "years", "--calendar", tmp_path)
    assert (r.returncode, r.stdout) == (0, "2027 provisional test\n"), r.stderr


def test_calendar_missing_directory_is_a_clear_error(tmp_path):
    r = run("calendar", "between", "--calendar", tmp_path / "nope", "2025-01-01", "2025-01-31")
    assert r.returncode != 0
    assert "nope" in r.stderr


def test_calendar_found_from_environment_override(tmp_path):
    env = dict(os.environ, WORKFLOW_RULES_DIR=str(tmp_path))
    r = run("calendar", "add", "2025-09-30", "1", env=env)
    assert r.returncode != 0  # the override is honoured even when it is wrong ...
    assert str(tmp_path) in r.stderr  # ... and the error says where it looked


def test_the_complete_example_in_docs_rules_md_loads(tmp_path):
    """docs/rules.md promises a complete, valid example: hold it to that."""
    doc = (SOURCE / "docs" / "rules.md").read_text(encoding="utf-8")
    section = doc[doc.index("## A complete example"):]
    example = section[section.index("```yaml") + len("```yaml"):]
    example = example[:example.index("```")]
    # The example shows several files one after another, each headed "# name.yaml".
    files, current = {}, None
    for line in example.splitlines():
        m = re.fullmatch(r"# (\S+\.yaml)", line.strip())
        if m:
            current = m.group(1)
            files[current] = ""
        elif current:
            files[current] += line + "\n"
    assert len(files) >= 2
    write_set(tmp_path, files)
    r = run("validate", tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r": ok: 3 offices, 2 posts, 2 matters, 1 delegation, 1 bundle \(", r.stdout), \
        r.stdout


def test_version():
    r = run("--version")
    assert (r.returncode, r.stdout, r.stderr) == (0, "workflow 0.1.0\n", "")


def test_help_exits_0():
    for args in (["--help"], ["calendar", "--help"], ["simulate", "--help"]):
        r = run(*args)
        assert r.returncode == 0 and "Usage:" in r.stdout, args


COMMANDS = "(commands: validate, calendar, audit, simulate, report, export, rules)"


def test_unknown_commands_and_options_are_named_exit_2():
    cases = {
        ("bogus",): f"workflow: error: unknown command 'bogus' {COMMANDS}",
        ("--bogus",): "workflow: error: unknown option '--bogus'",
        ("calendar", "bogus"): "workflow: error: calendar: unknown command 'bogus' "
                               "(commands: is-workday, add, years, between)",
        ("calendar", "add", "--bogus", "2025-01-01", "1"):
            "workflow: error: calendar add: unknown option '--bogus'",
        ("calendar", "add", "2025-01-01", "1", "extra"):
            "workflow: error: calendar add: unexpected argument 'extra'",
        (): f"workflow: error: a command is required {COMMANDS}",
        ("audit",): "workflow: error: audit: a command is required (commands: verify, head)",
    }
    for args, first_line in cases.items():
        r = run(*args)
        assert r.returncode == 2, (args, r.returncode, r.stderr)
        assert r.stdout == ""
        assert r.stderr.splitlines()[0] == first_line, (args, r.stderr)


def test_every_usage_error_is_exit_2():
    # CLI11 has its own codes (104-109) for these; the tool maps them all to 2.
    for args in (["validate"], ["simulate", "--days", "200"], ["simulate", "--days", "x"],
                 ["calendar", "add", "2025-01-01"], ["report"], ["rules", "install", "x"]):
        r = run(*args)
        assert r.returncode == 2, (args, r.returncode, r.stderr)
        assert r.stderr.startswith("workflow: error: "), (args, r.stderr)


def test_rules_diff_of_a_missing_directory_is_an_error_like_validate(tmp_path):
    r = run("rules", "diff", tmp_path / "absent", RULES / "ningdu")
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.startswith("workflow: error: ")
    assert r.stderr.count(str(tmp_path / "absent")) == 1, r.stderr
