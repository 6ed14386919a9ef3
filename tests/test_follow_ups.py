"""Multi-turn conversations with the offline planner: follow-ups, clarifying questions."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.settings import Settings
from tests.conftest import AS_OF


def copilot(engine: Engine, tmp_path: Path) -> Copilot:
    return Copilot(Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline"), engine=engine)


def test_metric_follow_ups_change_one_thing_at_a_time(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    bot = copilot(duckdb_demo_engine, tmp_path)
    turns = [
        "What was revenue last month?",
        "and by channel?",
        "only in Shanghai",
        "那上个月呢？",
        "what about orders?",
    ]
    calls = [bot.ask(q, conversation_id="follow").tool_calls[0].args for q in turns]
    assert calls[0] == {"metrics": ["revenue"], "time_range": "last month"}
    assert calls[1] == {
        "metrics": ["revenue"],
        "time_range": "last month",
        "dimensions": ["channel"],
    }
    assert calls[2]["filters"] == {"city": ["上海"]} and calls[2]["dimensions"] == ["channel"]
    assert calls[3]["time_range"] == "上个月" and calls[3]["filters"] == {"city": ["上海"]}
    assert calls[4]["metrics"] == ["orders"] and calls[4]["filters"] == {"city": ["上海"]}


def test_chinese_follow_up_by_dimension(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    bot = copilot(duckdb_demo_engine, tmp_path)
    bot.ask("上个月的销售额是多少？", conversation_id="zh")
    answer = bot.ask("那按城市呢？", conversation_id="zh")
    assert answer.tool_calls[0].args["dimensions"] == ["city"]
    assert answer.tool_calls[0].args["time_range"] == "上个月"
    assert "城市" in answer.text


def test_write_copy_for_the_segment_just_discussed(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    bot = copilot(duckdb_demo_engine, tmp_path)
    bot.ask("describe the Champions segment", conversation_id="seg")
    answer = bot.ask("now write an SMS for them", conversation_id="seg")
    assert answer.tool_calls[0].name == "generate_copy"
    assert answer.tool_calls[0].args == {"segments": ["Champions"], "channel": "sms"}


def test_a_fresh_conversation_does_not_inherit(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    bot = copilot(duckdb_demo_engine, tmp_path)
    bot.ask("What was revenue last month?", conversation_id="one")
    answer = bot.ask("and by channel?", conversation_id="two")
    assert answer.tool_calls == []


def test_vague_question_gets_a_clarifying_question(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    bot = copilot(duckdb_demo_engine, tmp_path)
    english = bot.ask("how is our performance?")
    chinese = bot.ask("给我看看报表")
    assert english.tool_calls == [] and "Which numbers" in english.text
    assert chinese.tool_calls == [] and "哪个指标" in chinese.text


def test_history_is_trimmed_to_the_token_budget_but_kept_in_the_store(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    from copilot.conversations import estimate_tokens, history_messages, load_turns

    assert estimate_tokens("上个月的销售额") == 7
    assert estimate_tokens("a" * 40) == 10
    bot = copilot(duckdb_demo_engine, tmp_path)
    for _ in range(6):
        bot.ask("What was revenue last month?", conversation_id="long")
    assert len(load_turns(duckdb_demo_engine, "long")) == 12
    trimmed = history_messages(duckdb_demo_engine, "long", budget_tokens=60)
    assert 0 < len(trimmed) < 12 and len(trimmed) % 2 == 0
    assert trimmed[-1].text == load_turns(duckdb_demo_engine, "long")[-1]["content"]


def test_chinese_comparison_follow_up_is_labelled_in_chinese(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    bot = copilot(duckdb_demo_engine, tmp_path)
    bot.ask("上个月的客单价是多少？", conversation_id="yoy-zh")
    answer = bot.ask("和去年同期比呢？", conversation_id="yoy-zh")
    assert answer.tool_calls[0].args["compare_to"] == "去年同期"
    # The same month a year earlier is named as the calendar names it (round 8: as the
    # period phrase's own 同比 names it), in Chinese.
    assert "对比2025年10月" in answer.text and "same period" not in answer.text
    bot.ask("最近14天的客单价", conversation_id="yoy-zh-days")
    days = bot.ask("和去年同期比呢？", conversation_id="yoy-zh-days")
    assert "对比去年同期" in days.text and "same period" not in days.text


def test_field_case_10_totals_over_the_cities_just_listed(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """shared/cases 10: the total and the combined orders of the five cities shown first."""
    from datetime import date

    from sqlalchemy import bindparam, text

    bot = copilot(duckdb_demo_engine, tmp_path)
    first = bot.ask("Top 5 cities by revenue last month", conversation_id="c10")
    shown = first.tables[0].frame
    assert len(shown) == 5
    cities = [str(city) for city in shown["city"]]
    total = bot.ask("what is their total?", conversation_id="c10")
    assert total.status == "answered"
    assert f"¥{float(shown['revenue'].sum()):,.2f}" in total.text
    orders = bot.ask("and their combined number of orders?", conversation_id="c10")
    # Independently: valid orders (completed, net total > 0) of customers in those cities.
    query = text(
        "SELECT COUNT(*) FROM orders o JOIN customers c ON c.customer_id = o.customer_id "
        "WHERE o.status = 'completed' AND o.total > 0 AND c.city IN :cities "
        "AND o.order_date BETWEEN :start AND :end"
    ).bindparams(bindparam("cities", expanding=True))
    with duckdb_demo_engine.connect() as conn:
        expected = conn.execute(
            query, {"cities": cities, "start": date(2026, 10, 1), "end": date(2026, 10, 31)}
        ).scalar_one()
    assert orders.status == "answered" and expected > 0
    assert re.search(rf"(?<![\d,.]){expected:,}(?![\d,]|\.\d)", orders.text), orders.text
    assert orders.tool_calls[0].args["filters"] == {"city": cities}


def test_a_value_given_after_a_question_back_answers_the_asked_question(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """The stored clarify turn carries the question: "ok, Hangzhou then" answers it for 杭州."""
    bot = copilot(duckdb_demo_engine, tmp_path)
    first = bot.ask("orders in Gotham City last month", conversation_id="back")
    assert first.status == "clarify" and not first.tool_calls
    answer = bot.ask("ok, Hangzhou then", conversation_id="back")
    assert answer.status == "answered"
    assert answer.tool_calls[0].args == {
        "metrics": ["orders"],
        "filters": {"city": ["杭州"]},
        "time_range": "last month",
    }


def test_several_values_of_the_breakdown_keep_it_cut_to_them(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """Round 6: "只看北京和上海" after a breakdown by city is those cities' rows, not one
    total (the breakdown was dropped before); "加起来" totals exactly those cities."""
    bot = copilot(duckdb_demo_engine, tmp_path)
    bot.ask("上个月各城市的订单数", conversation_id="subset")
    rows = bot.ask("只看北京和上海", conversation_id="subset").tool_calls[0].args
    assert rows["dimensions"] == ["city"] and sorted(rows["filters"]["city"]) == ["上海", "北京"]
    assert rows["metrics"] == ["orders"] and rows["time_range"] == "上个月"
    bot.ask("last month's revenue by city", conversation_id="sum")
    total = bot.ask("北京和上海加起来", conversation_id="sum").tool_calls[0].args
    assert "dimensions" not in total and sorted(total["filters"]["city"]) == ["上海", "北京"]


def test_a_total_after_a_time_breakdown_is_the_period_figure(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """Round 6: "合计多少" after a breakdown by month (or quarter) is the period's figure; it
    was refused because only non-time breakdowns were totalled. A period named moves it."""
    bot = copilot(duckdb_demo_engine, tmp_path)
    bot.ask("今年每个月的销售额", conversation_id="months")
    total = bot.ask("合计多少", conversation_id="months").tool_calls[0].args
    assert total == {"metrics": ["revenue"], "time_range": "今年"}
    bot.ask("orders per quarter in 2025", conversation_id="quarters")
    other = bot.ask("and the total for 2024?", conversation_id="quarters").tool_calls[0].args
    assert other == {"metrics": ["orders"], "time_range": "2024"}


def test_the_span_just_before_is_the_previous_period(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """Round 6: "再往前两周呢" / "vs the prior 14 days" compare with the span just before."""
    bot = copilot(duckdb_demo_engine, tmp_path)
    bot.ask("最近14天各渠道的订单数", conversation_id="zh14")
    zh = bot.ask("和再往前14天比一下", conversation_id="zh14").tool_calls[0].args
    assert zh["compare_to"] == "上一期" and zh["dimensions"] == ["channel"]
    bot.ask("revenue by city in the last 14 days", conversation_id="en14")
    en = bot.ask("compare with the prior 14 days", conversation_id="en14").tool_calls[0].args
    assert en["compare_to"] == "previous period" and en["time_range"] == "last 14 days"


def test_a_new_metric_for_the_rows_just_listed_keeps_those_rows(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """ "their AOV" after a top-N breakdown: the same members as a filter, not a re-ranking
    of the whole store by the new metric (which lists other cities); a total after it sums
    those members too."""
    bot = copilot(duckdb_demo_engine, tmp_path)
    first = bot.ask("Top 4 cities by orders last month", conversation_id="en")
    cities = [str(c) for c in first.tables[0].frame["city"]]
    for wording in ("how about the AOV of those cities?", "and the return rate of each of them?"):
        args = bot.ask(wording, conversation_id="en").tool_calls[0].args
        assert args["filters"] == {"city": cities}, wording
        assert "limit" not in args and args["dimensions"] == ["city"], wording
    bot.ask("Top 4 cities by orders last month", conversation_id="rank")
    ranked = bot.ask("and the top 4 by AOV?", conversation_id="rank").tool_calls[0].args
    assert ranked["order_by"] == "aov" and "filters" not in ranked  # only a ranking re-ranks

    zh = bot.ask("上个月订单数前四的城市", conversation_id="zh")
    zh_cities = [str(c) for c in zh.tables[0].frame["city"]]
    aov = bot.ask("这些城市各自的客单价呢？", conversation_id="zh")
    assert aov.tool_calls[0].args["metrics"] == ["aov"]
    assert aov.tool_calls[0].args["filters"] == {"city": zh_cities}
    assert len(aov.tables[0].frame) == len(zh_cities)
    summed = bot.ask("它们的销售额加起来是多少？", conversation_id="zh").tool_calls[0].args
    assert summed["filters"] == {"city": zh_cities} and "dimensions" not in summed


def test_it_after_a_top_one_is_that_one_row(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    """ "its AOV" / "那它的…" after a top-1 ranking: the one row just named as a filter, one
    figure, never the whole store re-ranked by the new metric (another row's figure)."""
    bot = copilot(duckdb_demo_engine, tmp_path)
    first = bot.ask("which city had the most orders in September?", conversation_id="en")
    city = [str(c) for c in first.tables[0].frame["city"]]
    assert len(city) == 1
    args = bot.ask("and what was its AOV?", conversation_id="en").tool_calls[0].args
    assert args["metrics"] == ["aov"] and args["filters"] == {"city": city}
    assert "limit" not in args and "dimensions" not in args
    zh = bot.ask("去年转化率最高的活动是哪一个", conversation_id="zh")
    assert zh.tool_calls[0].args["dimensions"] == ["campaign"]
    assert zh.tool_calls[0].args["limit"] == 1
    campaign = [str(c) for c in zh.tables[0].frame["campaign"]]
    roi = bot.ask("那它的投资回报率是多少", conversation_id="zh").tool_calls[0].args
    assert roi["metrics"] == ["roi"] and roi["filters"] == {"campaign": campaign}
    assert "limit" not in roi and "dimensions" not in roi


def test_a_reply_that_says_what_an_asked_about_copy_word_is_places_it(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """The copy tool asked about a word; "an occasion" / "是个活动" answers it: the same brief
    is written again with the word as the occasion, never refused."""
    bot = copilot(duckdb_demo_engine, tmp_path)
    first = bot.ask("Write an SMS for Champions about Glowfest, 10% off until Nov 30", "cw")
    assert first.status == "clarify" and first.tool_calls[0].args["unclear"] == ["glowfest"]
    answer = bot.ask("it's an occasion", conversation_id="cw")
    assert answer.status == "answered", answer.text
    args = answer.tool_calls[0].args
    assert args["event"] == "Glowfest" and "unclear" not in args
    assert args["offer"] == "10% off" and args["deadline"] == "Nov 30"
    bot.ask("给冠军客户写一条短信，庆祝焕颜周，85折", conversation_id="cz")
    reply = bot.ask("就是个季节", conversation_id="cz")
    assert reply.status == "answered", reply.text
    assert reply.tool_calls[0].args["event"] == "庆祝焕颜周"
    assert "焕颜周" in reply.text


def test_a_season_in_a_copy_brief_is_placed_not_asked_about(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    bot = copilot(duckdb_demo_engine, tmp_path)
    en = bot.ask(
        "Draft a short email to our At Risk customers about the new autumn skincare set, "
        "15% off until Nov 30"
    )
    assert en.status == "answered", en.text
    assert "unclear" not in en.tool_calls[0].args
    zh = bot.ask("给冠军客户写一条秋季短信，护肤品85折")
    assert zh.status == "answered" and zh.tool_calls[0].args["event"] == "秋季", zh.text


def test_a_copy_word_said_to_be_a_product_is_asked_which_catalogue_product(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """Copy names only catalogue products: "it's a product" asks which; naming one writes
    the brief with it."""
    bot = copilot(duckdb_demo_engine, tmp_path)
    bot.ask("Write an SMS for Champions about Glowfest, 10% off until Nov 30", "cp")
    asked = bot.ask("it's a product", conversation_id="cp")
    assert asked.status == "clarify" and not asked.tool_calls and "Glowfest" in asked.text
    answer = bot.ask("the Hydrating Facial Cleanser", conversation_id="cp")
    assert answer.status == "answered", answer.text
    args = answer.tool_calls[0].args
    assert args["product"] == "Hydrating Facial Cleanser" and "unclear" not in args
    assert args["offer"] == "10% off"


def test_the_unit_before_that_and_keep_only_the_top_n(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """Round 10: "the month before that (one)" is the unit just before the previous answer's
    period; a follow-up opened by "keep" / "trim" ("keep only the top five") cuts the same
    breakdown, never a fresh question that cannot be read."""
    bot = copilot(duckdb_demo_engine, tmp_path)
    bot.ask("revenue in Q2?", conversation_id="q")
    args = bot.ask("and the quarter before that?", conversation_id="q").tool_calls[0].args
    assert args["time_range"] == "2026-01-01 to 2026-03-31" and args["metrics"] == ["revenue"]
    bot.ask("orders in September", conversation_id="m")
    args = bot.ask("what about the month before that one?", conversation_id="m").tool_calls[0].args
    assert args["time_range"] == "2026-08-01 to 2026-08-31"
    bot.ask("AOV by city this year", conversation_id="top")
    args = bot.ask("keep only the top five", conversation_id="top").tool_calls[0].args
    assert args["limit"] == 5 and args["dimensions"] == ["city"] and args["metrics"] == ["aov"]
    bot.ask("buyers by category last month", conversation_id="trim")
    args = bot.ask("trim that to the best 3", conversation_id="trim").tool_calls[0].args
    assert args["limit"] == 3 and args["dimensions"] == ["category"]


def test_export_them_after_a_segment_count_exports_that_segment(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    # Round 10 (leftovers): "export them" after "how many X are there?" (answered with the RFM
    # table) was asked back ("export (not understood); segment"); it exports the one segment
    # that question counted. Our own wordings, EN and ZH.
    bot = copilot(duckdb_demo_engine, tmp_path)
    first = bot.ask("how big is the At Risk group right now?", conversation_id="en")
    assert first.tool_calls[0].name == "rfm_segments"
    answer = bot.ask("fine, export them for SMS", conversation_id="en")
    assert [(c.name, c.args) for c in answer.tool_calls] == [
        ("export_audience", {"segment": "At Risk", "channel": "sms"})
    ]
    assert bot.ask("沉睡客户现在有多少人？", conversation_id="zh").tool_calls[0].name == (
        "rfm_segments"
    )
    answer = bot.ask("把他们导出成邮件名单", conversation_id="zh")
    assert [(c.name, c.args) for c in answer.tool_calls] == [
        ("export_audience", {"segment": "Hibernating", "channel": "email"})
    ]


def test_a_follow_up_that_leaves_a_value_out_is_the_exclude_argument(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """ "and without the app?" leaves the app out of the previous figure; read as it stands,
    the app would be its filter (the opposite). A value named later replaces the values of
    its dimension left out; something left out that is no store value is asked back."""
    bot = copilot(duckdb_demo_engine, tmp_path)
    turns = ["revenue last month", "and without the app?", "除了上海以外呢？", "and in Beijing?"]
    calls = [bot.ask(q, conversation_id="left-out").tool_calls[0].args for q in turns]
    assert calls[1] == {
        "metrics": ["revenue"],
        "time_range": "last month",
        "exclude": {"channel": ["app"]},
    }
    assert calls[2]["exclude"] == {"channel": ["app"], "city": ["上海"]}
    assert not calls[2].get("filters")
    assert calls[3]["filters"] == {"city": ["北京"]} and calls[3]["exclude"] == {"channel": ["app"]}
    bot.ask("revenue last month", conversation_id="returns")
    answer = bot.ask("and excluding returns?", conversation_id="returns")
    assert not answer.tool_calls and "excluding returns" in answer.text


def test_a_follow_up_that_moves_the_period_and_adds_a_breakdown_keeps_both(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """Round 10: "the month before that, split by city" moves the period AND breaks it down;
    dropping the breakdown answers a different question."""
    bot = copilot(duckdb_demo_engine, tmp_path)
    bot.ask("orders in September", conversation_id="en")
    args = bot.ask("and the month prior, broken down by city?", conversation_id="en")
    args = args.tool_calls[0].args
    assert args["time_range"] == "2026-08-01 to 2026-08-31"
    assert args["dimensions"] == ["city"] and args["metrics"] == ["orders"]
    bot.ask("9月的营收", conversation_id="zh")
    args = bot.ask("再往前一个月呢，按城市拆开", conversation_id="zh").tool_calls[0].args
    assert args["time_range"] == "2026-08-01 to 2026-08-31"
    assert args["dimensions"] == ["city"] and args["metrics"] == ["revenue"]


def test_a_follow_up_that_adds_a_metric_keeps_the_first_and_the_period(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """Round 10: "再加上订单数，按月看" after a revenue question ADDS the metric (both are
    shown) and keeps the period asked before; it does not replace the metric."""
    bot = copilot(duckdb_demo_engine, tmp_path)
    first = bot.ask("今年上半年的营收", conversation_id="zh").tool_calls[0].args
    args = bot.ask("再加上订单数，按月看", conversation_id="zh").tool_calls[0].args
    assert args["metrics"] == ["revenue", "orders"]
    assert args["dimensions"] == ["month"]
    assert args["time_range"] == first["time_range"]
    first = bot.ask("revenue in the first half of this year", conversation_id="en")
    args = bot.ask("add orders too, by month", conversation_id="en").tool_calls[0].args
    assert args["metrics"] == ["revenue", "orders"]
    assert args["dimensions"] == ["month"]
    assert args["time_range"] == first.tool_calls[0].args["time_range"]


def test_a_cut_with_only_and_a_comparison_starting_with_compared_are_follow_ups(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """Both "bottom five only, vs March" and "compared to March" lean on the rows just shown (the
    first was refused as no question, the second asked what to compare)."""
    bot = copilot(duckdb_demo_engine, tmp_path)
    bot.ask("orders by channel in April 2026", conversation_id="cut")
    args = bot.ask("bottom two only, vs March", conversation_id="cut").tool_calls[0].args
    assert args["limit"] == 2 and args["sort"] == "asc" and args["compare_to"] == "March"
    assert args["dimensions"] == ["channel"] and args["time_range"] == "April 2026"
    bot.ask("AOV by city in May 2026", conversation_id="vs")
    args = bot.ask("compared to April", conversation_id="vs").tool_calls[0].args
    assert args["compare_to"] == "April" and args["metrics"] == ["aov"]
