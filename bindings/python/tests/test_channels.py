"""渠道 through the Python API (issue 14): an application records how it came and whether
staff helped (帮办), and a channel that contradicts how it came is refused. The Python twin of
tests/scenario_channels_test.cpp."""

from __future__ import annotations

import pytest

import workflow
from conftest import FOOD_LICENCE, FOOD_MATERIALS

ALLOWANCE_MATERIALS = ["居民身份证", "户口簿", "社会保障卡或银行账户信息"]


def test_the_vocabularies():
    assert workflow.SUBMISSION_CHANNELS == ("window", "online", "mobile", "self_service", "post",
                                            "village_agent")
    assert workflow.ASSISTANCE == ("none", "county", "township")


def test_an_application_records_its_channel_and_assistance(hall):
    engine = hall("2026-11-30T09:00")
    case_id = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001", channel="mobile")
    case = engine.case(case_id)
    assert (case.channel, case.assisted) == ("mobile", "none")
    assert "channel=mobile" in case.history[0].detail
    helped = engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001",
                           assisted="county")
    assert (engine.case(helped).channel, engine.case(helped).assisted) == ("window", "county")
    proxy = engine.submit("360730-MJ-MZ-0001", "nd-mj-v1", ALLOWANCE_MATERIALS,
                          actor="nd-mj-v1-s1", assisted="township")
    assert (engine.case(proxy).channel, engine.case(proxy).assisted) == \
        ("village_agent", "township")


def test_a_contradicting_channel_or_level_is_refused_and_nothing_is_received(hall):
    engine = hall("2026-11-30T09:00")
    with pytest.raises(workflow.InvalidArgument, match="channel village_agent is for"):
        engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001",
                      channel="village_agent")
    with pytest.raises(workflow.InvalidArgument, match="not online"):
        engine.submit("360730-MJ-MZ-0001", "nd-mj-v1", ALLOWANCE_MATERIALS,
                      actor="nd-mj-v1-s1", channel="online")
    with pytest.raises(workflow.InvalidArgument, match="township-level assistance"):
        engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001", assisted="township")
    with pytest.raises(workflow.InvalidArgument, match="unknown submission channel 'fax'"):
        engine.submit(FOOD_LICENCE, "nd", FOOD_MATERIALS, actor="nd-s001", channel="fax")
    assert engine.cases() == []
