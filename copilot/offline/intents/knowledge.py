"""Questions about the brand's guidelines, channel playbooks, segment playbooks and
compliance rules: answered from the knowledge base, citing the sources."""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import Intent, PlannerContext
from copilot.offline.question import Question
from copilot.offline.vocabulary import reader_words
from tools.base import ToolOutput

# Asking what the rules say, not what the data says: "how many customers are at risk?"
# names no rule and stays a data question.
_EN_PATTERNS = reader_words("knowledge_en")
_ZH_PATTERNS = reader_words("knowledge_zh")
# "Write an SMS following our guidelines" asks for copy, not for the guidelines.
_WRITE_REQUEST = (
    r"(?<![a-z])(?:write|draft|compose|generate|rewrite)(?![a-z])|写一|帮我写|起草|改写|"
    r"生成.{0,8}(?:文案|短信|邮件|推送|广告)"
)
_EXCERPT_CHARS = 500
_SHOWN = 3
# Passages far below the best one are noise, not a second source.
_SCORE_MARGIN = 0.04


def read_knowledge_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """search_knowledge arguments for a question about guidelines, playbooks or rules, else None."""
    # The raw text: store values such as "SMS" (a channel) are blanked in question.text.
    raw = question.raw.lower()
    if re.search(_WRITE_REQUEST, raw):
        return None
    if not any(re.search(p, raw) for p in (*_EN_PATTERNS, *_ZH_PATTERNS)):
        return None
    return {"query": question.raw.strip(), "k": 5}


def write_knowledge_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The closest passages, quoted with their sources, and a next step."""
    passages = output.data.get("passages", [])
    if not passages:
        if language == "zh":
            return (
                "知识库里没有找到相关内容。可以用 `copilot knowledge add 文件或文件夹` "
                "添加品牌规范、渠道手册等文档（支持 Markdown、TXT、PDF、Word、HTML）。"
            )
        return (
            "I found nothing about that in the knowledge base. Add your guidelines and "
            "playbooks with `copilot knowledge add PATH` (Markdown, text, PDF, Word, HTML)."
        )
    best = passages[0]["score"]
    shown = [p for p in passages if p["score"] >= best - _SCORE_MARGIN][:_SHOWN]
    if language == "zh":
        lines = ["知识库中的相关内容（按相关度排序）："]
        for p in shown:
            lines.append(f"\n{_quote(p['text'])}\n（来源：{p['citation']}）")
        lines.append("\n下一步：可以让我按这些规则起草文案，或检查一段文案是否合规。")
        return "\n".join(lines)
    lines = ["Here is what the knowledge base says (closest passages first):"]
    for p in shown:
        lines.append(f"\n{_quote(p['text'])}\n(source: {p['citation']})")
    lines.append("\nNext: ask me to draft copy that follows these rules, or to check a draft.")
    return "\n".join(lines)


def _quote(text: str) -> str:
    """A Markdown block quote of the passage, cut at a sentence or line end near the limit."""
    if len(text) > _EXCERPT_CHARS:
        cut = max(text.rfind(end, 0, _EXCERPT_CHARS) for end in (". ", "。", "\n"))
        text = text[: cut + 1 if cut > _EXCERPT_CHARS // 2 else _EXCERPT_CHARS].rstrip() + " …"
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


KNOWLEDGE_INTENT = Intent(
    tool="search_knowledge", read=read_knowledge_question, write=write_knowledge_answer
)
