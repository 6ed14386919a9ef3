"""Round-10 kinds of segment-tool questions, each with this file's own wordings (EN and ZH):
RFM named by its letters or in everyday words ("how many times, how much money"), an as-of
day written in words, churn asked as "about to stop coming", and a saved segment named by an
identifier ("vip_2025") beside a refresh word without the word segment."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline.planner import OfflinePlanner


def _calls(planner: OfflinePlanner, question: str) -> list[tuple[str, dict[str, Any]]]:
    return [(c["name"], c["args"]) for c in planner._plan(question, []).tool_calls]


@pytest.mark.parametrize(
    ("question", "args"),
    [
        ("rank the customers on R/F/M", {}),
        ("bucket buyers by R, F, M as at 31 March 2026", {"as_of": "2026-03-31"}),
        ("run RFM as of May 15, 2026", {"as_of": "2026-05-15"}),
        ("根据上一次下单时间、下了几单、花了多少钱给会员分层", {}),
        ("看最后一次购买的日期、一共买过多少次、花费多少，把顾客分组", {}),
        ("RFM 分群，截至2026年4月30日", {"as_of": "2026-04-30"}),
    ],
)
def test_rfm_in_letters_and_everyday_words(planner: OfflinePlanner, question: str, args: dict) -> None:
    assert _calls(planner, question) == [("rfm_segments", args)]


@pytest.mark.parametrize(
    "question",
    ["哪些会员马上就不买了，列个单子", "谁快要不回来了？", "哪些顾客就要不来了"],
)
def test_about_to_stop_coming_is_the_churn_prediction(planner: OfflinePlanner, question: str) -> None:
    assert [name for name, _ in _calls(planner, question)] == ["predict_churn"]


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("refresh vip_2025 with the newest data", "vip_2025"),
        ("please recompute sh_women", "sh_women"),
        ("麻烦把 bj_big 重新计算一下", "bj_big"),
        ("更新一下 hz_dads 这个分群", "hz_dads"),
    ],
)
def test_a_segment_named_by_an_identifier_is_refreshed(
    planner: OfflinePlanner, question: str, name: str
) -> None:
    assert _calls(planner, question) == [("refresh_segment", {"name": name})]


def test_a_metric_identifier_is_no_segment_name(planner: OfflinePlanner) -> None:
    assert not [n for n, _ in _calls(planner, "update the conversion_rate for last month") if n == "refresh_segment"]


@pytest.mark.parametrize(
    "text",
    ["orders per rfm group last quarter", "aov of each rfm tier", "buyers in every rfm bucket", "各rfm等级的客单价"],
)
def test_rfm_segments_by_another_grouping_noun_are_the_rfm_breakdown(text: str) -> None:
    from copilot.offline.vocabulary import breakdowns_named
    from knowledge.semantic import load_semantic_model

    assert breakdowns_named(text, load_semantic_model()) == ["rfm_segment"]


@pytest.mark.parametrize(
    "question",
    ["grade our shoppers on R/F/M", "do an RFM on the shoppers please", "对买家做一下RFM分析"],
)
def test_a_people_noun_beside_rfm_is_who_is_segmented(planner: OfflinePlanner, question: str) -> None:
    # "shoppers"/"买家" name the buyers metric elsewhere; beside RFM they are the population.
    assert _calls(planner, question) == [("rfm_segments", {})]


def test_a_metric_of_shoppers_by_rfm_segment_stays_a_metric_question(planner: OfflinePlanner) -> None:
    calls = _calls(planner, "revenue of our shoppers by RFM segment last month")
    assert all(name != "rfm_segments" for name, _ in calls)


@pytest.mark.parametrize(
    "question",
    ["新建分群：北京的男性，流失风险超过80%", "save a segment: Shanghai women whose churn risk is over 70%"],
)
def test_a_churn_bound_in_a_segment_request_is_its_condition(
    planner: OfflinePlanner, question: str
) -> None:
    # The scores' bound is a condition of the segment saved, not a churn model asked for.
    calls = _calls(planner, question)
    assert [name for name, _ in calls] == ["define_segment"]
    assert calls[0][1]["definition"]["min_churn_probability"] in (0.7, 0.8)
