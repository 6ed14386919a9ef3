"""The kinds of problems a marketing lead found in the offline copy (docs/copy-review/verdicts.md).

One test (or more) per kind, each able to fail on the old templates: the
threshold wording of 满X减Y, dead clicks, invented perks, unnatural phrasings,
variants that differ only in order, dangling references, and the lead product
of a low-cost reactivation.
"""

from __future__ import annotations

import re
import statistics

import pytest
from sqlalchemy import Engine, text

from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools.base import ToolContext
from tools.copywriting import build_brief, check_draft, draft_copy
from tools.copywriting.brief import BriefExtras
from tools.copywriting.claims import offer_text, read_offer
from tools.copywriting.model import BrandRules, CopyDraft, FactSheet
from tools.copywriting.phrases import CATEGORY_EN, CATEGORY_ZH, EN, ZH
from tools.copywriting.repair import repair_draft
from tools.copywriting.sms import LINK_ALLOWANCE, sms_length

# The lead's brief: docs/copy-review/README.md.
BRIEF = BriefExtras(event="Double 11", promo_code="D11GIFT", deadline="11 November")
OFFER = "满300减50"
RULES = BrandRules(
    brand_name_en="Acme",
    brand_name_zh="艾美",
    sms_signature="【艾美】",
    unsubscribe_line_en="Unsubscribe: {unsubscribe_link}",
    unsubscribe_line_zh="退订请点击：{unsubscribe_link}",
    banned_words=[],
)

# Phrasings the lead marked unnatural or dangling, verbatim from verdicts.md.
UNNATURAL = (
    "Look today.", "Shop your second order.", "Tap to come back", "Come back and see",
    "点击选购第二单", "点击回来看看", "来看看下一单买什么", "为您的日常护肤：", "Try ",
)  # fmt: skip
DANGLING = re.compile(
    r"A pick for our regulars|\bthe picks\b|\byour picks\b|We picked this|Here is an idea|"
    r"这是为您|为您推荐。|精选好物。|Join now|Based on your last order|根据您上次的选购",
    re.I,
)


@pytest.fixture(scope="module")
def ctx(duckdb_demo_engine: Engine) -> ToolContext:
    return ToolContext(engine=duckdb_demo_engine, semantic_model=load_semantic_model(), as_of=AS_OF)


@pytest.fixture(scope="module")
def batch(ctx: ToolContext) -> dict[tuple[str, str], list]:
    """The review batch: every RFM segment, SMS and email, both languages, two variants."""
    return {
        (channel, language): draft_copy(
            ctx, "all", channel, offer=OFFER, language=language, variants=2, extras=BRIEF
        )
        for channel in ("sms", "email")
        for language in ("en", "zh")
    }


def _phrase_texts() -> list[str]:
    texts = []
    for table in (EN, ZH):
        for p in table.values():
            texts += [*p.titles, *p.hooks, *p.ctas, p.short_cta, p.sms_hook]
    for words in (*CATEGORY_EN.values(), *CATEGORY_ZH.values()):
        texts += [words.noun, words.purpose]
    return [t for t in texts if t]


# Kind 1: 满300减50 is "¥50 off orders of ¥300 or more" (a ¥300.00 basket qualifies).
@pytest.mark.parametrize(
    ("raw", "threshold", "amount"), [("满300减50", 300, 50), ("满199减20", 199, 20)]
)
def test_threshold_offer_reads_or_more(raw: str, threshold: int, amount: int) -> None:
    written = offer_text(read_offer(raw), "en")
    assert written == f"¥{amount} off orders of ¥{threshold} or more"
    assert "over" not in written
    back = read_offer(written)  # the check reads the English back to the same numbers
    assert (back.threshold, back.amount_off) == (threshold, amount)


@pytest.mark.parametrize(
    ("raw", "percent_off"),
    [("八折", 20), ("八五折", 15), ("九折", 10), ("8.5折", 15), ("85折", 15)],
)
def test_discounts_in_chinese_numerals_read_as_percent_off(raw: str, percent_off: int) -> None:
    # Round 7 review: the Chinese digits are read by the time ranges' numeral reader.
    assert read_offer(raw).percent_off == percent_off


def test_batch_states_the_threshold_as_or_more(batch: dict) -> None:
    for (_, language), (checked, _) in batch.items():
        for item in checked:
            body = item.draft.text()
            if language == "en":
                assert "orders of ¥300 or more" in body and "over ¥300" not in body, body
            else:
                assert "满300减50" in body, body


# Kind 2: a call to action that says click / tap / view needs a {link}.
def test_dead_click_fails_and_link_passes() -> None:
    facts = FactSheet(names={"艾美"})
    dead = CopyDraft("sms", "zh", {"text": "【艾美】秋季上新，点击查看。回T退订"})
    linked = dead.replace(text="【艾美】秋季上新，点击查看：{link}。回T退订")
    result = {r.name: r for r in check_draft(dead, facts, RULES)}
    assert not result["cta_has_target"].passed and "点击" in result["cta_has_target"].detail
    result = {r.name: r for r in check_draft(linked, facts, RULES)}
    assert result["cta_has_target"].passed and result["merge_fields"].passed
    fixed = repair_draft(dead, check_draft(dead, facts, RULES), facts, RULES)
    assert "{link}" in fixed.parts["text"]
    assert all(r.passed for r in check_draft(fixed, facts, RULES) if r.name == "cta_has_target")
    en = CopyDraft("sms", "en", {"text": "Acme: Tap to browse. Reply STOP to opt out"})
    assert {r.name for r in check_draft(en, facts, RULES) if not r.passed} == {"cta_has_target"}


def test_link_counts_as_a_short_link_in_sms_length() -> None:
    assert sms_length("{link}").units == LINK_ALLOWANCE
    assert sms_length("a" * (160 - LINK_ALLOWANCE) + "{link}").segments == 1
    assert sms_length("a" * (161 - LINK_ALLOWANCE) + "{link}").segments == 2
    # A Chinese SMS stays UCS-2 and 70 units with the link counted in.
    zh = "【艾美】" + "好" * (70 - 4 - LINK_ALLOWANCE) + "{link}"
    assert (sms_length(zh).encoding, sms_length(zh).units) == ("ucs2", 70)


def test_no_template_phrase_asks_for_a_click_without_a_link() -> None:
    dead = re.compile(r"\b(?:click|tap|view|browse)\b|点击|查看|浏览", re.I)
    assert [t for t in _phrase_texts() if dead.search(t)] == []


def test_email_calls_to_action_carry_the_link(batch: dict) -> None:
    for (channel, _), (checked, _) in batch.items():
        for item in checked:
            if channel == "email":
                assert "{link}" in item.draft.parts["body"], item.draft.parts["body"]
            else:
                assert len(item.draft.parts["text"]) <= (70 if item.draft.language == "zh" else 160)


# Kind 3: perks the brief does not give.
@pytest.mark.parametrize(
    "sentence",
    [
        "Shop before everyone else.", "Take an early look.", "Join the club today.",
        "Something special for you.", "Talk to our team today.", "See what's new.",
        "A lot has changed since your last visit.", "We saved a few picks for you.",
        "点击抢先体验。", "立即加入会员。", "回复即可联系专属顾问。", "我们上新了不少好物。",
    ],
)  # fmt: skip
def test_invented_perk_fails_the_check(ctx: ToolContext, sentence: str) -> None:
    brief = build_brief(
        ctx.engine, "Champions", "email", "promote the products our customers buy", offer=OFFER,
        as_of=AS_OF, extras=BRIEF,
    )  # fmt: skip
    draft = CopyDraft("email", "en", {"subject": "Hi", "preheader": "", "body": sentence})
    result = {r.name: r for r in check_draft(draft, brief.facts, brief.rules)}
    assert not result["no_invented_perk"].passed, sentence


def test_a_perk_the_brief_grants_is_allowed(ctx: ToolContext) -> None:
    extras = BriefExtras(event="VIP early access", promo_code="D11GIFT")
    brief = build_brief(
        ctx.engine, "Champions", "email", "promote the products our customers buy", offer=OFFER,
        as_of=AS_OF, extras=extras,
    )  # fmt: skip
    draft = CopyDraft(
        "email", "en", {"subject": "Hi", "preheader": "", "body": "Take an early look."}
    )
    result = {r.name: r for r in check_draft(draft, brief.facts, brief.rules)}
    assert result["no_invented_perk"].passed


def test_no_template_phrase_invents_a_perk() -> None:
    from tools.copywriting.perks import invented_perks

    found = {t: invented_perks(t, "") for t in _phrase_texts()}
    assert {t: k for t, k in found.items() if k} == {}


# Kinds 4 and 6: unnatural phrasings and dangling references.
def test_no_unnatural_or_dangling_phrasing(batch: dict) -> None:
    for phrase in _phrase_texts():
        assert not any(bad in phrase for bad in UNNATURAL), phrase
        assert not DANGLING.search(phrase), phrase
    for checked, _ in batch.values():
        for item in checked:
            body = item.draft.text()
            assert not any(bad in body for bad in UNNATURAL), body
            assert not DANGLING.search(body), body
            assert item.passed and not item.repaired, (body, item.failed())


# Kind 5: the two variants of a segment differ in angle, not in word order.
@pytest.mark.parametrize("language", ["en", "zh"])
def test_sms_variants_differ_in_angle(batch: dict, language: str) -> None:
    checked, briefs = batch[("sms", language)]
    for brief in briefs:
        one, two = (i.draft.text() for i in checked if i.draft.segment == brief.segment.name)
        lead = brief.products[0].name
        # Product-led names the product; the other leads with the relationship instead.
        assert lead in one and lead not in two, (one, two)
        assert sorted(re.findall(r"\w", one)) != sorted(re.findall(r"\w", two))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_email_variants_differ_in_lead(batch: dict, language: str) -> None:
    checked, briefs = batch[("email", language)]
    for brief in briefs:
        one, two = (i.draft.parts for i in checked if i.draft.segment == brief.segment.name)
        first = lambda body: body.split("\n\n")[1]  # noqa: E731 - the line after the greeting
        assert brief.products[0].name in first(one["body"])
        assert brief.products[0].name not in first(two["body"])
        assert one["subject"] != two["subject"]


# Kind 7: a low-cost reactivation leads with a low-priced product of its category.
def test_hibernating_leads_with_a_low_priced_product(
    ctx: ToolContext, duckdb_demo_engine: Engine
) -> None:
    brief = build_brief(ctx.engine, "Hibernating", "sms", "promote the products our customers buy",
                        as_of=AS_OF)  # fmt: skip
    assert brief.segment.strategy == "reactivation"
    with duckdb_demo_engine.connect() as conn:
        prices = [
            float(p)
            for (p,) in conn.execute(
                text("SELECT price FROM products WHERE category = :c"), {"c": brief.category_key}
            )
        ]
    assert brief.products[0].price <= statistics.median(prices), (brief.products[0], prices)
    assert brief.products[0].price < max(prices)  # not the ¥3,999 phone the lead saw
