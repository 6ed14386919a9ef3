"""The one message catalogue: every user-facing sentence, in English and Chinese (gettext).

Sentences are written in English in the code as gettext message ids, with
`{name}` placeholders (python-brace-format), and translated in
`knowledge/presentation/locale/zh/LC_MESSAGES/copilot.po`. The .po file is the
only source: it is compiled in memory by babel on first use, so no .mo file has
to be kept in step. English uses the ids themselves; plural forms go through
`ntr` (gettext's ngettext), so "1 draft" / "2 drafts" come from the catalogue.

    tr("zh", "There is no data {period}.", period="上个月")
    ntr("en", "{count} draft", "{count} drafts", 2)

A message missing from the Chinese catalogue falls back to English; a test
extracts every `tr`/`ntr` call from the sources and checks that none is missing.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache, reduce
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "copilot"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "zh")


def po_path(language: str) -> Path:
    """Where a language's catalogue lives (the file translators edit)."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language; English (the message ids) for any other."""
    path = po_path(language)
    if language == "en" or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def tr(language: str, message: str, **values: Any) -> str:
    """`message` in `language`, its `{placeholders}` filled from `values`."""
    text = translations(language).gettext(message)
    return text.format(**values) if values else text


def ntr(language: str, singular: str, plural: str, count: int, **values: Any) -> str:
    """The singular or plural form of a message for `count` (also passed as `{count}`)."""
    text = translations(language).ngettext(singular, plural, count)
    return text.format(count=count, **values)


def join_list(items: list[str], language: str) -> str:
    """Items as a list in running text: 'a, b and c' / 'a、b和c'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    head, last = items[:-1], items[-1]
    return tr(language, "{items} and {last}", items=tr(language, ", ").join(head), last=last)


def join_clauses(items: list[str], language: str) -> str:
    """Clauses run on with semicolons: 'a; b; c' / 'a；b；c' (the catalogue's "; " is a
    list comma in Chinese, so clauses have a message of their own)."""
    if not items:
        return ""
    return reduce(
        lambda before, after: tr(language, "{before}; {after}", before=before, after=after),
        [str(i) for i in items],
    )


def in_each_language(build: Callable[[str], str]) -> dict[str, str]:
    """{language: text} for every catalogue language, e.g. a table title a tool writes
    before it knows which language the answer will be in."""
    return {language: build(language) for language in LANGUAGES}


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name)
    """Mark a message id for the catalogue without translating it yet (gettext_noop)."""
    return message
