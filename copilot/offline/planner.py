"""The offline planner: a LangChain chat model that needs no network and no key.

It reads the question, emits tool calls the same way a remote model would, and
writes the final answer from the tool results (never a number of its own). The
agent loop cannot tell it from a remote model.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.tools import BaseTool
from pydantic import ConfigDict, Field

from copilot.offline.intents import INTENTS, PlannerContext
from copilot.offline.intents.metrics import error_text
from copilot.offline.question import language_of, read_question
from copilot.offline.values import ValueIndex
from knowledge.semantic import SemanticModel
from tools.base import ToolOutput


class OfflinePlanner(BaseChatModel):
    """Maps English and Chinese questions to tool calls with the semantic model's synonyms."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    semantic_model: SemanticModel
    values: ValueIndex = Field(default_factory=ValueIndex)
    currency: str = "¥"
    tool_names: tuple[str, ...] = ()

    @property
    def _llm_type(self) -> str:
        return "offline-planner"

    def bind_tools(
        self, tools: Sequence[dict[str, Any] | type | Callable | BaseTool], **kwargs: Any
    ) -> OfflinePlanner:
        """The planner itself, knowing which tools it may call."""
        names = tuple(getattr(t, "name", None) or getattr(t, "__name__", "") for t in tools)
        return self.model_copy(update={"tool_names": names})

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        question_at = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
        question = messages[question_at].text
        results = [m for m in messages[question_at + 1 :] if isinstance(m, ToolMessage)]
        message = self._answer(question, results) if results else self._plan(question)
        return ChatResult(generations=[ChatGeneration(message=message)])

    @property
    def _context(self) -> PlannerContext:
        return PlannerContext(self.semantic_model, self.values, self.currency)

    def _plan(self, text: str) -> AIMessage:
        question = read_question(text, self.values)
        for intent in INTENTS:
            if intent.tool not in self.tool_names:
                continue
            args = intent.read(question, self._context)
            if args is not None:
                call = {"name": intent.tool, "args": args, "id": _call_id(), "type": "tool_call"}
                return AIMessage(content="", tool_calls=[call])
        return AIMessage(content=self._cannot_help(text))

    def _answer(self, question: str, results: list[ToolMessage]) -> AIMessage:
        language = language_of(question)
        writers = {intent.tool: intent.write for intent in INTENTS}
        parts = []
        for result in results:
            output = result.artifact
            if not isinstance(output, ToolOutput):
                # A failure LangChain reported itself (e.g. arguments that do not validate).
                parts.append(error_text(str(result.content), language))
            elif "error" in output.data:
                parts.append(error_text(output.data["error"], language))
            else:
                parts.append(writers[result.name](output, language, self._context))
        return AIMessage(content="\n\n".join(parts))

    def _cannot_help(self, question: str) -> str:
        if language_of(question) == "zh":
            return (
                "抱歉，离线模式下我还回答不了这个问题，我不会编造数字。"
                "我可以计算销售额、订单数、购买人数和客单价，可按月、渠道、城市、省份等拆分，例如："
                "“上个月的销售额是多少？”“今年每月的订单数”“上海最近30天的客单价”。"
            )
        return (
            "Sorry, I can't answer that offline yet, and I won't make up a number. "
            "I can compute revenue, orders, buyers and AOV, by month, channel, city or province, "
            "for any period. Try: 'What was revenue last month?', 'orders by month this year', "
            "'AOV in Shanghai over the last 30 days'."
        )


def _call_id() -> str:
    return f"call_{uuid.uuid4().hex[:12]}"
