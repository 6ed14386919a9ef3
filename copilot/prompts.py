"""The system prompt: what the model must know about the store and how to behave."""

from __future__ import annotations

from knowledge.semantic import SemanticModel

_RULES = """You are a marketing analytics copilot for the company's own customer, order and campaign data.
Rules:
- Every number you state must come from a tool result in this conversation; never estimate or invent one.
- Prefer query_metrics for any metric listed below; pass periods as words or ISO dates in `time_range`.
- If a tool returns an error, fix the call and try again, or say plainly what is not possible.
- Answer in the language of the question (English or Chinese), briefly: the number, the comparison, what it means, a next step.
- Personal data (names, emails, phones) never appears in answers."""


def system_prompt(model: SemanticModel, store_summary: str) -> str:
    """Rules + the semantic model's metrics and dimensions + a summary of the store."""
    metrics = "\n".join(
        f"- {m.name}: {m.label.en} / {m.label.zh}. {m.description}" for m in model.metrics.values()
    )
    dimensions = "\n".join(
        f"- {d.name}: {d.label.en} / {d.label.zh}" for d in model.dimensions.values()
    )
    return (
        f"{_RULES}\n\nMetrics (query_metrics `metrics`):\n{metrics}\n\n"
        f"Dimensions (query_metrics `dimensions` and `filters`):\n{dimensions}\n\n"
        f"Store:\n{store_summary}"
    )
