"""The Slack bot: mentions, direct messages and `/copilot`, answered in threads.

`run_slack(copilot, SlackConfig(...))` serves it (HTTP on `/slack/events`, or
Socket Mode when an app token is set). The Slack app needs the bot scopes
`app_mentions:read`, `chat:write`, `files:write`, `im:history`, `commands`
(and optionally `reactions:write`), the events `app_mention` and `message.im`,
and the slash command `/copilot`.
"""

from copilot.frontends.slack.config import (
    SlackConfig,
    SlackConfigError,
    SlackUnreachableError,
    parse_ids,
)
from copilot.frontends.slack.handlers import conversation_id, question_text
from copilot.frontends.slack.render import answer_blocks, answer_files, to_mrkdwn
from copilot.frontends.slack.server import (
    build_app,
    make_http_server,
    run_slack,
    socket_mode_handler,
    wsgi_app,
)

__all__ = [
    "SlackConfig",
    "SlackConfigError",
    "SlackUnreachableError",
    "answer_blocks",
    "answer_files",
    "build_app",
    "conversation_id",
    "make_http_server",
    "parse_ids",
    "question_text",
    "run_slack",
    "socket_mode_handler",
    "to_mrkdwn",
    "wsgi_app",
]
