"""Load Gradio's own plotly.js with the page, so the first chart appears with the answer.

Gradio serves plotly.js itself (no CDN): gr.Plot's frontend imports the chunk
`assets/PlotlyPlot-<hash>.js` (4.6 MB, 1.3 MB gzipped) with a dynamic `import()`
only when the first figure arrives, so the first chart of a session came 4-20 s
after its answer on a busy machine. The page now fetches (`modulepreload` in the
head) and evaluates (`import()` once the page has loaded) the same chunks up
front; the browser's module map is keyed by URL, so gr.Plot's later import of
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


def preload_head(chunks: list[str]) -> str:
    """`<link rel=modulepreload>` tags: the browser fetches and compiles the chunks at once."""
    return "\n".join(f'<link rel="modulepreload" href="./assets/{c}">' for c in chunks)


def preload_js(chunks: list[str]) -> str:
    """A page-load function (Gradio's `js`) that imports the chunks, so plotly is evaluated.

    URLs are resolved against the page's <base>, where Gradio serves `assets/`, so they
    equal the URLs gr.Plot imports (relative to its own chunk in `assets/`).
    """
    names = json.dumps(chunks)
    return (
        "() => { for (const name of "
        + names
        + ') { import(new URL("assets/" + name, document.baseURI).href).catch(() => {}); } }'
    )
