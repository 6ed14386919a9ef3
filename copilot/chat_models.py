"""Choosing the chat model: an OpenAI-compatible endpoint, or the offline planner.

The OpenAI-compatible client lives in `copilot.remote_chat_model` and loads only
when the settings ask for a remote model: it imports httpx, openai and
LangChain's chat-model base, which an offline question never needs (issue 10).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from copilot.offline import OfflinePlanner, ValueIndex
from copilot.settings import Settings
from knowledge.semantic import SemanticModel

if TYPE_CHECKING:  # LangChain's chat-model base loads only with the remote model (issue 10)
    from langchain_core.language_models import BaseChatModel

OFFLINE_MODE = "offline"

# Budgets of one model call, enforced while the reply arrives (not after it is built):
# a reply padded with a million spaces is cut off here instead of being parsed.
MAX_STREAMED_ARGUMENT_CHARS = 100_000
"""Tool-call arguments of one reply, all calls together (a tool refuses > 50,000 itself)."""
MAX_STREAMED_TEXT_CHARS = 200_000
"""Text of one reply."""
MAX_RESPONSE_BYTES = 20_000_000
"""Bytes of one HTTP response from the model server, streamed or not."""


class ModelReplyTooLarge(ValueError):
    """The model's reply went over a budget while it arrived; the call was stopped."""


def build_chat_model(
    settings: Settings, semantic_model: SemanticModel, values: ValueIndex
) -> tuple[BaseChatModel | OfflinePlanner, str]:
    """The chat model the settings ask for, and the mode name shown in answers."""
    if settings.uses_remote_model:
        from copilot.remote_chat_model import openai_model

        return openai_model(settings), settings.llm_model
    return offline_planner(settings, semantic_model, values), OFFLINE_MODE


def offline_planner(
    settings: Settings, semantic_model: SemanticModel, values: ValueIndex
) -> OfflinePlanner:
    """The offline planner over the store's own values."""
    return OfflinePlanner(
        semantic_model=semantic_model,
        values=values,
        currency=settings.currency,
        max_tool_calls=settings.max_tool_steps,
        as_of=settings.as_of,
    )
