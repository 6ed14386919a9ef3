"""Choosing the chat model: an OpenAI-compatible endpoint, or the offline planner."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from copilot.offline import OfflinePlanner, ValueIndex
from copilot.settings import Settings
from knowledge.semantic import SemanticModel

OFFLINE_MODE = "offline"


def build_chat_model(
    settings: Settings, semantic_model: SemanticModel, values: ValueIndex
) -> tuple[BaseChatModel, str]:
    """The chat model the settings ask for, and the mode name shown in answers."""
    if settings.uses_remote_model:
        return _openai_model(settings), settings.llm_model
    planner = OfflinePlanner(
        semantic_model=semantic_model, values=values, currency=settings.currency
    )
    return planner, OFFLINE_MODE


def _openai_model(settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        # A local endpoint (Ollama, vLLM) needs no key, but the client insists on one.
        api_key=settings.api_key or "not-needed",
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        temperature=0,
    )
