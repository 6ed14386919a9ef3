"""Load test of the web UI with a realistic mix of questions, counting only real answers.

Usage: python benchmarks/load.py [--users 50] [--seconds 60] [--think 10] [--customers 2000]
                                 [--mix realistic|metrics] [--concurrency 16]
                                 [--markdown benchmarks/results/load.md]

Serves the web UI in a child process (offline model, a fresh demo store, 127.0.0.1
only) and runs `--users` conversations at once, each its own gradio_client
session, asking as the chat box does (`/ask_job`, web/jobs.py): a quick question
is answered in the reply; a heavy one (personas, churn, copy) or one not answered
within 4 s of its arrival at the server replies at once that it runs in the
background, and the user asks `/job` for the answer (the server waits up to 5 s
for it before it replies "running") until the answer is there, then thinks
`--think` s.

`--mix realistic` (default) weighs what marketers ask (MIX: metrics, rule
segments, profiles, RFM, personas, churn, copy, send time, knowledge);
`--mix metrics` asks metric questions only (what benchmarks/ui_load.py did).

A reply counts as answered only when the final Answer says so (`status ==
"answered"`, no error) and the tool the question is for was called; a clarifying
question, a refusal, an error, a timeout or a different tool counts against that
tool. Per tool it reports time to first reply (the answer, or the background
notice) and time to result (the answer), p50 / p95 / max, how many went to the
background, and the machine's load average before and after: on a shared machine
the figures say what that machine could give, which the output states.

Where a first reply's time goes: the server returns, per question, seconds from
the question's ARRIVAL at the server to the handler's start (Gradio's queue), to
a worker taking it, and to the reply being ready (`timing`, web/timing.py). The
report puts that server-side first reply beside the client's, and the CPU
seconds the server process and the clients' own process used in the load window
(clients and server share the machine's cores).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import socket
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# (tool the question is for, weight, questions): weights follow what a marketing team asks
# most (numbers) and least (heavy models); each user draws from them with its own seed.
MIX: list[tuple[str, int, list[str]]] = [
    (
        "query_metrics",
        40,
        [
            "What was revenue last month?",
            "Revenue by month this year",
            "Top 5 cities by orders in the last 90 days",
            "AOV by channel this year",
            "上个月的销售额是多少？",
            "各城市的客单价",
        ],
    ),
    (
        "define_segment",
        8,
        [
            "Shanghai women 25-35 who bought skincare in the last 90 days",
            "how many women who bought skincare last month",
        ],
    ),
    ("profile_segment", 6, ["describe the Champions segment", "Profile the At Risk segment"]),
    ("rfm_segments", 8, ["segment my customers with RFM", "按RFM给客户分群"]),
    ("customer_personas", 8, ["把客户分成几类并描述一下", "cluster my customers into personas"]),
    ("predict_churn", 8, ["who is likely to churn?", "哪些客户可能流失？"]),
    (
        "generate_copy",
        10,
        [
            "write an SMS for each RFM segment about the new skincare line",
            "给每个RFM分群写一条关于新护肤系列的短信",
        ],
    ),
    ("best_send_time", 6, ["best time to send SMS to at-risk customers"]),
    ("search_knowledge", 6, ["短信可以写多长？", "what are our brand's banned words?"]),
]
# `--mix metrics`: metric questions only (the older benchmarks/ui_load.py's questions).
METRICS_MIX: list[tuple[str, int, list[str]]] = [
    (
        "query_metrics",
        1,
        [
            "What was revenue last month?",
            "Revenue by month this year",
            "Top 5 cities by orders in the last 90 days",
            "How many buyers last month?",
            "AOV by channel this year",
            "上个月的销售额是多少？",
            "各城市的客单价",
            "今年每月的订单数",
        ],
    ),
]
MIXES = {"realistic": MIX, "metrics": METRICS_MIX}
AS_OF = date(2026, 11, 1)  # the demo data ends 2026-10-31
MAX_USERS = 200
MAX_SECONDS = 600
CLIENT_TIMEOUT_S = 120.0
"""How long a user waits for the page (the API description) and for each reply."""
RESULT_TIMEOUT_S = 600.0
"""How long a user polls `/job` for a background job's answer before counting it lost."""
PROBE_EVERY_S = 3.0  # the probe client's question interval (one at a time)
POLL_S = 2.0  # as often as the chat page asks for its background jobs (web/jobs.py)
TARGET_S = 10.0  # issue 17: a first reply within 10 s


@dataclass
class Sample:
    """One question: seconds to the first reply and to the answer, and whether it went background."""

    first_s: float
    result_s: float
    background: bool


@dataclass
class Tally:
    """Per tool: samples of real answers, and why the other replies were not."""

    answered: dict[str, list[Sample]] = field(default_factory=lambda: defaultdict(list))
    failed: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    first_replies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    # Server-side, per question whose reply said (web/timing.py): seconds after arrival.
    server: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)


def verdict(tool: str, reply: dict) -> str | None:
    """None when the reply is a real answer of `tool`'s question, else why not."""
    called = [c["name"] for c in reply.get("tool_calls") or []]
    if reply.get("status") != "answered" or reply.get("error"):
        why = (reply.get("error") or reply.get("answer") or "")[:80]
        return f"status {reply.get('status')}: {why}"
    if tool not in called:
        return f"answered with {called or 'no tool'} instead of {tool}"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int, home: str, customers: int, concurrency: int, ready) -> None:  # noqa: ANN001
    """Child process: build the demo store and serve the UI on 127.0.0.1:port."""
    from copilot.agent import Copilot
    from copilot.frontends.web import app as web
    from copilot.settings import Settings
    from knowledge.demo import generate_demo_data
    from knowledge.store import connect_store

    engine = connect_store(f"duckdb:///{home}/store.duckdb")
    generate_demo_data(engine, customers=customers, seed=42)
    settings = Settings(home=Path(home), as_of=AS_OF, llm_provider="offline")
    web.CHAT_CONCURRENCY = concurrency
    app = web.build_app(Copilot(settings, engine=engine))
    web.start(app, "127.0.0.1", port, block=False)
    ready.set()
    threading.Event().wait()


def ask(client, question: str) -> tuple[dict, float, float, bool, dict]:  # noqa: ANN001
    """Ask as the chat does: (final reply, s to first reply, s to answer, went to background,
    the server's timing of the first reply: {} when the server does not report it)."""
    started = time.perf_counter()
    reply = client.predict(question, api_name="/ask_job")
    first = time.perf_counter() - started
    timing = dict(reply.get("timing") or {})
    background = reply.get("status") == "running"
    while reply.get("status") == "running":
        if time.perf_counter() - started > RESULT_TIMEOUT_S:
            return (
                {"status": "timeout", "error": f"no result in {RESULT_TIMEOUT_S:g} s"},
                first,
                (time.perf_counter() - started),
                True,
                timing,
            )
        polled = time.perf_counter()
        reply = client.predict(reply["job_id"], api_name="/job")
        # `/job` waits up to 5 s for the answer (web/jobs.py JOB_WAIT_S); a server that
        # answers "running" at once is asked again after POLL_S, as the chat page does.
        if reply.get("status") == "running":
            time.sleep(max(0.0, POLL_S - (time.perf_counter() - polled)))
    return reply, first, time.perf_counter() - started, background, timing


def user(
    url: str, index: int, users: int, deadline: float, think: float, mix: list, tally: Tally
) -> None:
    """One conversation: weighted random questions until the deadline, `think` s apart."""
    from gradio_client import Client

    try:
        # A page that does not load is a user not served: counted, not a crash of the run.
        client = Client(url, verbose=False, httpx_kwargs={"timeout": CLIENT_TIMEOUT_S})
    except Exception as exc:  # noqa: BLE001
        with tally.lock:
            tally.failed["(connect)"].append(f"{type(exc).__name__}: {exc}"[:160])
        return
    chooser = random.Random(index)  # fixed seeds: the same mix on every run
    kinds = [(tool, questions) for tool, _, questions in mix]
    weights = [weight for _, weight, _ in mix]
    if think:  # arrivals spread over one think time, not 50 questions in the same instant
        time.sleep(think * index / max(1, users))
    while time.perf_counter() < deadline:
        tool, questions = chooser.choices(kinds, weights)[0]
        question = chooser.choice(questions)
        started = time.perf_counter()
        timing: dict = {}
        try:
            reply, first, result, background, timing = ask(client, question)
            why = verdict(tool, reply)
        except Exception as exc:  # noqa: BLE001 - counted, the load goes on
            first = result = time.perf_counter() - started
            background, why = False, f"{type(exc).__name__}: {exc}"[:160]
        with tally.lock:
            tally.first_replies[tool].append(first)
            if timing.get("reply_s") is not None:
                tally.server[tool].append({**timing, "client_s": first})
            if why is None:
                tally.answered[tool].append(Sample(first, result, background))
            else:
                tally.failed[tool].append(f"{question}: {why} ({result:.1f} s)")
        if think:
            time.sleep(think)


def probe(url: str, seconds: float, ready, out) -> None:  # noqa: ANN001
    """Child process: one client alone in its own process, asking a metric question every
    PROBE_EVERY_S s for `seconds`; puts (client s to first reply, server's reply_s) on `out`.

    Beside the load's 50 clients that share one process (and its GIL), this is what a
    user whose own machine is idle would see; the gap between the two is the clients'."""
    from gradio_client import Client

    client = Client(url, verbose=False, httpx_kwargs={"timeout": CLIENT_TIMEOUT_S})
    questions = METRICS_MIX[0][2]
    chooser = random.Random(7)
    ready.set()
    deadline = time.perf_counter() + seconds
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                reply = client.predict(chooser.choice(questions), api_name="/ask_job")
            except Exception:  # noqa: BLE001 - a lost probe is not a figure
                continue
            first = time.perf_counter() - started
            out.put((first, (reply.get("timing") or {}).get("reply_s")))
            time.sleep(max(0.0, PROBE_EVERY_S - first))
    finally:
        out.put(None)


def run(
    users: int, seconds: float, think: float, customers: int, mix_name: str, concurrency: int
) -> dict:
    """Serve, warm up, load, stop; the figures per tool as a dict."""
    mix = MIXES[mix_name]
    port = free_port()
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    with tempfile.TemporaryDirectory(prefix="load-") as home:
        server = context.Process(
            target=serve, args=(port, home, customers, concurrency, ready), daemon=True
        )
        server.start()
        if not ready.wait(900):
            server.terminate()
            raise SystemExit("the UI did not start within 15 minutes")
        url = f"http://127.0.0.1:{port}/"
        # Warm-up: one question of each kind pays for imports, model loading and the first
        # fits (tools/fit_cache.py), as a server that has been up a while has.
        from gradio_client import Client

        client = Client(url, verbose=False, httpx_kwargs={"timeout": CLIENT_TIMEOUT_S})
        warm_up = {}
        for tool, _, questions in mix:
            _, _, result_s, _, _ = ask(client, questions[0])
            warm_up[tool] = result_s
        probe_ready, probe_out = context.Event(), context.Queue()
        prober = context.Process(
            target=probe, args=(url, seconds, probe_ready, probe_out), daemon=True
        )
        prober.start()
        probe_ready.wait(300)
        load_before = os.getloadavg()
        cpu_before = (_cpu_s(server.pid), _own_cpu_s())
        tally = Tally()
        deadline = time.perf_counter() + seconds
        threads = [
            threading.Thread(
                target=user, args=(url, i, users, deadline, think, mix, tally), daemon=True
            )
            for i in range(users)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        load_after = os.getloadavg()
        cpu_after = (_cpu_s(server.pid), _own_cpu_s())
        probes: list[tuple[float, float | None]] = []
        while (sample := probe_out.get(timeout=CLIENT_TIMEOUT_S + PROBE_EVERY_S)) is not None:
            probes.append(sample)
        prober.join(10)
        server.terminate()
        server.join(10)
    tools = [*(t for t, _, _ in mix), "(connect)"]
    return {
        "users": users,
        "seconds": seconds,
        "think_s": think,
        "customers": customers,
        "mix": mix_name,
        "concurrency": concurrency,
        "wall_s": wall,
        "load_before": load_before,
        "load_after": load_after,
        "cpu_s": {
            "server": cpu_after[0] - cpu_before[0],
            "clients": cpu_after[1] - cpu_before[1],
        },
        "warm_up_s": warm_up,
        "tools": {tool: figures(tally, [tool]) for tool in tools},
        "all": figures(tally, tools),
        "server_all": server_figures(tally, tools),
        "probe": {
            "n": len(probes),
            "first": (_pct([p[0] for p in probes], 50), _pct([p[0] for p in probes], 95)),
            "server": (
                _pct([p[1] for p in probes if p[1] is not None], 50),
                _pct([p[1] for p in probes if p[1] is not None], 95),
            ),
        },
        "failure_samples": {t: f[:3] for t, f in tally.failed.items()},
    }


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of process `pid` so far; nan where /proc is not there."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    """CPU seconds of this process (the clients' threads), user + system."""
    times = os.times()
    return times.user + times.system


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def figures(tally: Tally, tools: list[str]) -> dict:
    """Counts and p50/p95/max of first reply and result (s) over `tools`' questions."""
    samples = [s for t in tools for s in tally.answered.get(t, [])]
    firsts = [x for t in tools for x in tally.first_replies.get(t, [])]
    results = [s.result_s for s in samples]
    failed = sum(len(tally.failed.get(t, [])) for t in tools)
    server = [x["reply_s"] for t in tools for x in tally.server.get(t, [])]
    return {
        "asked": len(samples) + failed,
        "answered": len(samples),
        "not_answered": failed,
        "background": sum(s.background for s in samples),
        "first_p50_s": _pct(firsts, 50),
        "first_p95_s": _pct(firsts, 95),
        "first_max_s": max(firsts) if firsts else float("nan"),
        "first_within_target": sum(x <= TARGET_S for x in firsts),
        "result_p50_s": _pct(results, 50),
        "result_p95_s": _pct(results, 95),
        "result_max_s": max(results) if results else float("nan"),
        "server_first_p50_s": _pct(server, 50),
        "server_first_p95_s": _pct(server, 95),
    }


def server_figures(tally: Tally, tools: list[str]) -> dict:
    """Where first replies' time went over `tools`' questions: p50/p95 of each stage (s).

    queue: arrival -> handler start; slot: arrival -> a worker took the question (only
    questions that got one before their reply); reply: arrival -> reply ready; client:
    what the client measured; client - reply: sending it and the client's own delay.
    """
    rows = [x for t in tools for x in tally.server.get(t, [])]
    stages = {
        "queue": [x["queue_s"] for x in rows if x.get("queue_s") is not None],
        "slot": [x["slot_s"] for x in rows if x.get("slot_s") is not None],
        "reply": [x["reply_s"] for x in rows],
        "client": [x["client_s"] for x in rows],
        "client - reply": [x["client_s"] - x["reply_s"] for x in rows],
    }
    return {
        "timed": len(rows),
        "stages": {k: (_pct(v, 50), _pct(v, 95), len(v)) for k, v in stages.items()},
    }


def markdown(result: dict) -> str:
    """The run as a self-explanatory markdown section for benchmarks/results/load.md."""
    before = ", ".join(f"{x:.1f}" for x in result["load_before"])
    after = ", ".join(f"{x:.1f}" for x in result["load_after"])
    cores = os.cpu_count() or 1
    # Only the load before the run says whether other work shared the machine: the load
    # after it is mostly the run's own server and 50 clients.
    busy = result["load_before"][0] > cores
    lines = [
        f"### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {result['users']} users, think "
        f"{result['think_s']:g} s, {result['seconds']:g} s, mix {result['mix']}, "
        f"{result['customers']:,} customers, Gradio default concurrency {result['concurrency']}",
        "",
        f"Load average (1, 5, 15 min) before: {before}; after: {after} (the run's own "
        "server and clients included). "
        f"Machine: {platform.machine()}, {cores} cores"
        + (
            " — the machine was busy with other work (1-min load above the core count), "
            "so these figures are worse than the copilot's own."
            if busy
            else "."
        ),
        "",
        "first reply = the answer, or the notice that the question runs in the background; "
        "result = the answer. Seconds, answered questions only for result; every question "
        f"for first reply. `≤{TARGET_S:g} s` = first replies within {TARGET_S:g} s.",
        "",
        "| tool | asked | answered | not answered | background | first p50 | first p95 | "
        f"first max | ≤{TARGET_S:g} s | result p50 | result p95 | result max | "
        "server first p50 | server first p95 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows = [*result["tools"].items(), ("all", result["all"])]
    for tool, f in rows:
        if not f["asked"] and tool != "all":
            continue
        lines.append(
            f"| {tool} | {f['asked']} | {f['answered']} | {f['not_answered']} | "
            f"{f['background']} | {f['first_p50_s']:.2f} | {f['first_p95_s']:.2f} | "
            f"{f['first_max_s']:.2f} | {f['first_within_target']} | {f['result_p50_s']:.2f} | "
            f"{f['result_p95_s']:.2f} | {f['result_max_s']:.2f} | "
            f"{f.get('server_first_p50_s', float('nan')):.2f} | "
            f"{f.get('server_first_p95_s', float('nan')):.2f} |"
        )
    slow = [t for t, f in result["tools"].items() if f["first_p95_s"] > TARGET_S]
    warm = ", ".join(f"{t} {s:.1f}" for t, s in result["warm_up_s"].items())
    lines += [
        "",
        f"First reply over {TARGET_S:g} s at p95: {', '.join(slow) if slow else 'none'}.",
        f"Warm-up (one question each before the load, s to result): {warm}.",
    ]
    lines += _stage_lines(result)
    for tool, samples in result["failure_samples"].items():
        for sample in samples:
            lines.append(f"- not answered ({tool}): {sample}")
    return "\n".join(lines) + "\n"


def _stage_lines(result: dict) -> list[str]:
    """Where the first replies' time went (server-side stages and the client), and CPU used."""
    lines: list[str] = []
    server = result.get("server_all") or {}
    if server.get("timed"):
        lines += [
            "",
            f"Where first replies' time went ({server['timed']} questions timed by the server; "
            "seconds after the question's arrival at the server):",
            "",
            "| stage | p50 | p95 | n |",
            "|---|---|---|---|",
        ]
        names = {
            "queue": "handler started (Gradio's queue)",
            "slot": "a worker took the question",
            "reply": "reply ready (server-side first reply)",
            "client": "client saw the reply",
            "client - reply": "client saw it minus reply ready (sending, client's own delay)",
        }
        for key, (p50, p95, n) in server["stages"].items():
            lines.append(f"| {names.get(key, key)} | {p50:.2f} | {p95:.2f} | {n} |")
    else:
        lines.append("The server reported no timing (a server without web/timing.py).")
    probed = result.get("probe") or {}
    if probed.get("n"):
        lines += [
            "",
            f"Probe (one client alone in its own process, a metric question every "
            f"{PROBE_EVERY_S:g} s during the load, {probed['n']} questions): first reply "
            f"p50 {probed['first'][0]:.2f} s, p95 {probed['first'][1]:.2f} s; server-side "
            f"p50 {probed['server'][0]:.2f} s, p95 {probed['server'][1]:.2f} s.",
        ]
    cpu = result.get("cpu_s")
    if cpu:
        wall = result.get("wall_s") or float("nan")
        lines += [
            "",
            f"CPU in the load window ({wall:.0f} s): server process {cpu['server']:.0f} s "
            f"({cpu['server'] / wall:.2f} cores), the clients' process {cpu['clients']:.0f} s "
            f"({cpu['clients'] / wall:.2f} cores).",
        ]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help=f"conversations (<= {MAX_USERS})")
    parser.add_argument("--seconds", type=float, default=60, help=f"duration (<= {MAX_SECONDS})")
    parser.add_argument("--think", type=float, default=10.0, help="seconds between questions")
    parser.add_argument("--customers", type=int, default=2000, help="demo store size")
    parser.add_argument("--mix", choices=sorted(MIXES), default="realistic", help="question mix")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=16,
        help="requests of one event served at once (not the chat, /ask_job, /job: no limit)",
    )
    parser.add_argument("--markdown", type=Path, help="append the result section to this file")
    args = parser.parse_args(argv)
    users = max(1, min(args.users, MAX_USERS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    result = run(
        users, seconds, max(0.0, args.think), args.customers, args.mix, max(1, args.concurrency)
    )
    text = markdown(result)
    print(text)
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()
