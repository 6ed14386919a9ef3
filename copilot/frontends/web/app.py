"""The Gradio workspace: chat with a results panel, and Segments, Data and Knowledge tabs."""

from __future__ import annotations

import html
import logging
import sys
from collections.abc import AsyncIterator, Callable
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from copilot.agent import Copilot
from copilot.frontends.web import workspace as ws
from copilot.frontends.web.browser import BrowserCookie
from copilot.frontends.web.chat import (
    ConversationIds,
    CsvFiles,
    answer_json,
    message_json,
    respond,
    restored_chat,
)
from copilot.frontends.web.confirm import confirm_in_session, confirmation_panel
from copilot.frontends.web.jobs import (
    POLL_S,
    JobBoard,
    ask_job_json,
    job_json,
    poll_updates,
    respond_or_background,
    restore_jobs,
)
from copilot.frontends.web.login import ClientAddress, LoginThrottle
from copilot.frontends.web.preload import plot_chunks, preload_js
from copilot.frontends.web.results import ResultsPanel
from copilot.frontends.web.tables import table_component, table_props, table_update
from copilot.frontends.web.timing import ArrivalStamp, arrived_at
from copilot.store_label import store_label

logger = logging.getLogger(__name__)

EXAMPLES = [
    "Revenue by month this year",
    "What was revenue last month?",
    "Top 5 cities by orders in the last 90 days",
    "上个月的销售额是多少？",
    "各城市的客单价",
    "Profile the Champions segment",
]
# The Saved segments list's width at a 1280 px window (half the page, less padding): its
# long names wrap so that size and updated stay whole.
SEGMENTS_LIST_PX = 560
# Requests of one event served at once (Gradio's default limit); more wait in Gradio's queue
# (see benchmarks/results/ui_load.md). The chat, /ask_job and /job have no limit (web/jobs.py).
CHAT_CONCURRENCY = 16
# The event loop sends every reply; while ask workers run Python on other threads it waits
# up to the interpreter's switch interval (5 ms by default) for the GIL at each step. 1 ms
# cut an async endpoint's round trip beside 4 busy threads from 1.1-1.3 s to 0.7 s on the
# shared machine (benchmarks/results/load.md, round 4); switching costs microseconds.
SWITCH_INTERVAL_S = 0.001
THEME = gr.themes.Soft(
    primary_hue="indigo",
    neutral_hue="slate",
    # System fonts only: the UI must not fetch web fonts (it often runs offline).
    font=["Inter", "system-ui", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)
CSS = """
.app-header { display: flex; align-items: baseline; gap: 14px; }
.app-header h2 { margin: 0 !important; }
.mode-badge { font-size: 13px; padding: 2px 10px; border-radius: 999px;
  background: var(--color-accent-soft); color: var(--color-accent); }
.store-badge { font-size: 13px; padding: 2px 10px; border-radius: 999px;
  background: #FEF3C7; color: #92400E; }
.results-empty { color: var(--body-text-color-subdued); font-style: italic; }
.result-title { margin: 12px 0 4px 0 !important; }
#results-panel .virtual-table-viewport { overflow-x: auto !important; scrollbar-width: auto;
  scrollbar-color: #9CA3AF transparent; }
"""


def build_app(copilot: Copilot) -> gr.Blocks:
    """The workspace; its chat endpoint is `/chat` and its JSON endpoint `/ask` (see README)."""
    # One conversation per browser, found again after a reload or a restart (web/browser.py).
    conversations = ConversationIds(copilot.state, copilot.settings.home_dir)
    files = CsvFiles()
    board = JobBoard()  # questions that went on in the background (web/jobs.py)

    panel: ResultsPanel | None = None

    async def chat(
        message: str, history: list, request: gr.Request
    ) -> AsyncIterator[tuple[Any, ...]]:
        assert panel is not None  # built below, before the app serves
        conversation = conversations.current(request)
        async for messages, items, background in respond_or_background(
            board, copilot, message, conversation, arrived_at(request)
        ):
            # The results go out in the same update as the answer (see results.py); a
            # question that went to the background starts the page's job timer.
            yield messages, *panel.updates(items), _timer(background)

    def poll_jobs(history: list, request: gr.Request) -> tuple[Any, ...]:
        """The job timer's tick: progress of background jobs, and their answers when done."""
        assert panel is not None
        messages, items, running = poll_updates(board, conversations.current(request), history)
        chat_update = gr.skip() if messages is None else messages
        items_update = gr.skip() if items is None else items
        return chat_update, *panel.updates(items_update), gr.Timer(active=running)

    def restore(request: gr.Request) -> tuple[Any, Any]:
        """The page's chat when it loads: the browser's stored conversation, with the notice
        of each background job still running (and the job timer on while there are some)."""
        conversation = conversations.current(request)
        messages = restored_chat(copilot.state, conversation)
        messages, running = restore_jobs(board, conversation, messages)
        return messages, gr.Timer(active=running)

    async def ask_job(question: str, request: gr.Request) -> dict[str, Any]:
        """As /ask when quick; else {status: "running", job_id, answer (the notice)}: poll /job."""
        conversation = conversations.current(request)
        return await ask_job_json(board, copilot, question, conversation, arrived_at(request))

    async def job(job_id: str, request: gr.Request) -> dict[str, Any]:
        """A background job of this session: its /ask answer, or {status: "running", ...}
        after waiting up to 5 s for it."""
        return await job_json(board, conversations.current(request), job_id)

    def chat_api(message: str, request: gr.Request) -> list[dict[str, Any]]:
        """Answer as the chat does; returns the messages it shows (tool steps, answer, drafts)."""
        updates = list(respond(copilot, message, conversations.current(request)))
        return [message_json(m) for m in updates[-1][0]]

    def confirm(action_id: str, request: gr.Request) -> dict[str, Any]:
        """Run a pending action of this session's conversation; returns {status, answer, error, action_id}."""
        return confirm_in_session(copilot, conversations.current(request), action_id, request)

    def ask(question: str, request: gr.Request) -> dict[str, Any]:
        """Answer a question; returns {status, answer, mode, tool_calls, tables, error, grounding, conversation_id}."""
        return answer_json(copilot, question, conversations.current(request))

    with gr.Blocks(title="Marketing Copilot", fill_width=True) as app:
        header = gr.HTML(_header(copilot))
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row(equal_height=False):
                    # The chat is filled in after the panel, whose components it updates.
                    with gr.Column(scale=6, min_width=420) as chat_column:
                        pass
                    with gr.Column(scale=5, min_width=360, elem_id="results-panel"):
                        gr.Markdown("### Results")
                        panel = ResultsPanel(files)
                    with chat_column:
                        # Ticks only while this page has background jobs (web/jobs.py).
                        timer = gr.Timer(POLL_S, active=False)
                        interface = gr.ChatInterface(
                            chat,
                            chatbot=gr.Chatbot(
                                height=600,
                                show_label=False,
                                buttons=["copy", "copy_all"],
                                # One bubble per message: each copy draft gets its own copy button.
                                group_consecutive_messages=False,
                                placeholder="Ask about sales, customers, segments or campaigns "
                                "— in English or 中文.",
                            ),
                            textbox=gr.Textbox(
                                placeholder="e.g. Revenue by month this year / 上个月的销售额是多少？",
                                show_label=False,
                                submit_btn=True,
                                elem_id="chat-input",
                            ),
                            examples=EXAMPLES,
                            additional_outputs=[*panel.components(), timer],
                            # `/chat` is chat_api below: the panel's components would
                            # otherwise become outputs of the API as well.
                            api_name="chat_ui",
                            api_visibility="private",
                            save_history=False,
                            fill_height=False,
                            # A coroutine that waits ACK_S at most and holds no thread or
                            # CPU (web/jobs.py): a limit here only delayed first replies.
                            concurrency_limit=None,
                        )
                        confirmation_panel(copilot, conversations.current, interface.chatbot)
                interface.chatbot.clear(conversations.restart, api_visibility="private")
                timer.tick(
                    poll_jobs,
                    inputs=[interface.chatbot_state],
                    outputs=[interface.chatbot_value, *panel.components(), timer],
                    api_visibility="private",
                    # A tick is no work the user asked for: no loading overlay every 2 s.
                    show_progress="hidden",
                )
                app.load(
                    restore, outputs=[interface.chatbot_value, timer], api_visibility="private"
                )
            with gr.Tab("Segments", id="segments"):
                _segments_tab(app, copilot)
            with gr.Tab("Data", id="data"):
                _data_tab(app, copilot)
            with gr.Tab("Knowledge", id="knowledge"):
                _knowledge_tab(copilot)
        gr.api(chat_api, api_name="chat")
        gr.api(ask, api_name="ask")
        gr.api(confirm, api_name="confirm")
        # No concurrency limit: /ask_job waits as the chat does, /job only reads a job.
        gr.api(ask_job, api_name="ask_job", concurrency_limit=None)
        gr.api(job, api_name="job", concurrency_limit=None)
        # Re-read on every page load: an import in the Data tab can turn an empty store into data.
        app.load(lambda: _header(copilot), outputs=header, api_visibility="private")
    return app


def _timer(active: bool) -> Any:
    """Start the page's job timer when a job runs in the background; else leave it as it is."""
    return gr.Timer(active=True) if active else gr.skip()


def _header(copilot: Copilot) -> str:
    """The title, the mode, and a badge when the numbers are demo data or tables are empty."""
    badge = store_label(copilot.engine).badge()  # the page's other labels are English
    store = (
        f"<span class='store-badge' id='store-badge'>{html.escape(badge)}</span>" if badge else ""
    )
    return (
        "<div class='app-header'><h2>Marketing Copilot</h2>"
        f"<span class='mode-badge'>mode: {_mode_label(copilot.mode)}</span>{store}</div>"
    )


def _mode_label(mode: str) -> str:
    return "offline planner (no model)" if mode == "offline" else mode


def _segments_tab(app: gr.Blocks, copilot: Copilot) -> None:
    with gr.Row(equal_height=False):
        # Half the width: segment, kind, size and updated fit side by side at 1280 px.
        with gr.Column(scale=1, min_width=480):
            refresh = gr.Button("Refresh", size="sm")
            listing = table_component(
                ws.saved_segments(copilot), label="Saved segments", fit_px=SEGMENTS_LIST_PX
            )
            hint = gr.Markdown(ws.NO_SAVED_SEGMENTS, visible=False)
        with gr.Column(scale=1, min_width=480):
            with gr.Row():
                segment = gr.Dropdown(label="Segment", choices=[], scale=3)
                profile_button = gr.Button("Profile", variant="primary", scale=1)
            profile_text = gr.Markdown(ws.PROFILE_HINT)
            profile_table = table_component(ws.empty_profile(), label="Profile vs all customers")
            with gr.Accordion("Export the audience for a channel", open=False):
                with gr.Row():
                    channel = gr.Dropdown(list(ws.CHANNELS), value="email", label="Channel")
                    kind = gr.Radio(
                        list(ws.EXPORT_KINDS), value="hashed (ad platforms)", label="File"
                    )
                export_button = gr.Button("Export")
                export_text = gr.Markdown()
                preview = table_component(ws.empty_export_preview(), label="Masked preview")
                export_file = gr.File(label="Download", interactive=False)

    def load() -> tuple[Any, Any, Any]:
        saved = ws.saved_segments(copilot)
        choices = ws.segment_choices(copilot, saved)
        return (
            table_update(saved, SEGMENTS_LIST_PX),
            gr.update(visible=saved.empty),
            gr.update(choices=choices),
        )

    def show_profile(name: str | None) -> tuple[str, Any]:
        outcome = ws.segment_profile(copilot, name)
        return outcome.message, table_update(outcome.frame)

    def export(name: str | None, chosen_channel: str, chosen_kind: str) -> tuple[str, Any, Any]:
        outcome = ws.segment_export(copilot, name, chosen_channel, chosen_kind)
        return outcome.message, table_update(outcome.frame), outcome.file

    private: dict[str, Any] = {"api_visibility": "private"}
    app.load(load, outputs=[listing, hint, segment], **private)
    refresh.click(load, outputs=[listing, hint, segment], **private)
    profile_button.click(show_profile, segment, [profile_text, profile_table], **private)
    export_button.click(
        export, [segment, channel, kind], [export_text, preview, export_file], **private
    )


def _data_tab(app: gr.Blocks, copilot: Copilot) -> None:
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            with gr.Row():
                upload = gr.File(
                    label="CSV, Excel or Parquet file",
                    file_types=[".csv", ".tsv", ".txt", ".xlsx", ".xls", ".parquet"],
                    scale=3,
                )
                target = gr.Dropdown(
                    ws.import_targets(), value="transactions", label="Import into", scale=1
                )
            upload_text = gr.Markdown()
            preview = table_component(ws.pd.DataFrame(), label="First rows", visible=False)
            mapping = gr.Dataframe(
                ws.pd.DataFrame(columns=ws.MAPPING_COLUMNS),
                visible=False,
                label="Column mapping (edit 'file column' to change it)",
                interactive=True,
                static_columns=[0, 2],
                datatype="str",
            )
            import_button = gr.Button("Import", variant="primary")
            import_text = gr.Markdown(elem_id="import-result")
        with gr.Column(scale=1):
            refresh = gr.Button("Refresh", size="sm")
            counts = table_component(ws.store_counts(copilot), label="Rows in the store")

    def show_preview(path: str | None, chosen: str) -> tuple[str, Any, Any]:
        outcome = ws.upload_preview(path, chosen)
        table = outcome.frame.attrs.get("mapping")
        if table is None:  # no file, or it could not be read: the message says why
            return outcome.message, gr.update(visible=False), gr.update(visible=False)
        return (
            outcome.message,
            gr.update(**table_props(outcome.frame), visible=True),
            gr.update(value=table, visible=True),
        )

    def do_import(path: str | None, chosen: str, table: Any) -> tuple[str, Any]:
        outcome = ws.run_import(copilot, path, chosen, table)
        return outcome.message, table_update(outcome.frame)

    private: dict[str, Any] = {"api_visibility": "private"}
    upload.change(show_preview, [upload, target], [upload_text, preview, mapping], **private)
    target.change(show_preview, [upload, target], [upload_text, preview, mapping], **private)
    import_button.click(do_import, [upload, target, mapping], [import_text, counts], **private)

    def counts_now() -> Any:
        return table_update(ws.store_counts(copilot))

    refresh.click(counts_now, outputs=counts, **private)
    app.load(counts_now, outputs=counts, **private)


def _knowledge_tab(copilot: Copilot) -> None:
    with gr.Row(equal_height=False):
        with gr.Column(scale=2):
            query = gr.Textbox(
                label="Search the documents",
                placeholder="e.g. brand voice / 优惠券规则",
                submit_btn="Search",
            )
            passages = gr.Markdown()
        with gr.Column(scale=1):
            uploads = gr.File(
                label="Add documents (Markdown, text, PDF, Word, HTML)", file_count="multiple"
            )
            add_button = gr.Button("Add to the knowledge base", variant="primary")
            add_text = gr.Markdown()
            listed = gr.Button("Show documents", size="sm")
            table = table_component(ws.pd.DataFrame(), label="Documents")

    def add(paths: list[str] | None) -> tuple[str, Any]:
        outcome = ws.add_documents(copilot, paths)
        return outcome.message, table_update(outcome.frame)

    private: dict[str, Any] = {"api_visibility": "private"}
    # The knowledge base opens on first use (seconds), so the tab loads nothing up front.
    query.submit(lambda q: ws.search_documents(copilot, q), query, passages, **private)
    add_button.click(add, uploads, [add_text, table], **private)
    listed.click(lambda: table_update(ws.documents(copilot)), outputs=table, **private)


def start(
    app: gr.Blocks,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: tuple[str, str] | Callable[[str, str], bool] | None = None,
    *,
    block: bool = True,
    max_threads: int = 64,
) -> gr.Blocks:
    """Queue and serve the app with the workspace's theme (block=False returns at once)."""
    app.queue(default_concurrency_limit=CHAT_CONCURRENCY)
    sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))
    if isinstance(auth, tuple):
        auth = LoginThrottle(*auth)  # wrong passwords are throttled, not tried freely
    charts = plot_chunks()  # plotly.js loads with the page, not with the first chart
    app.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        share=False,
        prevent_thread_lock=not block,
        quiet=not block,
        theme=THEME,
        css=CSS,
        js=preload_js(charts),
        footer_links=["api"],
        max_threads=max_threads,
        # The login throttle counts failures per client address too (web/login.py).
        # Questions' first replies are timed from their arrival (web/timing.py).
        # Each browser gets a cookie naming it: its conversation outlives a reload (browser.py).
        app_kwargs={
            "middleware": [
                Middleware(ArrivalStamp),
                Middleware(ClientAddress),
                Middleware(BrowserCookie),
            ]
        },
    )
    return app


def launch(
    copilot: Copilot, host: str, port: int, auth: str | tuple[str, str] | None = None
) -> None:
    """Serve the UI until interrupted; `auth` is 'user:password' or a (user, password) pair."""
    credentials = None
    if isinstance(auth, str) and auth:
        user, _, password = auth.partition(":")
        credentials = (user, password)
    elif isinstance(auth, tuple):
        credentials = auth
    app = start(build_app(copilot), host, port, credentials, block=False)
    print(f"* Running on local URL:  {app.local_url}", flush=True)
    # The first knowledge question should not wait for the starter documents to embed; the
    # warm-up starts once the page is served, since on 2 cores it would delay the page.
    warm_up = getattr(copilot.knowledge, "warm_up_in_background", None)
    if warm_up is not None:
        warm_up()
    app.block_thread()
