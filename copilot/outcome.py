"""How a question ended (the Answer's `status`) and the sentences the guard adds.

Statuses (copilot.answer.AnswerStatus): `answered`; `clarify` when the reply asks the
user something back; `refused` for an honest "cannot" (out of scope, or every tool
call of the turn declined, e.g. too few buyers for personas); `error` when the model
or the store failed.
"""

from __future__ import annotations

import re

from knowledge.presentation.messages import N_, tr

STATUS_KEY = "copilot_status"
"""response_metadata key a chat model may set on its final message to state the status
(`clarify` or `refused`) instead of leaving it to `status_without_tools`."""


class Refusal(str):
    """A reply text that is an honest "cannot" (status `refused`), not a question back.

    Still a plain `str` for every caller; the offline planner states `refused` for it
    and `clarify` for any other reply without a tool call, so the status never depends
    on whether the sentence happens to end with a question mark (a Chinese "请换个说法。"
    asks back without one).
    """

    __slots__ = ()


def stated_status(text: str) -> dict[str, str]:
    """The response_metadata of a reply without tool calls: `refused` for a Refusal,
    else `clarify` (the offline planner replies without a tool only to ask back or refuse)."""
    return {STATUS_KEY: "refused" if isinstance(text, Refusal) else "clarify"}


_QUOTED = re.compile(
    r"(?<![A-Za-z])'[^'\n]*'(?![A-Za-z])|\"[^\"\n]*\"|“[^”]*”|‘[^’]*’|「[^」]*」|`[^`]*`"
)


def asks_back(text: str) -> bool:
    """Whether a reply asks the user a question (quoted examples do not count)."""
    return bool(re.search(r"[?？]", _QUOTED.sub(" ", text)))


def status_without_tools(text: str, *, remote: bool) -> str:
    """The status of a final reply made with no tool call in the turn.

    The offline planner only replies without a tool to ask back or to refuse; a
    remote model may also just talk ("Hello."), which the grounding guard has let
    through because it states no number and the question needs no data.
    """
    if asks_back(text):
        return "clarify"
    return "answered" if remote else "refused"


def not_grounded_note(reason: str, language: str, replaced: bool) -> str:
    """The grounding note when the guard replaced or withheld a model's answer."""
    message = (
        N_("Not shown: {reason}; this answer is the offline planner's, from its own tool results.")
        if replaced
        else N_("Not shown: {reason}.")
    )
    return tr(language, message, reason=reason)


def could_not_compute(language: str) -> str:
    """The plain answer when neither the model nor the offline planner has a checked answer."""
    return tr(
        language,
        "I could not compute a checked answer to this: the model's numbers did not come from "
        "any tool result, and the offline planner cannot answer it either. Please ask again in "
        "other words, or in smaller steps.",
    )


def empty_answer(language: str) -> str:
    """The error of a model that returned nothing."""
    return tr(language, "The model returned an empty answer.")


def model_failure(kind: str, settings: object, language: str) -> str:
    """The error of a model that answered nothing usable twice (`empty` or `unreadable`)."""
    where = getattr(settings, "llm_base_url", None) or "api.openai.com"
    message = (
        N_(
            "The model at {where} returned an empty answer twice; try again, or check the "
            "server's tool-calling setup (README, 'A remote model')."
        )
        if kind == "empty"
        else N_(
            "The model at {where} wrote its tool call as text that could not be read (twice); "
            "check the server's tool-calling template (README, 'A remote model')."
        )
    )
    return tr(language, message, where=where)
