"""One frozen settings object, read from `COPILOT_*` environment variables.

An optional TOML file (path in `COPILOT_CONFIG_FILE`) supplies defaults that the
environment overrides. Every field has a default and a one-line help text; the
README's settings table is generated from this class (`copilot settings --markdown`).
"""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class Settings(BaseSettings):
    """All settings of the copilot; environment variables are `COPILOT_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="COPILOT_", frozen=True, extra="ignore")

    home: Path = Field(
        default=Path("~/.marketing-copilot"),
        description="Data directory: the embedded DuckDB store, knowledge index, exports.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; empty means a DuckDB file `store.duckdb` under the home directory.",
    )
    state_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the copilot's own state (conversations, saved segments, drafts, audit, scores); empty means `state.sqlite` under the home directory, or the same database when the store is PostgreSQL.",
    )
    store_wait_s: float = Field(
        default=60.0,
        description="Seconds to wait for other copilot processes that hold the store (an import) before giving up.",
    )
    llm_provider: Literal["auto", "offline", "openai"] = Field(
        default="auto",
        description="Chat model: `offline` planner, `openai` (any OpenAI-compatible endpoint), or `auto` (openai when a key or base URL is set).",
    )
    llm_base_url: str | None = Field(
        default=None,
        description="Base URL of an OpenAI-compatible endpoint (Ollama, vLLM, DeepSeek, Qwen); empty means OpenAI.",
    )
    llm_model: str = Field(
        default="gpt-4o-mini", description="Model name sent to the remote endpoint."
    )
    llm_api_key: SecretStr | None = Field(
        default=None,
        description="API key of the remote endpoint (falls back to OPENAI_API_KEY).",
    )
    llm_timeout_s: float = Field(
        default=600.0,
        description="Seconds one remote model call may take in all (not per read); a small model on a CPU needs minutes.",
    )
    llm_max_retries: int = Field(
        default=2, description="Retries with backoff on 429 and 5xx from the remote model."
    )
    llm_tool_choice: Literal["auto", "required", "none-sent"] = Field(
        default="auto",
        description="`tool_choice` sent with the tools: `auto`; `required` on a question's first call (then auto); `none-sent` to send none (servers that reject it).",
    )
    llm_stream: Literal["auto", "true", "false"] = Field(
        default="auto",
        description="Stream the remote model's replies: `auto` streams and falls back to one plain request when the server refuses streaming with tools; `false` never streams.",
    )
    llm_tool_shortlist: bool = Field(
        default=True,
        description="Send a remote model only the tools the question can need (the offline planner's reading), all when unsure.",
    )
    row_limit: int = Field(
        default=1000, description="Most rows a tool returns; longer results are marked truncated."
    )
    query_timeout_s: float = Field(default=30.0, description="Time limit of one query, in seconds.")
    max_tool_steps: int = Field(
        default=8, description="Most tool calls the agent makes for one question."
    )
    as_of: date | None = Field(
        default=None,
        description="Date that relative periods ('last month') count from; empty means today, or the day after the latest order if the data ends earlier.",
    )
    semantic_model_path: Path | None = Field(
        default=None,
        description="YAML semantic model (metrics, dimensions, synonyms); empty means the shipped one.",
    )
    warehouse_mapping: Path | None = Field(
        default=None,
        description="YAML file mapping customers, orders, ... onto the warehouse's own schema-qualified tables and columns (see `copilot check-warehouse`); empty means the store's own tables.",
    )
    warehouse_cache_s: float = Field(
        default=300.0,
        description="Seconds the cached row counts and dimension values of a server warehouse are trusted before its row counts are checked again (the embedded file is checked by its modification time).",
    )
    currency: str | None = Field(
        default=None,
        description="The store's one currency as an ISO code or symbol (GBP, £); empty means the currency of the first import (¥ when no file named one). Answers show its symbol; a file in another currency is refused.",
    )
    timezone: str = Field(
        default="Asia/Shanghai",
        description="IANA timezone of the store: order dates are calendar dates there; imported timestamps with an offset (+08:00, Z) are converted to it.",
    )
    date_order: Literal["day-first", "month-first"] | None = Field(
        default=None,
        description="How imports read dates such as 03/04/2024; empty means from the data, and a column that reads both ways is refused.",
    )
    demo_customers: int = Field(
        default=2000, description="Customers in the demo store created on first start."
    )
    demo_seed: int = Field(default=42, description="Seed of the demo store created on first start.")
    ui_host: str = Field(default="127.0.0.1", description="Address the web UI binds to.")
    ui_port: int = Field(default=7860, description="Port of the web UI.")
    ui_auth: str | None = Field(
        default=None, description="Optional web UI login as `user:password`."
    )
    slack_bot_token: SecretStr | None = Field(
        default=None, description="Slack bot token (`xoxb-...`) used by `copilot slack`."
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        description="Slack signing secret; every HTTP request from Slack is verified with it.",
    )
    slack_app_token: SecretStr | None = Field(
        default=None,
        description="Slack app-level token (`xapp-...`); when set, `copilot slack` uses Socket Mode instead of HTTP.",
    )
    slack_allowed_teams: str = Field(
        default="",
        description="Comma-separated Slack workspace ids that may use the bot; empty allows all.",
    )
    slack_allowed_channels: str = Field(
        default="",
        description="Comma-separated channel ids the bot answers in (`dm` admits direct messages); empty allows all.",
    )
    slack_allowed_users: str = Field(
        default="", description="Comma-separated Slack user ids that may ask; empty allows all."
    )
    slack_host: str = Field(
        default="127.0.0.1", description="Address the Slack HTTP endpoint binds to."
    )
    slack_port: int = Field(
        default=3000, description="Port of the Slack HTTP endpoint (`POST /slack/events`)."
    )
    slack_api_url: str = Field(
        default="https://slack.com/api/",
        description="Base URL of the Slack Web API (tests point it at a fake).",
    )
    allow_raw_rows: bool = Field(
        default=False,
        description="Let raw (non-aggregate) rows go to a remote model; personal data is masked either way.",
    )
    rule_min_baskets: int = Field(
        default=5,
        ge=1,
        description="Fewest baskets a cross-sell rule must rest on to become advice; rules on fewer are shown as data only.",
    )
    quiet_hours: str | None = Field(
        default=None,
        description="Hours no marketing message is sent, as `21-09` (local time), for every channel; the playbooks' own quiet hours apply as well.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("COPILOT_CONFIG_FILE")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)

    @property
    def home_dir(self) -> Path:
        """The data directory, expanded and created on first use."""
        path = self.home.expanduser()
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def store_url(self) -> str:
        """The store's SQLAlchemy URL (the embedded DuckDB file by default)."""
        return self.database_url or f"duckdb:///{self.home_dir / 'store.duckdb'}"

    @property
    def state_store_url(self) -> str:
        """The state store's SQLAlchemy URL (see `state_url`)."""
        if self.state_url:
            return self.state_url
        if self.database_url and self.database_url.startswith("postgresql"):
            return self.database_url
        return f"sqlite:///{self.home_dir / 'state.sqlite'}"

    @property
    def api_key(self) -> str | None:
        """The remote model's key, from the setting or OPENAI_API_KEY."""
        if self.llm_api_key is not None:
            return self.llm_api_key.get_secret_value()
        return os.environ.get("OPENAI_API_KEY") or None

    @property
    def uses_remote_model(self) -> bool:
        """Whether questions go to an OpenAI-compatible model instead of the offline planner."""
        if self.llm_provider == "auto":
            return bool(self.api_key or self.llm_base_url)
        return self.llm_provider == "openai"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()


def settings_table_markdown() -> str:
    """The settings as a Markdown table: variable, default, help."""
    lines = ["| variable | default | what it does |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = "" if default is None else str(default)
        lines.append(f"| `COPILOT_{name.upper()}` | `{shown}` | {field.description} |")
    return "\n".join(lines)
