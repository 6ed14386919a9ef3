"""Round 15, SQL asked for by name that round 14 asked back: metrics over a relative period
(left as :start / :end for run_sql to resolve like query_metrics), campaign message counts
per campaign, and every consent at once. Each SQL runs read-only through run_sql and is
checked against pandas over the raw tables. Every wording here is our own."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from copilot.offline.planner import OfflinePlanner
from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF, asked_back, planned_call
from tools.base import ToolContext, ToolError
from tools.sql.run import run_sql


def _ctx(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)


def _table(engine: Engine, name: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text(f"SELECT * FROM {name}"), conn)  # noqa: S608 - a fixed name


def _valid_orders(engine: Engine) -> pd.DataFrame:
    orders = _table(engine, "orders")
    orders["order_date"] = pd.to_datetime(orders["order_date"]).dt.date
    keep = ~orders["status"].isin(["cancelled", "returned"]) & (orders["total"].astype(float) > 0)
    return orders[keep]


# 1. A count over a relative period: the SQL keeps :start / :end, run_sql resolves them from
#    the store's clock (AS_OF: 2026-11-01), and the figure is pandas' over those dates.
@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        (
            "sql: how many valid orders came in during the previous month",
            "2026-10-01",
            "2026-10-31",
        ),
        ("用SQL统计一下上季度的订单量", "2026-07-01", "2026-09-30"),
        (
            "give me the query for the count of orders in the past 30 days",
            "2026-10-02",
            "2026-10-31",
        ),
    ],
)
def test_sql_metric_over_a_relative_period_is_resolved_by_run_sql(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str, first: str, last: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql" and args.get("period")
    assert ":start" in args["sql"] and "2026" not in args["sql"]
    output = run_sql(_ctx(duckdb_demo_engine), **args)
    assert output.data["period"] == {"start": first, "end": last}
    valid = _valid_orders(duckdb_demo_engine)
    between = valid["order_date"].between(date.fromisoformat(first), date.fromisoformat(last))
    assert output.data["value"] == int(between.sum()) > 0


# 2. Delivered / opened / clicked per campaign, from the campaign messages: MARKETING.md's
#    delivered (sent, not bounced), opens and clicks of delivered messages, each message once.
@pytest.mark.parametrize(
    "question",
    [
        "give me the query: per campaign, delivered, opened, and clicked counts",
        "写个SQL，按活动统计送达数、打开数和点击数",
    ],
)
def test_sql_campaign_message_counts_per_campaign(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql" and "campaign_messages" in args["sql"]
    got = run_sql(_ctx(duckdb_demo_engine), **args).artifacts[0].frame
    messages = _table(duckdb_demo_engine, "campaign_messages")
    campaigns = _table(duckdb_demo_engine, "campaigns")
    delivered = messages[messages["delivered"].astype(bool)]
    per = delivered.merge(campaigns, on="campaign_id").groupby("name")
    want = pd.DataFrame(
        {
            "delivered": per.size(),
            "opens": per["opened_at"].count(),
            "clicks": per["clicked_at"].count(),
        }
    ).sort_index()
    got = got.rename(columns=lambda c: str(c)).set_index(got.columns[0]).sort_index()
    assert list(got.index) == list(want.index)
    for column in ("delivered", "opens", "clicks"):
        assert [int(v) for v in got[column]] == [int(v) for v in want[column]], column


# 3. Campaign counts over a relative period: the timestamp's last day is kept whole.
def test_sql_campaign_counts_over_a_relative_period_keep_the_last_day(
    planner: OfflinePlanner, duckdb_demo_engine: Engine
) -> None:
    tool, args = planned_call(planner, "query for the delivered messages in the last 90 days")
    assert tool == "run_sql" and ":end_next" in args["sql"]
    output = run_sql(_ctx(duckdb_demo_engine), **args)
    first, last = (date.fromisoformat(output.data["period"][k]) for k in ("start", "end"))
    messages = _table(duckdb_demo_engine, "campaign_messages")
    day = pd.to_datetime(messages["sent_at"]).dt.date
    kept = messages["delivered"].astype(bool) & (day >= first) & (day <= last)
    assert last == AS_OF - timedelta(days=1)
    assert output.data["value"] == int(kept.sum())


# 4. Every consent at once ("all four consents true"): each flag, AND-ed.
@pytest.mark.parametrize(
    "question",
    [
        "sql please: count customers with all four consents set to true",
        "写个SQL：四项授权都为true的会员有多少",
    ],
)
def test_sql_count_of_customers_with_every_consent(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql"
    output = run_sql(_ctx(duckdb_demo_engine), **args)
    customers = _table(duckdb_demo_engine, "customers")
    flags = ["consent_email", "consent_sms", "consent_push", "consent_social"]
    assert output.data["value"] == int(customers[flags].astype(bool).all(axis=1).sum())


def test_all_four_consents_is_no_typo_of_converts(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "how many shoppers have all 4 consents")
    assert tool == "run_sql" and "conversion" not in str(args)
    assert args["sql"].count("consent_") == 4


# 5. A rate asked for as SQL is computed after the fetch: asked back, never its counts alone.
@pytest.mark.parametrize("question", ["sql: CTR per campaign", "写个SQL算各活动的打开率"])
def test_sql_for_a_rate_is_asked_back(planner: OfflinePlanner, question: str) -> None:
    assert "SQL" in asked_back(planner, question)


# 6. run_sql's period: placeholders need one, and a period needs placeholders.
def test_run_sql_period_placeholders_and_period_go_together(duckdb_demo_engine: Engine) -> None:
    ctx = _ctx(duckdb_demo_engine)
    with pytest.raises(ToolError):
        run_sql(ctx, "SELECT COUNT(*) AS n FROM orders WHERE order_date >= :start")
    with pytest.raises(ToolError):
        run_sql(ctx, "SELECT COUNT(*) FROM orders", period="last month")
    with pytest.raises(ToolError):
        run_sql(ctx, "DELETE FROM orders WHERE order_date >= :start", period="last month")
