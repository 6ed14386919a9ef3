"""Send time and channel choice against pandas group-bys of the demo store's messages."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools.base import ToolContext, ToolError
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

    # The SMS playbook sends nothing between 21:00 and 09:00: the best allowed hour is
    # recommended, and the best raw hour is named when it was moved.
    allowed = mine[mine["hour"].between(9, 20)]
    small = best_send_time(ctx, "At Risk", "sms", min_sample=10)
    expected, raw = pandas_best(allowed, "hour", 10), pandas_best(mine, "hour", 10)
    assert expected is not None and raw is not None
    assert small.data["best_hour"]["slot"] == expected[0]
    assert small.data["best_hour"]["level"] == "segment"
    moved = small.data["best_hour"]["moved_from"]
    assert (moved["slot"] if moved else expected[0]) == raw[0]

    large = best_send_time(ctx, "At Risk", "sms", min_sample=100)
    assert pandas_best(mine, "hour", 100) is None  # the segment alone is too small
    assert large.data["best_hour"]["level"] == "channel"
    assert (
        large.data["best_hour"]["slot"]
        == pandas_best(sms[sms["hour"].between(9, 20)], "hour", 100)[0]
    )
    assert large.data["delivered"] == int(mine["delivered"].sum())


def test_per_customer_best_hour(duckdb_demo_engine: Engine) -> None:
    out = best_send_time(context(duckdb_demo_engine), min_customer_events=3)
    people = out.artifacts[2].frame
    frame = messages(duckdb_demo_engine)
    opens = frame[frame["delivered"] & frame["opened"]]
    counts = opens.groupby("customer_id").size()
    assert set(people["customer_id"]) == set(counts[counts >= 3].index)
    # Without a channel the strictest playbook window applies (SMS: none 21:00-09:00).
    allowed = opens[(opens["hour"] >= 9) & (opens["hour"] < 21)]
    for _, row in people.head(20).iterrows():
        per_hour = allowed[allowed["customer_id"] == row["customer_id"]].groupby("hour").size()
        if per_hour.empty:
            assert pd.isna(row["best_hour"])
            continue
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


def test_sms_send_time_never_falls_in_the_playbook_quiet_hours(duckdb_demo_engine: Engine) -> None:
    out = best_send_time(context(duckdb_demo_engine), channel="sms", min_sample=20)
    sms = messages(duckdb_demo_engine).query("channel == 'sms'")
    raw_hour, _ = pandas_best(sms, "hour", 20)
    allowed = sms[(sms["hour"] >= 9) & (sms["hour"] < 21)]
    best_hour, rate = pandas_best(allowed, "hour", 20)
    pick = out.data["best_hour"]
    assert {"window": "21:00-09:00", "source": "playbook"} in out.data["quiet_hours"]
    assert pick["slot"] == best_hour and pick["rate"] == pytest.approx(rate)
    assert 9 <= pick["slot"] < 21
    if raw_hour != best_hour:
        assert pick["moved_from"]["slot"] == raw_hour
        assert "moved" in out.for_model
    hours = out.artifacts[0].frame.set_index("hour")
    assert bool(hours.loc[22, "quiet_hour"]) and not bool(hours.loc[12, "quiet_hour"])


def test_quiet_hours_setting_moves_the_best_hour_and_says_so(duckdb_demo_engine: Engine) -> None:
    ctx = context(duckdb_demo_engine)
    plain = best_send_time(ctx, channel="email", min_sample=40)
    raw = plain.data["best_hour"]["slot"]
    assert plain.data["best_hour"]["moved_from"] is None  # the email playbook sets no window
    quiet = best_send_time(
        replace(ctx, quiet_hours=f"{raw}-{(raw + 1) % 24}"), channel="email", min_sample=40
    )
    pick = quiet.data["best_hour"]
    assert pick["slot"] != raw and pick["moved_from"]["slot"] == raw
    assert {"window": f"{raw:02d}:00-{(raw + 1) % 24:02d}:00", "source": "setting"} in quiet.data[
        "quiet_hours"
    ]
    assert f"best raw hour {raw:02d}:00" in quiet.for_model
    with pytest.raises(ToolError, match="21-09"):
        best_send_time(replace(ctx, quiet_hours="late evening"), channel="email")


def test_offline_answer_says_the_hour_was_moved(duckdb_demo_engine: Engine) -> None:
    from copilot.offline.intents.audience import write_send_time

    ctx = context(duckdb_demo_engine)
    raw = best_send_time(ctx, channel="email", min_sample=40).data["best_hour"]["slot"]
    quiet = replace(ctx, quiet_hours=f"{raw}-{(raw + 1) % 24}")
    out = best_send_time(quiet, channel="email", min_sample=40)
    answer = write_send_time(out, "en", None)  # type: ignore[arg-type]
    assert f"best raw hour, {raw:02d}:00, falls in the quiet hours" in answer
    assert "已顺延" in write_send_time(out, "zh", None)  # type: ignore[arg-type]
