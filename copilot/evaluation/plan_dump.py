"""The offline planner's plan for every evaluation question, one line each, to prove a
refactor changes no reading.

    python -m copilot.evaluation.plan_dump --out FILE [--text] [FILE.yaml ...]

Reads every single question of the evaluation files (`questions.yaml` and every
`heldout_*.yaml` of this folder, or the files given) and the first turn of each
follow-up, and plans it with the offline planner only: no tool runs. The store is the
evaluation's (the 2000-customer demo store, seed 42, the evaluation's as-of date), so the
values the planner knows are the ones `copilot eval` and the held-out runner use.

One line per question, sorted by id, tab-separated: id, question, and the plan:
- the planned calls, `tool {sorted args as JSON}` (several joined by ` ; `);
- `ASK: <names>` for a question back (the words it quotes; `--text` adds the whole reply);
- `REFUSE` for an honest "cannot" (`--text` adds the reply).

The output depends only on the planner and the files: `diff base.txt new.txt` after a
refactor must be empty (or each difference explained).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from langchain_core.messages import AIMessage

from copilot.outcome import _QUOTED, STATUS_KEY

EVALUATION_DIR = Path(__file__).parent


def evaluation_files(directory: Path = EVALUATION_DIR) -> list[Path]:
    """`questions.yaml` and every held-out set of the evaluation folder, in name order."""
    return sorted([directory / "questions.yaml", *directory.glob("heldout_*.yaml")])


def first_questions(files: Iterable[Path]) -> list[tuple[str, str]]:
    """(id, question) of every case: its question (`text` in questions.yaml, `question` in
    the held-out sets) or the first of its `turns`. An id met twice is qualified by its
    file's name."""
    cases: list[tuple[str, str]] = []
    for file in files:
        raw = yaml.safe_load(file.read_text(encoding="utf-8")) or []
        items = raw.get("questions", []) if isinstance(raw, dict) else raw
        for item in items:
            turns = item.get("turns")
            question = turns[0] if turns else item.get("question", item.get("text"))
            if question is not None:
                cases.append((str(item["id"]), str(question)))
    seen: dict[str, int] = {}
    for case_id, _ in cases:
        seen[case_id] = seen.get(case_id, 0) + 1
    if any(n > 1 for n in seen.values()):
        raise ValueError("duplicate ids: " + ", ".join(sorted(i for i, n in seen.items() if n > 1)))
    return cases


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def plan_text(message: AIMessage, with_text: bool = False) -> str:
    """The plan of one planner message, as the dump writes it."""
    if message.tool_calls:
        return " ; ".join(
            f"{c['name']} " + json.dumps(c["args"], sort_keys=True, ensure_ascii=False, default=str)
            for c in message.tool_calls
        )
    content = str(message.content)
    reply = f" | {_one_line(content)}" if with_text else ""
    if message.response_metadata.get(STATUS_KEY) == "refused":
        return "REFUSE" + reply
    names = [_one_line(q[1:-1]) for q in _QUOTED.findall(content)]
    return f"ASK: {', '.join(names)}" + reply


def plan_lines(
    planner: Any, cases: Iterable[tuple[str, str]], with_text: bool = False
) -> list[str]:
    """One line per case, sorted by id: id, question and the plan, tab-separated."""
    lines = []
    for case_id, question in sorted(cases):
        plan = plan_text(planner._plan(question, []), with_text)
        lines.append(f"{case_id}\t{_one_line(question)}\t{plan}")
    return lines


def evaluation_planner(engine: Any) -> Any:
    """The offline planner as the evaluation builds it over `engine`: every tool, the shipped
    semantic model, the store's values and the evaluation's as-of date."""
    from copilot.evaluation.runner import evaluation_as_of
    from copilot.offline.planner import OfflinePlanner
    from copilot.offline.values import ValueIndex
    from knowledge.semantic import load_semantic_model
    from tools import TOOLS

    model = load_semantic_model()
    return OfflinePlanner(
        semantic_model=model,
        values=ValueIndex.from_store(engine, model),
        tool_names=tuple(t.__name__ for t in TOOLS),
        as_of=evaluation_as_of(),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path, help="YAML files (default: every set)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--text", action="store_true", help="add the reply of a question back")
    options = parser.parse_args(argv)
    from knowledge.demo import generate_demo_data
    from knowledge.store import connect_store

    cases = first_questions(options.files or evaluation_files())
    with tempfile.TemporaryDirectory() as home:
        engine = connect_store(f"duckdb:///{Path(home) / 'plans.duckdb'}")
        generate_demo_data(engine, customers=2000, seed=42)
        planner = evaluation_planner(engine)
        started = time.process_time()
        lines = plan_lines(planner, cases, options.text)
        spent = time.process_time() - started
        engine.dispose()
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    print(f"{len(lines)} questions planned in {spent:.1f} s CPU -> {options.out}")


if __name__ == "__main__":
    main()
