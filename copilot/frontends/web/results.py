"""The Results panel: each table of the latest answer with its chart and a CSV download.

The first MAX_SLOTS tables fill fixed slots that the chat updates in the same
message as the answer, so the first chart appears with the answer instead of
after a second round trip (a `gr.render` is a new server event once the answer's
state has reached the browser: 4-5 s on a busy 2-core machine). Rarer answers
with more tables show the rest below, drawn by `render_results` in a gr.render.
Headers, headings and the CSV download's headers are in the language of the
question the answer replies to; numbers go through the one formatting layer.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import gradio as gr
import pandas as pd
import plotly.graph_objects as go

from copilot.answer import Answer
from copilot.charts import ChartSpec, to_plotly
from copilot.frontends.web.tables import TableStyle, column_widths, table_component, table_props
from knowledge.presentation.labels import csv_frame
from knowledge.presentation.messages import tr

if TYPE_CHECKING:
    from copilot.frontends.web.chat import CsvFiles

MAX_SLOTS = 4  # tables shown with the answer; most answers have one or two
# The Results panel's width at a 1280 px window (half the page, less padding): a table's
# text columns narrow to it and wrap, so a long copy text or a last column is never cut
# off at the panel's edge; a table that still does not fit scrolls (CSS in app.py).
RESULTS_FIT_PX = 530
EMPTY_HTML = "<p class='results-empty'>Tables and charts of the latest answer appear here.</p>"


@dataclass
class ResultItem:
    """One table of an answer and its chart; drawn (and written as CSV) only when shown.

    API clients never render the panel, so they do not pay for plotly or the CSV file.
    """

    title: str
    frame: pd.DataFrame
    truncated: bool
    chart: ChartSpec | None
    style: TableStyle = TableStyle(language="en")

    @property
    def language(self) -> str:
        return self.style.language or "en"

    def figure(self) -> go.Figure | None:
        """The interactive chart, if the table has one."""
        return to_plotly(self.chart) if self.chart is not None else None

    def too_wide(self) -> bool:
        """Whether the table is wider than the panel even with its text columns narrowed
        (an email draft's eight columns): then it scrolls sideways, and the heading says so."""
        widths = column_widths(self.frame, RESULTS_FIT_PX, self.style)
        return sum(int(w.removesuffix("px")) for w in widths) > RESULTS_FIT_PX

    def heading(self) -> str | None:
        """The title as HTML when no chart carries it (or to say only the first rows show,
        or that the table scrolls sideways)."""
        note = tr(self.language, " (first rows only)") if self.truncated else ""
        if self.too_wide():
            note += tr(self.language, " (scroll sideways for more columns)")
        if self.chart is not None and not note:
            return None
        return f"<h4 class='result-title'>{html.escape(self.title + note)}</h4>"

    def csv(self) -> pd.DataFrame:
        """The table for download: raw values rounded by kind, headers in the answer's language
        (CsvFiles.write writes it with copilot/frontends/table_csv.py, as Slack's uploads)."""
        style = self.style
        return csv_frame(self.frame, self.language, style.currency, formats=style.formats)

    def download_label(self) -> str:
        return tr(self.language, "Download CSV")


def result_items(answer: Answer, language: str = "en", currency: str = "¥") -> list[ResultItem]:
    """The answer's tables with their charts (matched by title).

    `language`: of the question the answer replies to (headers and headings follow it);
    `currency`: the store's, for money columns.
    """
    charts = {chart.title: chart for chart in answer.charts}
    items = []
    for table in answer.tables:
        chart = charts.pop(table.title, None)
        items.append(
            ResultItem(
                title=table.title,
                # Store values as the question's language names them ("数码电子").
                frame=table.shown_in(language),
                truncated=table.truncated,
                chart=chart.spec if chart is not None else None,
                style=TableStyle(language, currency, dict(table.formats)),
            )
        )
    return items


@dataclass
class ResultSlot:
    """The components of one shown table: a box with heading, chart, table and CSV button."""

    box: gr.Column
    heading: gr.HTML
    plot: gr.Plot
    table: gr.Dataframe
    csv: gr.DownloadButton

    @classmethod
    def create(cls, index: int) -> ResultSlot:
        with gr.Column(visible=False, elem_classes=["result-slot"]) as box:
            heading = gr.HTML(visible=False)
            plot = gr.Plot(show_label=False, visible=False)
            table = table_component(pd.DataFrame(), elem_id=f"result-table-{index}")
            csv = gr.DownloadButton("Download CSV", size="sm", variant="secondary")
        return cls(box, heading, plot, table, csv)

    def components(self) -> list[Any]:
        return [self.box, self.heading, self.plot, self.table, self.csv]

    def show(self, item: ResultItem, files: CsvFiles) -> list[Any]:
        """Updates that show `item` (in the order of `components`)."""
        heading, figure = item.heading(), item.figure()
        return [
            gr.Column(visible=True),
            gr.HTML(heading or "", visible=heading is not None),
            gr.Plot(figure, visible=figure is not None),
            gr.Dataframe(**table_props(item.frame, RESULTS_FIT_PX, style=item.style)),
            gr.DownloadButton(item.download_label(), value=files.write(item.title, item.csv())),
        ]

    def hide(self) -> list[Any]:
        """Updates that hide the slot (its old content stays until it is shown again)."""
        return [gr.Column(visible=False), *[gr.skip() for _ in range(4)]]


class ResultsPanel:
    """The panel's components (inside the caller's layout) and their updates for an answer."""

    def __init__(self, files: CsvFiles) -> None:
        self.files = files
        self.empty = gr.HTML(EMPTY_HTML)
        self.slots = [ResultSlot.create(i) for i in range(MAX_SLOTS)]
        self.overflow = gr.State([])

        @gr.render(inputs=self.overflow)
        def _more(items: list[ResultItem]) -> None:
            render_results(items, files, offset=MAX_SLOTS)

    def components(self) -> list[Any]:
        """The outputs the chat updates, in the order of `updates`."""
        return [self.empty, *[c for s in self.slots for c in s.components()], self.overflow]

    def updates(self, items: list[ResultItem] | Any) -> list[Any]:
        """Updates showing `items`; anything else (gr.skip()) leaves the panel as it is."""
        if not isinstance(items, list):
            return [gr.skip() for _ in self.components()]
        shown = [
            slot.show(items[i], self.files) if i < len(items) else slot.hide()
            for i, slot in enumerate(self.slots)
        ]
        return [
            gr.HTML(visible=not items),
            *[u for slot in shown for u in slot],
            items[MAX_SLOTS:],
        ]


def render_results(items: list[ResultItem] | None, files: CsvFiles, offset: int = 0) -> None:
    """Inside a gr.render: one block per table (chart, table, CSV download)."""
    for index, item in enumerate(items or [], start=offset):
        figure, heading = item.figure(), item.heading()
        if figure is not None:  # the chart carries the title
            gr.Plot(figure, show_label=False, key=f"plot-{index}")
        if heading is not None:
            gr.HTML(heading, key=f"title-{index}")
        table_component(item.frame, fit_px=RESULTS_FIT_PX, style=item.style, key=f"table-{index}")
        gr.DownloadButton(
            item.download_label(),
            value=files.write(item.title, item.csv()),
            size="sm",
            variant="secondary",
            key=f"csv-{index}",
        )
