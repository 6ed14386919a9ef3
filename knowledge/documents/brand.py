"""The brand's machine-readable rules, parsed from its guidelines file (no Chroma needed).

The guidelines carry two sections meant for code: "Brand facts" (`- key: value`
bullets) and "Banned words" (`- word — reason` bullets). The Chinese file uses
the headings 品牌信息 and 禁用词 with the same bullets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.documents.readers import DocumentError, markdown_sections, read_text_file

STARTER_DIR = Path(__file__).resolve().parent.parent / "starter"
DEFAULT_GUIDELINES = STARTER_DIR / "brand_guidelines.en.md"

_FACTS_HEADING = re.compile(r"brand facts|品牌信息", re.I)
_BANNED_HEADING = re.compile(r"banned words|禁用词", re.I)
_BULLET = re.compile(r"^\s*[-*+]\s+(.+?)\s*$")
_REASON_SEPARATOR = re.compile(r"\s+[—–]\s+|\s+-\s+")
_REQUIRED = ("brand_name_en", "brand_name_zh", "sms_signature")


@dataclass(frozen=True)
class BrandRules:
    """What the copy checker enforces: names, signature, opt-out lines and banned words."""

    brand_name_en: str
    brand_name_zh: str
    sms_signature: str
    unsubscribe_line_en: str
    unsubscribe_line_zh: str
    banned_words: list[str]
    sms_opt_out: str = "回T退订"
    email_sign_off_en: str = ""
    email_sign_off_zh: str = ""
    # Why each banned word is banned, for the checker's explanations.
    reasons: dict[str, str] = field(default_factory=dict)


def brand_rules(path: str | Path | None = None) -> BrandRules:
    """Parse the brand rules from a guidelines Markdown file (the shipped starter one by default)."""
    path = Path(path) if path is not None else DEFAULT_GUIDELINES
    try:
        sections = markdown_sections(read_text_file(path))
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    facts: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for section in sections:
        bullets = [m.group(1) for line in section.text.splitlines() if (m := _BULLET.match(line))]
        if _FACTS_HEADING.search(section.title):
            for bullet in bullets:
                key, sep, value = bullet.partition(":")
                if sep and re.fullmatch(r"[a-z_]+", key.strip()):
                    facts[key.strip()] = value.strip()
        elif _BANNED_HEADING.search(section.title):
            for bullet in bullets:
                word, *reason = _REASON_SEPARATOR.split(bullet, maxsplit=1)
                word = word.strip().strip("`\"'“”")
                if word:
                    reasons[word] = reason[0].strip() if reason else ""
    missing = [key for key in _REQUIRED if key not in facts]
    if missing or not reasons:
        lacking = ", ".join(missing) if missing else "a 'Banned words' bullet list"
        raise DocumentError(f"{path}: brand guidelines lack {lacking}")
    return BrandRules(
        brand_name_en=facts["brand_name_en"],
        brand_name_zh=facts["brand_name_zh"],
        sms_signature=facts["sms_signature"],
        unsubscribe_line_en=facts.get("unsubscribe_line_en", ""),
        unsubscribe_line_zh=facts.get("unsubscribe_line_zh", ""),
        banned_words=list(reasons),
        sms_opt_out=facts.get("sms_opt_out", "回T退订"),
        email_sign_off_en=facts.get("email_sign_off_en", ""),
        email_sign_off_zh=facts.get("email_sign_off_zh", ""),
        reasons=reasons,
    )
