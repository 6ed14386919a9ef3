"""Round 20, Chinese metric questions: a question in Traditional characters is read in
Simplified (OpenCC), but the words asked back are shown as the user wrote them; counts said
with a measure word before a returned order ("几笔退货订单") or a repeat buyer ("几个复购的")
are those counts, never another metric beside them."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from copilot.unicode_text import in_own_script
from tests.conftest import query_args


@pytest.mark.parametrize(
    ("question", "wrote"),
    [
        ("電飯煲上個月賣咗幾多部？", "電飯煲"),
        ("電熱水壺十月份賣了多少個", "電熱水壺"),
    ],
)
def test_words_asked_back_keep_the_users_script(
    planner: OfflinePlanner, question: str, wrote: str
) -> None:
    reply = planner.invoke(question)
    assert not reply.tool_calls, reply.tool_calls
    assert wrote in reply.content


def test_own_script_restores_only_the_question_words() -> None:
    # a quoted word of the question comes back as written; the answer's own words stay
    assert in_own_script("我不确定「推播」是什么，销售额", "上個月推播的銷售額") == (
        "我不确定「推播」是什么，销售额"
    )
    assert in_own_script("我不确定「销售额」", "上個月推播的銷售額") == "我不确定「銷售額」"
    assert in_own_script("这样读不了：气炸锅。", "氣炸鍋賣了幾台", runs=True) == "这样读不了：氣炸鍋。"
    # a Simplified question: unchanged
    assert in_own_script("这样读不了：气炸锅。", "气炸锅卖了几台", runs=True) == "这样读不了：气炸锅。"


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("上个月一共有多少笔退货订单", ["returned_orders"]),
        ("9月门店有几张退款单", ["returned_orders"]),
        ("今年平均每张退货单退了多少钱", ["average_return_value"]),
        ("上季度有几个回购的客户", ["repeat_buyers"]),
        ("今年回购过的会员有多少", ["repeat_buyers"]),
        # near misses: the orders alone, the rate, stay what they were
        ("上个月有几笔订单", ["orders"]),
        ("今年复购的客户占比多少", ["repurchase_rate"]),
        ("上个月几笔订单被退货", ["returned_orders"]),
    ],
)
def test_counts_with_a_measure_word(planner: OfflinePlanner, question: str, metrics: list[str]) -> None:
    assert query_args(planner, question)["metrics"] == metrics


@pytest.mark.parametrize(
    ("question", "channel"),
    [("今年推播的點擊率", "push"), ("上季度推播的打开率", "push"), ("今年社群廣告的點擊率", "social")],
)
def test_regional_channel_words(planner: OfflinePlanner, question: str, channel: str) -> None:
    assert query_args(planner, question)["filters"]["channel"] == [channel]
