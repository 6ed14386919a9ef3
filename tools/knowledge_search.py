"""`search_knowledge`: passages from the brand guidelines, playbooks and the user's documents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import pandas as pd
from pydantic import Field

from knowledge.presentation.numbers import format_count
from tools.base import TableArtifact, ToolContext, ToolError, ToolOutput, titled

if TYPE_CHECKING:
    from knowledge.documents import KnowledgeBase, Passage

_MAX_K = 20
# Longer queries are refused: embedding and ranking cost grows with the text,
# and a search needs a question or a few keywords, not a document.
MAX_QUERY_CHARS = 500
# The model sees this much of each passage; the table keeps the full text.
_PREVIEW_CHARS = 600


def search_knowledge(
    ctx: ToolContext,
    query: Annotated[
        str,
        Field(
            description="What to look up, in English or Chinese, e.g. 'SMS length limit', "
            "'banned words', '流失风险客户怎么运营'."
        ),
    ],
    k: Annotated[int, Field(description="How many passages to return (1-20).")] = 5,
    language: Annotated[
        Literal["en", "zh"] | None,
        Field(
            description="Prefer passages in this language; passages in the other language "
            "are returned when none match. Empty for both."
        ),
    ] = None,
) -> ToolOutput:
    """Search the knowledge base: the brand guidelines (voice, tone, banned words,
    signatures), channel playbooks (email, SMS, push, social and search ads: length
    limits, best practice, timing), what to do with each RFM segment, compliance
    rules (Advertising Law, PIPL consent, opt-out) and documents the user added.

    Returns the closest passages with their source file and section; cite them as
    "(source: FILE § SECTION)" when answering.
    """
    kb: KnowledgeBase | None = getattr(ctx, "knowledge", None)
    if kb is None:
        raise ToolError.of("The knowledge base is not available")
    if not query.strip():
        raise ToolError.of("Give a question or keywords to search for")
    if len(query) > MAX_QUERY_CHARS:
        raise ToolError.of(
            "Refused: the search query is {size} characters long (limit "
            "{limit}); search with a short question or a few keywords.",
            size=format_count(len(query)),
            limit=MAX_QUERY_CHARS,
        )
    k = max(1, min(int(k), _MAX_K))
    passages = kb.search(query, k=k, language=language) if language else []
    # Guidelines may exist in one language only; the model is multilingual.
    if not passages:
        passages = kb.search(query, k=k)
    frame = pd.DataFrame(
        [(p.name, p.section, p.text, p.score) for p in passages],
        columns=["source", "section", "text", "score"],
    )
    return ToolOutput(
        for_model=_for_model(query, passages),
        artifacts=[TableArtifact(**titled("Knowledge base: {query}", query=query), frame=frame)],
        data={"query": query, "passages": [_passage_data(p) for p in passages]},
    )


def _passage_data(passage: Passage) -> dict[str, object]:
    return {
        "text": passage.text,
        "source": passage.source,
        "file_name": passage.file_name,
        "section": passage.section,
        "citation": passage.citation,
        "score": passage.score,
        "language": passage.language,
    }


def _for_model(query: str, passages: list[Passage]) -> str:
    if not passages:
        return f"No passage in the knowledge base matches '{query}'."
    lines = [f"{len(passages)} passages for '{query}' (closest first):"]
    for number, passage in enumerate(passages, start=1):
        text = passage.text
        if len(text) > _PREVIEW_CHARS:
            text = text[:_PREVIEW_CHARS].rstrip() + " …"
        lines.append(f"[{number}] (source: {passage.citation}; score {passage.score:.2f})\n{text}")
    return "\n\n".join(lines)
