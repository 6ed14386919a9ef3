"""Send time and channel choice against pandas group-bys of the demo store's messages."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools.base import ToolContext
from tools.segments.rfm import rfm_table
from tools.send_time import WEEKDAYS, best_channel, best_send_time


def context(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)


def messages(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        frame = pd.read_sql(
            text(
                "SELECT m.*, c.channel, c.cost FROM campaign_messages m "
                "JOIN campaigns c ON c.campaign_id = m.campaign_id"
            ),
            conn,
        )
    frame["sent_at"] = pd.to_datetime(frame["sent_at"])
    frame["hour"] = frame["sent_at"].dt.hour
    frame["weekday"] = (frame["sent_at"].dt.day_of_week + 1) % 7  # 0 = Sunday
    frame["opened"] = frame["opened_at"].notna()
    frame["delivered"] = frame["delivered"].astype(bool)
    return frame


def pandas_best(frame: pd.DataFrame, by: str, min_sample: int) -> tuple[int, float] | None:
    per = frame[frame["delivered"]].groupby(by)["opened"].agg(["size", "mean"])
    per = per[per["size"] >= min_sample]
    if per.empty:
        return None
    best = per["mean"].max()
    return int(per.index[per["mean"] == best].min()), float(best)


def test_store_wide_best_hour_and_weekday(duckdb_demo_engine: Engine) -> None:
    out = best_send_time(context(duckdb_demo_engine), min_sample=100)
    frame = messages(duckdb_demo_engine)
    hour, rate = pandas_best(frame, "hour", 100)
    assert out.data["best_hour"]["slot"] == hour
    assert out.data["best_hour"]["rate"] == pytest.approx(rate)
    assert out.data["best_hour"]["fallback"] is False
    day, _ = pandas_best(frame, "weekday", 100)
    assert out.data["best_weekday"]["label"] == WEEKDAYS[day]


def test_segment_with_too_few_messages_falls_back_to_the_channel(
    duckdb_demo_engine: Engine,
) -> None:
    frame = messages(duckdb_demo_engine)
    at_risk = set(rfm_table(duckdb_demo_engine, AS_OF).query("segment == 'At Risk'")["customer_id"])
    mine = frame[frame["customer_id"].isin(at_risk) & (frame["channel"] == "sms")]
    sms = frame[frame["channel"] == "sms"]
    ctx = context(duckdb_demo_engine)

    small = best_send_time(ctx, "At Risk", "sms", min_sample=10)
    expected = pandas_best(mine, "hour", 10)
    assert expected is not None
    assert small.data["best_hour"]["slot"] == expected[0]
    assert small.data["best_hour"]["level"] == "segment"

    large = best_send_time(ctx, "At Risk", "sms", min_sample=100)
    assert pandas_best(mine, "hour", 100) is None  # the segment alone is too small
    assert large.data["best_hour"]["level"] == "channel"
    assert large.data["best_hour"]["slot"] == pandas_best(sms, "hour", 100)[0]
    assert large.data["delivered"] == int(mine["delivered"].sum())


def test_per_customer_best_hour(duckdb_demo_engine: Engine) -> None:
    out = best_send_time(context(duckdb_demo_engine), min_customer_events=3)
    people = out.artifacts[2].frame
    frame = messages(duckdb_demo_engine)
    opens = frame[frame["delivered"] & frame["opened"]]
    counts = opens.groupby("customer_id").size()
    assert set(people["customer_id"]) == set(counts[counts >= 3].index)
    row = people.iloc[0]
    per_hour = opens[opens["customer_id"] == row["customer_id"]].groupby("hour").size()
    assert row["best_hour"] == per_hour[per_hour == per_hour.max()].index.min()


def test_best_channel_costs_and_conversions(duckdb_demo_engine: Engine) -> None:
    out = best_channel(context(duckdb_demo_engine), "Champions", min_sample=50)
    table = out.artifacts[0].frame.set_index("channel")
    frame = messages(duckdb_demo_engine)
    champions = set(
        rfm_table(duckdb_demo_engine, AS_OF).query("segment == 'Champions'")["customer_id"]
    )
    delivered = frame[frame["delivered"]]
    mine = delivered[delivered["customer_id"].isin(champions)]
    for channel, part in mine.groupby("channel"):
        assert table.loc[channel, "delivered"] == len(part)
        assert table.loc[channel, "conversions"] == part["attributed_order_id"].notna().sum()
    # Cost is shared by delivered messages: campaign cost x the segment's share of them.
    share = mine.groupby("campaign_id").size() / delivered.groupby("campaign_id").size()
    costs = delivered.groupby("campaign_id")[["cost", "channel"]].first()
    cost = (
        (costs["cost"].astype(float) * share.reindex(costs.index).fillna(0))
        .groupby(costs["channel"])
        .sum()
    )
    for channel, value in cost.items():
        assert table.loc[channel, "cost"] == pytest.approx(value, abs=0.01)
    eligible = table[(table["delivered"] >= 50) & (table["conversions"] > 0)]
    assert out.data["best"]["channel"] == eligible["cost_per_conversion"].idxmin()
