"""Fatal errors explained to the user in one clear sentence."""

from __future__ import annotations

from copilot.settings import Settings
from knowledge.store.database import StoreUnavailableError


def explain_fatal_error(exc: Exception, settings: Settings) -> str:
    """A sentence that says what failed and what to do about it."""
    if isinstance(exc, StoreUnavailableError) or type(exc).__name__ == "ModelReplyTooLarge":
        return str(exc)  # already a sentence that says what to do
    try:
        import openai
    except ImportError:  # pragma: no cover - openai is a dependency
        openai = None  # type: ignore[assignment]
    where = settings.llm_base_url or "api.openai.com"
    if openai is not None:
        if isinstance(exc, openai.APITimeoutError):
            return f"The model at {where} did not answer within {settings.llm_timeout_s:g} s; try again or raise COPILOT_LLM_TIMEOUT_S."
        if isinstance(exc, openai.APIConnectionError):
            return f"The model at {where} is unreachable ({exc}); check COPILOT_LLM_BASE_URL, or unset it to use the offline planner."
        if isinstance(exc, openai.AuthenticationError):
            return f"The model at {where} refused the API key; check COPILOT_LLM_API_KEY."
        if isinstance(exc, openai.RateLimitError):
            return f"The model at {where} is rate-limiting requests and retries ran out; try again in a minute."
        if isinstance(exc, openai.APIStatusError):
            return _status_error(exc, where, settings)
    import httpx

    if isinstance(exc, httpx.TimeoutException):  # the whole-call deadline, mid-stream
        return f"The model at {where} did not answer within {settings.llm_timeout_s:g} s; try again or raise COPILOT_LLM_TIMEOUT_S."
    from sqlalchemy.exc import OperationalError

    if isinstance(exc, OperationalError):
        return f"The store could not be queried: {exc.orig}"
    return f"Something went wrong while answering: {type(exc).__name__}: {exc}"


def _status_error(exc: Exception, where: str, settings: Settings) -> str:
    """An HTTP error of the model server: its status, its own message, and a hint."""
    status = getattr(exc, "status_code", "?")
    body = getattr(exc, "body", None)
    error = body.get("error", body) if isinstance(body, dict) else body
    if isinstance(error, dict):
        message = error.get("message") or error.get("type") or ""
    else:
        message = str(error or "")
    message = message.strip() or "the server gave no message"
    hint = ""
    if status == 500 and settings.llm_tool_choice == "required":
        hint = " Some servers (llama-cpp-python) fail on tool_choice 'required'; set COPILOT_LLM_TOOL_CHOICE=auto."
    elif status in (400, 422) and settings.llm_tool_choice != "none-sent":
        hint = " If the server rejects `tool_choice`, set COPILOT_LLM_TOOL_CHOICE=none-sent."
    return f"The model at {where} failed with HTTP {status}: {message}.{hint}"
