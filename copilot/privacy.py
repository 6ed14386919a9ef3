"""The privacy gate: whatever goes to a remote model passes `mask_personal_data`.

Emails, phone numbers and the store's own customer names are masked in every
message (question, history, tool results). Tool results that hold customer-level
rows are withheld unless `COPILOT_ALLOW_RAW_ROWS` is set; aggregates pass.
The offline planner runs in-process, so it needs no gate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from sqlalchemy import Engine, select

from knowledge.store.schema import Customer
from tools.base import TableArtifact, ToolOutput
from tools.sql.privacy import mask_value

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Chinese mobiles (optionally +86) and other long digit runs written like phone numbers.
_PHONE = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)|(?<!\d)\+\d[\d -]{7,14}\d(?!\d)"
)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_LATIN_NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}\b")
# Columns that make a table customer-level rather than an aggregate.
ROW_LEVEL_COLUMNS = {"customer_id", "name", "email", "phone", "order_id", "message_id", "review_id"}


class NameIndex:
    """The store's customer names, to find them inside free text."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = {n for n in names if n and len(n) >= 2}

    @classmethod
    def from_store(cls, engine: Engine, limit: int = 2_000_000) -> NameIndex:
        with engine.connect() as conn:
            names = conn.execute(
                select(Customer.name).where(Customer.name.is_not(None)).limit(limit)
            ).scalars()
            return cls(names)

    def find(self, text: str) -> list[str]:
        """Customer names that occur in the text (Chinese names inside longer runs too)."""
        found: set[str] = set()
        for run in _CJK_RUN.findall(text):
            for size in (2, 3, 4):
                for start in range(len(run) - size + 1):
                    if run[start : start + size] in self.names:
                        found.add(run[start : start + size])
        found.update(m for m in _LATIN_NAME.findall(text) if m in self.names)
        return sorted(found, key=len, reverse=True)


def mask_personal_data(text: str, names: NameIndex | None = None) -> str:
    """The text with emails, phone numbers and known customer names masked."""
    text = _EMAIL.sub(lambda m: str(mask_value(m.group(0), "email")), text)
    text = _PHONE.sub(lambda m: str(mask_value(m.group(0), "phone")), text)
    for name in names.find(text) if names else []:
        text = text.replace(name, str(mask_value(name, "name")))
    return text


def is_row_level(output: Any) -> bool:
    """Whether a tool result carries customer-level rows (not only aggregates)."""
    if not isinstance(output, ToolOutput):
        return False
    return any(
        isinstance(a, TableArtifact) and ROW_LEVEL_COLUMNS & {str(c) for c in a.frame.columns}
        for a in output.artifacts
    )


def gate_message(
    message: BaseMessage, names: NameIndex | None, allow_raw_rows: bool
) -> BaseMessage:
    """A copy of the message fit to leave the machine."""
    if isinstance(message, ToolMessage) and not allow_raw_rows and is_row_level(message.artifact):
        output: ToolOutput = message.artifact
        table = next(a for a in output.artifacts if isinstance(a, TableArtifact))
        withheld = (
            f"[{len(table.frame)} customer-level rows with columns {', '.join(map(str, table.frame.columns))} "
            "were shown to the user but withheld from the model; ask for an aggregate instead.]"
        )
        return message.model_copy(update={"content": withheld})
    if isinstance(message, (HumanMessage, ToolMessage, AIMessage)) and isinstance(
        message.content, str
    ):
        return message.model_copy(update={"content": mask_personal_data(message.content, names)})
    return message


class PrivacyGate(AgentMiddleware):
    """Agent middleware that gates every request to the (remote) chat model."""

    def __init__(self, names: NameIndex | None, allow_raw_rows: bool = False) -> None:
        super().__init__()
        self.names = names
        self.allow_raw_rows = allow_raw_rows

    def wrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
    ) -> ModelResponse:
        messages = [gate_message(m, self.names, self.allow_raw_rows) for m in request.messages]
        return handler(request.override(messages=messages))
