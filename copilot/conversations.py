"""Conversations persisted in the store, so a restart or crash loses nothing."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Engine, func, insert, select, update

from copilot.messages import AIMessage, BaseMessage, HumanMessage
from copilot.unicode_text import clean_text
from knowledge.store.database import new_id, utcnow
from knowledge.store.schema import Conversation, ConversationMessage

# Older turns are dropped from what the model sees (never from the store)
# once the history exceeds this many tokens.
HISTORY_TOKEN_BUDGET = 3_000
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def estimate_tokens(text: str) -> int:
    """Tokens of a text for budgeting, without a tokenizer download.

    About one token per Chinese character and per four other characters: close
    to OpenAI's tokenizers for both languages and never far below them.
    """
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk + 3) // 4


def start_turn(engine: Engine, conversation_id: str, question: str, source: str) -> None:
    """Store the question (creating the conversation) before any work starts."""
    now = utcnow()
    with engine.begin() as conn:
        exists = conn.execute(
            select(Conversation.conversation_id).where(
                Conversation.conversation_id == conversation_id
            )
        ).first()
        if exists is None:
            conn.execute(
                insert(Conversation).values(
                    conversation_id=conversation_id,
                    source=source,
                    title=question[:200],
                    created_at=now,
                    updated_at=now,
                )
            )
        _append(conn, conversation_id, "user", question, None)


def finish_turn(
    engine: Engine, conversation_id: str, answer_text: str, payload: dict[str, Any]
) -> None:
    """Store the assistant's answer with its tool calls (as JSON)."""
    with engine.begin() as conn:
        _append(conn, conversation_id, "assistant", answer_text, payload)


def _append(conn, conversation_id: str, role: str, content: str, payload: dict | None) -> None:  # noqa: ANN001
    seq = conn.execute(
        select(func.coalesce(func.max(ConversationMessage.seq), 0)).where(
            ConversationMessage.conversation_id == conversation_id
        )
    ).scalar_one()
    now = utcnow()
    conn.execute(
        insert(ConversationMessage).values(
            message_id=new_id(),
            conversation_id=conversation_id,
            seq=int(seq) + 1,
            role=role,
            content=clean_text(content),
            payload=clean_text(json.dumps(payload, ensure_ascii=False, default=str))
            if payload
            else None,
            created_at=now,
        )
    )
    conn.execute(
        update(Conversation)
        .where(Conversation.conversation_id == conversation_id)
        .values(updated_at=now)
    )


def load_turns(engine: Engine, conversation_id: str) -> list[dict[str, Any]]:
    """Every stored turn of a conversation, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                ConversationMessage.role, ConversationMessage.content, ConversationMessage.payload
            )
            .where(ConversationMessage.conversation_id == conversation_id)
            .order_by(ConversationMessage.seq)
        ).all()
    return [
        {"role": role, "content": content, "payload": json.loads(payload) if payload else None}
        for role, content, payload in rows
    ]


def history_messages(
    engine: Engine, conversation_id: str, budget_tokens: int = HISTORY_TOKEN_BUDGET
) -> list[BaseMessage]:
    """The conversation so far as chat messages, newest turns kept within the budget.

    A question whose answer never got stored (a crash mid-question) is left out,
    so the model never sees two questions in a row.
    """
    turns = load_turns(engine, conversation_id)
    pairs: list[tuple[dict, dict]] = []
    pending: dict | None = None
    for turn in turns:
        if turn["role"] == "user":
            pending = turn
        elif pending is not None:
            pairs.append((pending, turn))
            pending = None
    kept: list[tuple[dict, dict]] = []
    used = 0
    for question, answer in reversed(pairs):
        size = estimate_tokens(question["content"]) + estimate_tokens(answer["content"])
        if kept and used + size > budget_tokens:
            break
        kept.append((question, answer))
        used += size
    messages: list[BaseMessage] = []
    for question, answer in reversed(kept):
        messages.append(HumanMessage(question["content"]))
        messages.append(
            AIMessage(answer["content"], response_metadata={"copilot_payload": answer["payload"]})
        )
    return messages
