"""Round 16 (wave 2), exports, copy, cross-sell and saved segments: an export with no channel
is the segment's members with each consent flag and no contact data (it says so); a file of a
segment is an export, not a new segmentation; a count of a list is no export; a contact that
is no channel is still asked back. Every wording here is our own."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from copilot.offline.planner import OfflinePlanner
from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF, asked_back, planned_call
from tools.audience_export import export_audience
from tools.base import ToolContext, ToolError


def _ctx(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)


# 1. Channel-free export: every member, consent flags, no name and no contact field.
def test_channel_free_export_has_consent_flags_and_no_contacts(duckdb_demo_engine: Engine) -> None:
    out = export_audience(_ctx(duckdb_demo_engine), "Champions")
    frame = out.artifacts[0].frame
    assert not {"name", "email", "phone"} & set(frame.columns)
    assert {"consent_email", "consent_sms", "consent_push", "consent_social"} <= set(frame.columns)
    assert out.data["channel"] is None
    assert out.data["rows"] == out.data["members"] > 0
    with duckdb_demo_engine.connect() as conn:
        sms = conn.execute(text("SELECT customer_id FROM customers WHERE consent_sms")).all()
    in_list = set(frame["customer_id"])
    assert out.data["consented"]["sms"] == len(in_list & {str(r[0]) for r in sms})


def test_channel_free_export_cannot_hash(duckdb_demo_engine: Engine) -> None:
    with pytest.raises(ToolError):
        export_audience(_ctx(duckdb_demo_engine), "Champions", hashed=True)


# 2. An export request naming a segment and no channel: the channel-free export.
@pytest.mark.parametrize(
    "question",
    [
        "could the At Risk segment come over as a spreadsheet? a reactivation is planned",
        "export the Loyal Customers list to csv for the crm folks",
        "pls download Hibernating for me",
        "把 Need Attention 这部分客户导出来",
        "Champions 的名单发我一份",
        "能不能把沉睡客户的名单给一份",
    ],
)
def test_export_without_channel_is_channel_free_export(
    planner: OfflinePlanner, question: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "export_audience"
    assert "channel" not in args and args["segment"]


# 3. Near misses: a count of the list is no export; a contact that is no channel is asked.
@pytest.mark.parametrize(
    "question", ["Champions名单里一共多少人", "how many are on the At Risk list?"]
)
def test_count_of_a_list_is_no_channel_free_export(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert not any(
        c["name"] == "export_audience" and "channel" not in c["args"] for c in message.tool_calls
    )


def test_export_for_a_phone_call_still_asks_the_channel(planner: OfflinePlanner) -> None:
    assert "打电话" in asked_back(planner, "把 At Risk 导出来让客服打电话")


# 4. Versions put out of a message ("出几版", "来两版") are drafts written; "三版" is 3 variants.
@pytest.mark.parametrize(
    ("question", "variants"),
    [
        ("At Risk 的短信文案来两版", 2),
        ("给 Loyal Customers 整几版邮件文案，618用", None),
        ("推送文案出四版吧，对象 Hibernating", 4),
        ("Champions 的邮件文案做三版", 3),
    ],
)
def test_versions_put_out_are_copy_drafts(
    planner: OfflinePlanner, question: str, variants: int | None
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "generate_copy"
    assert args.get("variants") == variants


def test_messages_sent_out_count_is_no_copy(planner: OfflinePlanner) -> None:
    message = planner._plan("上个月短信发出几条", [])
    assert not any(c["name"] == "generate_copy" for c in message.tool_calls)


# 5. Put in the cart with an item is bought together with it; the cart-add metric is refused.
@pytest.mark.parametrize(
    "question",
    [
        "which products do customers add to their cart alongside the Yoga Mat",
        "what are customers adding to basket along with the Yoga Mat",
        "what goes into the basket with the Yoga Mat most often",
    ],
)
def test_added_to_cart_with_an_item_is_cross_sell(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cross_sell_rules"
    assert args.get("item") == "Yoga Mat"


def test_cart_add_rate_is_still_refused(planner: OfflinePlanner) -> None:
    message = planner._plan("what was our add-to-cart rate last month?", [])
    assert not message.tool_calls


@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("what do shoppers also add to cart next to the Yoga Mat?", "Yoga Mat"),
        ("what do people put in their basket beside the Robot Vacuum", "Robot Vacuum"),
    ],
)
def test_an_item_next_to_or_beside_in_the_cart_is_the_cross_sell_item(
    planner: OfflinePlanner, question: str, item: str
) -> None:
    """ "next to X" / "beside X" names the item as "with X" does; the rules of all customers
    would answer another question (the item dropped)."""
    tool, args = planned_call(planner, question)
    assert (tool, args.get("item")) == ("cross_sell_rules", item)
