"""The offline planner: the embedded chat model that needs no network and no key.

It reads the question, emits tool calls the same way a remote model would, and
writes the final answer from the tool results (never a number of its own). The
agent loop cannot tell it from a remote model: it has the two methods of a
LangChain chat model the loop calls (`bind_tools`, `stream`) and `invoke`, and
speaks LangChain messages. It is not a `BaseChatModel` subclass: importing
LangChain's chat-model base loads its tracers and langsmith's client, about half
a second of CPU on every `copilot ask` (issue 10), for callbacks the planner
never uses.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from copilot.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from copilot.offline.accounting import (
    MARKETPLACE,
    MARKETPLACE_ALTERNATION,
    exclusions,
    metric_question_problem,
    misspelt_metric_problem,
    named_layer_problem,
    unknown_campaign_question,
    unplaced_problem,
    unread_exclusion,
    unsupported_problem,
    without_exclusions,
)
from copilot.offline.cantonese import as_mandarin
from copilot.offline.claims import claimed_numbers
from copilot.offline.clock import planner_today, reading_as_of
from copilot.offline.context_clauses import (
    clauses_of,
    context_spans,
    is_evaluative,
    side_clauses,
    without_clauses,
)
from copilot.offline.corrections import self_corrected
from copilot.offline.festivals import unknown_event_problem
from copilot.offline.followups import (
    DefinitionAsked,
    Steps,
    both_earlier_periods,
    both_earlier_values,
    breakdown_not_taken,
    breaks_down_previous_filter,
    changes_churn_horizon,
    clarified_question,
    complete_on_its_own,
    definition_asked,
    definitions_text,
    exports_the_segment_shown,
    leans_on_previous,
    looks_like_follow_up,
    narrows_what_was_shown,
    only_slots_of_previous,
    placed_copy_word,
    previous_call,
    previous_rows,
    ranks_previous_breakdown,
    read_follow_up,
    sets_values_beside,
    shown_period_said,
    unapplied_follow_up,
    with_value_for_unplaced,
)
from copilot.offline.guards import plan_problem
from copilot.offline.intents import INTENTS, PlannerContext
from copilot.offline.intents.ab_tests import counts_from_rates_note
from copilot.offline.intents.base import AskBack
from copilot.offline.intents.catalogue import counts_per_weekday, literal_sql
from copilot.offline.intents.churn import conditions_unread, stated_conditions
from copilot.offline.intents.knowledge import nothing_on_it, off_the_knowledge_base
from copilot.offline.intents.lapsed import read_lapsed_buyers
from copilot.offline.intents.metrics import (
    JOINED,
    conflicting_definition_text,
    error_in,
    error_text,
)
from copilot.offline.intents.rule_parts import customer_languages
from copilot.offline.intents.segment_admin import unfiltered_period_note
from copilot.offline.intents.shares import share_text
from copilot.offline.numbers import spoken_numbers_in_digits
from copilot.offline.question import Question, language_of, read_question
from copilot.offline.readings import Reading, choose_reading, readings_of
from copilot.offline.restated import (
    definition_follow_up,
    definitions_confirmed,
    read_restated_definitions,
)
from copilot.offline.routing import Verdict, similar_reading, which_reading
from copilot.offline.typos import close_call_question, read_typos, reading_note
from copilot.offline.value_tiers import undefined_state_problem
from copilot.offline.values import ValueIndex
from copilot.offline.vocabulary import (
    breakdowns_named,
    metrics_named,
    reader_pattern,
    reader_words,
    unplaced_words,
)
from copilot.outcome import _QUOTED, STATUS_KEY, Refusal, stated_status
from copilot.unicode_text import in_own_script, simplified
from knowledge.presentation.messages import tr
from knowledge.semantic import SemanticModel
from knowledge.time_ranges import parse_period
from tools.base import ToolOutput

# Readings about a group of customers that compute no measure of their own: beside a measure
# the store lacks (lexicon `unsupported`), they would answer something else than was asked.
_NO_MEASURE_TOOLS = frozenset(
    {
        "define_segment",
        "profile_segment",
        "customer_personas",
        "export_audience",
        "list_segments",
        # ("NPS by cohort last qtr": a measure the store lacks, said of the cohorts; the
        # retention table would answer another question)
        "cohort_retention",
    }
)
# Tools whose readers count or list what the question names around a measure ("北京客户的NPS":
# the Beijing customers): a measure the store lacks, asked of them, is asked back, never
# answered by the count.
_COUNTING_TOOLS = frozenset({"run_sql"})
# Tools whose readers take a basket word ("add to cart", "加购") as items bought together: with
# no item named, a measure the store lacks said with it ("the add-to-cart rate during 618") is
# what is asked, so it is asked back, never answered with the basket rules.
_ITEM_RULE_TOOLS = frozenset({"cross_sell_rules"})


def _simplified_questions(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """The conversation with each question typed in Traditional Chinese ("換成7天呢",
    "上個月的銷售額") written in Simplified, the script of the vocabulary, the store's values
    and the answers: the latest question and the earlier ones its follow-ups read."""
    return [
        HumanMessage(read, id=m.id)
        if isinstance(m, HumanMessage) and (read := as_mandarin(simplified(m.text))) != m.text
        else m
        for m in messages
    ]


@dataclass(frozen=True)
class OfflinePlanner:
    """Maps English and Chinese questions to tool calls with the semantic model's synonyms."""

    semantic_model: SemanticModel
    values: ValueIndex = field(default_factory=ValueIndex)
    currency: str = "¥"
    tool_names: tuple[str, ...] = ()
    # The agent's limit on tool calls per question (COPILOT_MAX_TOOL_STEPS): more calls than
    # this would be cut off by the agent, so the planner asks instead.
    max_tool_calls: int = 8
    # The date relative periods count from (COPILOT_AS_OF); None: today. A follow-up that
    # shifts "last month" a year back resolves it against this date, as the tools do.
    as_of: date | None = None
    # Without `as_of`: the store's clock (`tools.periods.reference_today` over the copilot's
    # tool context: the day after the data when the data ends before today), asked per
    # question, so relative periods are read from the day the tools count them from.
    clock: Callable[[], date] | None = field(default=None, compare=False, repr=False)
    # The knowledge base's best-passage score of a query (PlannerContext.knowledge_relevance).
    knowledge_relevance: Callable[[str], float | None] | None = field(
        default=None, compare=False, repr=False
    )

    def today(self) -> date:
        """The day relative periods count from, as the tools count them."""
        if self.as_of is not None:
            return self.as_of
        return self.clock() if self.clock is not None else date.today()

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> OfflinePlanner:
        """The planner itself, knowing which tools it may call (LangChain tools, functions
        or tool dicts: only their names are read)."""
        names = tuple(getattr(t, "name", None) or getattr(t, "__name__", "") for t in tools)
        return replace(self, tool_names=names)

    def model_copy(self, *, update: dict[str, Any] | None = None) -> OfflinePlanner:
        """A copy with some fields changed (as a Pydantic model's `model_copy`)."""
        return replace(self, **(update or {}))

    def invoke(
        self, messages: str | Sequence[BaseMessage], config: Any = None, **kwargs: Any
    ) -> AIMessage:
        """The planner's reply to a conversation: tool calls for the latest question, or,
        after their results, the answer written from them."""
        with reading_as_of(self.today()):
            return self._reply(messages)

    def _reply(self, messages: str | Sequence[BaseMessage]) -> AIMessage:
        if isinstance(messages, str):
            messages = [HumanMessage(messages)]
        asked_as = next(m.text for m in reversed(messages) if isinstance(m, HumanMessage))
        reply = self._reply_read(_simplified_questions(messages))
        if not reply.content or not isinstance(reply.content, str):
            return reply
        # The words echoed back in the user's own script (氣炸鍋, not 气炸锅).
        echoed = in_own_script(reply.content, asked_as, runs=not reply.tool_calls)
        if echoed == reply.content:
            return reply
        return reply.model_copy(update={"content": echoed})

    def _reply_read(self, messages: list[BaseMessage]) -> AIMessage:
        question_at = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
        question = messages[question_at].text
        results = [m for m in messages[question_at + 1 :] if isinstance(m, ToolMessage)]
        history = messages[:question_at]
        if not results:
            return self._plan(question, history)
        planned = [m for m in messages[question_at + 1 :] if isinstance(m, AIMessage)]
        corrections = planned[0].response_metadata.get(_TYPOS_KEY) if planned else None
        if corrections is None:  # planned by another model: read the typos here
            corrections = read_typos(question, self.semantic_model, self.values).corrections
        asked = [
            m
            for message in planned
            for call in message.tool_calls
            if call["name"] == "query_metrics"
            for m in [*(call["args"].get("metrics") or ()), *(call["args"].get("dimensions") or ())]
        ]
        defined = planned[0].response_metadata.get(_DEFINED_KEY) if planned else None
        # (a follow-up restating the definition has it stated with the figure: said once)
        confirmed = (
            []
            if defined and defined[1]
            else definitions_confirmed(question.lower(), asked, self.semantic_model)
        )
        answer = self._answer(question, results, [tuple(c) for c in corrections], confirmed)
        set_aside = planned[0].response_metadata.get(_SET_ASIDE_KEY) if planned else None
        if set_aside and answer.content:
            language = language_of(question)
            said = tr(
                language,
                "I went on without {words}, which I asked about and did not understand.",
                words=_quoted_list(set_aside, language),
            )
            answer = AIMessage(
                content=said + "\n\n" + str(answer.content),
                response_metadata=answer.response_metadata,
            )
        meta = planned[0].response_metadata if planned else {}
        # Lines said after the figure, in this order: clauses taken as context, a judgement
        # the copilot does not make, the GMV reading, a tool's own note, figures quoted.
        notes: list[str] = []
        if meta.get(_CONTEXT_KEY):
            notes.append(_context_said(meta[_CONTEXT_KEY], question))
        if meta.get(_JUDGED_KEY):
            notes.append(_judged_said(meta[_JUDGED_KEY], question))
        gmv = reader_pattern("gmv_words").search(question) if "gross_sales" in asked else None
        if gmv:
            # "GMV last month": the field's GMV is the gross sales (before returns); said, so
            # that a reader who means the net figure sees which one this is.
            notes.append(
                tr(
                    language_of(question),
                    "I read “{word}” as GMV (gross sales, before returns); GMV net of returns "
                    "is the revenue.",
                    word=gmv.group(0),
                )
            )
        if meta.get(_NOTE_KEY):
            notes.append(meta[_NOTE_KEY])
        claimed = claimed_numbers(question)
        if claimed:
            notes.append(_claims_said(claimed, question))
        if notes and answer.content:
            answer = AIMessage(
                content="\n\n".join([str(answer.content), *notes]),
                response_metadata=answer.response_metadata,
            )
        if defined and answer.content:
            said = definitions_text(
                defined[0], defined[1], language_of(question), self.semantic_model
            )
            answer = AIMessage(
                content=said + "\n\n" + str(answer.content),
                response_metadata=answer.response_metadata,
            )
        return answer

    def stream(
        self, messages: str | Sequence[BaseMessage], config: Any = None, **kwargs: Any
    ) -> Iterator[AIMessage]:
        """The reply as one piece (the planner has nothing to stream)."""
        yield self.invoke(messages, config, **kwargs)

    @property
    def _context(self) -> PlannerContext:
        return PlannerContext(
            self.semantic_model, self.values, self.currency, self.knowledge_relevance
        )

    def _plan(self, text: str, history: list[BaseMessage]) -> AIMessage:
        """The tool calls (or the reply) for one question, its periods counted from `today()`."""
        text, history = as_mandarin(simplified(text)), _simplified_questions(history)
        with reading_as_of(self.today()):
            return self._plan_text(text, history)

    def _plan_text(self, text: str, history: list[BaseMessage]) -> AIMessage:
        # SQL typed in the question runs as typed (run_sql itself allows only a read-only
        # SELECT); read before abbreviations and typos are written out, which would change it.
        sql = literal_sql(text) if "run_sql" in self.tool_names else None
        if sql:
            return _call("run_sql", {"sql": sql})
        # "B got nineteen hundred sends, two twenty clicks": numbers said aloud read as typed.
        text = spoken_numbers_in_digits(text)
        # "revenue in March, scratch that, April": only the corrected question is read.
        text = self_corrected(text, self.values, self.semantic_model)
        # Clear typos of known words are read as those words (the answer says so).
        typos = read_typos(text, self.semantic_model, self.values)
        if typos.close_calls:
            return _reply(close_call_question(typos.close_calls, language_of(text)))
        # "orders (completed only, amount > 0)": a definition restated is read before the rest.
        text_read, conflict = read_restated_definitions(typos.text, self.semantic_model)
        if reader_pattern("metric_definition_question").search(typos.text):
            # "Net sales: before or after returns?": the definition is asked, not restated
            text_read, conflict = typos.text, None
        if conflict:
            return _reply(
                conflicting_definition_text(conflict, language_of(text), self.semantic_model)
            )
        previous = previous_call(history) if history else None
        if previous and previous["name"] == "query_metrics":
            # "and without shipping?" after gross sales: the store's figure is that already.
            said = definition_follow_up(text_read, list(previous["args"].get("metrics") or ()))
            if said is not None and not said.agrees:
                return _reply(
                    conflicting_definition_text(said, language_of(text), self.semantic_model)
                )
            if said is not None:  # the answer states the definition, and that it is the same
                shown = list(previous["args"].get("metrics") or ())
                return AIMessage(
                    content="",
                    tool_calls=_call("query_metrics", dict(previous["args"])).tool_calls,
                    response_metadata={_DEFINED_KEY: [shown, said.written]},
                )
        message = self._plan_checked(read_question(text_read, self.values), history)
        if not message.tool_calls and message.response_metadata.get(STATUS_KEY) == "clarify":
            # "- my manager is deciding on shelf space": a clause of context, read again without
            message = (
                self._without_quote(text_read, history)
                or self._without_context(text_read, history)
                or self._without_talk(text_read, history)
                or message
            )
        if not message.tool_calls:
            return _with_typos_named(message, typos.corrections, language_of(text))
        if _JUDGED_KEY not in message.response_metadata and any(
            is_evaluative(text_read[c.start : c.end]) for c in clauses_of(text_read)
        ):
            # "…? Is that high?" read without a question back: the judgement asked is still
            # answered (the copilot does not judge), never dropped silently.
            judged = side_clauses(text_read, self._context)[1]
            if judged:
                said = [text_read[c.start : c.end].strip() for c in judged]
                message = AIMessage(
                    content=message.content,
                    tool_calls=message.tool_calls,
                    response_metadata={**message.response_metadata, _JUDGED_KEY: said},
                )
        # The typos read travel with the calls, so the answer need not read them again.
        metadata = {**message.response_metadata, _TYPOS_KEY: [list(c) for c in typos.corrections]}
        return AIMessage(
            content=message.content, tool_calls=message.tool_calls, response_metadata=metadata
        )

    def _without_quote(self, text: str, history: list[BaseMessage]) -> AIMessage | None:
        """The calls for a question asked back, read without the lines it quotes (a chat reply
        under "> Q3 numbers look off", Slack's "&gt; ..."): the quoted message is what the
        asker replies to, context the answer names; the ask is the rest. None when nothing is
        quoted, nothing else is said, or the rest is not answered either."""
        lines = text.splitlines()
        quoted = [line for line in lines if _QUOTED_LINE.match(line)]
        rest = "\n".join(line for line in lines if not _QUOTED_LINE.match(line)).strip()
        if not quoted or not rest:
            return None
        said = [_QUOTED_LINE.sub("", line).strip() for line in quoted]
        return self._rest_read(rest, history, {_CONTEXT_KEY: said})

    def _without_context(self, text: str, history: list[BaseMessage]) -> AIMessage | None:
        """The calls for a question asked back, read without its clauses of context (why it is
        asked, who asks, how soon: copilot/offline/context_clauses.py), when the rest is read
        on its own; the clauses set aside travel to the answer, which names them. None when
        there is no such clause or the rest is not answered either."""
        clauses = context_spans(text, self._context)
        if not clauses:
            return None
        rest = without_clauses(text, clauses)
        if not rest:
            return None
        said = [text[c.start : c.end].strip() for c in clauses]
        return self._rest_read(rest, history, {_CONTEXT_KEY: said})

    def _without_talk(self, text: str, history: list[BaseMessage]) -> AIMessage | None:
        """The calls for a question asked back, read as its ask alone: the clauses around the
        ask that hold no restriction it lacks (an opinion, a reason, a stakeholder, "is that
        good?": context_clauses.side_clauses) are set aside and travel to the answer, which
        names them (and says the copilot does not judge the figure). None when there is no
        such clause or the ask alone is not answered either."""
        talk, judged = side_clauses(text, self._context)
        if not talk and not judged:
            return None
        rest = without_clauses(text, talk + judged)
        if not rest:
            return None
        notes = {
            key: [text[c.start : c.end].strip() for c in clauses]
            for key, clauses in ((_CONTEXT_KEY, talk), (_JUDGED_KEY, judged))
            if clauses
        }
        return self._rest_read(rest, history, notes)

    def _rest_read(
        self, rest: str, history: list[BaseMessage], notes: dict[str, list[str]]
    ) -> AIMessage | None:
        """The calls for the rest of a question asked back, read on its own, with what was set
        aside (`notes`: quoted lines, context clauses, judgements) for the answer to name; None
        when the rest is not answered either."""
        message = self._plan_checked(read_question(rest, self.values), history)
        if not message.tool_calls:
            return None
        return AIMessage(
            content=message.content,
            tool_calls=message.tool_calls,
            response_metadata={**message.response_metadata, **notes},
        )

    def _plan_checked(self, question: Question, history: list[BaseMessage]) -> AIMessage:
        """The plan of `question`, asked back instead when it does not account for the
        question's shape markers (each number stated, an average, a rate, a ranking's
        criterion: copilot/offline/guards.py), whichever reader made it."""
        message = self._plan_read(question, history)
        unaccounted = plan_problem(question, message.tool_calls, self._context)
        return _reply(unaccounted) if unaccounted else message

    def _plan_read(self, question: Question, history: list[BaseMessage]) -> AIMessage:
        refusal = out_of_scope(question)
        if refusal:
            return _reply(Refusal(refusal))
        answered = self._after_question_back(question, history)
        if answered is not None:
            return answered
        lapsed = read_lapsed_buyers(question, self._context)
        if isinstance(lapsed, AskBack):  # buyers of one period who did not buy in another
            return _reply(lapsed.text)
        if lapsed is not None:
            return self._reading_call(lapsed[1], "query_metrics", lapsed[0])
        placed = placed_copy_word(question, history)
        if isinstance(placed, AskBack):  # "it's a product" the catalogue does not hold
            return _reply(placed.text)
        if placed is not None:  # "an occasion" after the copy tool asked about a word
            return _call("generate_copy", placed)
        previous = previous_call(history)
        if (
            previous is not None
            and previous["name"] == "query_metrics"
            and "language" in ((previous.get("args") or {}).get("filters") or {})
            and "language" not in question.filters
            and (spoken := customer_languages(question.raw))
        ):
            # "and the Chinese-language ones?" after English-language buyers: the customers'
            # own language setting swapped, as a city or gender value would be.
            question = replace(question, filters={**question.filters, "language": spoken})
        if previous is None and clarified_question(history) is not None:
            # "and by city?" after a question asked back on a word: the reading of the rest
            # that the question back stated, which the marketer goes on from; so does a
            # short turn naming only a slot of it ("money amount?", "金额呢"), which read
            # afresh would answer for the whole store over all time.
            rest = self._reading_asked_back(history)
            if rest is not None and (
                looks_like_follow_up(question)
                or only_slots_of_previous(question, rest, self._context)
            ):
                previous = rest
        if previous is None and (
            _DANGLING.search(question.raw)
            # "revenue for the same period" with nothing shown before: the same as what?
            or shown_period_said(question) is not None
            # "只看女性" after a question asked back: a narrowing of no result, not a segment
            or (clarified_question(history) is not None and narrows_what_was_shown(question))
        ):
            return _reply(
                _dangling_reference(question, any(isinstance(m, HumanMessage) for m in history))
            )
        # Scored routing: every matching reader competes (copilot.offline.readings).
        readings = readings_of(question, self._context, self.tool_names)
        if not any(r.tool in _WORDS_TOOLS for r in readings):
            # "how many dormant users": a state no field records, asked back, never every
            # customer counted (copy for such an audience needs no count: it is written)
            state = undefined_state_problem(question, self.values)
            if state:
                return _reply(state)
        if previous is None and all(r.tool in _CAMPAIGN_FIGURES for r in readings):
            alike = _campaigns_alike(question, self._context, readings)
            # ("the CAC payback of the spring SMS sends": what is asked is unmeasured, whichever
            # campaign is meant)
            alike = alike and (unsupported_problem(question, self._context) or alike)
            if alike:  # "ROI of the Win-back email" with a 2025 and a 2026 Win-back email
                return _reply(alike)
            pointed = _pointed_campaign(question, self._context)
            if pointed:  # "那个活动的ROI" first: which campaign? (copy "for this campaign" stands)
                return _reply(pointed)
        defined = (
            definition_asked(question, previous, self._context) if previous is not None else None
        )
        if defined is not None:
            return self._with_definitions(defined, previous, history)
        follow_up = None
        both = (
            both_earlier_values(question, history, self.semantic_model)
            if previous is not None and previous["name"] == "query_metrics"
            else None
        )
        if both is not None:
            # "两个渠道的退订率也给下" after the SMS figure, then the push one: the figure of
            # both values, each in its row, with the period and other filters kept.
            follow_up = self._follow_up(question, previous, history)
            if follow_up is not None and isinstance(follow_up[1], dict):
                dimension, values = both
                args = dict(follow_up[1])
                args["filters"] = {**(args.get("filters") or {}), dimension: values}
                args["dimensions"] = list(
                    dict.fromkeys([*(args.get("dimensions") or []), dimension])
                )
                if JOINED.search(question.raw):
                    # "两个城市加起来的客单价", "both cities combined": one figure over both
                    # values, no row each.
                    args["dimensions"] = [d for d in args["dimensions"] if d != dimension]
                    if not args["dimensions"]:
                        args.pop("dimensions")
                return _call("query_metrics", args)
        joined = (
            both_earlier_periods(question, history, planner_today())
            if previous is not None and previous["name"] == "query_metrics"
            else None
        )
        if isinstance(joined, AskBack):
            return _reply(joined.text)
        if joined is not None:
            # "the return rate across both months together" after October, then September:
            # the figure over the span of both, not all time nor the last month alone.
            follow_up = self._follow_up(question, previous, history)
            args = dict(follow_up[1]) if follow_up and isinstance(follow_up[1], dict) else None
            if args is not None and follow_up[0] == "query_metrics":
                args["time_range"] = joined
                args.pop("compare_to", None)
                return _call("query_metrics", args)
        if (
            previous is not None
            and (
                looks_like_follow_up(question)
                or ranks_previous_breakdown(question, previous, self._context)
                or exports_the_segment_shown(question, previous)
                or breaks_down_previous_filter(question, previous, self._context)
                or only_slots_of_previous(question, previous, self._context)
                or sets_values_beside(question, previous)
                or changes_churn_horizon(question, previous)
                or _names_a_row_shown(question, previous, history)
                or _leaves_out_of_previous(question, previous, self._context)
            )
            and not complete_on_its_own(question, readings, previous, self._context)
        ):
            follow_up = self._follow_up(question, previous, history)
        # "what about orders?" or "now write an SMS for them" lean on the previous call;
        # read afresh, they would lose its period, filters or segment.
        if follow_up is not None:
            if isinstance(follow_up[1], AskBack):  # a follow-up that must be asked about
                return _reply(follow_up[1].text)
            if isinstance(follow_up[1], Steps):  # several calls, in order
                calls = [_call(tool, args).tool_calls[0] for tool, args in follow_up[1].calls]
                return AIMessage(content="", tool_calls=calls)
            if follow_up[0] == "query_metrics":
                untaken = breakdown_not_taken(follow_up[1], question.language, self.semantic_model)
                if untaken is not None:  # "and the returned orders instead" after a breakdown
                    return _reply(untaken.text)
            message = _call(*follow_up)
            if previous.get("set_aside"):  # said in the answer: nothing is dropped silently
                message.response_metadata[_SET_ASIDE_KEY] = previous["set_aside"]
            return message
        if previous is not None and leans_on_previous(question) and not readings:
            # "which channel?" or "去年同期呢" that the previous result cannot take: ask,
            # rather than answer a fresh, unrelated question.
            return _reply(unapplied_follow_up(question, previous["name"]))
        if readings:
            chosen = choose_reading(question, readings, self._context)
            if isinstance(chosen, Verdict):
                return _reply(which_reading(chosen, question.language))
            if chosen.tool in _NO_MEASURE_TOOLS | _COUNTING_TOOLS or (
                chosen.tool in _ITEM_RULE_TOOLS
                and isinstance(chosen.args, dict)
                and not {"item", "paired_with"} & set(chosen.args)
            ):
                # "男客户的ARPU": a measure the store lacks, said of a group, asks for the
                # measure; counting or profiling the group would answer another question.
                answered = (
                    frozenset({"day_of_week"}) if counts_per_weekday(chosen.args) else frozenset()
                )
                unmeasured = unsupported_problem(question, self._context, answered)
                if unmeasured:
                    return _reply(unmeasured)
            if chosen.tool == "query_metrics":
                left_out = self._without_exclusions(question, history)
                if left_out is not None:
                    return left_out
            return self._reading_call(question, chosen.tool, chosen.args)
        clarification = unsupported_problem(question, self._context) or unplaced_problem(
            question, self._context
        )
        if clarification:
            return _reply(clarification)
        # No reader placed the question: the example-similarity signal of the scored routing.
        verdict = similar_reading(question, self._context, self.tool_names)
        if verdict.tool == "predict_churn":
            dropped = stated_conditions(question)
            if dropped:  # "churn risk list: 4+ orders, none in 60 days": not the bare model
                return _reply(conditions_unread(dropped, question.language))
        if verdict.tool == "search_knowledge" and off_the_knowledge_base(
            question.raw.strip(), question.language, self._context
        ):  # near the knowledge examples, but nothing the knowledge base holds is about it
            return _reply(Refusal(nothing_on_it(question.language)))
        if verdict.tool is not None:
            return _call(verdict.tool, verdict.args or {})
        if verdict.candidates:
            return _reply(which_reading(verdict, question.language))
        clarification = clarifying_question(question)
        if clarification:
            return _reply(clarification)
        return _reply(self._cannot_help(question.raw, question))

    def _with_definitions(
        self, defined: DefinitionAsked, previous: dict[str, Any], history: list[BaseMessage]
    ) -> AIMessage:
        """The call a definition follow-up asks for ("are refunds netted out there? show
        gross as well": the gross figure; nothing else asked: the figure shown again), with the
        definitions to state in the answer; a question back when the rest cannot be applied."""
        call = self._follow_up(defined.rest, previous, history) if defined.rest else None
        if (
            call is None
            and defined.rest is not None
            and unplaced_words(defined.rest.text, self.semantic_model)
        ):  # more is asked than the definition, and it cannot be read: asked about
            return _reply(unapplied_follow_up(defined.rest, previous["name"]))
        name, args = call or (previous["name"], dict(previous.get("args") or {}))
        if isinstance(args, AskBack):
            return _reply(Refusal(args.text) if args.refused else args.text)
        if name == "query_metrics" and isinstance(args, dict):
            # the figures shown are explained in words: only what is newly asked is computed
            new = [m for m in args.get("metrics") or [] if m not in defined.metrics]
            if new and not isinstance(args, Steps):
                args = {**args, "metrics": new}
        message = _call(name, args)
        metadata = {_DEFINED_KEY: [list(defined.metrics), None]}
        return AIMessage(content="", tool_calls=message.tool_calls, response_metadata=metadata)

    def _reading_asked_back(self, history: list[BaseMessage]) -> dict[str, Any] | None:
        """The metric query the last question back read the rest of its question as ("I read
        the rest as: Revenue, last month"), planned without the words it asked about; None
        when the last reply asked back on no such word or the rest makes no metric query."""
        earlier = clarified_question(history)
        if earlier is None:
            return None
        read = read_question(earlier, self.values).text
        words = unplaced_words(read, self.semantic_model)
        if not words:
            return None
        rest = earlier
        for word in words:
            if len(read) == len(earlier):
                # only where it was left unread: "今年到现在…今年是不是比去年强" asked about the
                # second 今年, never the period read from the first
                for found in re.finditer(re.escape(word.lower()), read.lower()):
                    start, end = found.span()
                    rest = rest[:start] + " " * (end - start) + rest[end:]
            else:
                rest = re.sub(re.escape(word), " ", rest, flags=re.I)
        message = self._plan(rest, history[:-2])
        calls = message.tool_calls
        if len(calls) != 1 or calls[0]["name"] != "query_metrics":
            return None
        return {"name": calls[0]["name"], "args": calls[0]["args"], "set_aside": words}

    def _after_question_back(
        self, question: Question, history: list[BaseMessage]
    ) -> AIMessage | None:
        """The asked-back question planned again with the value this reply gives ("ok then
        hangzhou" after "revenue in Xiamen?" was asked about "xiamen"); None when this reply
        is no such answer or the combined question still cannot be answered."""
        earlier = clarified_question(history)
        if earlier is None:
            return None
        combined = with_value_for_unplaced(question, earlier, self._context)
        if combined is None:
            return None
        message = self._plan(combined, history[:-2])
        return message if message.tool_calls else None

    def _follow_up(
        self, question: Question, previous: dict[str, Any], history: list[BaseMessage]
    ) -> tuple[str, Any] | None:
        """The follow-up's call; one that leaves store values out ("and excluding the
        app?", "除了上海以外呢？") is the follow-up without them, leaving them out too: read
        as it stands, the value would be the previous call's filter, the opposite."""
        rows = previous_rows(history)
        without = (
            without_exclusions(question, self._context)
            if previous["name"] == "query_metrics"
            else None
        )
        if without is None:
            unread = (
                unread_exclusion(question, previous.get("args") or {}, self._context)
                if previous["name"] == "query_metrics"
                else None
            )
            if unread:  # "and excluding returns?": not the returns, nor the whole store
                return previous["name"], AskBack(unread)
            return read_follow_up(question, previous, self._context, rows, today=planner_today())
        text, exclude = without
        rest = read_question(text, self.values)
        follow_up = read_follow_up(rest, previous, self._context, rows, today=planner_today())
        if follow_up is None:  # nothing but the values left out: the previous call without them
            follow_up = (previous["name"], dict(previous.get("args") or {}))
        name, args = follow_up
        if name != "query_metrics" or not isinstance(args, dict):
            return follow_up
        filters = {d: list(vs) for d, vs in (args.get("filters") or {}).items()}
        left_out = {d: list(vs) for d, vs in (args.get("exclude") or {}).items()}
        for dimension, values in exclude.items():
            kept = [v for v in filters.get(dimension, []) if v not in values]
            if dimension in filters:
                filters[dimension] = kept
            left_out[dimension] = list(dict.fromkeys([*left_out.get(dimension, []), *values]))
        args = {**args, "exclude": left_out, "filters": {d: v for d, v in filters.items() if v}}
        if not args["filters"]:
            del args["filters"]
        return name, args

    def _without_exclusions(
        self, question: Question, history: list[BaseMessage]
    ) -> AIMessage | None:
        """A metric question that leaves store values out ("revenue excluding Shanghai",
        "非护肤品类的订单数") planned as the question without them, its calls leaving them
        out (`exclude`); None when it leaves nothing out or that reading is no metric call
        (the question is then read and checked as asked, and asked back)."""
        without = without_exclusions(question, self._context)
        if without is None:
            return None
        text, exclude = without
        message = self._plan_read(read_question(text, self.values), history)
        calls = message.tool_calls
        if not calls and _names_words_of(message, text):
            # The values left out were read; the rest names a word it could not ("Dalian
            # and Shanghai, excluding store orders"): that word is the one asked about.
            return message
        if not calls or any(c["name"] != "query_metrics" for c in calls):
            return None
        kept_and_left = {
            d
            for c in calls
            for d, vs in exclude.items()
            if set(c["args"].get("filters", {}).get(d, ())) & set(vs)
        }
        if not kept_and_left and _role_contrasted(question, calls, exclude, self._context):
            # "signed up through the app (not app orders!)": the value kept in one role and
            # "not" said of it in another contrasts the roles; the one read is the filter.
            return message
        if kept_and_left:
            # "门店…比线上高不高", "store vs non-store": a value set against the rest of its
            # dimension is every value of it side by side, the dimension's breakdown.
            against = _value_against_the_rest(calls, exclude, kept_and_left, question)
            return against  # else the value kept and left out at once: asked back as asked
        return _calls("query_metrics", [_leaving_out(c["args"], exclude) for c in calls])

    def _reading_call(self, question: Question, tool: str, args: Any) -> AIMessage:
        """The chosen reading as tool calls, or a question back when its checks fail."""
        if isinstance(args, AskBack):  # the reader's own question back (names what is missing)
            return _reply(Refusal(args.text) if args.refused else args.text)
        ahead = _period_ahead(args, planner_today())
        if ahead:  # "net sales for December 2026" asked in November: no data yet, no guess
            return _reply(
                tr(
                    question.language,
                    "\u201c{period}\u201d is after the latest day of the data ({today}), so "
                    "there is nothing to compute yet, and I won't answer with another period "
                    "instead. Which period do you mean (for example the same month last year, "
                    "or the year to date)?",
                    period=ahead,
                    today=planner_today().isoformat(),
                )
            )
        if isinstance(args, list):  # one call per item ("for each segment")
            if len(args) > self.max_tool_calls:
                return _reply(_too_many_calls(tool, args, question))
            if tool == "query_metrics":  # one metric question, compared twice
                problem = metric_question_problem(question, args[0], self._context)
                if problem:
                    return _reply(problem)
            return _calls(tool, args)
        if tool == "query_metrics":
            problem = metric_question_problem(question, args, self._context)
            if problem:
                return _reply(problem)
            # ("orders by campaign", "the AOV per target segment"): a breakdown or filter the
            # metric has no rows for, asked about rather than failed by the tool
            untaken = breakdown_not_taken(args, question.language, self.semantic_model)
            if untaken is not None:
                return _reply(untaken.text)
        elif tool == "ab_test" and not (isinstance(args, dict) and args.get("counts")):
            # "black friday email results?": a stored test of a festival the store ran no
            # campaign for is asked about, never another campaign's test given instead.
            problem = unknown_event_problem(question, self._context)
            if problem:
                return _reply(problem)
        elif tool in _WHOLE_STORE_TOOLS:
            # "reveune by RFM segmnet" names a metric with a typo: not an RFM run.
            problem = misspelt_metric_problem(question, self._context)
            if tool == "rfm_segments":
                problem = problem or named_layer_problem(question, self._context)
            if problem:
                return _reply(problem)
        message = _call(tool, args)
        if tool == "list_segments" and (note := unfiltered_period_note(question)):
            message.response_metadata[_NOTE_KEY] = note  # "saved last week": not filtered, said
        if tool == "ab_test" and args.get("counts") and (note := counts_from_rates_note(question)):
            message.response_metadata[_NOTE_KEY] = note  # "A 2.5%, 4000 each": rate x size, said
        return message

    def _answer(
        self,
        question: str,
        results: list[ToolMessage],
        corrections: list[tuple[str, str]],
        confirmed: list[str] | None = None,
    ) -> AIMessage:
        language = language_of(question)
        writers = {intent.tool: intent.write for intent in INTENTS}
        parts = []
        for result in results:
            output = result.artifact
            if not isinstance(output, ToolOutput):
                # A failure LangChain reported itself (e.g. arguments that do not validate).
                parts.append(error_text(str(result.content), language))
            elif "error" in output.data:
                parts.append(error_text(error_in(output.data, language), language))
            else:
                parts.append(writers[result.name](output, language, self._context))
        # Calls of one question (a figure compared twice) may write the same paragraph
        # (a breakdown's summary, the next-step hint): said once.
        paragraphs = [p for part in parts for p in part.split("\n\n")]
        if len(results) > 1:  # each kept where it is said last: the hint stays at the end
            parts = list(reversed(dict.fromkeys(reversed(paragraphs))))
        outputs = [r.artifact for r in results if r.name == "query_metrics"]
        share = (
            share_text(outputs, language, self._context)
            if len(outputs) == len(results) and all(isinstance(o, ToolOutput) for o in outputs)
            else None
        )
        if share:  # a part's figure and its whole's: the share asked for comes first
            parts.insert(0, share)
        if confirmed:  # "orders (completed only, amount > 0)": the written definition matches
            model = self.semantic_model
            labels = [
                (model.metrics.get(m) or model.dimensions[m]).label.in_language(language)
                for m in confirmed
            ]
            parts.insert(
                0,
                tr(
                    language,
                    "The definition you wrote matches the store's {metrics}.",
                    metrics=tr(language, ", ").join(labels),
                ),
            )
        if corrections:  # what was read for each typo, so the reader can check it
            parts.insert(0, reading_note(corrections, language))
        # A tool that asked back instead of working (copy with an unclear word) makes the
        # turn a clarification, for `ask --json` and the saved conversation alike.
        asked_back = bool(results) and all(
            isinstance(r.artifact, ToolOutput) and "clarify" in r.artifact.data for r in results
        )
        metadata = {STATUS_KEY: "clarify"} if asked_back else {}
        return AIMessage(content="\n\n".join(parts), response_metadata=metadata)

    def _cannot_help(self, question: str, read: Question | None = None) -> Refusal:
        unknown = unplaced_words(read.text, self._context.semantic_model) if read else []
        # (never a number: "VPN error 809" names no figure of ours, and a refusal repeats none)
        unknown = [w for w in unknown if not re.search(r"\d", w)]
        if unknown:
            # ("how'd the august influencer seeding do?"): the words nothing here knows, named,
            # so the asker sees what to rephrase, before what the copilot can do
            language = language_of(question)
            lowered = question.lower()
            # as the asker wrote them ("Manchester", not the lower-cased reading's "manchester")
            written = [
                question[at : at + len(w)] if (at := lowered.find(w)) >= 0 else w
                for w in unknown[:4]
            ]
            named = tr(language, ", ").join(f"“{w}”" for w in written)
            return Refusal(
                tr(language, "I don't know {words} in this store's data.", words=named)
                + " "
                + str(self._cannot_help(question))
            )
        return Refusal(
            tr(
                language_of(question),
                "Sorry, I can't answer that offline, and I won't make up a number. I can do: "
                "sales and campaign metrics (revenue, AOV, repurchase and churn rates, conversion "
                "rate, ROI ... by period, channel, city, category, with comparisons), cohort "
                "retention, A/B tests, RFM segments and profiles, cross-sell, churn prediction, "
                "send times, review sentiment, audience exports, copy per segment and brand "
                "guidelines. Try: 'What was revenue last month?', 'segment my customers with "
                "RFM', 'write an SMS for each RFM segment'.",
            )
        )


def _with_typos_named(
    message: AIMessage, corrections: tuple[tuple[str, str], ...], language: str
) -> AIMessage:
    """A question back after typos were read names each typo as written ("I read “retrun” as
    return."): the user sees which word was taken for which, the one to fix when the reading
    was wrong (an answer says the same beside its numbers)."""
    content = message.content if isinstance(message.content, str) else ""
    unnamed = tuple(c for c in corrections if c[0] not in content)
    if not unnamed or not content:
        return message
    note = reading_note(unnamed, language)
    return AIMessage(
        content=f"{note} {content}", tool_calls=[], response_metadata=message.response_metadata
    )


# response_metadata key of the typos read while planning ([[written, read as], ...]).
_TYPOS_KEY = "typo_corrections"
# The words of a question asked back that a follow-up went on without (said in the answer).
_SET_ASIDE_KEY = "words_set_aside"
# A line quoting another chat message ("> Q3 numbers look off", Slack's escaped "&gt; ...").
_QUOTED_LINE = re.compile(r"^\s*(?:>|&gt;)\s?")
# The clauses of context a question was read without (why it is asked, who asks, how soon),
# named in the answer.
_CONTEXT_KEY = "context_clauses"
# The evaluative side-questions a question was read without ("is that good?", "正常吗"):
# answered with the figure and a line that the copilot does not judge it.
_JUDGED_KEY = "judgements_asked"
# The metrics whose definition the answer states (a follow-up asked what a figure counts in,
# or restated it: [metrics, the words restated or None]).
_DEFINED_KEY = "metric_definitions"
# A line the reading adds to the answer (a listing not cut to the period the question names).
_NOTE_KEY = "reading_note"


def _period_ahead(args: Any, today: date) -> str | None:
    """The period a call is asked for when it starts after `today` (the data's last day), as
    written in the call; None when every period has begun (or none is said)."""
    for one in args if isinstance(args, list) else [args]:
        phrase = one.get("time_range") if isinstance(one, dict) else None
        if not isinstance(phrase, str) or not phrase.strip():
            continue
        try:
            parse_period(phrase, today)
            continue  # begun (or past)
        except ValueError:
            pass
        try:  # unreadable today: read from a later day, is it a period still to come?
            later = parse_period(phrase, today + timedelta(days=5 * 366))
        except ValueError:
            continue
        if later.start > today:
            return phrase
    return None


def _context_said(clauses: list[str], question: str) -> str:
    """The line naming the clauses of context set aside: said, never dropped silently."""
    language = language_of(question)
    quoted = _quoted_list(clauses, language)
    return tr(
        language, "I took {clauses} as context; it does not change the figure.", clauses=quoted
    )


def _quoted_list(items: list[str], language: str) -> str:
    """Words of the question quoted as a list in the answer's language: 「a」、「b」 or “a”, “b”."""
    if language == "zh":
        return "、".join(f"「{w}」" for w in items)
    return ", ".join(f"“{w}”" for w in items)


def _judged_said(clauses: list[str], question: str) -> str:
    """The line answering an evaluative side-question: the figure is given, the judgement
    (good or bad, worrying, worth it, why) is not the copilot's to make."""
    language = language_of(question)
    quoted = _quoted_list(clauses, language)
    return tr(
        language,
        "On {clauses}: the figure is above; I don't judge whether it is good, bad or worth acting on, or say why, as the store's data holds no benchmark or cause for it.",
        clauses=quoted,
    )


def _claims_said(claimed: list[str], question: str) -> str:
    """The line naming the figures quoted from someone else's report: a claim checked, not
    a number the figure uses."""
    language = language_of(question)
    quoted = _quoted_list(claimed, language)
    return tr(
        language,
        "You quoted {claims}; the figure above is computed from the store's data, not taken from the quote.",
        claims=quoted,
    )


def _leaves_out_of_previous(
    question: Question, previous: dict[str, Any], ctx: PlannerContext
) -> bool:
    """Whether the question only leaves store values out of the figure just shown ("exclude
    electronics", "without Shanghai", "剔除食品类"): nothing but the values and politeness,
    so it narrows the previous metric call (never read afresh, over all time)."""
    if previous["name"] != "query_metrics":
        return False
    without = without_exclusions(question, ctx)
    if without is None:
        return False
    rest = without[0].lower()
    model = ctx.semantic_model
    return not metrics_named(rest, model) and not breakdowns_named(rest, model)


def _names_a_row_shown(
    question: Question, previous: dict[str, Any], history: list[BaseMessage]
) -> bool:
    """Whether a question naming no period names only rows the breakdown just shown holds
    ("成都客单多少" after "上个月各城市GMV"): a figure of that row, for the period shown; read
    afresh it would be answered over all time."""
    args = previous.get("args") or {}
    if previous["name"] != "query_metrics" or not args.get("time_range") or question.time_range:
        return False
    dims = args.get("dimensions") or []
    if len(dims) != 1 or set(question.filters) != {dims[0]}:
        return False
    rows = set(previous_rows(history))
    if not rows:
        # (the rows shown are not in the history: a breakdown cut at no top N holds every value)
        return not args.get("limit")
    return set(question.filters[dims[0]]) <= rows


def _reply(text: str) -> AIMessage:
    """A reply without a tool call, stating its status: `refused` for a Refusal, else
    `clarify` (copilot.outcome), so no front end has to guess it from the wording."""
    return AIMessage(content=text, response_metadata=stated_status(text))


def _names_words_of(message: AIMessage, text: str) -> bool:
    """Whether `message` is a question back quoting only words `text` holds (the question
    with its values left out blanked): the words of the rest it could not read."""
    if message.response_metadata.get(STATUS_KEY) != "clarify":
        return False
    quoted = [q[1:-1].strip() for q in _QUOTED.findall(str(message.content))]
    lowered = text.lower()
    return bool(quoted) and all(q and q.lower() in lowered for q in quoted)


def _call(tool: str, args: dict[str, Any]) -> AIMessage:
    return _calls(tool, [args])


def _too_many_calls(tool: str, arguments: list[dict[str, Any]], question: Question) -> str:
    """A question back when one call per item would pass the agent's tool-call limit."""
    language = question.language
    items = tr(language, ", ").join(str(next(iter(args.values()), "")) for args in arguments)
    return tr(
        language,
        "Answering for each one takes {count} tool calls, more than one question may make. "
        "Please name the ones you want, from: {items}.",
        count=len(arguments),
        items=items,
    )


def _calls(tool: str, arguments: list[dict[str, Any]]) -> AIMessage:
    calls = [
        {"name": tool, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"}
        for args in arguments
    ]
    return AIMessage(content="", tool_calls=calls)


_DESTRUCTIVE = re.compile(
    r"\b(?:delete|drop|truncate|remove|wipe|erase|update|insert|alter|purge)\b.{0,40}"
    r"\b(?:orders?|customers?|tables?|data|records?|rows?|database|store)\b"
    r"|删除|删掉|清空|清除|修改.{0,6}(?:数据|订单|客户)|更新.{0,6}(?:数据|订单|客户)",
    re.IGNORECASE,
)
_OTHER_COMPANIES = re.compile(
    r"\b(?:competitors?|rivals?|alibaba|walmart|the market'?s?|industry average|market share)\b"
    r"|竞争对手|竞品|对手|阿里巴巴|阿里|行业平均|市场份额|" + MARKETPLACE_ALTERNATION,
    re.IGNORECASE,
)


# Tools that analyse the whole store: a misspelt metric would silently become their answer.
_WHOLE_STORE_TOOLS = {"rfm_segments", "customer_personas", "run_sql", "describe_data"}
# A question that leans on an earlier one ("它的转化率", "what about its ROI?") with none before.
_DANGLING = re.compile(
    r"^\s*(?:它|它们|他们|这个|那个)的|^\s*(?:and\s+)?(?:its|their)\s|^\s*(?:同样|一样)的?"
    # "那是多少单", "that was how many orders?", "how many orders was that?": a figure shown
    # before, pointed at as it stands
    r"|^\s*(?:那|这)(?:就)?(?:些)?(?:是|有|等于|合)(?:多少|几)|^\s*(?:and\s+)?(?:that|those)\s+(?:is|was|were|are)\b"
    r"|^\s*(?:and\s+)?how (?:many|much)\b.{0,30}\b(?:was|were|is)\s+(?:that|those|it)\W*$",
    re.I,
)
_PERSONAL_DATA_OUT = re.compile(
    r"\b(?:paste|send|upload|share|give|export|copy)\b.{0,60}\b(?:emails?|phone|addresses|personal data|pii)\b"
    r".{0,40}\b(?:chatgpt|openai|gpt|claude|third[- ]part(?:y|ies)|external|partners?|vendors?|agency|agencies|suppliers?|contractors?)\b"
    r"|(?:客户|用户).{0,10}(?:邮箱|手机号|电话|个人信息).{0,20}(?:发给|上传|贴到|给|共享给|分享给|提供给)\s*(?:chatgpt|第三方|外部|合作方|代理商|供应商|外包)",
    re.I,
)


def _dangling_reference(question: Question, asked_before: bool = False) -> str:
    said = shown_period_said(question)
    if said is not None:
        # "revenue for the same period" as the first figure: the same as which period?
        return tr(
            question.language,
            "Which period is “{said}”? No period has been shown in this conversation yet, so "
            "I can't tell which one is the same; please name it (e.g. last month, Q3 2026).",
            said=said,
        )
    if asked_before:  # the questions so far were asked back or refused: nothing was shown
        return tr(
            question.language,
            "What does “it/that” refer to? I have shown no figure in this conversation yet, so "
            "I don't know which campaign, segment or result you mean; please ask it in full.",
        )
    return tr(
        question.language,
        "What does “it/their” refer to? This is the first question of the conversation, so I "
        "don't know which campaign, segment or result you mean; please name it.",
    )


# Tools that give a campaign's figures: a first question pointing at a campaign it does not
# name is asked about only when one of these (or nothing) would answer it.
_CAMPAIGN_FIGURES = frozenset({"query_metrics", "ab_test", "run_sql"})
# Tools answering in words (a draft, the guidelines), not with a count of customers.
_WORDS_TOOLS = frozenset({"generate_copy", "search_knowledge"})


def _pointed_campaign(question: Question, ctx: PlannerContext) -> str | None:
    """A question back when the first question points at a campaign it does not name ("that
    campaign's results", "把那个活动的效果拉一下": lexicon reader_words.pointed_campaign):
    with nothing said before, any campaign's (or all campaigns') figures would answer
    another question."""
    from copilot.offline.campaigns import campaign_named, store_campaigns

    if question.filters.get("campaign") or campaign_named(question, ctx.values):
        return None
    found = next(
        (m for p in reader_words("pointed_campaign") if (m := re.search(p, question.raw, re.I))),
        None,
    )
    if found is None:
        return None
    # ("情人节那波活动", "the Black Friday campaign"): a holiday the store ran nothing for is
    # what the question calls it, named back as the holiday, not as "that campaign"
    festival = unknown_event_problem(question, ctx)
    if festival:
        return festival
    described = _described_campaign(question, found.start(), ctx)
    if described:  # "星空促销那个活动": the words said of it name no store campaign
        return unknown_campaign_question(
            described,
            store_campaigns(ctx.values),
            question.language,
            ctx.values.descriptions.get("campaign"),
        )
    return tr(
        question.language,
        "Which campaign do you mean by “{words}”? This is the first question of the "
        "conversation, so I don't know which campaign that is; please name the campaign "
        "(or ask for all campaigns).",
        words=found.groupdict().get("words") or found.group(0),
    )


def _described_campaign(question: Question, pointer: int, ctx: PlannerContext) -> str | None:
    """The words no vocabulary places written right before the words pointing at a campaign
    ("老客召回那个活动", "the spring-clean that campaign"): what the question calls it."""
    before = question.raw[:pointer]
    return next(
        (
            word
            for word in unplaced_words(question.text, ctx.semantic_model)
            if re.search(re.escape(word) + r"[\s的之\"'“”「」]*$", before, re.I)
        ),
        None,
    )


def _campaigns_alike(
    question: Question, ctx: PlannerContext, readings: list[Reading]
) -> str | None:
    """A question back when the words of a campaign's name beyond its period ("the Win-back
    email") name more than one store campaign (Win-back 2025 and Win-back 2026) and neither
    a campaign filter, the campaign's period nor a breakdown by campaign picks one: any one
    campaign's figures, or all of theirs pooled, would answer another question."""
    from copilot.offline.campaigns import campaign_named, campaigns_by_their_words

    if question.filters.get("campaign") or campaign_named(question, ctx.values):
        return None
    for reading in readings:
        for args in reading.args if isinstance(reading.args, list) else [reading.args]:
            if isinstance(args, dict) and "campaign" in (args.get("dimensions") or []):
                return None  # "Win-back ROI by campaign": each of them
    name, campaigns = campaigns_by_their_words(question, ctx.values)
    if len(campaigns) < 2:
        return None
    return tr(
        question.language,
        "More than one of the store's campaigns is called “{name}”: {campaigns}. Which one "
        "do you mean?",
        name=name,
        campaigns=tr(question.language, ", ").join(campaigns[:6]),
    )


def out_of_scope(question: Question) -> str | None:
    """An honest refusal for requests the copilot must not or cannot serve from the store."""
    language = question.language
    if _PERSONAL_DATA_OUT.search(question.raw):
        return tr(
            language,
            "I can't hand customers' personal data (emails, phones) to an outside service. I "
            "can write copy per segment, or export a consented audience for your own systems.",
        )
    if _DESTRUCTIVE.search(question.raw):
        return tr(
            language,
            "I only read your data; I never delete or change anything in the store. Make "
            "changes in your own systems.",
        )
    if question.has(*reader_words("not_customer_reviews")):
        # "draft a performance review for my intern", "帮我写实习生的年终考核": a review that is
        # no customer's review of a product is HR or personal work, not the store's data.
        return tr(
            language,
            "That is outside what I do: I'm a marketing analytics copilot, so I don't write "
            "staff performance reviews, code reviews or essay reviews. The reviews I analyse "
            "are customers' reviews of your products.",
        )
    if question.has(*reader_words("software_requests")):
        # "code me a crawler for a marketplace's listings", "帮我写段Java程序": software work,
        # or other sites' data, not the store's; never a brief for marketing copy.
        return tr(
            language,
            "That is outside what I do: I'm a marketing analytics copilot, so I don't write "
            "code or scrapers, or collect data from other sites. I can analyse your store's "
            "data, write SQL over it and draft marketing copy.",
        )
    if question.has(*reader_words("personal_writing")):
        # "a birthday wish for my mother", "给我老公写段结婚纪念日的话": personal writing
        # for the user's own family or friends, not marketing copy to customers.
        return tr(
            language,
            "That is outside what I do: I'm a marketing analytics copilot, so I don't write "
            "personal messages such as wishes for family or friends. I can draft marketing "
            "copy for your customers (an SMS, email, push or social post per segment).",
        )
    if reader_pattern("workplace_admin_writing").search(question.raw):
        # "a leave request to HR", "帮我写封辞职信": the user's own paperwork at work, not
        # marketing copy to customers.
        return tr(
            language,
            "That is outside what I do: I'm a marketing analytics copilot, so I don't write "
            "workplace paperwork such as leave requests, resignation letters or notes to HR. "
            "I can draft marketing copy for your customers (an SMS, email, push or social post "
            "per segment).",
        )
    if reader_pattern("personal_errands").search(question.raw):
        # "book me a flight to Chengdu", "帮我订间酒店": an assistant's errand, even said
        # beside a word of the data ("for the regional review").
        return tr(
            language,
            "That is outside what I do: I'm a marketing analytics copilot, so I can't book "
            "or look up flights, trains, hotels, rides or tables. I can analyse your store's "
            "sales, customers and campaigns and draft marketing copy.",
        )
    if reader_pattern("clock_questions").search(question.raw):
        # "what time is it?", "现在几点了": a clock's answer, never the best send time.
        return tr(
            language,
            "That is outside what I do: I'm a marketing analytics copilot, not a clock. I can "
            "tell you the best time to send a campaign, or figures for any period of your data.",
        )
    if reader_pattern("weather_forecast").search(question.raw):
        # "明天上海会不会下雨？周末外场活动要不要取消": the weather is no figure of the store's.
        return tr(
            language,
            "The weather is not in your store's data, so I can't answer that, and I won't make "
            "up a forecast. I can answer questions about your own sales, customers and campaigns.",
        )
    if reader_pattern("currency_exchange").search(question.raw):
        # "dollar to yuan conversion", "今天美元兑人民币多少": an exchange rate is the market's
        # figure, not the store's (and never its campaigns' conversion rate).
        return tr(
            language,
            "Exchange rates between currencies are not in your store's data, so I can't answer "
            "that, and I won't make up a number. I can answer questions about your own sales, "
            "customers and campaigns.",
        )
    if reader_pattern("tax_and_labour_law").search(question.raw):
        # "do I withhold tax when paying a contractor", "兼职的劳务费要代扣个税吗": tax or
        # employment law, in neither the store's data nor the knowledge base.
        return tr(
            language,
            "That is outside what I do: I'm a marketing analytics copilot, and tax, payroll "
            "and employment law is in neither your store's data nor the knowledge base (brand "
            "guidelines, channel and segment playbooks, marketing compliance rules), so I "
            "won't guess. Please ask a tax adviser or accountant.",
        )
    if reader_pattern("legal_ruling").search(question.raw):
        # "Is it GDPR-compliant to keep emailing lapsed EU customers? need a legal yes/no": a
        # legal verdict, or a law the knowledge base does not hold; quoting the nearest
        # compliance note would pass for an answer.
        return tr(
            language,
            "That asks for a legal judgement, which I can't give: I'm a marketing analytics "
            "copilot, and the knowledge base holds the brand's own compliance rules (China's "
            "Advertising Law claims, PIPL consent, opt-out), not legal advice or other "
            "countries' laws. Please ask your legal counsel. I can tell you what your own "
            "rules say, or count consented customers.",
        )
    if question.has(*reader_words("document_chores")):
        # "get the privacy policy into German and send it to the authority": legal or
        # translation work on a document; a knowledge word in it ("privacy policy") asks no rule.
        return tr(
            language,
            "That is outside what I do: I'm a marketing analytics copilot, so I don't translate "
            "policies or contracts or file documents with regulators. I can tell you what your "
            "guidelines and compliance rules say, analyse the store's data and draft marketing "
            "copy.",
        )
    company = _OTHER_COMPANIES.search(question.raw)
    if (
        company
        and MARKETPLACE.fullmatch(company.group(0))
        and (
            _OWN.search(question.raw[: company.start()])
            or _AS_A_CHANNEL.match(question.raw[company.end() :])
            # ("抖音小店今年GMV", "抖店那边"): the shop itself named, the user's own there
            or re.search(r"(?:店|shop|store)$", company.group(0), re.I)
            or re.match(r"\s*(?:那边|这边|上|里)", question.raw[company.end() :])
        )
    ):
        # "our Taobao store": the user's own shop on a platform the data does not split
        # out; the accounting names it and asks, rather than a refusal about competitors.
        company = None
    if company or question.has(*reader_words("other_brands")) or _brand_named(question):
        return tr(
            language,
            "I only see your own store's data, not other companies' or the market's, so I can't "
            "answer that, and I won't make up a number.",
        )
    return None


def _brand_named(question: Question) -> bool:
    """Whether a capitalised name the store does not know is said in the possessive before a
    figure of its own ("Sephora's lipstick prices": lexicon reader_words brand_figures): another
    company's data. A store value ("Shanghai's revenue") or period is blanked from the text
    already, and a word of the vocabulary ("Email's") is the store's own."""
    from copilot.offline.vocabulary import lexicon_latin_words

    figures = "|".join(reader_words("brand_figures"))
    for found in re.finditer(
        rf"\b([A-Z][\w&-]+)['’]s\s+(?:[a-z]+\s+){{0,2}}?(?:{figures})\b", question.raw
    ):
        name = found.group(1).lower()
        if name not in lexicon_latin_words() and re.search(
            rf"\b{re.escape(name)}\b", question.text
        ):
            return True
    return False


# Before a marketplace's name: the user's own shop there ("our Taobao store", "GMV from
# Tmall", "在京东"), a sales channel the data may not have, not another company's figures.
# "天猫渠道", "the Tmall channel", "JD store": the platform named as a sales channel of the shop.
_AS_A_CHANNEL = re.compile(
    r"\s*(?:渠道|店铺|旗舰店|官方店|网店|店|(?:channel|store|shop|storefront|flagship)s?\b)"
    # "天猫上个月表现怎么样", "京东卖得如何": how that part of the business did
    r"|[^，。？?,.?]{0,8}?(?:表现|卖得|做得|业绩)(?:怎么样|如何|咋样|怎样)"
    # "Tmall sales", "天猫的销售额", "Tmall vs JD": the shop's own figures there, or two
    # platforms set side by side as two parts of the business ("Amazon's revenue", with the
    # English possessive, is the company's own figure: refused)
    r"|\s*(?:的)?(?:sales|revenue|gmv|orders?|aov|buyers|takings|销售额|销量|订单|营收|成交|客单价)"
    r"|\s*(?:vs\.?|versus|v\.?|and|or|&|/|和|与|跟|对比|比)\s*(?:" + MARKETPLACE_ALTERNATION + ")",
    re.I,
)
_OWN = re.compile(
    r"(?:\b(?:our|my|from|on|in|via|through)(?:\s+the)?|我们的?|咱们的?|我们在|我的|在|从)\s*$"
    # "how did Tmall do in May?", "how is JD performing": a part of the business asked about
    r"|\bhow (?:did|does|do|is|are|was|were|has|have)\s*$",
    re.I,
)

_VAGUE = re.compile(
    r"\b(?:performance|how (?:are|did) we do(?:ing)?|numbers|stats|statistics|kpis?|dashboard|report)\b"
    r"|表现|业绩怎么样|情况怎么样|数据怎么样|报表|指标",
    re.IGNORECASE,
)


def clarifying_question(question: Question) -> str | None:
    """A question back when the request is about the numbers but names none; a request to
    compare ("compare it", "帮我比较一下") that no reader placed is asked back naming its word:
    what to compare, against what."""
    compare = reader_pattern("compare_request").search(question.raw)
    if compare:
        return tr(
            question.language,
            "What should I compare (\u201c{word}\u201d)? Name the figure, for example revenue "
            "or conversion rate, and the two things to set side by side: two periods (this "
            "month vs last month), channels or campaigns.",
            word=compare.group(0),
        )
    if not _VAGUE.search(question.raw):
        return None
    return tr(
        question.language,
        "Which numbers would you like? For example revenue, orders, AOV, repurchase rate, "
        "conversion rate or ROI by channel, for a period such as 'last month'.",
    )


def _leaving_out(args: dict, exclude: dict[str, list[str]]) -> dict:
    """The call's arguments with the values left out added to its `exclude`, except on a
    dimension the call already keeps to other values of ("mini program + web (store and app
    out)"): the filter leaves those out already, and one condition per dimension is read back."""
    filters = args.get("filters") or {}
    left_out = {
        d: vs for d, vs in {**(args.get("exclude") or {}), **exclude}.items() if not filters.get(d)
    }
    out = {k: v for k, v in args.items() if k != "exclude"}
    return {**out, "exclude": left_out} if left_out else out


def _role_contrasted(
    question: Question, calls: list[dict], exclude: dict[str, list[str]], ctx: PlannerContext
) -> bool:
    """Whether every value left out by a bare "not" (lexicon reader_words.role_contrast) is
    kept as another dimension's filter: "people who signed up through the app (not app
    orders!)" says which app is meant, the sign-up one, never "for app, excluding app"."""
    found = exclusions(question.raw, ctx)
    if not found or not all(reader_pattern("role_contrast").search(e.phrase) for e in found):
        return False
    kept = {(d, v) for c in calls for d, vs in (c["args"].get("filters") or {}).items() for v in vs}
    return all(
        any(v == value and d != dimension for d, v in kept)
        for dimension, values in exclude.items()
        for value in values
    )


def _value_against_the_rest(
    calls: list[dict[str, Any]],
    exclude: dict[str, list[str]],
    dimensions: set[str],
    question: Question,
) -> AIMessage | None:
    """The call breaking down by each dimension whose value is both kept and left out, where
    the question sets the value against the rest ("门店的退货率比线上高不高", "store vs
    non-store AOV": lexicon reader_words values_apart): every value side by side, no filter
    of it nor exclusion. None for one call of no such comparison (asked back as asked)."""
    if len(calls) != 1 or not reader_pattern("values_apart").search(question.raw):
        return None
    args = dict(calls[0]["args"])
    filters = {d: v for d, v in (args.get("filters") or {}).items() if d not in dimensions}
    left_out = {
        d: v for d, v in {**(args.get("exclude") or {}), **exclude}.items() if d not in dimensions
    }
    breakdown = list(dict.fromkeys([*(args.get("dimensions") or []), *sorted(dimensions)]))
    if len(breakdown) > 2:
        return None
    args = {k: v for k, v in args.items() if k not in ("filters", "exclude")}
    args["dimensions"] = breakdown
    if filters:
        args["filters"] = filters
    if left_out:
        args["exclude"] = left_out
    return _calls("query_metrics", [args])
