"""Load Gradio's own plotly.js with the page, so the first chart appears with the answer.

Gradio serves plotly.js itself (no CDN): gr.Plot's frontend imports the chunk
`assets/PlotlyPlot-<hash>.js` (4.6 MB, 1.3 MB gzipped) with a dynamic `import()`
only when the first figure arrives, so the first chart of a session came 4-20 s
after its answer on a busy machine. The page now imports the same chunks up
front, once the page is idle; the browser's module map is keyed by URL, so gr.Plot's later import of
the same URL is immediate. Chunk names carry a build hash, so they are read
from the installed Gradio's files rather than written here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import gradio

ASSETS = Path(gradio.__file__).parent / "templates" / "frontend" / "assets"
# core-*.js maps each component to its chunks: plot:{base:()=>v(()=>import(`./Plot-x.js`)...
_PLOT_ENTRY = re.compile(
    r"plot:\{base:\(\)=>\w+\(\(\)=>import\(`\./([\w.-]+\.js)`\)"
    r"[^}]*?component:\(\)=>\w+\(\(\)=>import\(`\./([\w.-]+\.js)`\)"
)


def plot_chunks(assets: Path = ASSETS) -> list[str]:
    """File names (under `assets/`) of gr.Plot's component and of plotly.js, in load order.

    Empty when this Gradio build has no such files (the page then loads plotly on demand).
    """
    chunks: list[str] = []
    for core in sorted(assets.glob("core-*.js")):
        match = _PLOT_ENTRY.search(core.read_text(encoding="utf-8", errors="replace"))
        if match:
            chunks += [match.group(2), match.group(1)]
            break
    chunks += sorted(p.name for p in assets.glob("PlotlyPlot-*.js"))
    return [c for c in dict.fromkeys(chunks) if (assets / c).is_file()]


def preload_js(chunks: list[str], delay_ms: int = 500) -> str:
    """A page-load function (Gradio's `js`) that imports the chunks once the page is up.

    It waits for the browser to be idle (at most 5 s) after the workspace has mounted, so
    plotly never delays the page itself (a `modulepreload` in the head doubled the time
    to a usable chat box on a busy machine). URLs are resolved against the page's
    <base>, where Gradio serves `assets/`, so they equal the URLs gr.Plot imports.
    """
    names = json.dumps(chunks)
    return (
        "() => { const load = () => { for (const name of "
        + names
        + ') { import(new URL("assets/" + name, document.baseURI).href).catch(() => {}); } };'
        " const idle = window.requestIdleCallback || ((f) => setTimeout(f, 1000));"
        f" setTimeout(() => idle(load, {{ timeout: 5000 }}), {delay_ms}); }}"
    )
