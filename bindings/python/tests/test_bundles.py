"""一件事一次办 at 宁都县 through the Python API: business opening (企业开办) as one submission,
one set of materials and one window at the county centre; a case per matter in each
department, run in parallel; one notice for everything missing; done when every part is,
against the bundle's own 1-day promise. The Python twin of tests/scenario_bundles_test.cpp."""

from __future__ import annotations

import threading

import pytest

import workflow
from conftest import d, t

OPENING = "business-opening"
# Every material of the bundle, each once, in the order of its parts.
OPENING_MATERIALS = [
    "公司登记（备案）申请书", "公司章程", "股东主体资格文件或自然人身份证明",
    "法定代表人、董事、监事和高级管理人员的任职文件及身份证明", "住所（经营场所）使用证明",
    "营业执照", "法定代表人身份证明", "经办人身份证明及授权委托书", "经办人身份证件",
    "发票专用章印模", "社会保险登记表", "单位住房公积金缴存登记表",
]
# The parts: 企业设立登记 (市场监管局), 公章刻制备案 (公安局), 首次申领发票 (税务局),
# 单位参保登记 (社保中心), 公积金缴存登记 (公积金办事处).
PARTS = ["360730-SCJG-0001", "360730-GA-0001", "360730-TAX-0001", "360730-SB-0001",
         "360730-GJJ-0001"]
FIRM = "宁都县赣江食品有限公司（筹）"
CLERK = "nd-s001"  # county centre, window 1


def without(*gone: str) -> list[str]:
    return [m for m in OPENING_MATERIALS if m not in gone]


def states(engine: workflow.Engine, bundle: workflow.BundleView) -> list[str]:
    return [engine.case(part).state for part in bundle.parts]


def test_the_rule_set_lists_the_business_opening_bundle(ningdu):
    assert [b.id for b in ningdu.bundles] == [OPENING]
    rule = ningdu.bundle(OPENING)
    assert (rule.name, rule.office, rule.promised_limit) == ("企业开办一件事", "nd", 1)
    assert rule.matters == PARTS
    assert repr(rule) == "<Bundle business-opening 企业开办一件事>"
    # The bundle's materials are its parts' materials, each once.
    union = []
    for code in rule.matters:
        union += [m for m in ningdu.matter(code).materials if m not in union]
    assert union == OPENING_MATERIALS
    with pytest.raises(workflow.NotFound, match="unknown bundle 'house-purchase'"):
        ningdu.bundle("house-purchase")


def test_business_opening_one_notice_accepted_whole_done_in_a_day(hall):
    engine = hall()
    bundle_id = engine.submit_bundle(OPENING, "nd", without("公司章程", "社会保险登记表"),
                                     actor=CLERK, applicant=FIRM)
    assert bundle_id == 1
    b = engine.bundle(bundle_id)
    assert (b.id, b.bundle, b.name, b.office, b.applicant) == \
        (1, OPENING, "企业开办一件事", "nd", FIRM)
    assert b.received == t("2025-03-03T09:00")
    assert b.missing_materials == ["公司章程", "社会保险登记表"]
    assert (b.accepted, b.promised_deadline, b.light) == (None, None, "none")
    assert (b.done, b.finished, b.denied) == (False, None, [])
    assert len(b.parts) == 5
    # Each part is a case of its own department, handed in at the same window.
    for part, code in zip(b.parts, PARTS):
        case = engine.case(part)
        assert (case.matter, case.bundle, case.applicant, case.accepting_office) == \
            (code, bundle_id, FIRM, "nd")
        assert "bundle_rule=business-opening" in case.history[0].detail
    assert [c.id for c in engine.cases(bundle=bundle_id)] == b.parts
    assert engine.cases(bundle=2) == []
    assert [x.id for x in engine.bundles()] == [bundle_id]

    # Accepting is all or nothing: two parts still lack materials.
    with pytest.raises(workflow.InvalidTransition, match="360730-SB-0001") as refused:
        engine.act_bundle(bundle_id, "accept", actor=CLERK)
    assert refused.value.code == "invalid_transition"
    assert states(engine, b) == ["received"] * 5

    # 一次性告知: the two parts that lack something get the notice; it names all of it.
    engine.act_bundle(bundle_id, "notify_missing", actor=CLERK)
    assert states(engine, b) == ["awaiting_materials", "received", "received",
                                 "awaiting_materials", "received"]
    assert engine.case(b.parts[3]).history[-1].detail == \
        "missing=社会保险登记表; bundle=1; bundle_missing=公司章程; 社会保险登记表"

    # The applicant brings both the next morning; each part takes what it needs.
    engine.advance_to(t("2025-03-04T09:30"))
    engine.act_bundle(bundle_id, "supplement", actor=CLERK,
                      materials=["公司章程", "社会保险登记表"])
    assert engine.bundle(bundle_id).missing_materials == []
    engine.act_bundle(bundle_id, "accept", actor=CLERK)
    b = engine.bundle(bundle_id)
    assert b.accepted == d("2025-03-04")
    assert b.promised_deadline == d("2025-03-05")  # the bundle's own promise: 1 working day
    assert b.light == "green"
    assert states(engine, b) == ["preliminary_review"] + ["on_the_spot"] * 4

    # The parts run in parallel, each in its department: the four instant ones at the window.
    for part in b.parts[1:]:
        engine.approve(part, actor=CLERK)
    engine.review_pass(b.parts[0], actor=CLERK)
    assert engine.case(b.parts[0]).post == "nd-amr-review"
    assert not engine.bundle(bundle_id).done
    engine.advance_to(t("2025-03-05T11:00"))
    engine.approve(b.parts[0], actor="nd-s022")
    engine.act_bundle(bundle_id, "issue", actor=CLERK, channel="e_certificate")
    b = engine.bundle(bundle_id)
    assert b.done
    assert b.finished == d("2025-03-05")  # on time, on the promised day itself
    assert b.light == "yellow"  # frozen as it stood on the day it finished: its last day
    assert b.denied == []
    assert b.missing_materials == []
    assert states(engine, b) == ["issued"] * 5
    assert all(engine.case(p).decision == "approved" for p in b.parts)
    assert repr(b) == "<BundleView 1 business-opening 5 parts done light=yellow>"


def test_a_denied_part_is_reported_and_a_late_bundle_turns_red(hall):
    engine = hall()
    bundle_id = engine.submit_bundle(OPENING, "nd", OPENING_MATERIALS, actor=CLERK,
                                     applicant=FIRM)
    engine.act_bundle(bundle_id, "accept", actor=CLERK)
    b = engine.bundle(bundle_id)
    assert (b.accepted, b.promised_deadline) == (d("2025-03-03"), d("2025-03-04"))
    engine.deny(b.parts[1], actor=CLERK, reason="印章样式不符合规定")
    assert engine.bundle(bundle_id).denied == [b.parts[1]]
    engine.advance_to(t("2025-03-05T09:00"))  # past 03-04 with the registration still open
    b = engine.bundle(bundle_id)
    assert (b.light, b.done, b.finished) == ("red", False, None)


def test_bundle_commands_are_checked_whole_and_change_nothing_when_refused(hall):
    engine = hall()
    with pytest.raises(workflow.InvalidArgument, match="结婚证"):
        engine.submit_bundle(OPENING, "nd", ["公司章程", "结婚证"], actor=CLERK)
    with pytest.raises(workflow.InvalidArgument, match="accepted at nd, not at nd-mj"):
        engine.submit_bundle(OPENING, "nd-mj", OPENING_MATERIALS, actor="nd-mj-s01")
    with pytest.raises(workflow.NotFound, match="unknown bundle 'no-such-thing'"):
        engine.submit_bundle("no-such-thing", "nd", OPENING_MATERIALS, actor=CLERK)
    assert engine.cases() == [] and engine.bundles() == []  # no part was created

    bundle_id = engine.submit_bundle(OPENING, "nd", OPENING_MATERIALS, actor=CLERK)
    # A back-office reviewer holds no window of the accepting office.
    with pytest.raises(workflow.PermissionDenied):
        engine.act_bundle(bundle_id, "accept", actor="nd-s022")
    # Back-office verbs are given on the part's case, not on the bundle.
    with pytest.raises(workflow.InvalidArgument, match="not a window command") as wrong:
        engine.act_bundle(bundle_id, "approve", actor=CLERK)
    assert isinstance(wrong.value, ValueError)
    with pytest.raises(workflow.InvalidTransition, match="applies to no part"):
        engine.act_bundle(bundle_id, "issue", actor=CLERK)
    with pytest.raises(workflow.NotFound, match="no bundle 99") as unknown:
        engine.act_bundle(99, "accept", actor=CLERK)
    assert isinstance(unknown.value, LookupError)
    with pytest.raises(workflow.NotFound):
        engine.bundle(99)
    with pytest.raises(workflow.InvalidArgument, match="unknown verb 'sign'"):
        engine.act_bundle(bundle_id, "sign", actor=CLERK)
    with pytest.raises(workflow.InvalidArgument, match="reason"):
        engine.act_bundle(bundle_id, "refuse", actor=CLERK)  # a refusal says why
    assert states(engine, engine.bundle(bundle_id)) == ["received"] * 5
    with pytest.raises(TypeError):
        engine.act_bundle(bundle_id, "accept")  # actor is required


def test_a_withdrawn_bundle_concludes_every_part(hall):
    engine = hall()
    bundle_id = engine.submit_bundle(OPENING, "nd", OPENING_MATERIALS, actor=CLERK)
    engine.act_bundle(bundle_id, "withdraw", actor=CLERK, reason="申请人改变经营计划")
    b = engine.bundle(bundle_id)
    assert states(engine, b) == ["withdrawn"] * 5
    assert (b.done, b.finished, b.light) == (True, d("2025-03-03"), "none")
    assert all(engine.case(p).history[-1].reason == "申请人改变经营计划" for p in b.parts)


def test_bundle_events_reach_observers_with_the_bundle_named(hall):
    engine = hall()
    seen = []
    engine.on_event(lambda e: seen.append((e.case_id, e.kind, e.detail)))
    bundle_id = engine.submit_bundle(OPENING, "nd", without("公司章程"), actor=CLERK)
    parts = engine.bundle(bundle_id).parts
    assert [(c, k) for c, k, _ in seen] == [(p, "submitted") for p in parts]
    seen.clear()
    engine.act_bundle(bundle_id, "notify_missing", actor=CLERK)
    # Only 企业设立登记 needs the articles of association.
    assert seen == [(parts[0], "notify_missing",
                     "missing=公司章程; bundle=1; bundle_missing=公司章程")]


def test_bundles_from_several_windows_at_once(hall):
    engine = hall()
    lock = threading.Lock()
    heard = []

    def record(event):
        with lock:
            heard.append(event.case_id)

    engine.on_event(record)
    ids: list[int] = []

    def window(clerk):
        for _ in range(10):
            got = engine.submit_bundle(OPENING, "nd", OPENING_MATERIALS, actor=clerk)
            engine.act_bundle(got, "accept", actor=clerk)
            with lock:
                ids.append(got)

    threads = [threading.Thread(target=window, args=(c,)) for c in ("nd-s001", "nd-s002")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(ids) == list(range(1, 21))
    bundles = engine.bundles()
    assert [b.id for b in bundles] == list(range(1, 21))
    assert sorted(p for b in bundles for p in b.parts) == list(range(1, 101))
    assert all(b.accepted == d("2025-03-03") for b in bundles)
    assert len(heard) == 200  # a submitted and an accept event for every part


def test_a_bundle_survives_closing_and_reopening_the_store(tmp_path, ningdu):
    db = tmp_path / "bundles.db"
    clock = workflow.ManualClock(t("2025-03-03T09:00"))
    with workflow.Engine(ningdu, db=db, clock=clock) as engine:
        bundle_id = engine.submit_bundle(OPENING, "nd", without("公司章程"), actor=CLERK,
                                         applicant=FIRM, request_id="kb-20250303-0001")
        # A retry with the same request id is the same bundle, not a second one.
        assert engine.submit_bundle(OPENING, "nd", without("公司章程"), actor=CLERK,
                                    applicant=FIRM, request_id="kb-20250303-0001") == bundle_id
        engine.act_bundle(bundle_id, "notify_missing", actor=CLERK)
        engine.act_bundle(bundle_id, "supplement", actor=CLERK, materials=["公司章程"])
        engine.act_bundle(bundle_id, "accept", actor=CLERK)
        before = engine.bundle(bundle_id)
    assert engine.closed

    again = workflow.Engine(ningdu, db=db, clock=workflow.ManualClock(t("2025-03-03T10:00")))
    try:
        bundles = again.bundles()
        assert len(bundles) == 1
        b = bundles[0]
        assert (b.id, b.bundle, b.applicant, b.parts) == (bundle_id, OPENING, FIRM, before.parts)
        assert (b.accepted, b.promised_deadline, b.light) == \
            (d("2025-03-03"), d("2025-03-04"), "green")
        assert [c.bundle for c in again.cases()] == [bundle_id] * 5
        assert len(again.cases(bundle=bundle_id)) == 5
        assert again.submit_bundle(OPENING, "nd", without("公司章程"), actor=CLERK,
                                   applicant=FIRM, request_id="kb-20250303-0001") == bundle_id
        # Work goes on: the instant parts are decided and the bundle issued.
        for part in b.parts[1:]:
            again.approve(part, actor=CLERK)
        again.review_pass(b.parts[0], actor=CLERK)
        again.approve(b.parts[0], actor="nd-s022")
        again.act_bundle(bundle_id, "issue", actor=CLERK)
        assert again.bundle(bundle_id).done
    finally:
        again.close()
