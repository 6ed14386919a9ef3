"""A fake service on 127.0.0.1: a threaded HTTP server in a daemon thread, as a context manager."""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


class QuietServer(ThreadingHTTPServer):
    """A threading HTTP server whose handlers reach their fake through `self.server.fake`."""

    daemon_threads = True
    allow_reuse_address = True
    fake: Any

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients dropping keep-alive / timed-out connections; report the rest."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class LoopbackServer:
    """Serves `handler` on 127.0.0.1 at a free port; subclasses hold the fake's state."""

    handler: type[BaseHTTPRequestHandler]

    def __init__(self) -> None:
        self._httpd: QuietServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Any:
        """Bind to ``127.0.0.1:0`` and serve in a daemon thread (idempotent)."""
        if self._httpd is not None:
            return self
        httpd = QuietServer(("127.0.0.1", 0), self.handler)
        httpd.fake = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{type(self).__name__}:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Shut down, close the socket and join the thread."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def port(self) -> int:
        """The bound TCP port (server must be started)."""
        if self._httpd is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return int(self._httpd.server_address[1])
