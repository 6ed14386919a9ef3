"""Copy generation on the demo store: grounded, checked, stored, exported, private."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pandas as pd
import pytest
from langchain_openai import ChatOpenAI
from sqlalchemy import Engine, text

from copilot.offline.intents.copy import read_copy_question, write_copy_answer
from copilot.offline.question import Question, language_of
from knowledge.semantic import load_semantic_model
from knowledge.store.database import new_id, utcnow
from tests.conftest import AS_OF
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.openai_server import text as text_response
from tools.base import ToolContext, ToolError
from tools.copywriting import build_brief, draft_copy, generate_copy, write_drafts_file
from tools.copywriting.grounding import ungrounded
from tools.copywriting.model_writer import model_writer
from tools.segments.rfm import SEGMENT_NAMES

# A brief about a category the store sells (a brief announcing something new is written
# from its own words instead: test_copy_brief.py).
GOAL = "our favourite skincare"
SAVED = "Shanghai shoppers (copy test)"


@pytest.fixture(scope="module")
def ctx(duckdb_demo_engine: Engine) -> ToolContext:
    return ToolContext(engine=duckdb_demo_engine, semantic_model=load_semantic_model(), as_of=AS_OF)


@pytest.fixture(scope="module")
def catalogue(duckdb_demo_engine: Engine) -> pd.DataFrame:
    with duckdb_demo_engine.connect() as conn:
        rows = conn.execute(text("SELECT sku, name_en, name_zh, category, price FROM products"))
        frame = pd.DataFrame(
            rows.fetchall(), columns=["sku", "name_en", "name_zh", "category", "price"]
        )
    frame["price"] = frame["price"].astype(float)
    return frame


@pytest.fixture(scope="module")
def customers(duckdb_demo_engine: Engine) -> pd.DataFrame:
    with duckdb_demo_engine.connect() as conn:
        rows = conn.execute(text("SELECT customer_id, name, email, phone, city FROM customers"))
        return pd.DataFrame(
            rows.fetchall(), columns=["customer_id", "name", "email", "phone", "city"]
        )


def _prices_named(draft_text: str, catalogue: pd.DataFrame, column: str) -> list[tuple[str, float]]:
    """(product, price) for every "<catalogue name> ¥<price>" in the text (independent regex)."""
    names = "|".join(re.escape(n) for n in sorted(catalogue[column], key=len, reverse=True))
    return [
        (m.group(1), float(m.group(2)))
        for m in re.finditer(rf"({names})\s*¥(\d+(?:\.\d+)?)", draft_text)
    ]


@pytest.mark.parametrize(("language", "offer"), [("en", "20% off"), ("zh", "20% off")])
def test_sms_per_rfm_segment_is_grounded_and_differs(
    ctx: ToolContext, catalogue: pd.DataFrame, language: str, offer: str
) -> None:
    output = generate_copy(ctx, "all", "sms", goal=GOAL, offer=offer, language=language)
    drafts = output.data["drafts"]
    segments = [d["segment"] for d in drafts]
    assert len(segments) == len(set(segments)) >= 5
    assert set(segments) <= set(SEGMENT_NAMES)
    assert all(d["passed"] and all(c["passed"] for c in d["checks"]) for d in drafts)

    column = "name_zh" if language == "zh" else "name_en"
    skincare = catalogue[catalogue["category"] == "skincare"]
    price_of = dict(zip(catalogue[column], catalogue["price"], strict=True))
    stripped = set()
    for draft in drafts:
        body = draft["parts"]["text"]
        # Every amount of money follows a skincare product of the catalogue, at its price.
        amounts = re.findall(r"¥\s*(\d+(?:\.\d+)?)", body)
        named = _prices_named(body, catalogue, column)
        assert len(named) == len(amounts) >= 1, body
        for name, price in named:
            assert price == price_of[name] and name in set(skincare[column]), body
        # The only percentage or discount is the brief's 20% off (8折 in Chinese).
        percents = re.findall(r"(\d+(?:\.\d+)?)\s*%", body)
        discounts = re.findall(r"(\d+(?:\.\d+)?)\s*折", body)
        assert percents == (["20"] if language == "en" else [])
        assert discounts == (["8"] if language == "zh" else [])
        if language == "zh":
            assert body.startswith(ctx_rules_signature()) and body.endswith("回T退订")
            assert len(body) <= 70
        else:
            assert "Reply STOP" in body and len(body) <= 160
        stripped.add(re.sub("|".join(re.escape(n) for n in catalogue[column]), "", body))
    # With the products taken out, the copy of every segment still differs (its own strategy).
    assert len(stripped) == len(drafts)


def ctx_rules_signature() -> str:
    from tools.copywriting.rules import load_brand_rules

    return load_brand_rules().sms_signature


def test_drafts_are_stored_with_brief_and_checks(ctx: ToolContext) -> None:
    def count() -> int:
        with ctx.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM copy_drafts")).scalar_one()

    before = count()
    output = generate_copy(
        ctx, ["Champions", "At Risk"], "email", goal=GOAL, language="en", variants=2
    )
    drafts = output.data["drafts"]
    assert [(d["segment"], d["variant"]) for d in drafts] == [
        ("Champions", 1), ("Champions", 2), ("At Risk", 1), ("At Risk", 2)
    ]  # fmt: skip
    assert drafts[0]["parts"] != drafts[1]["parts"]
    assert count() == before + 4
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT draft_id, segment, channel, content, brief, checks FROM copy_drafts")
        ).all()
    stored = {r.draft_id: r for r in rows}
    for draft in drafts:
        row = stored[draft["draft_id"]]
        assert (row.segment, row.channel) == (draft["segment"], "email")
        assert json.loads(row.content)["parts"] == draft["parts"]
        assert all(c["passed"] for c in json.loads(row.checks) if c["severity"] == "error")
        assert json.loads(row.brief)["segment"]["name"] == draft["segment"]
    table = output.artifacts[0].frame
    assert list(table.columns[:3]) == ["segment", "channel", "variant"]
    assert table["checks_passed"].all() and len(table) == 4


def test_brief_of_a_saved_segment_matches_an_independent_computation(
    ctx: ToolContext, customers: pd.DataFrame, catalogue: pd.DataFrame
) -> None:
    members = customers.loc[customers["city"] == "上海", "customer_id"]
    segment_id = new_id()
    with ctx.engine.begin() as conn:
        now = utcnow()
        conn.execute(
            text(
                "INSERT INTO saved_segments (segment_id, name, kind, definition, size, created_at,"
                " updated_at) VALUES (:i, :n, 'rule', '{}', :s, :t, :t)"
            ),
            {"i": segment_id, "n": SAVED, "s": len(members), "t": now},
        )
        for cid in members:
            conn.execute(
                text("INSERT INTO segment_members (segment_id, customer_id) VALUES (:i, :c)"),
                {"i": segment_id, "c": cid},
            )
        lines = pd.DataFrame(
            conn.execute(
                text(
                    "SELECT o.order_id, o.customer_id, o.total, o.status, o.order_date, i.sku,"
                    " i.quantity, i.amount FROM orders o JOIN order_items i USING (order_id)"
                )
            ).all()
        )
    lines["order_date"] = pd.to_datetime(lines["order_date"]).dt.date
    valid = lines[
        lines["customer_id"].isin(set(members))
        & ~lines["status"].isin(["cancelled", "returned"])
        & (lines["total"].astype(float) > 0)
        & (lines["order_date"] < AS_OF)
    ]
    orders = valid.drop_duplicates("order_id")
    expected_aov = round(orders["total"].astype(float).sum() / len(orders), 2)
    bought = valid.merge(catalogue, on="sku")
    skincare = bought[bought["category"] == "skincare"]
    units = skincare.groupby("name_en")["quantity"].sum().sort_values(ascending=False)

    brief = build_brief(
        ctx.engine, SAVED, "push", GOAL, language="en", as_of=AS_OF, offer="满300减50"
    )
    assert brief.segment.size == len(members)
    assert brief.segment.aov == pytest.approx(expected_aov, abs=0.01)
    assert brief.products[0].name == units.index[0]
    assert brief.offer_text == "¥50 off orders of ¥300 or more"
    payload = json.dumps(brief.to_json(), ensure_ascii=False)
    for column in ("email", "phone", "customer_id"):
        assert not any(value in payload for value in customers[column].dropna())
    output = generate_copy(ctx, [SAVED], "push", goal=GOAL, offer="满300减50", language="zh")
    (draft,) = output.data["drafts"]
    assert draft["passed"] and "满300减50" in draft["parts"]["body"]


def test_unknown_segment_or_product_is_a_recoverable_error(ctx: ToolContext) -> None:
    with pytest.raises(ToolError, match="Unknown segment"):
        generate_copy(ctx, ["Nobody Here"], "sms")
    with pytest.raises(ToolError, match="catalogue"):
        generate_copy(ctx, ["Champions"], "sms", product="Glow Elixir")


def test_batch_files(ctx: ToolContext, tmp_path) -> None:  # noqa: ANN001
    checked, _ = draft_copy(ctx, "all", "sms", goal=GOAL, language="zh", variants=2)
    csv_path = write_drafts_file(checked, tmp_path / "drafts.csv")
    frame = pd.read_csv(csv_path, encoding="utf-8-sig")
    assert len(frame) == len(checked) == 2 * frame["segment"].nunique()
    assert list(frame["text"]) == [c.draft.parts["text"] for c in checked]
    assert frame["checks_passed"].all()
    json_path = write_drafts_file(checked, tmp_path / "drafts.json")
    payload = json.loads(json_path.read_text(encoding="utf-8"))
    assert [p["parts"]["text"] for p in payload] == list(frame["text"])
    assert all(isinstance(p["checks"], list) and p["checks"] for p in payload)
    with pytest.raises(ValueError):
        write_drafts_file(checked, tmp_path / "drafts.txt")


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


def test_model_writer_sends_no_personal_data_and_is_checked(
    ctx: ToolContext, customers: pd.DataFrame, openai_server: FakeOpenAIServer
) -> None:
    # The model invents a price and a superlative; checks and repair must catch both.
    answer = json.dumps(
        {"text": "【悦享生活】最好的护肤新品，仅需¥1！点击查看。回T退订"}, ensure_ascii=False
    )
    openai_server.script(*[text_response(answer) for _ in range(len(SEGMENT_NAMES))])
    chat = ChatOpenAI(base_url=openai_server.base_url, api_key="test", model="fake", max_retries=0)
    checked, briefs = draft_copy(
        ctx,
        "all",
        "sms",
        goal="the new skincare line",
        language="zh",  # grants "新品"
        writer=model_writer(chat),
        max_workers=4,
    )
    assert len(checked) == len(briefs) == len(openai_server.requests)
    sent = openai_server.all_request_text()
    assert "Champions" in sent  # the brief was sent
    for column in ("name", "email", "phone", "customer_id"):
        leaked = [v for v in customers[column].dropna() if v in sent]
        assert not leaked, f"{column} reached the model: {leaked[:3]}"
    for item in checked:
        assert item.repaired and item.passed
        assert "最" not in item.draft.parts["text"] and "¥1" not in item.draft.parts["text"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "write an SMS for each RFM segment about the new skincare line",
            {
                "segments": "all",
                "channel": "sms",
                "language": "en",
                "goal": "the new skincare line",
            },
        ),
        (
            "给每个RFM分群写一条关于新护肤系列的短信",
            {"segments": "all", "channel": "sms", "language": "zh", "goal": "新护肤系列"},
        ),
        (
            "draft an email for champions with 20% off",
            {"segments": ["Champions"], "channel": "email", "offer": "20% off", "language": "en"},
        ),
        (
            "写一条推送给流失风险客户",
            {"segments": ["At Risk"], "channel": "push", "language": "zh"},
        ),
        # 忠实 is loyal as 忠诚 is; 主推 (feature) and 品类 (category) are brief words.
        (
            "帮忠实用户写一条短信，主推护肤品类",
            {"segments": ["Loyal Customers"], "channel": "sms", "unclear": None},
        ),
    ],
)
def test_copy_intent_reads_requests(question: str, expected: dict) -> None:
    read = Question(raw=question, language=language_of(question), text=question.lower())
    args = read_copy_question(read, None)  # type: ignore[arg-type]
    assert args is not None
    assert {k: args.get(k) for k in expected} == expected


def test_copy_intent_ignores_metric_questions() -> None:
    for question in (
        "What was revenue last month?",
        "上个月的销售额是多少？",
        "email open rate by month",
        "make a chart of SMS revenue by month",
        "生成一个短信渠道的转化率报表",
    ):
        read = Question(raw=question, language=language_of(question), text=question.lower())
        assert read_copy_question(read, None) is None  # type: ignore[arg-type]


def test_questions_about_copy_rules_go_to_the_guidelines() -> None:
    from copilot.offline.intents import INTENTS
    from copilot.offline.intents.base import PlannerContext
    from knowledge.semantic import load_semantic_model

    context = PlannerContext(load_semantic_model())
    for question in (
        "短信可以写多长？",
        "How long can an SMS be?",
        "Can we say best ever in an ad?",
    ):
        read = Question(raw=question, language=language_of(question), text=question.lower())
        assert read_copy_question(read, None) is None  # type: ignore[arg-type]
        chosen = next(i.tool for i in INTENTS if i.read(read, context) is not None)
        assert chosen == "search_knowledge", question


def test_offline_intent_runs_end_to_end(ctx: ToolContext) -> None:
    question = "给每个RFM分群写一条关于新护肤系列的短信"
    read = Question(raw=question, language="zh", text=question)
    args = read_copy_question(read, None)  # type: ignore[arg-type]
    output = generate_copy(ctx, **args)
    assert output.data["passed"] == output.data["total"] >= 5
    assert all("护肤" in d["parts"]["text"] for d in output.data["drafts"])
    answer = write_copy_answer(output, "zh", None)  # type: ignore[arg-type]
    assert f"{output.data['total']} 条短信文案" in answer and "通过全部检查" in answer


def test_personal_data_in_the_request_is_refused(ctx: ToolContext) -> None:
    with pytest.raises(ToolError, match="personal data"):
        generate_copy(ctx, ["Champions"], "sms", goal="call me on 13812345678")


class _Passage:
    def __init__(self, text: str) -> None:
        self.text = text


class _FakeKnowledgeBase:
    """Records the query and answers two guideline passages."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def search(self, query: str, k: int = 4) -> list[_Passage]:
        self.queries.append(query)
        return [_Passage("Warm, never pushy."), _Passage("Address customers as 您.")][:k]


def test_brief_carries_knowledge_base_guidelines(ctx: ToolContext) -> None:
    knowledge = _FakeKnowledgeBase()
    brief = build_brief(
        ctx.engine, "Champions", "sms", GOAL, language="zh", as_of=AS_OF, knowledge=knowledge
    )
    assert brief.guidelines == ["Warm, never pushy.", "Address customers as 您."]
    assert "sms" in knowledge.queries[0]
    assert brief.to_json()["guidelines"] == brief.guidelines


def test_every_catalogue_product_at_its_price_is_grounded(
    ctx: ToolContext, catalogue: pd.DataFrame
) -> None:
    brief = build_brief(ctx.engine, "Champions", "sms", GOAL, as_of=AS_OF)
    for row in catalogue.itertuples(index=False):
        for name in (row.name_en, row.name_zh):
            price = f"¥{row.price:,.0f}" if float(row.price).is_integer() else f"¥{row.price:,.2f}"
            for sentence in (f"Try {name} {price}.", f"新品：{name} {price}。"):
                assert ungrounded(sentence, brief.facts, brief.rules) == [], sentence
            wrong = f"Try {name} ¥{row.price + 1:,.0f}."
            assert ungrounded(wrong, brief.facts, brief.rules), wrong


@pytest.mark.parametrize("channel", ["sms", "push", "email", "social", "search_ad"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_template_copy_needs_no_repair(ctx: ToolContext, channel: str, language: str) -> None:
    # No product named: each segment's own top category, across the catalogue.
    checked, _ = draft_copy(ctx, "all", channel, offer="满300减50", language=language, variants=2)
    for item in checked:
        assert not item.repaired, (item.draft.parts, item.failed())
        assert all(c.passed for c in item.checks), (item.draft.parts, item.failed())
