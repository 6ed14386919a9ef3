"""The agent loop: question + history -> tool calls -> Answer, for any chat model."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence

from langchain.agents import create_agent
from langchain.agents.middleware import ToolCallLimitMiddleware
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)
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
from copilot.context import tool_context
from copilot.conversations import finish_turn, history_messages, start_turn
from copilot.errors import explain_fatal_error
from copilot.grounding import numbers_in
from copilot.guard import CHECKED, FAILED, FAILURE_KEY, RETRIED, GroundingGuard, verdict_of
from copilot.knowledge_access import LazyKnowledgeBase
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
from copilot.privacy import NameIndex, PrivacyGate
from copilot.prompts import system_prompt
from copilot.settings import Settings, get_settings
from copilot.tool_adapter import to_langchain_tool
from copilot.tool_shortlist import QuestionReader
from copilot.unicode_text import clean_text
from knowledge.importers.currency import store_currency_symbol
from knowledge.semantic import SemanticModel, load_semantic_model
from knowledge.store.database import hold_warehouse
from knowledge.store.summary import store_summary
from tools import TOOLS
from tools.base import TableArtifact, ToolOutput
from tools.copywriting.model_writer import model_writer

_STEP_LIMIT = re.compile(r"call limit reached: .*limit exceeded")
"""The message LangChain's ToolCallLimitMiddleware ends a run with (exit_behavior="end")."""


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
        # Answers, tables and charts show the store's currency (set by its first import).
        self.settings = self.settings.model_copy(
            update={"currency": store_currency_symbol(self.engine, self.settings.currency)}
        )
        self.semantic_model = semantic_model or load_semantic_model(
            self.settings.semantic_model_path
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
            copy_writer = model_writer(chat_model) if self.settings.uses_remote_model else None
            self.context = tool_context(
                self.settings,
                self.engine,
                self.semantic_model,
                self.knowledge,
                copy_writer,
                self.state,
            )
            self.tools = [to_langchain_tool(tool, self.context) for tool in TOOLS]
            self.system_prompt = system_prompt(self.semantic_model, store_summary(self.engine))
            self.graph = create_agent(
                chat_model,
                self.tools,
                system_prompt=self.system_prompt,
                middleware=self._middleware(),
            )
        self._offline_graph = None

    @property
    def values(self) -> ValueIndex:
        """The store's dimension values, read once (the offline planner's vocabulary)."""
        if self._values is None:
            self._values = ValueIndex.from_store(self.engine, self.semantic_model)
        return self._values

    def _planner(self) -> OfflinePlanner:
        if isinstance(self.chat_model, OfflinePlanner):
            return self.chat_model
        return offline_planner(self.settings, self.semantic_model, self.values)

    def _middleware(self) -> list:
        """The step limit; in front of any other model, the grounding guard and privacy gate."""
        middleware: list = [
            ToolCallLimitMiddleware(run_limit=self.settings.max_tool_steps, exit_behavior="end")
        ]
        if self.remote:
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
            )
        answer.text = clean_text(answer.text)
        finish_turn(self.state, conversation_id, answer.text, _payload(answer))
        if answer.text:
            yield TextDelta(answer.text)
        yield AnswerReady(answer)

    def _run(
        self, question: str, history: list[BaseMessage], produced: list[BaseMessage]
    ) -> Iterator[AgentEvent]:
        """The agent loop's step events; every message it produces is appended to `produced`."""
        for mode, chunk in self.graph.stream(
            {"messages": [*history, HumanMessage(question)]},
            config={"recursion_limit": 4 * self.settings.max_tool_steps + 8},
            stream_mode=["updates", "messages"],
        ):
            if mode == "messages":
                # Asking for "messages" keeps the model's HTTP replies streaming
                # (COPILOT_LLM_STREAM), but its text is not shown as it comes: it may
                # hold a tool call written as text or a number no tool produced. It is
                # shown once checked (the TextDelta after the turn).
                continue
            for update in chunk.values():
                for message in (
                    (update or {}).get("messages", []) if isinstance(update, dict) else []
                ):
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
        messages = self._offline().invoke(
            {"messages": [*history, HumanMessage(question)]},
            config={"recursion_limit": 4 * self.settings.max_tool_steps + 8},
        )["messages"][len(history) + 1 :]
        fallback = self._answer_from(messages, rejected.conversation_id, question, remote=False)
        fallback.mode = f"{self.mode} → offline"
        fallback.tool_calls = [*rejected.tool_calls, *fallback.tool_calls]
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

    def _offline(self):  # noqa: ANN202 - a compiled LangGraph graph
        """The offline planner's own loop over the same tools (built on first need)."""
        if self._offline_graph is None:
            self._offline_graph = create_agent(
                self._planner(),
                self.tools,
                system_prompt=self.system_prompt,
                middleware=[
                    ToolCallLimitMiddleware(
                        run_limit=self.settings.max_tool_steps, exit_behavior="end"
                    )
                ],
            )
        return self._offline_graph


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
