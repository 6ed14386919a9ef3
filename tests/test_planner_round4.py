"""Round-4 kinds of misreading (issue 11), each with this file's own wordings: saved-segment
lists, segment names, send time per segment vs a metric by hour, unknown Chinese
qualifiers, unasked breakdowns, RFM segment filters and follow-ups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.offline.segment_names import segment_name_in
from copilot.settings import Settings
from knowledge.demo import generate_demo_data
from knowledge.store import connect_store
from knowledge.time_ranges import find_period
from tests.conftest import AS_OF, DEMO_CUSTOMERS, DEMO_SEED


def _bot(engine: Engine, home: Path) -> Copilot:
    return Copilot(Settings(home=home, as_of=AS_OF, llm_provider="offline"), engine=engine)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Set up an audience named Gadget lovers, men who bought electronics", "Gadget lovers"),
        ("Make a segment titled Spring buyers: customers who bought apparel", "Spring buyers"),
        ("create segment Home nesters: women who bought homeware", "Home nesters"),
        ("build a segment name: Snack fans, people who bought food", "Snack fans"),
        ("新建一个人群包，名为运动达人：买过运动用品的男性", "运动达人"),
        ("把买过零食的客户存成零食党分群", "零食党"),
        ("帮我定义一个分群叫做宝妈群，条件是买过母婴的女性", "宝妈群"),
    ],
)
def test_a_segment_name_is_read_from_its_naming_phrase(text: str, name: str) -> None:
    found = segment_name_in(text)
    assert found is not None and found.name == name
    assert name in text[found.span[0] : found.span[1]]


@pytest.mark.parametrize(
    "text",
    [
        "save women who bought makeup as a segment",
        "把买过彩妆的女性保存为一个分群",
        "create a segment",
    ],
)
def test_no_name_is_invented_where_none_is_given(text: str) -> None:
    assert segment_name_in(text) is None


def test_a_named_segment_keeps_its_name_out_of_the_definition(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    bot = _bot(duckdb_demo_engine, tmp_path)
    call = bot.ask("新建一个分群，名为深圳宝妈：买过母婴用品的女性").tool_calls[0]
    assert call.name == "define_segment"
    assert call.args["name"] == "深圳宝妈"
    # 深圳 is part of the name, not a condition of who is in the segment.
    assert call.args["definition"] == {"genders": ["F"], "purchases": [{"categories": ["baby"]}]}
    call = bot.ask("Create an audience called Beijing gadget fans: men who bought electronics")
    args = call.tool_calls[0].args
    assert args["name"] == "Beijing gadget fans"
    assert "cities" not in args["definition"] and args["definition"]["genders"] == ["M"]


@pytest.mark.parametrize(
    "text",
    [
        "Which segments have we got saved?",
        "我们存了哪些人群包？",
        "show the audiences we've created",
    ],
)
def test_saved_segment_lists_are_never_rfm_runs(
    duckdb_demo_engine: Engine, tmp_path: Path, text: str
) -> None:
    answer = _bot(duckdb_demo_engine, tmp_path).ask(text)
    assert [c.name for c in answer.tool_calls] == ["list_segments"]


def test_send_time_for_every_segment_is_asked_per_segment(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    answer = _bot(duckdb_demo_engine, tmp_path).ask("what's the best time to text each RFM group?")
    # One call per segment passes the tool-call limit: the planner asks which ones, naming them.
    assert answer.tool_calls == [] and "Champions" in answer.text and "Hibernating" in answer.text


@pytest.mark.parametrize(
    "text", ["which hour of the day gets the most orders?", "每天几点下单的人最多"]
)
def test_a_sales_metric_by_hour_is_not_a_send_time(
    duckdb_demo_engine: Engine, tmp_path: Path, text: str
) -> None:
    answer = _bot(duckdb_demo_engine, tmp_path).ask(text)
    assert "best_send_time" not in [c.name for c in answer.tool_calls]


def test_a_chinese_qualifier_starting_with_a_period_word_is_named_back(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    answer = _bot(duckdb_demo_engine, tmp_path).ask("今年按天气看订单数")
    assert answer.tool_calls == [] and "天气" in answer.text
    # The day breakdown itself still works.
    call = _bot(duckdb_demo_engine, tmp_path).ask("上个月按天的订单数").tool_calls[0]
    assert call.args["dimensions"] == ["day"]


def test_values_with_only_are_a_filter_not_a_breakdown(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    bot = _bot(duckdb_demo_engine, tmp_path)
    args = bot.ask("orders by month this year, just apparel and sports").tool_calls[0].args
    assert args["dimensions"] == ["month"]
    assert sorted(args["filters"]["category"]) == ["apparel", "sports"]
    compared = bot.ask("orders apparel versus sports this year").tool_calls[0].args
    assert compared["dimensions"] == ["category"]


def test_an_rfm_segment_is_a_filter_with_or_without_a_saved_run(tmp_path: Path) -> None:
    # A store of its own: the session's store holds the RFM runs other test files saved
    # (the embedded store keeps its saved segments beside the data).
    engine = connect_store(f"duckdb:///{tmp_path / 'store.duckdb'}")
    generate_demo_data(engine, customers=DEMO_CUSTOMERS, seed=DEMO_SEED)
    bot = _bot(engine, tmp_path)
    before = bot.ask("AOV of the At Risk segment in Q2")
    # No RFM run saved yet (round 13): the segmentation runs first and the answer says so;
    # never the store-wide AOV.
    args = before.tool_calls[0].args
    assert args["filters"] == {"rfm_segment": ["At Risk"]} and args["metrics"] == ["aov"]
    assert "computed now" in before.text
    # The run was saved: a new copilot reads it as the saved run.
    after = _bot(engine, tmp_path).ask("AOV of the At Risk segment in Q2")
    assert after.tool_calls[0].args["filters"] == {"rfm_segment": ["At Risk"]}
    assert "saved RFM run" in after.text and "computed now" not in after.text


def test_same_span_a_year_back_reuses_the_previous_reading(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    bot = _bot(duckdb_demo_engine, tmp_path)
    bot.ask("How many orders in May 2026?", conversation_id="yoy")
    args = bot.ask("and the same month a year earlier?", conversation_id="yoy").tool_calls[0].args
    assert args["metrics"] == ["orders"] and args["time_range"] == "2025-05-01 to 2025-05-31"
    bot.ask("2026年第二季度的销售额", conversation_id="zh")
    args = bot.ask("去年同期呢", conversation_id="zh").tool_calls[0].args
    assert args["time_range"] == "2025-04-01 to 2025-06-30"


def test_a_bare_breakdown_is_a_follow_up(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    bot = _bot(duckdb_demo_engine, tmp_path)
    bot.ask("buyers in September 2026", conversation_id="dim")
    args = bot.ask("which city?", conversation_id="dim").tool_calls[0].args
    assert args["metrics"] == ["buyers"] and args["dimensions"] == ["city"]
    assert args["time_range"] == "September 2026"


def test_a_complete_request_mid_conversation_is_not_a_follow_up(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    bot = _bot(duckdb_demo_engine, tmp_path)
    bot.ask("本月的订单数", conversation_id="mid")
    bot.ask("按渠道呢", conversation_id="mid")
    answer = bot.ask("按RFM模型把客户分一下群", conversation_id="mid")
    assert [c.name for c in answer.tool_calls] == ["rfm_segments"]
    bot.ask("AOV in August 2026", conversation_id="mid-en")
    answer = bot.ask("Now segment the customers using RFM", conversation_id="mid-en")
    assert [c.name for c in answer.tool_calls] == ["rfm_segments"]


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("draft a social media ad for Loyal Customers", "social"),
        ("给忠诚客户写一条朋友圈广告", "social"),
        ("write a paid search ad for Loyal Customers", "search_ad"),
        ("给忠诚客户写个搜索广告", "search_ad"),
    ],
)
def test_social_ads_and_search_ads_are_told_apart(
    duckdb_demo_engine: Engine, tmp_path: Path, text: str, channel: str
) -> None:
    call = _bot(duckdb_demo_engine, tmp_path).ask(text).tool_calls[0]
    assert call.name == "generate_copy" and call.args["channel"] == channel


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("orders through push in September 2026", "push"),
        ("9月份小程序渠道的点击率", "mini_program"),
    ],
)
def test_message_and_order_channels_are_kept_apart(
    duckdb_demo_engine: Engine, tmp_path: Path, text: str, named: str
) -> None:
    answer = _bot(duckdb_demo_engine, tmp_path).ask(text)
    # Orders never come in by push, messages are never sent through the mini program: ask.
    assert answer.tool_calls == [] and named in answer.text


def test_an_export_follow_up_keeps_the_channel_it_names(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    bot = _bot(duckdb_demo_engine, tmp_path)
    bot.ask("profile the Promising segment", conversation_id="exp")
    call = bot.ask("now export those customers for push", conversation_id="exp").tool_calls[0]
    assert call.name == "export_audience"
    assert call.args == {"segment": "Promising", "channel": "push"}


def test_a_follow_up_the_previous_result_cannot_take_is_asked_back(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    bot = _bot(duckdb_demo_engine, tmp_path)
    bot.ask("describe the Loyal Customers segment", conversation_id="na")
    answer = bot.ask("the same quarter last year?", conversation_id="na")
    assert answer.tool_calls == [] and "previous result" in answer.text


def test_rfm_segment_sizes_and_shares_are_the_rfm_table(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    answer = _bot(duckdb_demo_engine, tmp_path).ask("RFM分群各有多少人，销售额占比多少？")
    assert [c.name for c in answer.tool_calls] == ["rfm_segments"]


def test_everyday_abbreviations_are_written_out(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    bot = _bot(duckdb_demo_engine, tmp_path)
    args = bot.ask("avg order value in Beijing last qtr").tool_calls[0].args
    assert args == {"metrics": ["aov"], "filters": {"city": ["北京"]}, "time_range": "last quarter"}
    args = bot.ask("conv rate of email campaigns in 2025, per wk").tool_calls[0].args
    assert args["metrics"] == ["conversion_rate"] and args["dimensions"] == ["week"]


@pytest.mark.parametrize(
    ("text", "metrics", "dimensions"),
    [
        ("how many orders were sent back in September 2026?", ["returned_orders"], None),
        ("2026年9月退了多少钱", ["returns"], None),
        ("今年每个季度的订单数", ["orders"], ["quarter"]),
    ],
)
def test_return_and_per_quarter_wordings(
    duckdb_demo_engine: Engine, tmp_path: Path, text: str, metrics: list[str], dimensions: list[str]
) -> None:
    args = _bot(duckdb_demo_engine, tmp_path).ask(text).tool_calls[0].args
    assert args["metrics"] == metrics and args.get("dimensions") == dimensions


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("9月3号到15号的订单数", date(2026, 9, 3), date(2026, 9, 15)),
        ("orders Aug 2-9 2026", date(2026, 8, 2), date(2026, 8, 9)),
        ("orders on Aug 2 at 10:30", date(2026, 8, 2), date(2026, 8, 2)),
    ],
)
def test_a_day_range_inside_one_month_keeps_both_ends(text: str, first: date, last: date) -> None:
    found = find_period(text, date(2026, 11, 1))
    assert found is not None and (found.range.start, found.range.end) == (first, last)


def test_a_day_range_reaches_the_tool_whole(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    args = _bot(duckdb_demo_engine, tmp_path).ask("2026年9月3号到15号的订单数").tool_calls[0].args
    assert args["time_range"] == "2026年9月3号到15号"
