"""Questions about the brand's guidelines, channel playbooks, segment playbooks and
compliance rules: answered from the knowledge base, citing the sources."""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import Intent, PlannerContext
from copilot.offline.question import Question
from knowledge.presentation import tr
from tools.base import ToolOutput

# Asking what the rules say, not what the data says: "how many customers are at risk?"
# names no rule and stays a data question.
_EN_PATTERNS = (
    r"guidelines?",
    r"polic(?:y|ies)",
    r"playbooks?",
    r"brand(?:'s)? (?:voice|tone|style|rules?|words?)",
    r"(?:voice|tone) (?:of|for|should)",
    r"what tone",
    r"(?:banned|forbidden|prohibited|blacklisted) (?:words?|terms?|phrases?|claims?)",
    r"words? (?:we|to) (?:avoid|never use|not use)",
    r"compliance|compliant|advertising law|pipl",
    r"opt[- ]?out|unsubscribe line|sms signature|sign[- ]?off",
    r"how long (?:can|should|may|is) (?:an? |the |our )?(?:sms|text|email|e-mail|push|subject|headline|ad|message)",
    r"character limits?|length limits?|how many characters|max(?:imum)? length",
    r"best practices?",
    r"what (?:should|do|can) we (?:do|send|offer|say) (?:with|for|to|about)",
    r"how (?:should|do|can) we (?:treat|handle|engage|approach|win back|reactivate|reward|talk to|address)",
    r"(?:are|is) we allowed|allowed to (?:say|use|write|send)|can we (?:say|use|write) ",
)
_ZH_PATTERNS = (
    r"规范|指南|手册|打法|政策|合规|广告法|个人信息保护|个保法",
    r"语气|调性|文风|口吻",
    r"禁用词|违禁词|极限词|敏感词|不能用的词|不能说",
    # "退订率" / "多少退订" ask for a metric, not for the opt-out rule.
    r"(?<!多少)退订(?![率数量人])|短信签名|落款",
    r"多长(?!时间)|多少(?:个)?字|字数|最多.{0,4}字|长度限制",
    r"最佳实践|注意什么|注意事项",
    r"(?:应该|该|要)(?:怎么|如何)(?:做|运营|处理|对待|挽回|唤醒|沟通)",
    r"(?:怎么|如何)(?:运营|挽回|唤醒|对待)",
    r"能不能(?:用|说|写)|可以(?:用|说|写).{0,12}吗",
    r"(?:需要|必须|要)(?:征得|获得)?.{0,6}同意",
)
# "Write an SMS following our guidelines" asks for copy, not for the guidelines.
_WRITE_REQUEST = (
    r"(?<![a-z])(?:write|draft|compose|generate|rewrite)(?![a-z])|写一|帮我写|起草|改写|"
    r"生成.{0,8}(?:文案|短信|邮件|推送|广告)"
)
_EXCERPT_CHARS = 500
_SHOWN = 3
# Passages far below the best one are noise, not a second source.
_SCORE_MARGIN = 0.04
# A document kept in each language: "brand_guidelines.zh.md" / "brand_guidelines.en.md".
_LANGUAGE_TWIN = re.compile(r"^(.+)\.(en|zh)\.\w{1,8}$")


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
