"""The exception hierarchy: every C++ ErrorCode maps to its class with .code and the C++
message, and the hall's refusals raise what docs/engine.md says they raise."""

from __future__ import annotations

import os

import pytest

import workflow
from conftest import FOOD_LICENCE, FOOD_MATERIALS, food_case_at_review

EXPECTED = {
    "invalid_argument": workflow.InvalidArgument,
    "rules_invalid": workflow.RuleError,
    "calendar_invalid": workflow.CalendarError,
    "calendar_no_data": workflow.CalendarError,
    "not_found": workflow.NotFound,
    "permission_denied": workflow.PermissionDenied,
    "invalid_transition": workflow.InvalidTransition,
    "store_error": workflow.StoreError,
    "io_error": workflow.FileError,
}


def test_every_error_code_has_its_class():
    assert set(workflow.ERROR_CODES) == set(EXPECTED)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_code_raises_its_class_with_code_and_message(code):
    with pytest.raises(EXPECTED[code]) as caught:
        workflow._workflow._raise_error(code, f"something about {code}")
    error = caught.value
    assert type(error) is EXPECTED[code]
    assert isinstance(error, workflow.Error)
    assert error.code == code
    assert str(error) == error.message == f"something about {code}"
    assert error.diagnostics == []


def test_the_hierarchy_and_the_builtin_bases():
    for cls in EXPECTED.values():
        assert issubclass(cls, workflow.Error)
    assert issubclass(workflow.Error, Exception)
    assert issubclass(workflow.InvalidArgument, ValueError)
    assert issubclass(workflow.NotFound, LookupError)
    assert issubclass(workflow.FileError, OSError)
    assert not issubclass(workflow.StoreError, OSError)
    assert workflow.NotFound.__module__ == "workflow"
    # Raised by hand, the classes still carry their default code.
    assert workflow.PermissionDenied("no").code == "permission_denied"


def test_unknown_case_matter_office_staff_are_not_found(hall):
    engine = hall()
    with pytest.raises(workflow.NotFound, match="999"):
        engine.case(999)
    with pytest.raises(workflow.NotFound):
        engine.accept(999, actor="nd-s001")
    with pytest.raises(workflow.NotFound, match="unknown matter"):
        engine.submit("360730-NOPE", "nd", [], actor="nd-s001")
    with pytest.raises(workflow.NotFound, match="unknown office"):
        engine.submit(FOOD_LICENCE, "xx", FOOD_MATERIALS, actor="nd-s001")
    with pytest.raises(workflow.NotFound):
        engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s999")
    with pytest.raises(LookupError):
        engine.available_actions(999, "nd-s001")


def test_permission_denied_is_raised_and_audited(hall):
    engine = hall()
    case_id = food_case_at_review(engine)
    with pytest.raises(workflow.PermissionDenied, match="nd-s022") as caught:
        engine.review_pass(case_id, actor="nd-s001")
    assert caught.value.code == "permission_denied"
    last = engine.case(case_id).history[-1]
    assert (last.kind, last.actor) == ("permission_denied", "nd-s001")
    assert engine.case(case_id).state == "back_office_review"
    # A clerk with no window post there may not receive an application either.
    with pytest.raises(workflow.PermissionDenied):
        engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s022")


def test_denied_attempts_need_not_be_recorded(hall):
    engine = hall(record_denied_attempts=False)
    case_id = food_case_at_review(engine)
    with pytest.raises(workflow.PermissionDenied):
        engine.review_pass(case_id, actor="nd-s001")
    assert engine.case(case_id).history[-1].kind == "review_pass"


def test_a_verb_impossible_in_the_state_is_invalid_transition_whoever_gives_it(hall):
    # 行政许可法 §38 / the hall's 前台受理、后台审批: the first stage reviews, it does not decide;
    # approve is impossible now, so even an outsider hears why, not that they lack the stage.
    engine = hall()
    case_id = food_case_at_review(engine)
    with pytest.raises(workflow.InvalidTransition, match="pass it to the next stage first"):
        engine.approve(case_id, actor="nd-s001")
    assert engine.case(case_id).history[-1].kind == "review_pass"


def test_invalid_transitions_say_why_and_change_nothing(hall):
    engine = hall()
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS[:2], actor="nd-s001")
    with pytest.raises(workflow.InvalidTransition) as caught:
        engine.accept(case_id, actor="nd-s001")
    assert FOOD_MATERIALS[2] in str(caught.value)  # which materials are missing
    with pytest.raises(workflow.InvalidTransition):
        engine.issue(case_id, actor="nd-s001")
    assert engine.case(case_id).state == "received"
    assert len(engine.case(case_id).history) == 1


def test_missing_details_are_invalid_arguments(hall):
    engine = hall()
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001")
    for verb in ("refuse", "withdraw"):
        with pytest.raises(workflow.InvalidArgument) as caught:
            engine.act(case_id, verb, actor="nd-s001")
        assert isinstance(caught.value, ValueError)
    engine.refuse(case_id, actor="nd-s001", reason="不属于本机关职权范围")
    assert engine.case(case_id).state == "refused"


def test_a_closed_engine_raises_store_error(hall):
    engine = hall()
    engine.close()
    assert engine.closed
    engine.close()  # idempotent
    for call in (lambda: engine.case(1), lambda: engine.cases(), lambda: engine.now(),
                 lambda: engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001"),
                 lambda: engine.on_event(print)):
        with pytest.raises(workflow.StoreError, match="closed"):
            call()


def test_a_file_that_is_not_a_store_is_a_store_error(tmp_path, ningdu):
    bogus = tmp_path / "hall.db"
    bogus.write_text("这不是数据库" * 200, encoding="utf-8")
    with pytest.raises(workflow.StoreError, match="hall.db") as caught:
        workflow.Engine(ningdu, db=bogus)
    assert caught.value.code == "store_error"
    assert bogus.read_text(encoding="utf-8") == "这不是数据库" * 200  # left as it was


def test_file_error_has_errno_and_filename(tmp_path):
    import errno
    missing = tmp_path / "absent"
    with pytest.raises(OSError) as info:
        workflow.load_rules(missing)
    assert isinstance(info.value, workflow.FileError)
    assert info.value.errno == errno.ENOENT and info.value.filename == str(missing)
    assert info.value.strerror == os.strerror(errno.ENOENT)
    a_file = tmp_path / "file.yaml"
    a_file.write_text("x: 1\n", encoding="utf-8")
    with pytest.raises(workflow.FileError) as info:
        workflow.Calendar.load(a_file)
    assert info.value.errno == errno.ENOTDIR and info.value.filename == str(a_file)
    with pytest.raises(OSError) as info:
        workflow.Engine(missing)
    assert info.value.errno == errno.ENOENT and info.value.filename == str(missing)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any directory")
def test_file_error_for_an_unreadable_directory(tmp_path):
    import errno
    closed = tmp_path / "closed"
    closed.mkdir()
    closed.chmod(0)
    try:
        with pytest.raises(workflow.FileError) as info:
            workflow.load_rules(closed)
        assert info.value.errno == errno.EACCES
    finally:
        closed.chmod(0o755)


def test_file_error_errno_from_the_path_alone():
    import errno
    e = workflow.FileError("gone", filename="/nonexistent/rules")
    assert (e.errno, e.filename, str(e)) == (errno.ENOENT, "/nonexistent/rules", "gone")
    assert workflow.FileError("no path").errno is None
