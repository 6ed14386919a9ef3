"""The web UI's side of human confirmation: a Confirm button under the chat, and `/confirm`.

When an answer leaves pending actions (a raw export, a segment save a model asked
for; see copilot/confirmation.py), the panel lists this session's open ones with
a Confirm button. Confirming runs the action with the logged-in user (or the
anonymous web session) as the audit log's actor. Only actions of the session's own
conversation can be confirmed: ids from other sessions are refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from copilot.agent import Copilot
from copilot.confirmation import open_actions


def web_actor(request: gr.Request | None) -> str:
    """The audit log's actor for a confirmation in the browser: web:<login>, else web:anonymous."""
    return f"web:{getattr(request, 'username', None) or 'anonymous'}"


def confirm_in_session(
    copilot: Copilot, conversation_id: str | None, action_id: str, request: gr.Request | None
) -> dict[str, Any]:
    """Run one pending action of the session's conversation; {status, answer, error, action_id}."""
    if not conversation_id or not (action_id or "").strip():
        reason = "Nothing to confirm: pick a pending action of this conversation."
        return {"status": "error", "answer": reason, "error": reason, "action_id": action_id}
    answer = copilot.confirm(action_id, web_actor(request), conversation_id)
    return {
        "status": answer.status,
        "answer": answer.text,
        "error": answer.error,
        "action_id": action_id,
    }


def confirmation_panel(
    copilot: Copilot,
    conversation_of: Callable[[gr.Request | None], str | None],
    chatbot: gr.Chatbot,
) -> None:
    """The pending-actions row under the chat, refreshed after every chat answer.

    `conversation_of` maps a request to its session's conversation id (the chat's own).
    """
    with gr.Group(visible=False, elem_id="pending-actions") as group:
        notice = gr.Markdown()
        with gr.Row():
            choice = gr.Dropdown(label="Waiting for your confirmation", choices=[], scale=4)
            button = gr.Button("Confirm", variant="stop", scale=1, elem_id="confirm-action")
    result = gr.Markdown(elem_id="confirm-result")

    def refresh_pending(request: gr.Request) -> tuple[Any, str, Any]:
        conversation_id = conversation_of(request)
        actions = open_actions(copilot.state, conversation_id) if conversation_id else []
        if not actions:
            return gr.update(visible=False), "", gr.update(choices=[], value=None)
        lines = "\n".join(f"- {a.summary} (action `{a.action_id}`)" for a in actions)
        text = f"**Nothing was done yet.** Confirm to run:\n{lines}"
        options = [(f"{a.summary} ({a.action_id})", a.action_id) for a in actions]
        return gr.update(visible=True), text, gr.update(choices=options, value=options[0][1])

    def confirm_clicked(action_id: str | None, request: gr.Request) -> tuple[str, Any, str, Any]:
        outcome = confirm_in_session(copilot, conversation_of(request), action_id or "", request)
        mark = "✓" if outcome["status"] == "answered" else "⚠"
        return (f"{mark} {outcome['answer']}", *refresh_pending(request))

    chatbot.change(refresh_pending, outputs=[group, notice, choice], api_visibility="private")
    button.click(
        confirm_clicked,
        inputs=[choice],
        outputs=[result, group, notice, choice],
        api_visibility="private",
    )
