"""Background jobs: a question that takes long is answered later, in the same conversation.

Why: a question that holds a request slot for the whole of a churn fit or a
persona clustering makes light questions queue behind it (round 2, 50 users:
metrics p95 18 s while churn took 75 s; benchmarks/results/load.md). Every chat
question runs on its own worker thread (which answers when it gets an ask slot,
tools/fit_cache.py), and the request waits for it only while that is short:

- the answer is ready within ACK_S of the question's ARRIVAL at the server
  (web/timing.py): it is shown at once, as before;
- a heavy tool (HEAVY_TOOLS) has run HEAVY_GRACE_S without finishing, or ACK_S
  pass without an answer (a slow tool, or no free worker yet): the chat says at
  once, in the question's language, that the work goes on in the background and
  what it is doing. A timer in the page shows the job's progress (its steps,
  elapsed seconds) and posts the answer into the chat with its results panel
  when it is done, under one "done" notice.

Planning comes first and needs no worker: the worker's ask slot is taken when the
first tool is asked for (steps.ask_with_steps), so a clarification or a refusal
(no tool, or a heavy tool called only to ask back, ASKS_BACK_ARG) is answered in
the chat at once, never as a background job, however busy the workers are. A
round-4 newcomer waited 14 s for "微信 is not a channel" behind a background
notice: the copy tool's start alone had sent it there.

The request path never blocks on a worker: its handlers are coroutines woken
by the job's steps or the budget's end, so they hold no thread and no Gradio
concurrency slot is needed to bound them (the CPU is bounded by the ask and heavy slots).
Round 3 measured its budget from when the worker started and waited in a
thread per request behind Gradio's limit of 16: first replies p95 11.1 s at 50
users although the budget was 6 s (benchmarks/results/load.md, round 4).

The job belongs to the server, not the tab: closing the tab does not stop it,
and `Copilot.ask` saves the answer in the conversation's history like any other.
`/ask_job` and `/job` give API clients (benchmarks/load.py) the same behaviour.
How many heavy fits run at once is bounded in tools/fit_cache.py.
"""

from __future__ import annotations

import asyncio
import queue
import secrets
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, aclosing, contextmanager
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from copilot.agent import Copilot
from copilot.answer import Answer, ToolStarted
from copilot.frontends.web.chat import (
    THINKING,
    _apply,
    _finished,
    answer_messages,
    failed_message,
)
from copilot.frontends.web.results import ResultItem, result_items
from copilot.frontends.web.steps import StepEvent, StepListener, ask_with_steps, run_with_steps
from copilot.frontends.web.timing import ReplyTrace
from copilot.offline.question import language_of
from knowledge.presentation import N_, tr
from tools.fit_cache import ASKS

HEAVY_GRACE_S = 0.5
"""How long a started heavy tool may run before the job goes to the background: a heavy
tool that declines (e.g. too few buyers for personas) answers within it, in the chat."""
ASKS_BACK_ARG = "unclear"
"""A tool argument naming words the planner could not place: the tool asks about them
instead of working (tools/copywriting/generate.py), so such a call is never heavy."""
ACK_S = 4.0
"""Longest a question waits for its answer, from its arrival, before the background notice.

Leaves 6 s of the 10 s target (issue 17) for sending the reply and for the client."""
JOB_WAIT_S = 5.0
"""Longest `/job` waits for a background job's answer before it replies "running"."""
POLL_S = 2.0
"""How often an open page asks for its background jobs' progress (only while it has some)."""
SETTLE_S = 2.0
"""After a chat reply ends, the page copies it into the chat's state; the poll waits that long."""
KEEP_S = 3600.0
"""A finished job nobody collected is forgotten after this (its answer stays in the history)."""

# Tools that take seconds of CPU even alone (benchmarks/results/load.md), and what they do.
HEAVY_TOOLS: dict[str, str] = {
    "customer_personas": N_("clustering your customers into personas"),
    "predict_churn": N_("training the churn model and scoring every customer"),
    "generate_copy": N_("writing and checking the copy drafts"),
}
_ANSWERING = N_("answering your question")
_QUEUED = N_("your question waits for a free worker (other questions are being answered)")


@dataclass
class Job:
    """One question on its worker thread: its tool steps so far and, when done, the answer."""

    job_id: str
    conversation_id: str
    question: str
    zh: bool
    listener: StepListener
    result: dict[str, Any]
    currency: str = "¥"  # the store's, for money in the results panel
    # The question's arrival at the server (web/timing.py), or when the job started.
    started: float = field(default_factory=time.monotonic)
    marks: dict[str, float] = field(default_factory=dict)  # "slot": when a worker took it
    steps: dict[str, gr.ChatMessage] = field(default_factory=dict)
    tools: list[str] = field(default_factory=list)
    heavy_at: float | None = None  # when a heavy tool started (monotonic s), if one did
    background: bool = False
    working: threading.Event = field(default_factory=threading.Event)  # holds an ask slot
    done_at: float | None = None
    collected: bool = False
    changes: int = 0  # step events applied so far (a waiting request shows new ones)

    def drain(self) -> bool:
        """Apply every step event already there, without waiting; True when done."""
        while self.done_at is None:
            try:
                self._apply(self.listener.events.get_nowait())
            except queue.Empty:
                break
        return self.done_at is not None

    def _apply(self, event: StepEvent | None) -> None:
        self.changes += 1
        if event is None:  # run_with_steps: the answer (or the error) is in `result`
            self.done_at = time.monotonic()
            return
        if event.kind == "start":
            self.tools.append(event.name)
            if self.heavy_at is None and is_heavy_call(event.name, event.args):
                self.heavy_at = time.monotonic()
        _apply(self.steps, event, "zh" if self.zh else "en")

    @property
    def heavy(self) -> bool:
        """A heavy tool has started (not one called to ask back)."""
        return self.heavy_at is not None

    def deadline(self, budget_s: float) -> float:
        """When the chat stops waiting (monotonic s): `budget_s` after the question's
        arrival, or HEAVY_GRACE_S after a heavy tool started, whichever comes first."""
        end = self.started + budget_s
        return end if self.heavy_at is None else min(end, self.heavy_at + HEAVY_GRACE_S)

    @property
    def answer(self) -> Answer | None:
        return self.result.get("value")

    @property
    def slot_at(self) -> float | None:
        """When the job's worker got an ask slot (monotonic s), None while it waits."""
        return self.marks.get("slot")

    def elapsed(self) -> float:
        return (self.done_at or time.monotonic()) - self.started

    def doing(self) -> str:
        """What the job is doing, in the question's language."""
        heavy = [HEAVY_TOOLS[name] for name in self.tools if name in HEAVY_TOOLS]
        # A tool was asked for and waits for a worker (planning needs none).
        waiting = bool(self.tools) and not self.working.is_set() and self.done_at is None
        return tr(self.language, heavy[-1] if heavy else (_QUEUED if waiting else _ANSWERING))

    @property
    def language(self) -> str:
        """The question's language, for every sentence the job shows."""
        return "zh" if self.zh else "en"

    def notice(self) -> gr.ChatMessage:
        """The chat's reply when the job moves to the background (then its progress, then done)."""
        seconds = round(self.elapsed())
        if self.done_at is not None:
            title = tr(self.language, "Background job done · {seconds} s", seconds=seconds)
            return gr.ChatMessage(
                content=self.doing(), metadata={"title": title, "status": "done", "id": self.job_id}
            )
        running = [
            m.metadata["title"]
            for m in self.steps.values()
            if m.metadata.get("status") == "pending"
        ]
        text = tr(
            self.language,
            "This takes a while, so it runs in the background: {doing}. "
            "You can keep asking; the result will appear here when it is done.",
            doing=self.doing(),
        )
        title = tr(self.language, "Running in the background · {seconds} s", seconds=seconds)
        if running:
            text += "\n\n" + "\n".join(f"- {step}" for step in running)
        return gr.ChatMessage(
            content=text, metadata={"title": title, "status": "pending", "id": self.job_id}
        )

    def done_header(self) -> gr.ChatMessage:
        """The one "done" notice, heading the posted answer: the question it answers."""
        header = self.notice()
        header.content = f"> {self.question}"
        header.metadata = {k: v for k, v in header.metadata.items() if k != "id"}
        return header

    def moved_pointer(self) -> gr.ChatMessage:
        """What the notice becomes, where it stood, once the answer is posted further down."""
        seconds = round(self.elapsed())
        title = tr(
            self.language, "Ran in the background · {seconds} s · answer below", seconds=seconds
        )
        return gr.ChatMessage(
            content=self.doing(), metadata={"title": title, "status": "done", "id": self.job_id}
        )

    def final_messages(self) -> list[gr.ChatMessage]:
        """The steps as recorded and the answer's messages (as `respond` shows them)."""
        answer = self.answer
        if answer is None:
            error = self.result.get("error")
            return [*self.steps.values(), failed_message(error, "zh" if self.zh else "en")]
        language = "zh" if self.zh else "en"
        return [*_finished(self.steps, answer, language), *answer_messages(answer, self.zh)]

    def items(self) -> list[ResultItem]:
        """The results panel's items, in the question's language and the store's currency."""
        answer = self.answer
        language = "zh" if self.zh else "en"
        return result_items(answer, language, self.currency) if answer is not None else []


def asks_back(args: Any) -> bool:
    """The call only asks about words the planner could not place (ASKS_BACK_ARG)."""
    return isinstance(args, dict) and bool(args.get(ASKS_BACK_ARG))


def is_heavy_call(name: str, args: Any) -> bool:
    """A call of a heavy tool that will work (not one that only asks about unclear words)."""
    return name in HEAVY_TOOLS and not asks_back(args)


def _currency(copilot: Copilot) -> str:
    """The store's currency symbol for the panel (¥ when the copilot has no context yet)."""
    context = getattr(copilot, "context", None)
    return getattr(context, "currency", "¥")


class JobBoard:
    """The server's jobs per conversation; a conversation only ever sees its own."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._busy: dict[str, int] = {}
        self._settled_at: dict[str, float] = {}
        self._lock = threading.Lock()

    def start(
        self,
        copilot: Copilot,
        question: str,
        conversation_id: str | None,
        arrived: float | None = None,
    ) -> Job:
        """Start answering `question` on a worker thread (a new conversation when no id).

        `arrived` is the question's arrival at the server (monotonic s, web/timing.py);
        the job's budget and elapsed time count from it (default: now).
        """
        conversation = conversation_id or f"web-job-{secrets.token_hex(8)}"
        listener = StepListener()
        working = threading.Event()
        marks: dict[str, float] = {}

        @contextmanager
        def slot() -> Iterator[None]:
            # Tools run when an ask slot is free (tools/fit_cache.py AskSlots): a few
            # questions at full speed rather than all of them at a crawl.
            with ASKS.slot():
                marks["slot"] = time.monotonic()
                working.set()
                yield

        def tool_slot(event: ToolStarted) -> AbstractContextManager[None] | None:
            # A call that only asks back is as quick as planning: it needs no worker.
            return None if asks_back(event.args) else slot()

        def work() -> Answer:
            # Through the agent's event stream, so the job sees each tool step; the
            # planning before the first tool takes no slot (steps.ask_with_steps).
            return ask_with_steps(copilot, question, conversation, listener, tool_slot)

        result = run_with_steps(work, listener)
        job = Job(
            job_id=secrets.token_hex(8),
            conversation_id=conversation,
            question=question,
            zh=language_of(question) == "zh",
            listener=listener,
            result=result,
            working=working,
            currency=_currency(copilot),
            started=time.monotonic() if arrived is None else arrived,
            marks=marks,
        )
        with self._lock:
            self._prune()
            self._jobs[job.job_id] = job
        return job

    def get(self, conversation_id: str | None, job_id: str) -> Job | None:
        """The job if it belongs to this conversation (another session's id gives None)."""
        with self._lock:
            job = self._jobs.get((job_id or "").strip())
        return job if job is not None and job.conversation_id == conversation_id else None

    def background(self, conversation_id: str | None) -> list[Job]:
        """This conversation's background jobs whose answer has not been shown yet, oldest first."""
        with self._lock:
            jobs = [
                j
                for j in self._jobs.values()
                if j.conversation_id == conversation_id and j.background and not j.collected
            ]
        return sorted(jobs, key=lambda j: j.started)

    def collect(self, job: Job) -> None:
        """The job's answer has been shown or returned: forget it."""
        with self._lock:
            job.collected = True
            self._jobs.pop(job.job_id, None)

    def busy(self, conversation_id: str | None) -> bool:
        """A question of this conversation is being answered in the chat right now."""
        key = conversation_id or ""
        with self._lock:
            # The poll reads the chat's state: until the page has stored the reply just
            # given, that state lacks it, and the poll's update would drop it from view.
            settling = time.monotonic() < self._settled_at.get(key, 0.0)
            return self._busy.get(key, 0) > 0 or settling

    def mark_busy(self, conversation_id: str | None, delta: int) -> None:
        with self._lock:
            key = conversation_id or ""
            self._busy[key] = self._busy.get(key, 0) + delta
            if self._busy[key] <= 0:
                self._busy.pop(key, None)
                self._settled_at[key] = time.monotonic() + SETTLE_S

    def _prune(self) -> None:
        """Drop finished jobs nobody collected within KEEP_S (caller holds the lock)."""
        now = time.monotonic()
        for key, until in list(self._settled_at.items()):
            if until < now:
                del self._settled_at[key]
        for job_id, job in list(self._jobs.items()):
            if job.done_at is not None and now - job.done_at > KEEP_S:
                del self._jobs[job_id]


async def watch(job: Job, deadline: Callable[[], float]) -> AsyncIterator[Job]:
    """Yield the job after each batch of new step events, until it is done or `deadline()` passes.

    `deadline()` gives monotonic seconds, read again after each step (a heavy tool's
    start brings it forward, Job.deadline). A coroutine woken by the job's worker on each step
    (StepListener.wakers) or by the deadline: waiting holds no thread and does not poll
    (a poll per waiting request would take the GIL from the workers many times a second).
    Close it (contextlib.aclosing) when leaving early, so its wake-up is unregistered.
    """
    loop = asyncio.get_running_loop()
    woken = asyncio.Event()

    def wake() -> None:  # on the worker thread
        try:
            loop.call_soon_threadsafe(woken.set)
        except RuntimeError:  # the waiting coroutine's loop has closed: nobody to wake
            pass

    job.listener.wakers.append(wake)
    try:
        seen = job.changes
        while True:
            woken.clear()  # before draining: an event queued after this wakes the wait below
            done = job.drain()
            if job.changes != seen:
                seen = job.changes
                yield job
            if done or time.monotonic() >= deadline():
                return
            try:
                await asyncio.wait_for(woken.wait(), max(0.0, deadline() - time.monotonic()))
            except TimeoutError:
                pass
    finally:
        job.listener.wakers.remove(wake)


async def follow_in_foreground(job: Job, budget_s: float | None = None) -> AsyncIterator[Job]:
    """Follow the job while it is short: yields after new steps; ends done or in the background.

    Ends with `job.done_at` set (answer ready), or with `job.background` True: a heavy
    tool ran HEAVY_GRACE_S, or `budget_s` (default ACK_S) passed since the question
    arrived (`job.started`) without an answer (Job.deadline).
    """
    budget = ACK_S if budget_s is None else budget_s
    async with aclosing(watch(job, lambda: job.deadline(budget))) as steps:
        async for _ in steps:
            if job.done_at is not None:
                break
            yield job
    if job.done_at is None:
        job.background = True


async def respond_or_background(
    board: JobBoard,
    copilot: Copilot,
    message: str,
    conversation_id: str | None,
    arrived: float | None = None,
) -> AsyncIterator[tuple[list[gr.ChatMessage], list[ResultItem] | Any, bool]]:
    """The chat's reply: steps, then the answer, or the background notice (third item True).

    `arrived`: the question's arrival at the server (web/timing.py); default now.
    """
    trace = ReplyTrace(arrived or time.monotonic(), time.monotonic())
    board.mark_busy(conversation_id, +1)
    job: Job | None = None
    try:
        job = board.start(copilot, message, conversation_id, trace.arrived)
        thinking = gr.ChatMessage(
            content="",
            metadata={"title": tr(job.language, THINKING), "status": "pending"},
        )
        yield [thinking], gr.skip(), False
        async for _ in follow_in_foreground(job):
            yield list(job.steps.values()), gr.skip(), False
        trace.slot, trace.replied = job.slot_at, time.monotonic()
        if job.background:
            trace.log("notice", message)
            # The notice alone: it lists the running steps itself and the poll keeps it
            # current; a step left beside it would spin on after the answer is posted.
            yield [job.notice()], gr.skip(), True
            return
        board.collect(job)
        trace.log("answer", message)
        yield job.final_messages(), job.items(), False
    finally:
        if job is not None and not job.collected:
            # The tab closed (or reloaded) before the reply ended: the job goes on in
            # the background, and the page that comes back gets its notice (restore_jobs).
            job.background = True
        board.mark_busy(conversation_id, -1)


def poll_updates(
    board: JobBoard, conversation_id: str | None, history: list[Any]
) -> tuple[list[dict[str, Any]] | None, list[ResultItem] | None, bool]:
    """The chat history with background jobs' progress and finished answers.

    Returns (new history or None when nothing changed, result items of the latest
    finished job or None, whether jobs are still running). While the conversation
    is answering in the chat, nothing changes (the chat's reply would overwrite it).
    """
    jobs = board.background(conversation_id)
    if not jobs:
        return None, None, False
    if board.busy(conversation_id):
        return None, None, True
    messages = [_as_dict(m) for m in history or []]
    changed, items, running = False, None, False
    for job in jobs:
        done = job.drain()
        notice = _as_dict(job.notice())
        index = next(
            (
                i
                for i, m in enumerate(messages)
                if (m.get("metadata") or {}).get("id") == job.job_id
            ),
            None,
        )
        if index is None:  # the chat was cleared, or another tab: append at the end
            messages.append(notice)
            index = len(messages) - 1
            changed = True
        elif messages[index] != notice:
            messages[index] = notice
            changed = True
        if done:
            # At the end, where the user looks, under one "done" notice naming the
            # question. The notice makes way for it when nothing came after it, or
            # else points down to it (two "done" notices read as two jobs).
            if index == len(messages) - 1:
                messages.pop(index)
            else:
                messages[index] = _as_dict(job.moved_pointer())
            messages += [_as_dict(m) for m in [job.done_header(), *job.final_messages()]]
            items = job.items()
            board.collect(job)
            changed = True
        else:
            running = True
    return (messages if changed else None), items, running


def restore_jobs(
    board: JobBoard, conversation_id: str | None, messages: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], bool]:
    """A reloaded page's chat (`messages`, read from the store BEFORE this call) with the
    notice of each background job still running; True when the page's job timer must run.

    A job whose answer is in `messages` (it finished while no page was open) is collected,
    so the poll does not post it a second time. One that finished after the store was
    read is left to the poll, which posts it under its "done" notice.
    """
    stored = {str(m.get("content")) for m in messages if m.get("role") == "assistant"}
    running = False
    for job in board.background(conversation_id):
        if job.drain():
            answer = job.answer
            if answer is not None and answer.text in stored:
                board.collect(job)
            else:
                running = True  # not in what was read: the poll posts it
            continue
        messages = [*messages, _as_dict(job.notice())]
        running = True
    return messages, running


def _as_dict(message: Any) -> dict[str, Any]:
    """A chat message as the chatbot's state holds it: role, content, metadata."""
    if isinstance(message, dict):
        return dict(message)
    return {
        "role": message.role,
        "content": message.content,
        "metadata": dict(message.metadata or {}),
    }


async def ask_job_json(
    board: JobBoard,
    copilot: Copilot,
    question: str,
    conversation_id: str | None,
    arrived: float | None = None,
) -> dict[str, Any]:
    """`/ask_job`: the `/ask` answer when it is quick, else {status: "running", job_id, answer}.

    "running" means the question went to the background (see the module docstring);
    `answer` is then the notice the chat shows; poll `/job` with the job id. Both carry
    `timing`: seconds after the question's arrival (`arrived`, default now) at which the
    handler started, a worker took it and the reply was ready (web/timing.py).
    """
    trace = ReplyTrace(arrived or time.monotonic(), time.monotonic())
    job = board.start(copilot, question, conversation_id, trace.arrived)
    async for _ in follow_in_foreground(job):
        pass
    trace.slot, trace.replied = job.slot_at, time.monotonic()
    trace.log("notice" if job.background else "answer", question)
    if job.background:
        return {**_running_json(job), "timing": trace.as_json()}
    board.collect(job)
    return {**_answer_json(job), "timing": trace.as_json()}


async def job_json(
    board: JobBoard, conversation_id: str | None, job_id: str, wait_s: float | None = None
) -> dict[str, Any]:
    """`/job`: a background job's answer, or its progress ({status: "running", ...}).

    Waits up to `wait_s` (default JOB_WAIT_S) for the answer before it replies
    "running" (a long poll: the answer goes out as soon as it is ready, and a client
    needs a round trip per JOB_WAIT_S rather than one a second). A job id of another
    session, or one already collected, gives status "error" at once.
    """
    job = board.get(conversation_id, job_id)
    if job is None:
        reason = "No such job in this conversation (it may have been collected already)."
        return {"status": "error", "answer": reason, "error": reason, "job_id": job_id}
    deadline = time.monotonic() + (JOB_WAIT_S if wait_s is None else wait_s)
    async with aclosing(watch(job, lambda: deadline)) as steps:
        async for _ in steps:
            if job.done_at is not None:
                break
    if job.done_at is None:
        return _running_json(job)
    board.collect(job)
    return _answer_json(job)


def _running_json(job: Job) -> dict[str, Any]:
    return {
        "status": "running",
        "job_id": job.job_id,
        "answer": str(job.notice().content),
        "doing": job.doing(),
        "elapsed_s": round(job.elapsed(), 1),
        "tool_calls": [{"name": name} for name in job.tools],
        "conversation_id": job.conversation_id,
        "error": None,
    }


def _answer_json(job: Job) -> dict[str, Any]:
    answer = job.answer
    if answer is None:
        error = str(job.result.get("error"))
        return {"status": "error", "answer": error, "error": error, "job_id": job.job_id}
    return {
        **answer.to_json(),
        "conversation_id": answer.conversation_id,
        "job_id": job.job_id,
        "elapsed_s": round(job.elapsed(), 1),
    }
