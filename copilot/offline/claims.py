"""Claimed figures: a number someone else reports that the marketer wants checked ("the deck
says Q3 orders came in at 2.4k", "finance has 97 returns", "老板说复购率有六成左右").

The question asks for the true figure; the reported number is a claim, not a condition, a
limit nor a number the plan must use. A claim is read by its shape: a source reporting it
(lexicon reader_words `claim_source`) with the number it reports (`claimed_number`), and the
doubt said about it (`claim_doubt`). Without a source nothing is a claim. The claim's words
are blanked before the question is read; the answer names the claimed number ("You quoted
...") beside the computed figure, so it is accounted for and never dropped silently.
"""

from __future__ import annotations

import re

from copilot.offline.vocabulary import reader_pattern


def _spans(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """The spans to blank and the claimed numbers of `text`; none when no source reports one."""
    sources = list(reader_pattern("claim_source").finditer(text))
    if not sources:
        return [], []
    spans = [m.span() for m in sources]
    claimed = []
    first = sources[0].start()
    for found in reader_pattern("claimed_number").finditer(text, first):
        if not re.search(
            r"\d|[一二两三四五六七八九十百千万]|half|third|quarter|hundred|thousand|million",
            found.group(0),
            re.I,
        ):
            continue
        spans.append(found.span())
        claimed.append((found.start(), found.group(0).strip()))
    for found in reader_pattern("claim_source").finditer(text):
        number = re.search(
            r"[~≈]?\s*[$¥]?\d+(?:[.,]\d+)*\s*(?:[kKmM]\b|%|万|w\b)?$", found.group(0)
        )
        if number:
            claimed.append((found.start() + number.start(), number.group(0).strip()))
    if not claimed:
        return [], []
    spans += [m.span() for m in reader_pattern("claim_doubt").finditer(text)]
    return spans, list(dict.fromkeys(said for _, said in sorted(claimed)))


_TIE = re.compile(
    r"^(?:(?:came|comes|coming|come)\s+in\s+at|at|of|as|was|were|is|are|showing|=|有|是|在|为)\s*",
    re.I,
)


def claimed_numbers(text: str) -> list[str]:
    """The numbers `text` quotes from someone else's report, as written ("1.61M", "六成左右")."""
    return [_TIE.sub("", said) for said in _spans(text)[1]]


def without_claims(text: str) -> str:
    """`text` with its claims (who reports, the number reported, the doubt) and its asides
    about a report or the data's end (lexicon `report_aside`) blanked."""
    spans, _ = _spans(text)
    spans += [m.span() for m in reader_pattern("report_aside").finditer(text)]
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " * (end - start) + text[end:]
    return text
