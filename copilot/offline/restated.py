"""A metric's definition restated inside the question ("AOV (net sales / orders)", "conversion
rate, i.e. orders credited to it divided by messages delivered"): context that must agree with the semantic
model's ratio, never a new ask; one that contradicts it is asked back, naming both."""

from __future__ import annotations

import re
from dataclasses import dataclass

from copilot.offline.vocabulary import (
    breakdowns_named,
    definition_patterns,
    metrics_named,
    paired_metrics,
    reader_words,
)
from knowledge.semantic import SemanticModel


@dataclass(frozen=True)
class Restated:
    """One ratio written as "numerator / denominator", where each side names one metric."""

    numerator: str
    denominator: str
    span: tuple[int, int]


def restated_ratios(text: str, model: SemanticModel) -> list[Restated]:
    """The ratios a text writes out as two metrics joined by a division word (lexicon
    reader_words restated_ratio: "/", "over", "divided by", "除以")."""
    found: list[Restated] = []
    for pattern in reader_words("restated_ratio"):  # each its own num and den groups
        for match in re.finditer(pattern, text, re.I):
            if any(f.span[0] < match.end() and match.start() < f.span[1] for f in found):
                continue
            left, right = match.group("num"), match.group("den")
            num, den = metrics_named(left, model), metrics_named(right, model)
            if len(num) == 1 and len(den) == 1 and num != den:
                found.append(Restated(num[0], den[0], match.span()))
    return found


def ratio_of(metric: str, model: SemanticModel) -> tuple[str, str] | None:
    """The semantic model's (numerator, denominator) of a ratio metric, else None."""
    ratio = getattr(model.metric(metric), "ratio", None)
    return (ratio[0], ratio[1]) if ratio and len(ratio) == 2 else None


@dataclass(frozen=True)
class Definition:
    """A metric's definition restated in words or in the store's column names ("order count
    (completed, total>0)", "净销售额（退货扣掉的那种）"): `agrees` when it says what the semantic
    model computes, else it contradicts it ("orders including cancelled ones")."""

    metric: str
    written: str
    span: tuple[int, int]
    agrees: bool


def restated_definitions(text: str, metrics: list[str]) -> list[Definition]:
    """The definitions of `metrics` the text restates (lexicon restated_definitions), each
    span once: a contradiction found over an agreeing phrase wins (it is the longer claim)."""
    found: list[Definition] = []
    for metric in metrics:
        agreeing, contradicting = definition_patterns(metric)
        for agrees, patterns in ((False, contradicting), (True, agreeing)):
            for pattern in patterns:
                for match in re.finditer(pattern, text, re.I):
                    start, end = match.span()
                    if end <= start or any(
                        d.span[0] < end and start < d.span[1] for d in found if d.metric == metric
                    ):
                        continue
                    found.append(Definition(metric, match.group(0).strip(), (start, end), agrees))
    return found


def blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span blanked (the same length, so later spans still fit)."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def definitions_confirmed(text: str, metrics: list[str], model: SemanticModel) -> list[str]:
    """The asked metrics (and breakdowns) whose definition the question restated and the
    store's agrees with (a ratio written out, or its words): each is said to match in the
    answer."""
    confirmed = [d.metric for d in restated_definitions(text, metrics) if d.agrees]
    for restated in restated_ratios(text, model):
        written = (restated.numerator, restated.denominator)
        confirmed += [m for m in metrics if m in model.metrics and ratio_of(m, model) == written]
    return list(dict.fromkeys(m for m in metrics if m in confirmed))


def read_restated_definitions(text: str, model: SemanticModel) -> tuple[str, Definition | None]:
    """`text` with every definition restated beside the metric (or breakdown: "customers.city,
    not the shipping city") it defines blanked, before the question is read (so "no shipping
    lines" filters no product, "(completed, total>0)" adds no amount): (text, None); or, when
    one contradicts the store's definition of a metric the text names, (text, that
    definition), to be asked back. A definition with nothing it defines beside it stays."""
    found = restated_definitions(text, [*model.metrics, *model.dimensions])
    if not found:
        return text, None
    rest = blank_spans(text, [d.span for d in found])
    if len(rest.lower()) == len(rest):  # the metrics' words are read in lower case
        rest = rest.lower()
    paired, rest = paired_metrics(rest, model)
    asked = {*paired, *metrics_named(rest, model), *breakdowns_named(rest, model)}
    conflict = next((d for d in found if d.metric in asked and not d.agrees), None)
    if conflict:
        return text, conflict
    return blank_spans(text, [d.span for d in found if d.metric in asked]), None


# What a follow-up says around a definition alone ("and without shipping?", "那扣掉退货的呢",
# "那含运费的呢"):
# the turn's own joining words, nothing asked.
_ONLY_JOINING = re.compile(
    r"(?i)^(?:\s|[?？!！.,，。]|\b(?:and|but|so|then|what|about|how|ok)\b|[那呢吧吗的])*$"
)


def definition_follow_up(text: str, metrics: list[str]) -> Definition | None:
    """The definition a follow-up restates of the previous call's metrics when it says nothing
    else ("and without shipping?" after gross sales: the same figure, the store's already);
    else None."""
    found = restated_definitions(text, metrics)
    if not found or not _ONLY_JOINING.match(blank_spans(text, [d.span for d in found])):
        return None
    return next((d for d in found if not d.agrees), found[0])
