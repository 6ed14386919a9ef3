"""Round 17 fixes (own wordings, each with a near miss):

1. A value set apart in Chinese (另外列一行, 单独列一下) asks for its own figure; only a value
   put on its own slide or page (单独放一页PPT) is a remark about a report (report_aside).
2. A pinyin-input slip of a store place (深镇, 杭洲) is asked back with that place offered
   first; an ordinary word one character off a place (南北 beside 南京) is still no place.
"""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args


def test_a_value_set_apart_beside_a_breakdown_gets_its_own_figure(
    planner: OfflinePlanner,
) -> None:
    message = planner._plan("8月各城市的销售额，成都另外列一行", [])
    calls = [c["args"] for c in message.tool_calls]
    assert len(calls) == 2, message
    assert calls[0]["dimensions"] == ["city"], calls
    assert calls[1]["filters"] == {"city": ["成都"]}, calls


def test_values_listed_apart_in_chinese_keep_the_metric_and_both_values(
    planner: OfflinePlanner,
) -> None:
    args = query_args(planner, "上周门店和app的订单数单独列一下")
    assert args["metrics"] == ["orders"], args
    assert sorted(args["filters"]["channel"]) == ["app", "store"], args


def test_a_value_put_on_its_own_slide_is_a_remark_about_the_report(
    planner: OfflinePlanner,
) -> None:
    # near miss of the two above: the slide it goes on makes it a remark, no filter nor row
    args = query_args(planner, "今年各省的销售额，湖北单独放一页PPT")
    assert args["dimensions"] == ["province"], args
    assert "filters" not in args, args


@pytest.mark.parametrize(
    ("question", "place"), [("今年深镇的订单数", "深圳"), ("上周杭洲的销售额", "杭州")]
)
def test_a_homophone_slip_of_a_store_place_is_offered_that_place(
    planner: OfflinePlanner, question: str, place: str
) -> None:
    text = asked_back(planner, question)
    assert f"最接近的：{place}（城市）" in text, text


@pytest.mark.parametrize("word", ["南北", "东方"])
def test_a_word_one_character_off_a_place_that_sounds_otherwise_is_no_place(
    planner: OfflinePlanner, word: str
) -> None:
    # near miss: 南北 / 南京 differ in a character that does not sound the same
    text = str(planner._plan(f"今年{word}的订单数", []).content)
    assert "最接近的" not in text and "哪个地方" not in text, text
