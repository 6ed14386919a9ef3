"""The web UI (Gradio): chat with tool steps, tables and charts; Segments, Data and Knowledge tabs.

`build_app(copilot)` gives the Blocks, `launch(copilot, host, port, auth)` serves it,
`start(app, host, port, auth, block=False)` serves it from tests and benchmarks.
"""

from copilot.frontends.web.app import CHAT_CONCURRENCY, EXAMPLES, build_app, launch, start

__all__ = ["CHAT_CONCURRENCY", "EXAMPLES", "build_app", "launch", "start"]
