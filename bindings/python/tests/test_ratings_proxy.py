"""好差评, 跨域通办 and 帮办代办 at 宁都县 through the Python API: one rating per concluded
service; a bad rating opens a rectification task for the unit that handled the case (verify,
rectify / explain / appeal, call back, close) under its own light; a case taken in at one
township and handled by another; a village agent who follows a resident's case and hears its
news, A or B. The Python twin of tests/scenario_ratings_test.cpp and
tests/scenario_proxy_cross_region_test.cpp."""

from __future__ import annotations

import pytest

import workflow
from conftest import d, food_case_at_review, t

ALLOWANCE_MATERIALS = ["居民身份证", "户口簿", "社会保障卡或银行账户信息"]
MJ_ALLOWANCE = "360730-MJ-MZ-0001"  # 梅江镇 高龄津贴: village_proxy, not cross-region
ZZ_ALLOWANCE = "360730-ZZ-MZ-0001"  # 竹笮乡 高龄津贴: cross_region
AGENT, AGENT_B = "nd-mj-v1-s1", "nd-mj-v1-s2"  # 水东村 帮代办岗1: A and B


def issued_food_case(engine: workflow.Engine) -> int:
    """A 食品经营许可 taken in at window 1, reviewed by 市场监管局 (nd-s022), decided by its
    首席代表 (nd-s024) and issued at the window."""
    case_id = food_case_at_review(engine)
    engine.review_pass(case_id, actor="nd-s022")
    engine.approve(case_id, actor="nd-s024")
    engine.issue(case_id, actor="nd-s001")
    assert engine.case(case_id).state == "issued"
    return case_id


# --- 好差评 ---------------------------------------------------------------------------------

def test_a_good_rating_is_recorded_once_and_opens_no_task(hall):
    engine = hall()
    case_id = issued_food_case(engine)
    engine.rate(case_id, 5)
    case = engine.case(case_id)
    assert (case.rating.score, case.rating.channel, case.rating.named, case.rating.comment) == \
        (5, "window_device", False, "")
    assert case.rating.time == t("2025-03-03T09:00")
    assert case.rectification is None
    last = case.history[-1]
    assert (last.kind, last.verb, last.actor, last.post) == ("rated", None, "applicant", "")
    assert last.detail == "score=5; channel=window_device; named=false"
    assert engine.available_actions(case_id, "nd-s022") == []
    # One rating per service.
    with pytest.raises(workflow.InvalidTransition, match="already rated 5"):
        engine.rate(case_id, 1, channel="phone", named=True)
    assert engine.case(case_id).rating.score == 5


def test_only_concluded_cases_are_rated_and_scores_are_1_to_5(hall):
    engine = hall()
    case_id = food_case_at_review(engine)
    with pytest.raises(workflow.InvalidTransition, match="once it is concluded"):
        engine.rate(case_id, 4, channel="online")
    engine.review_pass(case_id, actor="nd-s022")
    engine.approve(case_id, actor="nd-s024")
    engine.issue(case_id, actor="nd-s001")
    for score in (0, 6):
        with pytest.raises(workflow.InvalidArgument, match="1 .* to 5"):
            engine.rate(case_id, score)
    with pytest.raises(workflow.InvalidArgument, match="unknown rating channel 'wechat'; "
                                                        "valid: window_device, online, phone"):
        engine.rate(case_id, 3, channel="wechat")
    with pytest.raises(workflow.NotFound):
        engine.rate(999, 3)
    assert engine.case(case_id).rating is None
    # A retried rating with the same request id is answered, not refused as a second one.
    engine.rate(case_id, 4, channel="online", comment="办得快", request_id="rate-1")
    engine.rate(case_id, 4, channel="online", comment="办得快", request_id="rate-1")
    assert engine.case(case_id).rating.comment == "办得快"
    assert [e.kind for e in engine.case(case_id).history].count("rated") == 1


def test_a_named_bad_rating_is_verified_rectified_called_back_and_closed(hall):
    engine = hall()
    case_id = issued_food_case(engine)
    heard = []
    engine.on_event(lambda e: heard.append(e.kind))
    engine.advance_to(t("2025-03-05T10:00"))
    engine.rate(case_id, 2, channel="phone", named=True, comment="窗口解释不清，跑了两趟")
    assert heard == ["rated", "rectification_opened"]
    case = engine.case(case_id)
    rating = case.rating
    assert (rating.score, rating.channel, rating.named, rating.comment, rating.time) == \
        (2, "phone", True, "窗口解释不清，跑了两趟", t("2025-03-05T10:00"))
    task = case.rectification
    assert task.state == "verifying"
    assert task.department == "nd-amr"  # 谁办理谁负责: 市场监管局
    assert task.opened == d("2025-03-05")
    assert task.due == d("2025-03-12")  # 5 working days: 6, 7, 10, 11, 12
    assert (task.closed, task.light, task.resolution, task.called_back) == \
        (None, "green", None, False)
    assert case.history[-1].kind == "rectification_opened"
    assert "department=nd-amr; due=2025-03-12" in case.history[-1].detail

    # The hall's window clerk is not the unit that handled it; the attempt is audited.
    with pytest.raises(workflow.PermissionDenied, match="belongs to nd-amr"):
        engine.verify(case_id, actor="nd-s001", reason="已核实")
    assert engine.case(case_id).history[-1].kind == "permission_denied"
    # Steps in order, and each needs what was found or done.
    with pytest.raises(workflow.InvalidTransition, match="verify the complaint first"):
        engine.act(case_id, "rectify", actor="nd-s022", reason="重新培训")
    with pytest.raises(workflow.InvalidArgument):
        engine.verify(case_id, actor="nd-s022")
    assert engine.available_actions(case_id, "nd-s022") == ["verify"]

    engine.verify(case_id, actor="nd-s022", reason="属实：一次性告知不完整")
    assert engine.case(case_id).rectification.state == "resolving"
    assert engine.available_actions(case_id, "nd-s022") == ["rectify", "explain", "appeal"]
    engine.act(case_id, "rectify", actor="nd-s022", reason="修订告知单，窗口人员培训")
    case = engine.case(case_id)
    assert (case.rectification.state, case.rectification.resolution) == \
        ("calling_back", "rectify")
    # Named: no closing before the call-back (回访).
    with pytest.raises(workflow.InvalidTransition, match="call-back"):
        engine.close_rectification(case_id, actor="nd-s024")
    assert engine.available_actions(case_id, "nd-s022") == ["call_back"]
    engine.advance_to(t("2025-03-07T15:00"))
    engine.call_back(case_id, actor="nd-s022", reason="申请人表示认可")
    assert engine.case(case_id).rectification.state == "called_back"
    engine.act(case_id, "close_rectification", actor="nd-s024")  # the 首席代表
    case = engine.case(case_id)
    task = case.rectification
    assert task.state == "closed"
    assert task.closed == d("2025-03-07")
    assert (task.resolution, task.called_back, task.light) == ("rectify", True, "green")
    assert [(e.kind, e.verb, e.actor) for e in case.history[-4:]] == [
        ("verify", "verify", "nd-s022"), ("rectify", "rectify", "nd-s022"),
        ("call_back", "call_back", "nd-s022"),
        ("close_rectification", "close_rectification", "nd-s024")]
    assert case.history[-1].detail == \
        "task=rectification; state=closed; resolution=rectify; called_back=true; on_time=true"
    assert engine.available_actions(case_id, "nd-s022") == []
    with pytest.raises(workflow.InvalidTransition, match="it is closed"):
        engine.verify(case_id, actor="nd-s022", reason="再核实")
    # A rating cannot be given twice, bad or good.
    with pytest.raises(workflow.InvalidTransition, match="already rated 2"):
        engine.rate(case_id, 5)


def test_an_anonymous_bad_rating_is_called_back_through_its_channel_and_its_light_turns(hall):
    engine = hall()
    case_id = issued_food_case(engine)
    engine.advance_to(t("2025-03-05T10:00"))
    engine.rate(case_id, 1, channel="online", comment="恶意刷评")
    engine.verify(case_id, actor="nd-s022", reason="当日无该申请人到窗记录以外的接触")
    engine.advance_to(t("2025-03-12T08:00"))
    assert engine.case(case_id).rectification.light == "yellow"  # the last day
    engine.advance_to(t("2025-03-13T08:00"))
    case = engine.case(case_id)
    assert case.rectification.light == "red"
    assert (case.history[-1].kind, case.history[-1].detail) == \
        ("light_changed", "task=rectification; from=yellow; to=red")
    assert case.light == "green"  # the case's own light is not the task's
    engine.appeal(case_id, actor="nd-s024", reason="评价与事实不符，申请复核")
    # 件件有回访: an anonymous rating is called back too, through the channel it came by.
    assert engine.available_actions(case_id, "nd-s022") == ["call_back"]
    with pytest.raises(workflow.InvalidTransition, match=r"channel it came by \(online\)"):
        engine.close_rectification(case_id, actor="nd-s022")
    assert engine.case(case_id).rectification.state == "calling_back"
    engine.call_back(case_id, actor="nd-s022", reason="通过网上评价渠道留言回访")
    assert engine.case(case_id).history[-1].detail == \
        "task=rectification; state=called_back; via=online"
    engine.close_rectification(case_id, actor="nd-s022")
    task = engine.case(case_id).rectification
    assert (task.state, task.resolution, task.called_back, task.closed) == \
        ("closed", "appeal", True, d("2025-03-13"))
    assert "on_time=false" in engine.case(case_id).history[-1].detail
    # Frozen once closed: no more light changes.
    events = len(engine.case(case_id).history)
    engine.advance_to(t("2025-04-30T08:00"))
    assert len(engine.case(case_id).history) == events


def test_a_rating_and_its_task_survive_closing_and_reopening_the_store(tmp_path, ningdu):
    db = tmp_path / "ratings.db"
    with workflow.Engine(ningdu, db=db, clock=workflow.ManualClock(t("2025-03-03T09:00"))) as e:
        case_id = issued_food_case(e)
        e.rate(case_id, 2, channel="window_device", named=True, comment="等候时间长")
        e.verify(case_id, actor="nd-s022", reason="属实")
    with workflow.Engine(ningdu, db=db, clock=workflow.ManualClock(t("2025-03-13T09:00"))) as e:
        case = e.case(case_id)
        assert (case.rating.score, case.rating.channel, case.rating.named, case.rating.comment) \
            == (2, "window_device", True, "等候时间长")
        assert case.rating.time == t("2025-03-03T09:00")
        assert (case.rectification.state, case.rectification.due) == \
            ("resolving", d("2025-03-10"))
        # The yellow and red days passed while the engine was closed: they fire on advance.
        e.advance_to(t("2025-03-13T09:00"))
        assert e.case(case_id).rectification.light == "red"
        assert e.available_actions(case_id, "nd-s022") == ["rectify", "explain", "appeal"]
        with pytest.raises(workflow.InvalidTransition, match="already rated"):
            e.rate(case_id, 4)


# --- 跨域通办 -------------------------------------------------------------------------------

def test_zhuze_allowance_taken_in_at_meijiang_decided_at_zhuze_issued_at_meijiang(hall, ningdu):
    assert ningdu.matter(ZZ_ALLOWANCE).cross_region
    assert not ningdu.matter(MJ_ALLOWANCE).cross_region
    engine = hall()
    case_id = engine.submit(ZZ_ALLOWANCE, "nd-mj", ALLOWANCE_MATERIALS, actor="nd-mj-s01",
                            applicant="钟奶奶")
    case = engine.case(case_id)
    assert case.cross_region
    assert (case.accepting_office, case.handling_office, case.issuing_office) == \
        ("nd-mj", "nd-zz", "nd-mj")
    assert "cross_region=true; handled_by=nd-zz" in case.history[0].detail
    engine.accept(case_id, actor="nd-mj-s01")  # 代收: the accepting window accepts
    case = engine.case(case_id)
    assert (case.state, case.office) == ("preliminary_review", "nd-zz")
    engine.review_pass(case_id, actor=case.holder)
    assert engine.case(case_id).post == "nd-zz-mzb-review"
    engine.review_pass(case_id, actor="nd-zz-s08")
    engine.approve(case_id, actor="nd-zz-s12")
    case = engine.case(case_id)
    assert case.office == "nd-mj"  # the result goes back where the applicant is
    with pytest.raises(workflow.PermissionDenied):
        engine.issue(case_id, actor="nd-zz-s01")
    engine.issue(case_id, actor=case.holder)
    case = engine.case(case_id)
    assert (case.state, case.history[-1].office) == ("issued", "nd-mj")
    # Both offices find it in their lists.
    assert [c.id for c in engine.cases(office="nd-zz")] == [case_id]
    assert [c.id for c in engine.cases(office="nd-mj")] == [case_id]


def test_issue_office_is_for_cross_region_matters_only(hall, ningdu):
    engine = hall()
    hr_licence = ningdu.matter("360730-RSJ-0001")  # county 人社局, cross-region
    case_id = engine.submit(hr_licence.code, "nd-mj", hr_licence.materials, actor="nd-mj-s01",
                            applicant="赖师傅", issue_office="nd-zz")
    case = engine.case(case_id)
    assert case.cross_region
    assert (case.accepting_office, case.handling_office, case.issuing_office) == \
        ("nd-mj", "nd", "nd-zz")

    with pytest.raises(workflow.InvalidArgument, match="not a cross-region matter"):
        engine.submit(MJ_ALLOWANCE, "nd-mj", ALLOWANCE_MATERIALS, actor="nd-mj-s01",
                      issue_office="nd-zz")
    with pytest.raises(workflow.NotFound):
        engine.submit(MJ_ALLOWANCE, "nd-mj", ALLOWANCE_MATERIALS, actor="nd-mj-s01",
                      issue_office="nowhere")
    assert len(engine.cases()) == 1
    # Without issue_office (None or ''), the accepting office issues, and nothing is cross-region.
    plain = engine.submit(MJ_ALLOWANCE, "nd-mj", ALLOWANCE_MATERIALS, actor="nd-mj-s01",
                          issue_office=None)
    case = engine.case(plain)
    assert not case.cross_region
    assert (case.accepting_office, case.handling_office, case.issuing_office) == \
        ("nd-mj", "nd-mj", "nd-mj")
    assert (case.agent, case.agent_post, case.following_agent, case.bundle) == \
        (None, None, None, None)


# --- 帮办代办 -------------------------------------------------------------------------------

def test_the_village_agent_follows_the_residents_case_and_gets_its_notices(hall):
    engine = hall()
    seen = []
    engine.on_event(seen.append)
    # 梅江镇水东村's agent 1 hands in a 高龄津贴 application for a resident, one paper short.
    case_id = engine.submit(MJ_ALLOWANCE, "nd-mj-v1", ALLOWANCE_MATERIALS[:2], actor=AGENT,
                            applicant="曾老汉")
    case = engine.case(case_id)
    assert (case.applicant, case.agent, case.agent_post, case.following_agent) == \
        ("曾老汉", AGENT, "nd-mj-v1-agent1", AGENT)
    assert [c.id for c in engine.cases(agent=AGENT)] == [case_id]
    assert engine.cases(agent=AGENT_B) == []

    # The township window gives the one complete notice: the agent is told.
    engine.notify_missing(case_id, actor="nd-mj-s01")
    assert (seen[-1].kind, seen[-1].notify) == ("notify_missing", AGENT)

    # Agent 1 goes on leave: agent 2, B of the post, follows the case from now on.
    engine.mark_away(AGENT, "leave", start=t("2025-03-04T00:00"), until=t("2025-03-08T00:00"),
                     actor="nd-mj-s08")
    engine.advance_to(t("2025-03-04T10:00"))
    assert engine.case(case_id).following_agent == AGENT_B
    assert engine.case(case_id).agent == AGENT  # who handed it in does not change
    assert [c.id for c in engine.cases(agent=AGENT_B)] == [case_id]
    assert engine.cases(agent=AGENT) == []
    # B brings the missing paper for the resident; another village's agent may not.
    with pytest.raises(workflow.PermissionDenied):
        engine.supplement(case_id, actor="nd-zz-v1-s1", materials=ALLOWANCE_MATERIALS[2:])
    engine.supplement(case_id, actor=AGENT_B, materials=ALLOWANCE_MATERIALS[2:])
    engine.accept(case_id, actor="nd-mj-s01")
    assert (seen[-1].kind, seen[-1].notify) == ("accept", AGENT_B)
    # Internal steps are not news for the applicant.
    engine.review_pass(case_id, actor="nd-mj-s01")
    assert (seen[-1].kind, seen[-1].notify) == ("review_pass", None)

    # Back from leave: agent 1 follows again and hears of the decision.
    engine.advance_to(t("2025-03-10T09:00"))
    engine.review_pass(case_id, actor="nd-mj-s10")
    engine.approve(case_id, actor="nd-mj-s14")
    assert (seen[-1].kind, seen[-1].notify) == ("approve", AGENT)
    history = engine.case(case_id).history
    assert [e.notify for e in history if e.kind in ("notify_missing", "accept", "approve")] == \
        [AGENT, AGENT_B, AGENT]  # stored with the events, too
    assert engine.case(case_id).following_agent == AGENT
