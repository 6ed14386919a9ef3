"""The Bolt app and the two ways it meets Slack: an HTTP endpoint, or Socket Mode."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from copilot.frontends.slack.config import SlackConfig, SlackConfigError, SlackUnreachableError
from copilot.frontends.slack.handlers import Asker, register_listeners

logger = logging.getLogger(__name__)

# Slack's payloads are a few kilobytes; anything far larger is not from Slack.
MAX_BODY_BYTES = 1 << 20
HEALTH_PATH = "/healthz"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def build_app(copilot: Asker, config: SlackConfig, *, executor: Executor | None = None) -> App:
    """The Bolt app answering with `copilot`; checks the bot token once (`auth.test`).

    Requests are verified with the signing secret (signature and a 5-minute
    timestamp window), and acknowledged before the answer is worked out
    (`process_before_response=False`): the work runs on `executor`.
    """
    client = WebClient(token=config.bot_token, base_url=config.api_url)
    # Posting a reply plus two uploads can meet Slack's per-channel rate limit; wait and retry.
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    try:
        with _quiet(_SLACK_LOGGERS):  # a failed token check is said in one sentence below
            app = App(
                client=client,
                signing_secret=config.signing_secret or "",
                request_verification_enabled=True,
                process_before_response=False,
                listener_executor=executor
                or ThreadPoolExecutor(max_workers=8, thread_name_prefix="slack-answer"),
            )
    except BoltError as exc:
        raise SlackConfigError(f"Slack refused the bot token: {exc}") from exc
    except (SlackClientError, OSError) as exc:
        raise SlackUnreachableError(f"Cannot reach Slack at {config.api_url}: {exc}") from exc
    register_listeners(app, copilot, config)
    return app


# The libraries that log each failed request (and each retry) on their own.
_SLACK_LOGGERS = ("slack_sdk", "slack_bolt")


@contextmanager
def _quiet(names: Iterable[str]) -> Iterator[None]:
    """Silence these loggers for a while (their failure is reported as our own sentence)."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [each.level for each in loggers]
    for each in loggers:
        each.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for each, level in zip(loggers, levels, strict=True):
            each.setLevel(level)


def wsgi_app(app: App, path: str = "/slack/events") -> WsgiApp:
    """The WSGI application: Slack's events and commands on `path`, a health check on /healthz.

    Before Bolt sees a request, its body is read here, at most MAX_BODY_BYTES
    of it and never more than its Content-Length says (a missing, negative or
    non-numeric Content-Length is refused, so a sender cannot make the server
    read until it closes the connection), and its timestamp header must be a
    number. Malformed requests get 400/401/411/413 with a one-line reason, never
    a traceback.
    """
    bolt = SlackRequestHandler(app, path)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        problem = _read_body(environ)
        if problem is not None:
            status, reason = problem
            logger.info("refused a request: %s %s", status, reason)
            start_response(status, [("Content-Type", "text/plain")])
            return [reason.encode()]
        try:
            return bolt(environ, start_response)
        except Exception:  # a request Bolt cannot handle is the sender's fault: no traceback out
            logger.exception("could not handle a request")
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"bad request"]

    return application


def _read_body(environ: dict[str, Any]) -> tuple[str, str] | None:
    """Read and check the request body in place; (status, reason) when it must be refused."""
    if environ.get("HTTP_TRANSFER_ENCODING"):
        return "411 Length Required", "chunked bodies are not accepted; send Content-Length"
    raw_length = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not raw_length:
        if environ.get("REQUEST_METHOD") == "POST":
            return "411 Length Required", "Content-Length is required"
        length = 0
    elif not raw_length.isdigit():  # also refuses "-1", "+5", "1e3"
        return "400 Bad Request", "Content-Length must be a non-negative whole number"
    else:
        length = int(raw_length)
    if length > MAX_BODY_BYTES:
        return "413 Payload Too Large", "too large"
    stream = environ.get("wsgi.input")
    body = b""
    while stream is not None and len(body) < length:
        chunk = stream.read(min(length - len(body), 65_536))
        if not chunk:
            break
        body += chunk
    if len(body) != length:
        return "400 Bad Request", "the body is shorter than its Content-Length"
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "400 Bad Request", "the body is not UTF-8"
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(length)
    timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
    if environ.get("REQUEST_METHOD") == "POST" and not (
        timestamp.isdigit() and len(timestamp) < 16
    ):
        return "401 Unauthorized", "missing or malformed X-Slack-Request-Timestamp"
    return None


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per request, so a slow client never blocks an ack."""

    daemon_threads = True
    allow_reuse_address = True


class _LoggingHandler(WSGIRequestHandler):
    """Request lines go to logging instead of stderr."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server API
        logger.debug("%s " + format, self.address_string(), *args)


def make_http_server(app: App, host: str, port: int, path: str = "/slack/events") -> WSGIServer:
    """A threaded HTTP server for the app (port 0 picks a free one); call `serve_forever()`."""
    return make_server(
        host,
        port,
        wsgi_app(app, path),
        server_class=_ThreadingWSGIServer,
        handler_class=_LoggingHandler,
    )


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    """A Socket Mode connection for the app (no public URL needed); `start()` blocks."""
    return SocketModeHandler(app, app_token)


def run_slack(copilot: Asker, config: SlackConfig) -> None:
    """Serve the bot until interrupted: Socket Mode when an app token is set, else HTTP."""
    config.validate()
    app = build_app(copilot, config)
    if config.socket_mode:
        print("Slack bot connected over Socket Mode. Ctrl+C stops it.", file=sys.stderr)
        socket_mode_handler(app, config.app_token or "").start()
        return
    server = make_http_server(app, config.host, config.port, config.path)
    print(
        f"Slack bot listening on http://{config.host}:{server.server_port}{config.path}"
        " (point the Event Subscriptions and /copilot Request URLs here). Ctrl+C stops it.",
        file=sys.stderr,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
