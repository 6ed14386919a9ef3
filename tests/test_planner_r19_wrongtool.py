"""Round 19, the wrong tool: another company's figures said as a benchmark against "them" are
refused (the store holds its own data only), tax and employment law is refused rather than
answered with the nearest unrelated knowledge passage, a test asked of a stored A/B campaign's
unsubscribers goes to ab_test (not the unsubscribe rules), and "people who buy X also buy...?"
asks X's cross-sell partners (not a segment of X's buyers). Every wording here is our own; each
family has near-misses that must still be read otherwise."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 1. Another company's figures, to benchmark the store against them: refused.
@pytest.mark.parametrize(
    "question",
    [
        "how did Perfect Diary do on JD during 618? I'd like to benchmark us against them",
        "what were Anta's numbers last Singles Day, so we can compare ourselves with them",
        "want to see how we stack up against them: Li-Ning's sales on Tmall in March",
        "完美日记去年双11在天猫卖了多少？想拿我们跟他们家的比一比",
        "想对标他们：花西子上个月天猫的成交",
    ],
)
def test_benchmark_against_them_refused(planner: OfflinePlanner, question: str) -> None:
    reply = asked_back(planner, question)
    assert "other companies" in reply or "其他公司" in reply or "别家" in reply


def test_benchmark_against_own_parts_still_answered(planner: OfflinePlanner) -> None:
    # the store's own periods set side by side are no third party
    name, _ = planned_call(planner, "compare revenue this month against last month")
    assert name == "query_metrics"


# 2. Tax, payroll and employment law: refused, never the nearest knowledge passage.
@pytest.mark.parametrize(
    "question",
    [
        "when we pay a contractor for design work, how much income tax should we hold back?",
        "is there withholding tax on fees to a self-employed photographer?",
        "what tax obligations do we have for part-time live-stream hosts?",
        "给兼职设计师付劳务报酬，需要代扣个税吗？",
        "请外包摄影师拍图，公司要怎么报税？",
    ],
)
def test_tax_law_refused(planner: OfflinePlanner, question: str) -> None:
    reply = asked_back(planner, question)
    assert "tax" in reply or "税务" in reply


def test_tax_basis_figure_is_not_tax_law(planner: OfflinePlanner) -> None:
    # a figure under a tax basis is the unsupported-qualifier reply, not the tax-law refusal
    reply = asked_back(planner, "what was revenue excluding VAT last month?")
    assert "tax adviser" not in reply


def test_unsubscribe_rules_still_from_knowledge(planner: OfflinePlanner) -> None:
    name, _ = planned_call(planner, "短信里的退订说明要怎么写？")
    assert name == "search_knowledge"


# 3. A test asked of a stored A/B campaign's unsubscribers: ab_test on the unsubscribe rate.
@pytest.mark.parametrize(
    "question",
    [
        "春节邮件A/B里，B版本退订的人是不是多了不少？帮忙检验下",
        "春节那封AB邮件，退订的用户B组明显多一些吧？做个检验",
        "in the Spring Festival email A/B, did significantly more people opt out under B?",
        "Spring Festival email A/B: is B's unsubscribe count really higher, or chance? test it",
    ],
)
def test_stored_test_unsubscribers_tested(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "ab_test"
    assert args.get("campaign") == "Spring Festival 2026 - Email A/B"
    assert args.get("metric") in {"unsubscribe_rate", "unsubscribes"}


# 4. "people who buy X also buy...?": X's cross-sell partners.
@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("customers who bought the Yoga Mat also tend to go for...?", "Yoga Mat"),
        ("shoppers who purchase Running Shoes also usually buy what", "Running Shoes"),
        ("people who order the Stroller Lite also buy…", "Stroller Lite"),
        ("买了瑜伽垫的人一般还会买什么？", "Yoga Mat"),
    ],
)
def test_also_buy_is_cross_sell(planner: OfflinePlanner, question: str, item: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "cross_sell_rules"
    assert args.get("item") == item


def test_also_bought_a_named_item_is_not_cross_sell(planner: OfflinePlanner) -> None:
    # the second item said: people who bought both, a segment, not an open question
    name, _ = planned_call(
        planner, "how many customers who bought the Yoga Mat also bought Running Shoes"
    )
    assert name != "cross_sell_rules"
