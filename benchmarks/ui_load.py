"""Load test of the web UI: concurrent conversations through its Gradio API on loopback.

Usage: python benchmarks/ui_load.py [--users 50] [--seconds 60] [--think 0] [--customers 2000]
                                    [--concurrency 16] [--markdown PATH]

Starts the workspace in a child process (offline model, a fresh demo store in a
temporary folder, bound to 127.0.0.1 only), then runs `--users` conversations at
once, each its own gradio_client session asking metric questions through `/chat`
(the chat box's endpoint, streamed steps included) back to back, with `--think`
seconds between questions. Records every question's latency and every error
(an exception, or an answer without a number); prints p50/p95/max and throughput.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUESTIONS = [
    "What was revenue last month?",
    "Revenue by month this year",
    "Top 5 cities by orders in the last 90 days",
    "How many buyers last month?",
    "AOV by channel this year",
    "上个月的销售额是多少？",
    "各城市的客单价",
    "今年每月的订单数",
]
AS_OF = date(2026, 11, 1)
MAX_USERS = 200
MAX_SECONDS = 600


@dataclass
class Tally:
    """Latencies (seconds) of answered questions and the errors seen, shared by the users."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


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


def user(url: str, index: int, users: int, deadline: float, think: float, tally: Tally) -> None:
    """One conversation: ask questions in turn until the deadline."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    if think:  # arrivals spread over one think time, not 50 questions in the same instant
        time.sleep(think * index / max(1, users))
    turn = index
    while time.perf_counter() < deadline:
        question = QUESTIONS[turn % len(QUESTIONS)]
        turn += 1
        started = time.perf_counter()
        try:
            messages = client.predict(question, api_name="/chat")
            elapsed = time.perf_counter() - started
            answer = messages[-1]["content"] if messages else ""
            ok = "¥" in answer or any(ch.isdigit() for ch in answer)
            with tally.lock:
                if ok:
                    tally.latencies.append(elapsed)
                else:
                    tally.errors.append(f"{question}: no number in {answer[:80]!r}")
        except Exception as exc:  # noqa: BLE001 - counted, the load goes on
            with tally.lock:
                tally.errors.append(f"{question}: {type(exc).__name__}: {exc}"[:200])
        if think:
            time.sleep(think)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(users: int, seconds: float, think: float, customers: int, concurrency: int) -> dict:
    """Serve, load, stop; the figures as a dict."""
    port = free_port()
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    with tempfile.TemporaryDirectory(prefix="ui-load-") as home:
        server = context.Process(
            target=serve, args=(port, home, customers, concurrency, ready), daemon=True
        )
        server.start()
        if not ready.wait(600):
            server.terminate()
            raise SystemExit("the UI did not start within 10 minutes")
        url = f"http://127.0.0.1:{port}/"
        tally = Tally()
        # Warm-up: the first question pays for imports and caches.
        user(url, 0, 1, time.perf_counter() + 0.1, 0, Tally())
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
        server.terminate()
        server.join(10)
    lat = np.array(tally.latencies) if tally.latencies else np.array([np.nan])
    return {
        "users": users,
        "seconds": seconds,
        "think_s": think,
        "customers": customers,
        "concurrency": concurrency,
        "answered": len(tally.latencies),
        "errors": len(tally.errors),
        "error_samples": tally.errors[:5],
        "p50_s": float(np.percentile(lat, 50)),
        "p95_s": float(np.percentile(lat, 95)),
        "max_s": float(np.max(lat)),
        "per_s": len(tally.latencies) / wall,
        "wall_s": wall,
    }


def markdown_row(result: dict) -> str:
    """One table row for benchmarks/results/ui_load.md."""
    return (
        f"| {result['users']} | {result['think_s']:g} | {result['seconds']:g} | "
        f"{result['concurrency']} | {result['answered']} | {result['errors']} | "
        f"{result['p50_s']:.2f} | {result['p95_s']:.2f} | {result['max_s']:.2f} | "
        f"{result['per_s']:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help=f"conversations (<= {MAX_USERS})")
    parser.add_argument("--seconds", type=float, default=60, help=f"duration (<= {MAX_SECONDS})")
    parser.add_argument("--think", type=float, default=0.0, help="seconds between questions")
    parser.add_argument("--customers", type=int, default=2000, help="demo store size")
    parser.add_argument("--concurrency", type=int, default=16, help="chat requests served at once")
    parser.add_argument("--markdown", type=Path, help="append the result row to this file")
    args = parser.parse_args()
    users = max(1, min(args.users, MAX_USERS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    result = run(users, seconds, max(0.0, args.think), args.customers, args.concurrency)
    print(
        f"{result['users']} users, think {result['think_s']:g} s, {result['seconds']:g} s: "
        f"{result['answered']} answered, {result['errors']} errors, "
        f"p50 {result['p50_s']:.2f} s, p95 {result['p95_s']:.2f} s, max {result['max_s']:.2f} s, "
        f"{result['per_s']:.1f} answers/s"
    )
    for sample in result["error_samples"]:
        print("  error:", sample)
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as out:
            out.write(markdown_row(result) + "\n")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
