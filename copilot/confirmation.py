"""Human confirmation of tool calls that export personal data or change saved state.

A model (a remote one, or text it read in the store: a product name, a knowledge
document) must not export raw contact data or overwrite a saved segment on its
own. When such a call is asked for, the `ConfirmationGate` runs a harmless
variant instead (the masked preview, the segment counted but not saved), tells
the model that the action awaits the user's confirmation, and puts a pending
action on the Answer. The front end shows it (web: a Confirm button; Slack: a
button or "confirm <id>"; CLI: y/N on a terminal, or `--yes`), and
`confirm_action` runs it with the human as actor in the audit log.

Pending actions live in `audit_log` (the copilot's own store, shared by every
process): the request as `confirmation_requested` (entry id `pending-<id>`),
the confirmation as `confirmed` (entry id `confirmed-<id>`), so the primary key
makes a second confirmation of the same action fail instead of running twice.

Policy (`confirmation_needed`):
- a raw export (`export_audience(raw=True)`) always needs it, whatever model asked:
  the offline planner writes raw=True only for an explicit request ("raw",
  "含手机号", "明文"), and raw personal data still waits for the human's yes;
- a hashed export and saving state (define_segment with save, refresh_segment)
  need it when a remote model asked; the offline planner asks for those only
  when the question explicitly did (see copilot/offline/intents), so they run.
Drafts written by generate_copy are appended to a history, never replacing
anything, and RFM / persona runs recompute their own kinds: neither is gated.
"""

from __future__ import annotations

import json
import secrets
import string
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from copilot.answer import Answer, PendingAction
from copilot.conversations import finish_turn, start_turn
from copilot.loop import Middleware, ToolCallRequest
from copilot.messages import BaseMessage, ToolMessage
from knowledge.store.database import hold_warehouse, utcnow
from knowledge.store.schema import AuditLog
from tools import TOOL_MODULES, load_tool
from tools.base import ToolOutput

if TYPE_CHECKING:
    from copilot.agent import Copilot

PENDING_KEY = "pending_action"
"""Where a gated tool's ToolOutput.data carries its pending action."""
REQUESTED = "confirmation_requested"
CONFIRMED = "confirmed"
FAILED = "confirmed_action_failed"
# A pending action older than this is no longer run: the data and the user's intent may
# have moved on; asking again makes a fresh one.
CONFIRM_WINDOW = timedelta(hours=24)
_OPEN_LIMIT = 20


def new_action_id() -> str:
    """Eight lowercase letters: easy to type in "confirm <id>", and no digits for the
    privacy gate's phone recogniser to mistake for a number."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))


def confirmation_needed(tool: str, args: dict[str, Any], remote: bool) -> str | None:
    """Why this call needs the human's confirmation ("raw_export", ...), or None."""
    if tool == "export_audience":
        if args.get("raw"):
            return "raw_export"
        if args.get("hashed") and remote:
            return "hashed_export"
        return None
    if not remote:
        return None
    if tool == "define_segment" and args.get("save", True):
        return "state_change"
    if tool == "refresh_segment":
        return "state_change"
    return None


def harmless_args(tool: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """The call's variant that exports and changes nothing (None: the tool has none)."""
    if tool == "export_audience":
        return {**args, "raw": False, "hashed": False}
    if tool == "define_segment":
        return {**args, "save": False}
    return None


def summary_of(tool: str, args: dict[str, Any]) -> str:
    """A short line saying what confirming will do."""
    if tool == "export_audience":
        kinds = [k for k in ("raw", "hashed") if args.get(k)]
        return (
            f"write the {' and '.join(kinds)} {args.get('channel', '')} contact file of "
            f"segment {args.get('segment')!r}"
        )
    if tool == "define_segment":
        return f"save segment {args.get('name')!r}"
    if tool == "refresh_segment":
        return f"re-evaluate and overwrite saved segment {args.get('name')!r}"
    return f"run {tool}"


class ConfirmationGate(Middleware):
    """Agent middleware: gated tool calls run harmlessly and wait for the human.

    `remote` says whether the graph's model is a remote one (see confirmation_needed).
    """

    def __init__(self, remote: bool) -> None:
        self.remote = remote

    def wrap_tool_call(
        self, request: ToolCallRequest, handler: Callable[[ToolCallRequest], ToolMessage]
    ) -> ToolMessage:
        call = request.tool_call
        args = dict(call.get("args") or {})
        reason = confirmation_needed(call["name"], args, self.remote)
        if reason is None:
            return handler(request)
        pending = PendingAction(
            action_id=new_action_id(),
            tool=call["name"],
            args=args,
            reason=reason,
            summary=summary_of(call["name"], args),
        )
        safe = harmless_args(call["name"], args)
        if safe is None:
            output = ToolOutput(for_model="", data={})
            message = ToolMessage("", tool_call_id=call["id"], name=call["name"], artifact=output)
        else:
            message = handler(request.override(tool_call={**call, "args": safe}))
            output = message.artifact if isinstance(message, ToolMessage) else None
            if not isinstance(output, ToolOutput) or output.data.get("error"):
                return message  # the call failed anyway (unknown segment ...): nothing pending
        output.data[PENDING_KEY] = asdict(pending)
        note = (
            f"NOT DONE: '{pending.summary}' needs the user's confirmation in the app "
            f"(action {pending.action_id}); nothing was written. Tell the user it awaits "
            "their confirmation; do not call it again."
        )
        from copilot.privacy import NOTE_FOR_MODEL  # loads the phone recogniser: only here

        output.data[NOTE_FOR_MODEL] = note  # kept when the privacy gate withholds the rows
        message.content = f"{message.content}\n{note}".strip()
        return message


def pending_actions(messages: Sequence[BaseMessage]) -> list[PendingAction]:
    """The pending actions the gated tool calls of one turn left in their outputs."""
    found = []
    for message in messages:
        output = getattr(message, "artifact", None)
        if isinstance(message, ToolMessage) and isinstance(output, ToolOutput):
            if PENDING_KEY in output.data:
                found.append(PendingAction(**output.data[PENDING_KEY]))
    return found


def record_pending(state: Engine, answer: Answer, source: str, language: str) -> None:
    """Store the answer's pending actions (so any process can confirm them) and say so."""
    if not answer.pending_actions:
        return
    with state.begin() as conn:
        for action in answer.pending_actions:
            detail = {
                **asdict(action),
                "conversation_id": answer.conversation_id,
                "source": source,
                "mode": answer.mode,
                "language": language,
            }
            conn.execute(
                insert(AuditLog).values(
                    entry_id=f"pending-{action.action_id}",
                    logged_at=utcnow(),
                    actor=f"model:{answer.mode}"[:200],
                    action=REQUESTED,
                    detail=json.dumps(detail, ensure_ascii=False, default=str),
                )
            )
    answer.text = f"{answer.text}\n\n{pending_note(answer.pending_actions, language)}".strip()


def pending_note(actions: Sequence[PendingAction], language: str) -> str:
    """The sentence under an answer that lists what waits for the user's confirmation."""
    if language == "zh":
        lines = [f"- {a.summary}（操作 {a.action_id}）" for a in actions]
        return "以下操作需要您确认后才会执行（尚未执行）：\n" + "\n".join(lines)
    lines = [f"- {a.summary} (action {a.action_id})" for a in actions]
    return "Waiting for your confirmation (nothing was done yet):\n" + "\n".join(lines)


def confirm_action(
    copilot: Copilot, action_id: str, actor: str, conversation_id: str | None = None
) -> Answer:
    """Run a pending action for the human `actor` (e.g. "web:ana", "slack:U123", "cli:bob").

    `conversation_id`, when given, must be the conversation that asked for it, so
    one session cannot confirm another's action. The Answer says what was done or,
    with status "error", why not (unknown id, another conversation, already confirmed).
    """
    action_id = action_id.strip().lower()
    with copilot.state.connect() as conn:
        row = conn.execute(
            select(AuditLog.detail, AuditLog.logged_at).where(
                AuditLog.entry_id == f"pending-{action_id}"[:32], AuditLog.action == REQUESTED
            )
        ).first()
    detail = json.loads(row.detail) if row is not None else None
    where = conversation_id or (detail or {}).get("conversation_id") or ""
    if detail is None or (conversation_id and detail["conversation_id"] != conversation_id):
        return _refusal(f"No pending action {action_id!r} in this conversation.", copilot, where)
    if _naive(utcnow()) - _naive(row.logged_at) > CONFIRM_WINDOW:
        return _refusal(
            f"Action {action_id} expired (older than {CONFIRM_WINDOW}); ask again.", copilot, where
        )
    try:
        _audit(copilot.state, f"confirmed-{action_id}", actor, CONFIRMED, detail)
    except IntegrityError:
        return _refusal(f"Action {action_id} was already confirmed.", copilot, where)
    start_turn(copilot.state, where, f"confirm {action_id}", actor.split(":")[0])
    try:
        with hold_warehouse(copilot.engine):
            output = _run(copilot, detail["tool"], detail["args"], actor)
        text = f"Done ({detail['summary']}), confirmed by {actor}.\n{output.for_model}"
        answer = Answer(text=text, mode=copilot.mode, conversation_id=where)
        answer.artifacts = list(output.artifacts)
    except Exception as exc:  # noqa: BLE001 - a ToolError or a store failure: say it, audited
        _audit(copilot.state, f"failed-{action_id}", actor, FAILED, {**detail, "error": str(exc)})
        answer = Answer(
            text=f"Could not {detail['summary']}: {exc}",
            mode=copilot.mode,
            conversation_id=where,
            error=str(exc),
            status="error",
        )
    finish_turn(copilot.state, where, answer.text, {"confirmed": action_id, "actor": actor})
    return answer


def open_actions(state: Engine, conversation_id: str) -> list[PendingAction]:
    """The conversation's pending actions not yet confirmed and still in the window, newest first."""
    since = utcnow() - CONFIRM_WINDOW
    with state.connect() as conn:
        rows = conn.execute(
            select(AuditLog.entry_id, AuditLog.detail)
            .where(
                AuditLog.action == REQUESTED,
                AuditLog.logged_at >= since,
                AuditLog.detail.contains(json.dumps(conversation_id)),
            )
            .order_by(AuditLog.logged_at.desc())
            .limit(_OPEN_LIMIT)
        ).all()
        ids = [entry.removeprefix("pending-") for entry, _ in rows]
        done = set(
            conn.execute(
                select(AuditLog.entry_id).where(
                    AuditLog.entry_id.in_([f"confirmed-{i}" for i in ids])
                )
            ).scalars()
        )
    found = []
    for entry, text in rows:
        detail = json.loads(text)
        if detail.get("conversation_id") != conversation_id:
            continue
        if f"confirmed-{entry.removeprefix('pending-')}" in done:
            continue
        fields = {k: detail[k] for k in ("action_id", "tool", "args", "reason", "summary")}
        found.append(PendingAction(**fields))
    return found


def _naive(moment: datetime) -> datetime:
    """Timestamps compared without their zone (stores differ in whether they keep it)."""
    return moment.replace(tzinfo=None)


def _run(copilot: Copilot, tool: str, args: dict[str, Any], actor: str) -> ToolOutput:
    """The tool itself, with the human as the context's actor (the audit log's `actor`)."""
    from copilot.tool_adapter import args_schema

    if tool not in TOOL_MODULES:
        raise KeyError(f"no tool named {tool!r}")
    func = load_tool(tool)
    parsed = args_schema(func).model_validate(args)
    kwargs = {name: getattr(parsed, name) for name in parsed.model_fields_set}
    return func(replace(copilot.context, actor=actor), **kwargs)


def _audit(state: Engine, entry_id: str, actor: str, action: str, detail: dict) -> None:
    with state.begin() as conn:
        conn.execute(
            insert(AuditLog).values(
                entry_id=entry_id[:32],
                logged_at=utcnow(),
                actor=actor[:200],
                action=action,
                detail=json.dumps(detail, ensure_ascii=False, default=str),
            )
        )


def _refusal(reason: str, copilot: Copilot, conversation_id: str) -> Answer:
    return Answer(
        text=reason,
        mode=copilot.mode,
        conversation_id=conversation_id,
        error=reason,
        status="error",
    )
