"""Round-8 kinds of audience questions, each with this file's own wordings in English and
Chinese: a saved segment named by its stored name (unquoted) or in quotes is that segment,
never the RFM run; "re-run" refreshes it; "as a push audience" exports it; "stored lists" and
"已建的分群" are the saved segments; products never reviewed are a catalogue query, not the
sentiment of the reviews there are."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from sqlalchemy import text

from copilot.offline.planner import OfflinePlanner


@pytest.fixture(scope="module")
def planner_with_saved(tmp_path_factory: pytest.TempPathFactory) -> OfflinePlanner:
    """A planner over a store of its own holding two saved rule segments."""
    from knowledge.semantic import load_semantic_model
    from tests.conftest import AS_OF, own_store_planner
    from tools import ToolContext
    from tools.segments.rules import define_segment

    def save_segments(engine) -> None:  # noqa: ANN001
        ctx = ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)
        define_segment(ctx, "Hangzhou dads", {"genders": ["M"], "cities": ["杭州"]})
        define_segment(ctx, "忠实大客户", {"min_age": 40})

    return own_store_planner(tmp_path_factory.mktemp("saved-segments"), save_segments)


def _calls(planner: OfflinePlanner, question: str) -> list[tuple[str, dict[str, Any]]]:
    return [(c["name"], c["args"]) for c in planner._plan(question, []).tool_calls]


@pytest.mark.parametrize(
    ("question", "args"),
    [
        ("export Hangzhou dads for SMS", {"segment": "Hangzhou dads", "channel": "sms"}),
        ("导出忠实大客户的短信名单", {"segment": "忠实大客户", "channel": "sms"}),
        (
            "grab the Hangzhou dads segment as an email audience",
            {"segment": "Hangzhou dads", "channel": "email"},
        ),
        ("take At Risk as an SMS audience", {"segment": "At Risk", "channel": "sms"}),
    ],
)
def test_a_saved_segment_named_unquoted_is_exported(
    planner_with_saved: OfflinePlanner, question: str, args: dict[str, Any]
) -> None:
    assert _calls(planner_with_saved, question) == [("export_audience", args)]


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("rerun Hangzhou dads on this week's data", "Hangzhou dads"),
        ("re-run the \"Hangzhou dads\" segment with fresh data", "Hangzhou dads"),
        ("把忠实大客户重跑一下", "忠实大客户"),
        ("recalculate the 忠实大客户 segment", "忠实大客户"),
    ],
)
def test_a_saved_segment_is_re_run_not_the_rfm_table(
    planner_with_saved: OfflinePlanner, question: str, name: str
) -> None:
    assert _calls(planner_with_saved, question) == [("refresh_segment", {"name": name})]


@pytest.mark.parametrize(
    "question",
    [
        "which stored lists do we have?",
        "show my saved customer lists and their sizes",
        "看看已建立的客群",
        "列出已定义的人群包和上次更新时间",
        # Custom ones are those the user made: the saved segments, not an RFM run.
        "what custom audiences are there?",
        "把自建的分群都列出来，带上人数",
    ],
)
def test_stored_lists_and_segments_already_built_are_the_saved_segments(
    planner_with_saved: OfflinePlanner, question: str
) -> None:
    assert _calls(planner_with_saved, question) == [("list_segments", {})]


@pytest.mark.parametrize(
    "question", ["re-run the RFM segmentation", "重新跑一下RFM分群", "segment customers by RFM"]
)
def test_an_rfm_run_asked_for_stays_an_rfm_run(
    planner_with_saved: OfflinePlanner, question: str
) -> None:
    assert _calls(planner_with_saved, question)[0][0] == "rfm_segments"


@pytest.mark.parametrize(
    ("question", "counts"),
    [
        ("which items have no reviews at all?", False),
        ("list the products nobody has ever rated... never rated, I mean", False),
        ("哪些商品还没有收到任何评价", False),
        ("how many SKUs were never reviewed?", True),
        ("没有评论的产品有多少个", True),
    ],
)
def test_products_without_reviews_are_a_catalogue_query_not_sentiment(
    planner: OfflinePlanner, duckdb_demo_engine, question: str, counts: bool  # noqa: ANN001
) -> None:
    from tests.conftest import AS_OF
    from tools.base import ToolContext
    from tools.sql import run_sql

    [(tool, args)] = _calls(planner, question)
    assert tool == "run_sql" and "NOT EXISTS" in args["sql"] and "reviews" in args["sql"]
    assert ("COUNT(*)" in args["sql"]) is counts
    ctx = ToolContext(engine=duckdb_demo_engine, semantic_model=planner.semantic_model, as_of=AS_OF)
    output = run_sql(ctx, args["sql"])
    with duckdb_demo_engine.connect() as conn:
        products = pd.read_sql(text("SELECT sku FROM products"), conn)["sku"]
        reviewed = set(pd.read_sql(text("SELECT sku FROM reviews"), conn)["sku"])
    unreviewed = int((~products.isin(reviewed)).sum())
    if counts:
        assert int(output.artifacts[0].frame.iloc[0, 0]) == unreviewed
    else:
        assert output.data["row_count"] == unreviewed


@pytest.mark.parametrize(
    "question", ["what do reviews say about our products?", "各商品的评价口碑怎么样"]
)
def test_reviews_of_products_stay_sentiment(planner: OfflinePlanner, question: str) -> None:
    assert _calls(planner, question)[0][0] == "review_sentiment"


@pytest.mark.parametrize(
    ("question", "args"),
    [
        (
            "hashed list of Champions for WeChat ad matching",
            {"segment": "Champions", "channel": "social", "hashed": True},
        ),
        (
            "Need Attention customers' email addresses in one file for our CRM",
            {"segment": "Need Attention", "channel": "email"},
        ),
        (
            "hashed audience of Promising for custom audience targeting on social",
            {"segment": "Promising", "channel": "social", "hashed": True},
        ),
    ],
)
def test_hashed_ids_and_contacts_in_a_file_are_an_export(
    planner: OfflinePlanner, question: str, args: dict[str, Any]
) -> None:
    assert _calls(planner, question) == [("export_audience", args)]


@pytest.mark.parametrize(
    "question",
    [
        "how many Hibernating customers, and what portion of revenue is theirs",
        "how many Can't Lose Them buyers right now and what proportion of revenue do they make up?",
        "流失风险客户有多少人？销售额比例是多少",
    ],
)
def test_a_segments_size_and_share_of_revenue_is_the_rfm_table(
    planner: OfflinePlanner, question: str
) -> None:
    assert _calls(planner, question) == [("rfm_segments", {})]


def test_a_segments_revenue_in_a_period_is_no_rfm_table(planner: OfflinePlanner) -> None:
    # A period: the segment's figures of that period (or a question back), not the RFM table.
    calls = _calls(planner, "how many Champions bought last month and their revenue share")
    assert all(tool != "rfm_segments" for tool, _ in calls)


@pytest.mark.parametrize(
    ("question", "segment", "channel"),
    [
        ("an SMS for About to Sleep customers reminding them their points expire", "About to Sleep", "sms"),
        ("push for Need Attention customers nudging them to reorder", "Need Attention", "push"),
        ("给即将沉睡客户的短信，提醒他们积分快过期", "About to Sleep", "sms"),
    ],
)
def test_a_message_for_a_segment_with_what_it_should_get_them_to_do_is_copy(
    planner: OfflinePlanner, question: str, segment: str, channel: str
) -> None:
    [(tool, args)] = _calls(planner, question)
    assert tool == "generate_copy"
    assert (args["segments"], args["channel"]) == ([segment], channel)
