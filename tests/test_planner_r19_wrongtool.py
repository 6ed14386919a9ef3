"""Round 19, the wrong tool: another company's figures said as a benchmark against "them" are
refused (the store holds its own data only), tax and employment law is refused rather than
answered with the nearest unrelated knowledge passage, a test asked of a stored A/B campaign's
unsubscribers goes to ab_test (not the unsubscribe rules), and "people who buy X also buy...?"
asks X's cross-sell partners (not a segment of X's buyers). Every wording here is our own; each
family has near-misses that must still be read otherwise."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.offline.intents.ab_counts import read_typed_counts
from copilot.offline.planner import OfflinePlanner
from copilot.settings import Settings
from tests.conftest import AS_OF, asked_back, planned_call


@pytest.fixture(scope="module")
def copilot(duckdb_demo_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Copilot:
    home = tmp_path_factory.mktemp("wrongtool19")
    return Copilot(
        Settings(home=home, as_of=AS_OF, llm_provider="offline"), engine=duckdb_demo_engine
    )


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


# 5. Where the cross-sell picks are shown (a product page, the homepage) is no item.
@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("what pairs well with the Yoga Mat? want cross-sell picks for our homepage", "Yoga Mat"),
        (
            "what goes nicely with Running Shoes - need add-on suggestions for the product page",
            "Running Shoes",
        ),
        ("Yoga Mat: cross-sell ideas for the checkout page?", "Yoga Mat"),
        ("瑜伽垫配什么好？想给详情页放几个搭配推荐", "Yoga Mat"),
    ],
)
def test_display_surface_is_no_item(planner: OfflinePlanner, question: str, item: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "cross_sell_rules"
    assert args.get("item") == item


def test_cross_sell_for_an_item_still_reads_it(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "cross-sell ideas for the Yoga Mat")
    assert (name, args.get("item")) == ("cross_sell_rules", "Yoga Mat")


# 6. Typed counts: the events said before "out of" their size, in either order per variant,
#    and rates with one size shared by both groups (events = rate x size, said so).
@pytest.mark.parametrize(
    ("question", "counts"),
    [
        (
            "control: 45 clicks out of 1,500 sends; the challenger got 1,520 sends and 70 clicks",
            [("control", 1500, 45), ("challenger", 1520, 70)],
        ),
        (
            "A got 38 sign-ups out of 1,200; B saw 1,180 visitors and 52 sign-ups - real winner?",
            [("A", 1200, 38), ("B", 1180, 52)],
        ),
        (
            "新版转化率3%，旧版2.4%，两个版本样本都是5000人，有显著差异吗",
            [("新版", 5000, 150), ("旧版", 5000, 120)],
        ),
        (
            "A 4% and B 5% conversion, 2500 visitors for both. winner?",
            [("A", 2500, 100), ("B", 2500, 125)],
        ),
    ],
)
def test_typed_counts_read(question: str, counts: list[tuple[str, int, int]]) -> None:
    typed = read_typed_counts(question)
    assert typed is not None and typed.counts, typed
    assert [(c["variant"], c["trials"], c["events"]) for c in typed.counts] == counts


def test_rates_without_a_size_still_asked_back() -> None:
    typed = read_typed_counts("A 2.5%, B 3.1%, which is better?")
    assert typed is not None and typed.problem == "rates"


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("A 4% and B 5% conversion, 2500 visitors for both. winner?", "rate times its size"),
        ("新版转化率3%，旧版2.4%，两个版本样本都是5000人，有显著差异吗", "比率乘以样本量"),
    ],
)
def test_events_from_rates_said(copilot: Copilot, question: str, said: str) -> None:
    answer = copilot.ask(question)
    assert answer.to_json()["status"] == "answered", answer.text
    assert said in answer.text, answer.text


def test_typed_counts_not_said_as_from_rates(copilot: Copilot) -> None:
    answer = copilot.ask(
        "A: 50 conversions out of 1000 visitors; B: 1000 visitors, 65 conversions. significant?"
    )
    assert answer.to_json()["status"] == "answered", answer.text
    assert "rate times its size" not in answer.text
