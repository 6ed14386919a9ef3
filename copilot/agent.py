"""The agent loop: question + history -> tool calls -> Answer, for any chat model."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from copilot.answer import (
    AgentEvent,
    Answer,
    AnswerReady,
    TextDelta,
    ToolCallRecord,
    ToolFinished,
    ToolStarted,
)
from copilot.bootstrap import open_stores
from copilot.charts import charts_for
from copilot.chat_models import build_chat_model, offline_planner
from copilot.confirmation import (
    ConfirmationGate,
    confirm_action,
    pending_actions,
    record_pending,
)
from copilot.context import tool_context
from copilot.conversations import finish_turn, history_messages, start_turn
from copilot.errors import explain_fatal_error
from copilot.grounding import numbers_in
from copilot.guard import CHECKED, FAILED, FAILURE_KEY, RETRIED, GroundingGuard, verdict_of
from copilot.knowledge_access import LazyKnowledgeBase
from copilot.loop import AgentLoop, Middleware
from copilot.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)
from copilot.offline import OfflinePlanner, ValueIndex
from copilot.offline.question import language_of
from copilot.outcome import (
    STATUS_KEY,
    could_not_compute,
    empty_answer,
    model_failure,
    not_grounded_note,
    status_without_tools,
)
from copilot.prompts import system_prompt
from copilot.settings import Settings, get_settings
from copilot.tool_adapter import DeferredTool, deferred_langchain_tool, to_langchain_tool
from copilot.tool_shortlist import QuestionReader
from copilot.unicode_text import clean_text
from knowledge.importers.currency import store_currency_symbol
from knowledge.semantic import SemanticModel, load_semantic_model
from knowledge.store.database import hold_warehouse
from knowledge.store.facts_cache import FactsCache
from knowledge.warehouse_mapping_reads import read_through
from tools import TOOL_MODULES, load_tool
from tools.base import TableArtifact, ToolOutput
from tools.periods import reference_today

if TYPE_CHECKING:  # types only: LangChain's chat-model base loads with a remote model
    from langchain_core.language_models import BaseChatModel
    from langchain_core.tools import BaseTool

_STEP_LIMIT = re.compile(r"call limit reached: .*limit exceeded")
"""The message the agent loop ends a run with when the model passes the step limit."""


class Copilot:
    """Answers questions over the store with the configured (or given) chat model."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        engine: Engine | None = None,
        chat_model: BaseChatModel | None = None,
        mode: str | None = None,
        semantic_model: SemanticModel | None = None,
        knowledge: object | None = None,
        state: Engine | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        if engine is None:
            stores = open_stores(self.settings)
            engine, state = stores.warehouse, state or stores.state
        self.engine = engine
        # The copilot's own rows; a caller's single store (tests) holds them when none is given.
        self.state = state if state is not None else engine
        self.semantic_model = semantic_model or load_semantic_model(
            self.settings.semantic_model_path, self.settings.warehouse_mapping
        )
        # From here on every read of the warehouse goes through its mapping (the currency too).
        read_through(self.engine, self.semantic_model.warehouse)
        # Answers, tables and charts show the store's currency (set by its first import).
        self.settings = self.settings.model_copy(
            update={"currency": store_currency_symbol(self.engine, self.settings.currency)}
        )
        # Row counts and dimension values, kept between runs while the warehouse is unchanged.
        self.facts_cache = FactsCache(
            self.settings.home_dir / "cache", self.settings.warehouse_cache_s
        )
        self.knowledge = (
            knowledge
            if knowledge is not None
            else LazyKnowledgeBase(self.settings.home_dir / "knowledge")
        )
        self._values: ValueIndex | None = None
        # Start-up reads many small facts (values, counts): one open of the warehouse for all.
        with hold_warehouse(self.engine):
            if chat_model is None:
                chat_model, mode = build_chat_model(self.settings, self.semantic_model, self.values)
            self.chat_model = chat_model
            # Anything but our own offline planner may send what it sees elsewhere, and may
            # state numbers no tool produced: the grounding guard checks it.
            self.remote = not isinstance(chat_model, OfflinePlanner)
            self.mode = mode or getattr(chat_model, "model_name", None) or type(chat_model).__name__
            # With a remote model, the model itself writes copy drafts (checked all the same).
            copy_writer = _model_writer(chat_model) if self.settings.uses_remote_model else None
            self.context = tool_context(
                self.settings,
                self.engine,
                self.semantic_model,
                self.knowledge,
                copy_writer,
                self.state,
            )
            if isinstance(chat_model, OfflinePlanner):
                chat_model = self._on_store_clock(chat_model)
                self.chat_model = chat_model
            self.tools = self._langchain_tools()
            facts = self.facts_cache.facts(self.engine, self.semantic_model)
            self.system_prompt = system_prompt(self.semantic_model, facts.summary())
            self.loop = AgentLoop(
                chat_model,
                self.tools,
                system_prompt=self.system_prompt,
                max_tool_steps=self.settings.max_tool_steps,
                middleware=self._middleware(),
            )
        self._offline_loop: AgentLoop | None = None

    def confirm(self, action_id: str, actor: str, conversation_id: str | None = None) -> Answer:
        """Run a pending action (see copilot/confirmation.py) for the human `actor`."""
        return confirm_action(self, action_id, actor, conversation_id)

    @property
    def values(self) -> ValueIndex:
        """The store's dimension values, read once (the offline planner's vocabulary)."""
        if self._values is None:
            self._values = ValueIndex.from_store(
                self.engine, self.semantic_model, self.facts_cache, self.state
            )
        return self._values

    def _planner(self) -> OfflinePlanner:
        if isinstance(self.chat_model, OfflinePlanner):
            return self.chat_model
        return self._on_store_clock(
            offline_planner(self.settings, self.semantic_model, self.values)
        )

    def _on_store_clock(self, planner: OfflinePlanner) -> OfflinePlanner:
        """The planner counting relative periods from the day the tools count them from
        (the store's clock: the day after the data on a store whose data ends earlier)."""
        update: dict[str, Any] = {}
        if planner.knowledge_relevance is None:
            # and reading a knowledge question against what the knowledge base holds
            update["knowledge_relevance"] = _best_passage_score(self.knowledge)
        if planner.as_of is None and planner.clock is None:
            context = self.context
            update["clock"] = lambda: reference_today(context)
        return planner.model_copy(update=update) if update else planner

    def _langchain_tools(self) -> list[BaseTool | DeferredTool]:
        """Every tool of the registry, bound to this copilot's context.

        The offline planner reads tool names only, so its tools load their module when
        first called; any other model is sent every tool's description and schema.
        """
        if self.remote:
            return [to_langchain_tool(load_tool(name), self.context) for name in TOOL_MODULES]
        return [deferred_langchain_tool(name, self.context) for name in TOOL_MODULES]

    def _middleware(self) -> list[Middleware]:
        """The confirmation gate; in front of any model but ours, also the grounding guard
        and the privacy gate."""
        middleware: list[Middleware] = [ConfirmationGate(remote=self.remote)]
        if self.remote:
            from copilot.privacy import NameIndex, PrivacyGate  # loads phone and SQL parsers

            reader = QuestionReader(self._planner(), self.tools)
            middleware.append(
                GroundingGuard(
                    reader,
                    tool_choice=self.settings.llm_tool_choice,
                    use_shortlist=self.settings.llm_tool_shortlist,
                )
            )
            names = NameIndex.from_store(self.engine)
            middleware.append(PrivacyGate(names, allow_raw_rows=self.settings.allow_raw_rows))
        return middleware

    def ask(self, question: str, conversation_id: str | None = None, source: str = "api") -> Answer:
        """Answer one question in a conversation (a new one when no id is given)."""
        answer: Answer | None = None
        for event in self.stream(question, conversation_id, source):
            if isinstance(event, AnswerReady):
                answer = event.answer
        assert answer is not None  # stream() always ends with the answer
        return answer

    def stream(
        self, question: str, conversation_id: str | None = None, source: str = "api"
    ) -> Iterator[AgentEvent]:
        """The answer as it happens: tool steps and text as they come, then the Answer.

        The question is stored before any work and the answer after, so a crash in
        between loses nothing that was said.
        """
        conversation_id = conversation_id or uuid.uuid4().hex
        question = clean_text(question).strip()  # a lone surrogate is replaced, never a crash
        if not question:
            yield AnswerReady(
                Answer(
                    text="Please type a question, e.g. 'What was revenue last month?'",
                    mode=self.mode,
                    conversation_id=conversation_id,
                    error="empty question",
                    status="error",
                )
            )
            return
        history = history_messages(self.state, conversation_id)
        start_turn(self.state, conversation_id, question, source)
        produced: list[BaseMessage] = []
        try:
            # The embedded warehouse stays open (read-only) for this question only.
            with hold_warehouse(self.engine):
                yield from self._run(question, history, produced)
                answer = self._answer_from(produced, conversation_id, question)
                if answer.grounding == FAILED:
                    answer = self._replace_ungrounded(answer, history, question)
                self._reread_saved_segments(answer)
            for table in answer.tables:  # titles in the language of this (the latest) question
                table.title = table.title_in(language_of(question))
            answer.artifacts += charts_for(
                answer.tables, language_of(question), self.settings.currency
            )
        except Exception as exc:  # fatal: the model or the store failed; tell the user plainly
            explained = explain_fatal_error(exc, self.settings)
            answer = Answer(
                text=explained,
                mode=self.mode,
                conversation_id=conversation_id,
                error=explained,
                status="error",
                tool_calls=calls_until_failure(produced, explained),
            )
        answer.text = clean_text(answer.text)
        record_pending(self.state, answer, source, language_of(question))
        finish_turn(self.state, conversation_id, answer.text, _payload(answer))
        if answer.text:
            yield TextDelta(answer.text)
        yield AnswerReady(answer)

    def _run(
        self, question: str, history: list[BaseMessage], produced: list[BaseMessage]
    ) -> Iterator[AgentEvent]:
        """The agent loop's step events; every message it produces is appended to `produced`."""
        # The model's reply streams over HTTP (COPILOT_LLM_STREAM), but its text is not
        # shown as it comes: it may hold a tool call written as text or a number no tool
        # produced. It is shown once checked (the TextDelta after the turn).
        for message in self.loop.stream([*history, HumanMessage(question)]):
            produced.append(message)
            yield from _step_events(message)

    def _answer_from(
        self,
        messages: Sequence[BaseMessage],
        conversation_id: str,
        question: str,
        remote: bool | None = None,
    ) -> Answer:
        """The Answer of one turn's messages: text, tool calls, artifacts and status."""
        calls: dict[str, ToolCallRecord] = {}
        order: list[str] = []
        artifacts: list[TableArtifact] = []
        text = ""
        final: AIMessage | None = None
        malformed: list[str] = []
        for message in messages:
            if isinstance(message, AIMessage):
                final = message
                malformed += [c.get("name") or "a tool" for c in message.invalid_tool_calls]
                for call in message.tool_calls:
                    calls[call["id"]] = ToolCallRecord(name=call["name"], args=dict(call["args"]))
                    order.append(call["id"])
                if message.text.strip() and not message.tool_calls:
                    text = message.text
            elif isinstance(message, ToolMessage):
                record = calls.get(message.tool_call_id)
                output = message.artifact
                if isinstance(output, ToolOutput):
                    artifacts.extend(output.artifacts)
                    if record is not None:
                        record.duration_ms = output.data.get("duration_ms")
                        # A tool that declines in words (e.g. too few buyers) says why in
                        # both languages; the record keeps the question's.
                        refusal = output.data.get(
                            "refusal_zh" if language_of(question) == "zh" else "refusal"
                        ) or output.data.get("refusal")
                        record.error = output.data.get("error") or refusal
                elif record is not None and message.status == "error":
                    record.error = str(message.content)
        records = [calls[i] for i in order]
        answer = Answer(
            text=text,
            mode=self.mode,
            conversation_id=conversation_id,
            artifacts=artifacts,
            tool_calls=records,
            pending_actions=pending_actions(messages),
        )
        verdict = verdict_of(final) if final is not None else None
        if verdict == FAILED:
            kind = final.response_metadata.get(FAILURE_KEY)
            if kind in ("empty", "unreadable"):  # the model failed: nothing to replace
                answer.error = model_failure(kind, self.settings, language_of(question))
                answer.text, answer.status = answer.error, "error"
                return answer
            answer.grounding = FAILED
            answer.error = _user_reason(kind, language_of(question))
            return answer
        if final is not None and _STEP_LIMIT.search(final.text) and not final.tool_calls:
            answer.error = (
                "The model kept calling tools and reached the step limit "
                f"(COPILOT_MAX_TOOL_STEPS={self.settings.max_tool_steps}) without answering; "
                "ask again in smaller steps."
            )
        elif not text and malformed:
            answer.error = (
                f"The model sent arguments for {', '.join(malformed)} that are not valid JSON; "
                "please ask again, perhaps in other words."
            )
        elif not text:
            answer.error = empty_answer(language_of(question))
        if answer.error:
            answer.text, answer.status = answer.error, "error"
            return answer
        answer.status = _status(final, records, text, self.remote if remote is None else remote)
        if answer.status == "refused":
            # The reason: the tool's own refusal, or the refusal sentence itself.
            answer.error = next((r.error for r in reversed(records) if r.error), text)
        if verdict in (CHECKED, RETRIED):
            answer.grounding = _checked_note(text, verdict)
        return answer

    def _replace_ungrounded(
        self,
        rejected: Answer,
        history: Sequence[BaseMessage],
        question: str,
    ) -> Answer:
        """The offline planner's answer in place of a model answer that failed the guard
        twice; or, when the planner cannot answer either, a plain "could not compute"."""
        language = language_of(question)
        reason = rejected.error or "not grounded"
        messages = self._offline().invoke([*history, HumanMessage(question)])
        fallback = self._answer_from(messages, rejected.conversation_id, question, remote=False)
        fallback.mode = f"{self.mode} → offline"
        fallback.tool_calls = [*rejected.tool_calls, *fallback.tool_calls]
        fallback.pending_actions = [*rejected.pending_actions, *fallback.pending_actions]
        if fallback.status == "answered":
            fallback.grounding = not_grounded_note(reason, language, replaced=True)
            return fallback
        return Answer(
            text=could_not_compute(language),
            mode=self.mode,
            conversation_id=rejected.conversation_id,
            tool_calls=rejected.tool_calls,
            error=reason,
            status="error",
            grounding=not_grounded_note(reason, language, replaced=False),
        )

    def _reread_saved_segments(self, answer: Answer) -> None:
        """Re-read the store's values after a tool saved segments: the planner reads segment
        names and whether an RFM run exists from them ("revenue by RFM segment" right after
        "run RFM segmentation" must not be told that no run is saved)."""
        saved = any(
            call.name in _SEGMENT_WRITERS and call.error is None for call in answer.tool_calls
        )
        if saved and self._values is not None:
            # Only the state's values changed: the warehouse's are kept, not queried again.
            self._values.replace_with(
                self._values.with_state_reread(self.state, self.semantic_model)
            )

    def _offline(self) -> AgentLoop:
        """The offline planner's own loop over the same tools (built on first need)."""
        if self._offline_loop is None:
            self._offline_loop = AgentLoop(
                self._planner(),
                self.tools,
                system_prompt=self.system_prompt,
                max_tool_steps=self.settings.max_tool_steps,
                middleware=[ConfirmationGate(remote=False)],
            )
        return self._offline_loop


# Tools that save segments (their names become values the planner reads).
_SEGMENT_WRITERS = frozenset(
    {"rfm_segments", "customer_personas", "define_segment", "refresh_segment"}
)


def _model_writer(chat_model: BaseChatModel) -> Callable[..., Any]:
    """The copy writer that has the remote model draft copy (its module loads only here)."""
    from tools.copywriting.model_writer import model_writer

    return model_writer(chat_model)


def _status(
    final: AIMessage | None, records: Sequence[ToolCallRecord], text: str, remote: bool
) -> str:
    """answered / clarify / refused for a turn that produced an answer text."""
    stated = (final.response_metadata.get(STATUS_KEY) if final is not None else None) or None
    if stated in ("answered", "clarify", "refused"):
        return stated
    if not records:
        return status_without_tools(text, remote=remote)
    if all(r.error for r in records):
        return "refused"  # every tool declined (e.g. too few buyers): an honest refusal
    return "answered"


def _user_reason(kind: str | None, language: str) -> str:
    """Why the guard rejected the model's answer, for the user: never the rejected numbers."""
    if kind == "no_tool":
        if language == "zh":
            return "模型没有调用任何工具就回答了数据问题"
        return "the model answered a data question without calling a tool"
    if language == "zh":
        return "模型的回答含有不来自任何工具结果的数字"
    return "the model's answer had numbers that no tool result contains"


def _checked_note(text: str, verdict: str) -> str:
    count = len(numbers_in(text))
    note = f"checked: {count} number(s), each from this turn's tool results or the question"
    return note + (" (after one retry)" if verdict == RETRIED else "")


def _step_events(message: BaseMessage) -> Iterator[AgentEvent]:
    """Tool steps for the front ends, from one message of the loop."""
    if isinstance(message, AIMessage):
        for call in message.tool_calls:
            yield ToolStarted(call["name"], dict(call["args"]))
    elif isinstance(message, ToolMessage):
        output = message.artifact
        data = output.data if isinstance(output, ToolOutput) else {}
        error = data.get("error") or (str(message.content) if message.status == "error" else None)
        yield ToolFinished(message.name or "", data.get("duration_ms"), error)


def _payload(answer: Answer) -> dict:
    """What is stored with an answer: enough to continue the conversation later."""
    return {
        "mode": answer.mode,
        "status": answer.status,
        "error": answer.error,
        "grounding": answer.grounding,
        "tool_calls": [
            {"name": c.name, "args": c.args, "duration_ms": c.duration_ms, "error": c.error}
            for c in answer.tool_calls
        ],
    }


def calls_until_failure(messages: Sequence[BaseMessage], error: str) -> list[ToolCallRecord]:
    """The tool calls of a turn that ended in a fatal error, the failing one with `error`.

    A call with no tool result is the one that was running when the turn failed
    (e.g. the store refused its query); it stays in the list with the error, so
    the answer shows which tool failed and why instead of losing the call.
    """
    records: dict[str, ToolCallRecord] = {}
    answered: set[str] = set()
    for message in messages:
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                records[call["id"]] = ToolCallRecord(name=call["name"], args=dict(call["args"]))
        elif isinstance(message, ToolMessage) and message.tool_call_id in records:
            answered.add(message.tool_call_id)
            output = message.artifact
            if isinstance(output, ToolOutput):
                records[message.tool_call_id].error = output.data.get("error")
    for call_id, record in records.items():
        if call_id not in answered:
            record.error = error
    return list(records.values())


def _best_passage_score(knowledge: Any) -> Callable[[str], float | None]:
    """The score of the knowledge base's closest passage to a query (None: no passage, or
    no knowledge base to search)."""

    def score(query: str) -> float | None:
        try:
            passages = knowledge.search(query, k=1)
        except Exception:  # noqa: BLE001 - no knowledge base: no floor to apply
            return None
        return float(passages[0].score) if passages else None

    return score
