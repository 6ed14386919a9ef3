"""What the Slack bot needs to run, and who may use it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_API_URL = "https://slack.com/api/"
# The allowlist entry that admits direct messages when a channel allowlist is set.
DIRECT_MESSAGES = "dm"


class SlackConfigError(ValueError):
    """The Slack settings cannot work (a token or secret missing); the message says what to set."""


class SlackUnreachableError(RuntimeError):
    """Slack could not be reached at start (no network, a wrong API URL): a runtime failure,
    not bad usage; the message says where it tried."""


def parse_ids(value: str | None) -> frozenset[str]:
    """Comma- or space-separated ids as a set (empty or None gives the empty set)."""
    return frozenset(part.strip() for part in (value or "").replace(",", " ").split() if part)


def _secret(value: Any) -> str | None:
    """A SecretStr, a plain string or None, as an optional plain string."""
    if value is None:
        return None
    plain = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    return plain or None


@dataclass(frozen=True)
class SlackConfig:
    """Tokens, allowlists and where to listen. An empty allowlist allows everyone.

    `allowed_channels` applies to direct messages too: list `dm` to admit them,
    so that restricting the bot to #marketing does not leave a DM side door open.
    """

    bot_token: str
    signing_secret: str | None = None
    app_token: str | None = None
    allowed_teams: frozenset[str] = field(default_factory=frozenset)
    allowed_channels: frozenset[str] = field(default_factory=frozenset)
    allowed_users: frozenset[str] = field(default_factory=frozenset)
    host: str = "127.0.0.1"
    port: int = 3000
    path: str = "/slack/events"
    command: str = "/copilot"
    api_url: str = DEFAULT_API_URL

    @property
    def socket_mode(self) -> bool:
        """Whether the bot connects out over Socket Mode (an app token is set) instead of HTTP."""
        return bool(self.app_token)

    def validate(self) -> SlackConfig:
        """Raise SlackConfigError when this configuration cannot run; return it otherwise."""
        if not self.bot_token:
            raise SlackConfigError(
                "Set COPILOT_SLACK_BOT_TOKEN to the bot token (xoxb-...) of your Slack app."
            )
        if not self.socket_mode and not self.signing_secret:
            raise SlackConfigError(
                "Set COPILOT_SLACK_SIGNING_SECRET (HTTP mode verifies every request with it), "
                "or COPILOT_SLACK_APP_TOKEN (xapp-...) to use Socket Mode."
            )
        return self

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> SlackConfig:
        """Build from the copilot's Settings (`slack_*` fields); overrides win when not None."""
        values: dict[str, Any] = {
            "bot_token": _secret(getattr(settings, "slack_bot_token", None)) or "",
            "signing_secret": _secret(getattr(settings, "slack_signing_secret", None)),
            "app_token": _secret(getattr(settings, "slack_app_token", None)),
            "allowed_teams": parse_ids(getattr(settings, "slack_allowed_teams", "")),
            "allowed_channels": parse_ids(getattr(settings, "slack_allowed_channels", "")),
            "allowed_users": parse_ids(getattr(settings, "slack_allowed_users", "")),
            "host": getattr(settings, "slack_host", None) or "127.0.0.1",
            "port": getattr(settings, "slack_port", None) or 3000,
            "api_url": getattr(settings, "slack_api_url", None) or DEFAULT_API_URL,
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values).validate()

    def allows(self, team: str | None, channel: str | None, user: str | None) -> bool:
        """Whether a request from this workspace, channel and user may be answered."""
        if self.allowed_teams and team not in self.allowed_teams:
            return False
        if self.allowed_users and user not in self.allowed_users:
            return False
        if self.allowed_channels:
            if channel is None:
                return False
            # D... ids are direct messages with the bot.
            if channel.startswith("D"):
                return DIRECT_MESSAGES in self.allowed_channels or channel in self.allowed_channels
            return channel in self.allowed_channels
        return True
