"""Load test with a realistic mix of questions, counting only real answers, p50/p95 per tool.

Usage: python benchmarks/load.py [--users 50] [--seconds 60] [--think 10] [--customers 2000]
                                 [--markdown benchmarks/results/load.md]

Serves the web UI in a child process (offline model, a fresh demo store, 127.0.0.1
only; `benchmarks/ui_load.py`'s server) and runs `--users` conversations at once,
each its own gradio_client session, asking through `/ask` a weighted mix of what
marketers ask: metrics, rule segments and profiles, RFM segments, personas
(K-means), churn, copy, send time, and knowledge. A reply counts as answered
only when the Answer says so (`status == "answered"`, no error) and the tool the
question is for was called; a clarifying question, a refusal, an error or a
different tool counts against that tool. Prints and records, per tool, questions
asked, answered, p50 / p95 / max latency of answered ones, and the machine's load
average before and after (the machine may be shared).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ui_load import free_port, serve  # noqa: E402 - after the path set-up above

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
MAX_USERS = 200
CLIENT_TIMEOUT_S = 120.0
"""How long a user waits for the page (the API description) and for each answer."""
MAX_SECONDS = 600


@dataclass
class Tally:
    """Per tool: latencies (s) of real answers, and what the other replies were."""

    answered: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failed: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)


def verdict(tool: str, reply: dict) -> str | None:
    """None when the reply is a real answer of `tool`'s question, else why not."""
    called = [c["name"] for c in reply.get("tool_calls") or []]
    if reply.get("status") != "answered" or reply.get("error"):
        return f"status {reply.get('status')}: {(reply.get('error') or reply.get('answer') or '')[:80]}"
    if tool not in called:
        return f"answered with {called or 'no tool'} instead of {tool}"
    return None


def user(url: str, index: int, users: int, deadline: float, think: float, tally: Tally) -> None:
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
    kinds = [(tool, questions) for tool, _, questions in MIX]
    weights = [weight for _, weight, _ in MIX]
    if think:  # arrivals spread over one think time, not 50 questions in the same instant
        time.sleep(think * index / max(1, users))
    while time.perf_counter() < deadline:
        tool, questions = chooser.choices(kinds, weights)[0]
        question = chooser.choice(questions)
        started = time.perf_counter()
        try:
            reply = client.predict(question, api_name="/ask")
            elapsed = time.perf_counter() - started
            why = verdict(tool, reply)
        except Exception as exc:  # noqa: BLE001 - counted, the load goes on
            elapsed, why = time.perf_counter() - started, f"{type(exc).__name__}: {exc}"[:160]
        with tally.lock:
            if why is None:
                tally.answered[tool].append(elapsed)
            else:
                tally.failed[tool].append(f"{question}: {why} ({elapsed:.1f} s)")
        if think:
            time.sleep(think)


def run(users: int, seconds: float, think: float, customers: int) -> dict:
    """Serve, load, stop; the figures per tool as a dict."""
    port = free_port()
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    with tempfile.TemporaryDirectory(prefix="load-") as home:
        server = context.Process(target=serve, args=(port, home, customers, 16, ready), daemon=True)
        server.start()
        if not ready.wait(900):
            server.terminate()
            raise SystemExit("the UI did not start within 15 minutes")
        url = f"http://127.0.0.1:{port}/"
        # Warm-up: one question of each kind pays for imports and model loading once.
        from gradio_client import Client

        client = Client(url, verbose=False, httpx_kwargs={"timeout": CLIENT_TIMEOUT_S})
        for _, _, questions in MIX:
            client.predict(questions[0], api_name="/ask")
        load_before = os.getloadavg()
        tally = Tally()
        deadline = time.perf_counter() + seconds
        threads = [
            threading.Thread(target=user, args=(url, i, users, deadline, think, tally), daemon=True)
            for i in range(users)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        load_after = os.getloadavg()
        server.terminate()
        server.join(10)
    return {
        "users": users,
        "seconds": seconds,
        "think_s": think,
        "customers": customers,
        "wall_s": wall,
        "load_before": load_before,
        "load_after": load_after,
        "tools": {tool: _figures(tally, tool) for tool in [*(t for t, _, _ in MIX), "(connect)"]},
        "all": _figures(tally, None),
        "failure_samples": {t: f[:3] for t, f in tally.failed.items()},
    }


def _figures(tally: Tally, tool: str | None) -> dict:
    tools = [tool] if tool else list(tally.answered.keys() | tally.failed.keys())
    latencies = [x for t in tools for x in tally.answered.get(t, [])]
    failed = sum(len(tally.failed.get(t, [])) for t in tools)
    lat = np.array(latencies) if latencies else np.array([np.nan])
    return {
        "asked": len(latencies) + failed,
        "answered": len(latencies),
        "not_answered": failed,
        "p50_s": float(np.percentile(lat, 50)),
        "p95_s": float(np.percentile(lat, 95)),
        "max_s": float(np.max(lat)),
    }


def markdown(result: dict) -> str:
    """The run as a markdown section for benchmarks/results/load.md."""
    before = ", ".join(f"{x:.1f}" for x in result["load_before"])
    after = ", ".join(f"{x:.1f}" for x in result["load_after"])
    lines = [
        f"### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {result['users']} users, think "
        f"{result['think_s']:g} s, {result['seconds']:g} s, {result['customers']:,} customers",
        "",
        f"Load average (1, 5, 15 min) before: {before}; after: {after}. "
        f"Machine: {platform.machine()}, {os.cpu_count()} cores.",
        "",
        "| tool | asked | answered | not answered | p50 s | p95 s | max s |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [*result["tools"].items(), ("all", result["all"])]
    for tool, f in rows:
        lines.append(
            f"| {tool} | {f['asked']} | {f['answered']} | {f['not_answered']} | "
            f"{f['p50_s']:.2f} | {f['p95_s']:.2f} | {f['max_s']:.2f} |"
        )
    slow = [t for t, f in result["tools"].items() if f["p95_s"] > 10]
    lines += ["", f"Over 10 s at p95: {', '.join(slow) if slow else 'none'}."]
    for tool, samples in result["failure_samples"].items():
        for sample in samples:
            lines.append(f"- not answered ({tool}): {sample}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help=f"conversations (<= {MAX_USERS})")
    parser.add_argument("--seconds", type=float, default=60, help=f"duration (<= {MAX_SECONDS})")
    parser.add_argument("--think", type=float, default=10.0, help="seconds between questions")
    parser.add_argument("--customers", type=int, default=2000, help="demo store size")
    parser.add_argument("--markdown", type=Path, help="append the result section to this file")
    args = parser.parse_args()
    users = max(1, min(args.users, MAX_USERS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    result = run(users, seconds, max(0.0, args.think), args.customers)
    text = markdown(result)
    print(text)
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()
