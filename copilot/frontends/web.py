"""The web UI (Gradio): a chat page over the copilot, one conversation per browser session."""

from __future__ import annotations

import gradio as gr

from copilot.agent import Copilot
from copilot.answer import Answer

EXAMPLES = [
    "What was revenue last month?",
    "上个月的销售额是多少？",
    "Revenue by month this year",
    "各城市的客单价",
    "Top 5 cities by orders in the last 90 days",
]


def answer_markdown(answer: Answer, max_rows: int = 20) -> str:
    """The answer as Markdown: text, then each table (first rows), then the tools used."""
    parts = [answer.text]
    for table in answer.tables:
        frame = table.frame.head(max_rows)
        header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
        rule = "|" + "---|" * len(frame.columns)
        rows = [
            "| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)
        ]
        more = (
            f"\n\n_{len(table.frame) - max_rows} more rows_" if len(table.frame) > max_rows else ""
        )
        parts.append(f"**{table.title}**\n\n" + "\n".join([header, rule, *rows]) + more)
    if answer.tool_calls:
        used = ", ".join(f"`{c.name}`" for c in answer.tool_calls)
        parts.append(f"<sub>mode: {answer.mode} · tools: {used}</sub>")
    return "\n\n".join(parts)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None else str(value).replace("|", "\\|")


def build_app(copilot: Copilot) -> gr.Blocks:
    """The Gradio app; its chat endpoint is `/chat` (see the README for gradio_client use)."""

    def chat(message: str, history: list, request: gr.Request) -> str:
        conversation_id = (
            f"web-{request.session_hash}" if request and request.session_hash else None
        )
        return answer_markdown(copilot.ask(message, conversation_id=conversation_id, source="web"))

    with gr.Blocks(title="Marketing Copilot") as app:
        gr.Markdown(f"## Marketing Copilot\nMode: **{copilot.mode}**. Ask in English or Chinese.")
        gr.ChatInterface(chat, examples=EXAMPLES, api_name="chat", save_history=False)
    return app


def launch(copilot: Copilot, host: str, port: int, auth: str | None = None) -> None:
    """Serve the UI until interrupted."""
    credentials = None
    if auth:
        user, _, password = auth.partition(":")
        credentials = (user, password)
    build_app(copilot).queue(default_concurrency_limit=8).launch(
        server_name=host, server_port=port, auth=credentials, share=False, footer_links=["api"]
    )
