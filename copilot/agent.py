"""The agent loop: question + history -> tool calls -> Answer, for any chat model."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence

from langchain.agents import create_agent
from langchain.agents.middleware import ToolCallLimitMiddleware
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
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
from copilot.charts import charts_for
from copilot.chat_models import build_chat_model
from copilot.context import tool_context
from copilot.conversations import finish_turn, history_messages, start_turn
from copilot.errors import explain_fatal_error
from copilot.knowledge_access import LazyKnowledgeBase
from copilot.offline import OfflinePlanner, ValueIndex
from copilot.offline.question import language_of
from copilot.privacy import NameIndex, PrivacyGate
from copilot.prompts import system_prompt
from copilot.settings import Settings, get_settings
from copilot.tool_adapter import to_langchain_tool
from knowledge.importers.currency import store_currency_symbol
from knowledge.semantic import SemanticModel, load_semantic_model
from knowledge.store import connect_store
from knowledge.store.summary import store_summary
from tools import TOOLS
from tools.base import TableArtifact, ToolOutput
from tools.copywriting.model_writer import model_writer


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
    ) -> None:
        self.settings = settings or get_settings()
        self.engine = engine or connect_store(self.settings.store_url)
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
        if chat_model is None:
            values = ValueIndex.from_store(self.engine, self.semantic_model)
            chat_model, mode = build_chat_model(self.settings, self.semantic_model, values)
        self.chat_model = chat_model
        # Anything but our own offline planner may send what it sees elsewhere.
        self.remote = not isinstance(chat_model, OfflinePlanner)
        self.mode = mode or getattr(chat_model, "model_name", None) or type(chat_model).__name__
        # With a remote model, the model itself writes copy drafts (checked all the same).
        copy_writer = model_writer(chat_model) if self.settings.uses_remote_model else None
        self.context = tool_context(
            self.settings, self.engine, self.semantic_model, self.knowledge, copy_writer
        )
        self.tools = [to_langchain_tool(tool, self.context) for tool in TOOLS]
        self.graph = create_agent(
            chat_model,
            self.tools,
            system_prompt=system_prompt(self.semantic_model, store_summary(self.engine)),
            middleware=self._middleware(),
        )

    def _middleware(self) -> list:
        """The step limit, and the privacy gate in front of any remote model."""
        middleware: list = [
            ToolCallLimitMiddleware(run_limit=self.settings.max_tool_steps, exit_behavior="end")
        ]
        if self.remote:
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
        question = question.strip()
        if not question:
            yield AnswerReady(
                Answer(
                    text="Please type a question, e.g. 'What was revenue last month?'",
                    mode=self.mode,
                    conversation_id=conversation_id,
                    error="empty question",
                )
            )
            return
        history = history_messages(self.engine, conversation_id)
        start_turn(self.engine, conversation_id, question, source)
        produced: list[BaseMessage] = []
        try:
            for mode, chunk in self.graph.stream(
                {"messages": [*history, HumanMessage(question)]},
                config={"recursion_limit": 4 * self.settings.max_tool_steps + 8},
                stream_mode=["updates", "messages"],
            ):
                if mode == "messages":
                    message, metadata = chunk
                    # Only the agent's own model speaks to the user (not a tool's model call).
                    from_agent = metadata.get("langgraph_node") == "model"
                    if from_agent and isinstance(message, AIMessageChunk) and message.text:
                        yield TextDelta(message.text)
                    continue
                for update in chunk.values():
                    for message in (
                        (update or {}).get("messages", []) if isinstance(update, dict) else []
                    ):
                        produced.append(message)
                        yield from _step_events(message)
            answer = self._answer_from(produced, conversation_id)
            answer.artifacts += charts_for(
                answer.tables, language_of(question), self.settings.currency
            )
        except Exception as exc:  # fatal: the model or the store failed; tell the user plainly
            explained = explain_fatal_error(exc, self.settings)
            answer = Answer(
                text=explained, mode=self.mode, conversation_id=conversation_id, error=explained
            )
        finish_turn(self.engine, conversation_id, answer.text, _payload(answer))
        yield AnswerReady(answer)

    def _answer_from(self, messages: Sequence[BaseMessage], conversation_id: str) -> Answer:
        calls: dict[str, ToolCallRecord] = {}
        order: list[str] = []
        artifacts: list[TableArtifact] = []
        text = ""
        malformed: list[str] = []
        for message in messages:
            if isinstance(message, AIMessage):
                malformed += [c.get("name") or "a tool" for c in message.invalid_tool_calls]
                for call in message.tool_calls:
                    calls[call["id"]] = ToolCallRecord(name=call["name"], args=dict(call["args"]))
                    order.append(call["id"])
                if message.text.strip():
                    text = message.text
            elif isinstance(message, ToolMessage):
                record = calls.get(message.tool_call_id)
                output = message.artifact
                if isinstance(output, ToolOutput):
                    artifacts.extend(output.artifacts)
                    if record is not None:
                        record.duration_ms = output.data.get("duration_ms")
                        record.error = output.data.get("error")
                elif record is not None and message.status == "error":
                    record.error = str(message.content)
        error = None
        if not text and malformed:
            error = (
                f"The model sent arguments for {', '.join(malformed)} that are not valid JSON; "
                "please ask again, perhaps in other words."
            )
        return Answer(
            text=text or error or "I could not produce an answer.",
            mode=self.mode,
            conversation_id=conversation_id,
            artifacts=artifacts,
            tool_calls=[calls[i] for i in order],
            error=error,
        )


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
        "error": answer.error,
        "tool_calls": [
            {"name": c.name, "args": c.args, "duration_ms": c.duration_ms, "error": c.error}
            for c in answer.tool_calls
        ],
    }
