"""What the bot does with a mention, a direct message and the `/copilot` command.

Every handler is acknowledged at once (Bolt acks events before running the
listener; the command acks in `ack_command` and works in a lazy listener), so
Slack never waits past its 3 seconds; the answer then goes into the thread of
the question. One Slack thread is one copilot conversation.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from typing import Any, Protocol

from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from copilot.answer import Answer
from copilot.frontends.slack.config import SlackConfig
from copilot.frontends.slack.dedupe import KeyedLocks, SeenEvents
from copilot.frontends.slack.render import answer_blocks, answer_files, escape, fallback_text
from copilot.offline.question import language_of
from copilot.store_label import store_label
from knowledge.presentation import N_, tr

logger = logging.getLogger(__name__)

SOURCE = "slack"
WORKING_REACTION = "eyes"
REFUSAL = "Sorry, this copilot is not enabled for you here. Ask your Slack admin for access."
USAGE = "Ask me about your store, e.g. `/copilot revenue by month this year`."
FAILED = "Sorry, something went wrong while answering; the error was logged. Please try again."
LOOKING_INTO = N_("Looking into: {question}")
UPLOAD_REFUSED = N_(
    "I could not attach the tables and charts (Slack said `{error}`; the app needs the "
    "`files:write` scope)."
)
UPLOAD_FAILED = N_("I could not attach the tables and charts; the error was logged.")

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#[CG][A-Z0-9]+\|([^>]*)>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(\w+)[^>]*>")
# "confirm abcdefgh" in a thread runs that pending action (copilot/confirmation.py).
_CONFIRM = re.compile(r"^\s*(?:confirm|确认)\s+([a-z]{8})\s*$", re.I)
CONFIRM_ACTION = "copilot_confirm"


class Asker(Protocol):
    """What the bot needs of the copilot (`copilot.agent.Copilot` is one)."""

    def ask(self, question: str, conversation_id: str | None = None, source: str = "api") -> Answer:
        """Answer one question in a conversation."""
        ...


def conversation_id(team: str | None, channel: str, thread_ts: str) -> str:
    """The copilot conversation of a Slack thread."""
    return f"slack-{team or 'unknown'}-{channel}-{thread_ts}"


def question_text(text: str, bot_user_id: str | None) -> str:
    """A message's text as a plain question: the bot's mention gone, Slack's markup unwrapped."""
    text = _USER.sub(lambda m: "" if m.group(1) == bot_user_id else f"@{m.group(1)}", text)
    text = _CHANNEL.sub(r"#\1", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _SPECIAL.sub(r"@\1", text)
    return " ".join(html.unescape(text).split())


def guard_middleware(config: SlackConfig, seen: SeenEvents) -> Callable[..., BoltResponse | None]:
    """A global middleware: drop events already seen (Slack's retries) and requests not allowed.

    Blocked mentions and messages are acknowledged and ignored: a refusal posted
    in a channel would be noise, and would confirm the bot to outsiders in shared
    channels. A blocked `/copilot` gets a refusal only its sender sees.
    """

    def guard(
        body: dict[str, Any], context: BoltContext, request: BoltRequest, next_: Callable[[], None]
    ) -> BoltResponse | None:
        retry = (request.headers.get("x-slack-retry-num") or [None])[0]
        event_id = body.get("event_id")
        if event_id and not seen.first_time(str(event_id)):
            logger.info("event %s already handled (retry %s); not answering again", event_id, retry)
            # Tells Slack to stop retrying this event.
            return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
        if body.get("command"):
            # Slack never resends a command, so the same signed request again is a
            # replay (possible within the 5-minute timestamp window): answer it once.
            key = (request.headers.get("x-slack-signature") or [None])[0] or body.get("trigger_id")
            if key and not seen.first_time(f"command:{key}"):
                logger.warning("a /copilot request was replayed; not answering it again")
                return BoltResponse(status=200, body="")
        allowed = _allowed(config, body, context)
        if not allowed:
            logger.info(
                "not allowed: team %s, channel %s, user %s",
                context.team_id,
                context.channel_id,
                context.user_id,
            )
            if body.get("command"):
                return BoltResponse(
                    status=200, body={"response_type": "ephemeral", "text": REFUSAL}
                )
            return BoltResponse(status=200, body="")
        if retry is not None:
            logger.info("retry %s of event %s we never saw: answering it", retry, event_id)
        next_()
        return None

    return guard


def acting_teams(body: dict[str, Any]) -> set[str]:
    """The workspace(s) of the person acting, as the request reports them.

    In a Slack Connect channel the request's `team_id` is the workspace the app
    is installed in, while the person may belong to another organisation: their
    own team is in `event.user_team` / `event.team` / `event.source_team` (events),
    `user_team` (commands from shared channels) or `user.team_id` (interactions).
    """
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    user = body.get("user") if isinstance(body.get("user"), dict) else {}
    candidates = (
        event.get("user_team"),
        event.get("source_team"),
        event.get("team"),
        body.get("user_team"),
        user.get("team_id"),
    )
    return {str(team) for team in candidates if isinstance(team, str) and team}


def _allowed(config: SlackConfig, body: dict[str, Any], context: BoltContext) -> bool:
    """The allowlists on the installation's team, channel, user and the acting user's own team."""
    allowed = config.allows(context.team_id, context.channel_id, context.user_id) or (
        context.enterprise_id is not None
        and config.allows(context.enterprise_id, context.channel_id, context.user_id)
    )
    if not allowed or not config.allowed_teams:
        return allowed
    teams = acting_teams(body)
    if not teams and body.get("is_ext_shared_channel"):
        return False  # a shared channel that does not say whose the person is
    outsiders = teams - config.allowed_teams - {context.enterprise_id}
    if outsiders:
        logger.info("not allowed: a user of team(s) %s in a shared channel", sorted(outsiders))
    return not outsiders


class Responder:
    """Asks the copilot and posts the answer in a thread, one question per thread at a time."""

    def __init__(self, copilot: Asker) -> None:
        self.copilot = copilot
        self._locks = KeyedLocks()

    def answer_in_thread(
        self,
        client: WebClient,
        team: str | None,
        channel: str,
        thread_ts: str,
        question: str,
        user: str | None = None,
    ) -> None:
        """Answer `question` in the thread `thread_ts` of `channel`, continuing its conversation.

        "confirm <id>" confirms a pending action of this thread as `user` instead.
        """
        conversation = conversation_id(team, channel, thread_ts)
        # Held while posting too, so two quick questions in a thread are answered in order.
        with self._locks(conversation):
            try:
                answer = self._confirm_or_ask(question, conversation, user)
            except Exception:
                logger.exception("the copilot failed on %r", question)
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=FAILED)
                return
            language = language_of(question)
            note = store_note(self.copilot, answer, language)
            post_answer(client, channel, thread_ts, answer, language, self._currency(), note)

    def _currency(self) -> str:
        """The store's currency for money in CSV uploads (a test double may have no context)."""
        context = getattr(self.copilot, "context", None)
        return getattr(context, "currency", "¥")

    def _confirm_or_ask(self, question: str, conversation: str, user: str | None) -> Answer:
        wanted = _CONFIRM.match(question)
        confirm = getattr(self.copilot, "confirm", None)
        if wanted and confirm is not None:
            return confirm(wanted.group(1), slack_actor(user), conversation)
        return self.copilot.ask(question, conversation, source=SOURCE)

    def answer_event(self, client: WebClient, context: BoltContext, event: dict[str, Any]) -> None:
        """Answer a mention or a direct message in its thread (a new thread under a new message)."""
        if event.get("bot_id") or not event.get("text"):
            return  # other bots' messages: answering them could start a loop
        channel, ts = event["channel"], event["ts"]
        add_reaction(client, channel, ts)
        question = question_text(event["text"], context.bot_user_id)
        self.answer_in_thread(
            client,
            context.team_id,
            channel,
            event.get("thread_ts") or ts,
            question,
            event.get("user"),
        )


def store_note(copilot: Asker, answer: Answer, language: str) -> str | None:
    """The note the CLI prints under an answer (copilot.store_label): demo numbers, empty
    tables; None for a test double without a store, or a store that needs no note."""
    engine = getattr(copilot, "engine", None)
    if engine is None:
        return None
    try:
        return store_label(engine).note(language, answer)
    except Exception:  # noqa: BLE001 - the answer is posted even if the label cannot be read
        logger.warning("could not read the store's label", exc_info=True)
        return None


def post_answer(
    client: WebClient,
    channel: str,
    thread_ts: str,
    answer: Answer,
    language: str = "en",
    currency: str = "¥",
    note: str | None = None,
) -> None:
    """Post the answer's blocks (with the store's `note`) in the thread, then its tables
    (CSV, headers and values in the question's `language`) and charts (PNG)."""
    client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        text=fallback_text(answer),
        blocks=answer_blocks(answer, note),
        unfurl_links=False,
        unfurl_media=False,
    )
    try:
        files = answer_files(answer, language, currency)
        if files:
            client.files_upload_v2(channel=channel, thread_ts=thread_ts, file_uploads=files)
    except SlackApiError as exc:
        error = exc.response.get("error")
        logger.warning("could not upload the answer's files: %s", error)
        _say(client, channel, thread_ts, tr(language, UPLOAD_REFUSED, error=error))
    except Exception:
        # The answer is already in the thread: a failed attachment (rendering, the upload
        # URL, the network) is one sentence there and a logged traceback, not a lost reply.
        logger.exception("could not attach the answer's tables and charts")
        _say(client, channel, thread_ts, tr(language, UPLOAD_FAILED))


def _say(client: WebClient, channel: str, thread_ts: str, text: str) -> None:
    """Post one sentence in the thread; a failure to do so is logged, not raised."""
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)
    except Exception:  # noqa: BLE001 - nothing more can be told to the user
        logger.exception("could not post to the thread either")


def add_reaction(client: WebClient, channel: str, ts: str) -> None:
    """Mark the question as being worked on; optional (needs `reactions:write`)."""
    try:
        client.reactions_add(channel=channel, timestamp=ts, name=WORKING_REACTION)
    except SlackApiError as exc:
        logger.debug("no reaction: %s", exc.response.get("error"))


def register_listeners(app: App, copilot: Asker, config: SlackConfig) -> None:
    """Wire the guard, the mention, direct message and slash command listeners into `app`."""
    responder = Responder(copilot)
    app.use(guard_middleware(config, SeenEvents()))

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        responder.answer_event(client, context, event)

    @app.event("message")
    def on_message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        # Only direct messages: in channels the bot answers mentions (app_mention).
        if event.get("channel_type") == "im" and not event.get("subtype"):
            responder.answer_event(client, context, event)

    def ack_command(ack: Ack, body: dict[str, Any]) -> None:
        question = (body.get("text") or "").strip()
        # In the question's language: "/copilot 上个月的客单价是多少？" is acknowledged in Chinese.
        text = tr(language_of(question), LOOKING_INTO, question=question) if question else USAGE
        ack(response_type="ephemeral", text=text)

    def answer_command(
        body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        question = " ".join(html.unescape(body.get("text") or "").split())
        if not question:
            return
        channel, user = body["channel_id"], body["user_id"]
        try:
            # A command has no thread: start one under a message that shows the question.
            parent = client.chat_postMessage(
                channel=channel, text=f"<@{user}> asked: {escape(question)}"
            )
        except SlackApiError as exc:
            logger.info(
                "cannot post in %s (%s): answering privately", channel, exc.response.get("error")
            )
            answer_privately(copilot, respond, context, body, question)
            return
        responder.answer_in_thread(client, context.team_id, channel, parent["ts"], question, user)

    app.command(config.command)(ack=ack_command, lazy=[answer_command])

    @app.action(re.compile(f"^{CONFIRM_ACTION}"))
    def on_confirm(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        # The button under an answer: confirm its pending action, as the person who pressed it.
        ack()
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or context.channel_id
        thread_ts = message.get("thread_ts") or message.get("ts")
        value = next((a.get("value") for a in body.get("actions") or []), None)
        if not (channel and thread_ts and value):
            return
        user = (body.get("user") or {}).get("id") or context.user_id
        responder.answer_in_thread(
            client, context.team_id, channel, thread_ts, f"confirm {value}", user
        )

    @app.event(re.compile(".*"))
    def on_other_event(event: dict[str, Any]) -> None:
        # Acked (Bolt answers 404 otherwise) so Slack does not retry events the bot has no use for.
        logger.debug("ignored a %s event", event.get("type"))


def slack_actor(user: str | None) -> str:
    """The audit log's actor for a confirmation given in Slack: slack:<user id>."""
    return f"slack:{user or 'unknown'}"


def answer_privately(
    copilot: Asker, respond: Respond, context: BoltContext, body: dict[str, Any], question: str
) -> None:
    """Answer a command through its response URL, where the bot cannot post (not a member)."""
    conversation = conversation_id(
        context.team_id, body["channel_id"], f"cmd-{body.get('trigger_id')}"
    )
    answer = copilot.ask(question, conversation, source=SOURCE)
    language = language_of(question)
    hint = "Invite me to this channel to get tables and charts too."
    if answer.pending_actions:
        # A private reply has no thread to confirm in: the actions stay undone.
        hint += " Pending actions can be confirmed only where I can post: ask there again."
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": hint}]}
    blocks = [
        b
        for b in answer_blocks(answer, store_note(copilot, answer, language))
        if not b.get("block_id", "").startswith("copilot_confirm")
    ]
    respond(
        text=fallback_text(answer),
        blocks=[*blocks, note],
        response_type="ephemeral",
        replace_original=False,
    )
