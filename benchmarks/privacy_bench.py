"""Time of the privacy gate's recogniser on long adversarial texts: CPU and wall seconds.

    python benchmarks/privacy_bench.py [--sizes 20000,40000,80000] [--rounds 3]
        [--markdown benchmarks/results/privacy.md]

Each text is one character repeated (`a`, `a...@`, `1`, `@`), the inputs that make a
naive email or phone regex quadratic; the gate line masks a 5 MB tool reply (cut to
MAX_GATED_CHARS first). Figures are medians of `--rounds` runs; CPU = `time.process_time`,
the steady figure on a shared machine. Time that doubles with the size is linear; time
that quadruples is not. (The test suite checks the same inputs without a clock:
tests/test_security_privacy.py.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from copilot.messages import ToolMessage
from copilot.privacy import NameIndex, gate_message, mask_personal_data

NAMES = NameIndex(["José García", "Sean O'Brien", "McKenzie Lee", "王小明", "Alice Chen"])
INPUTS = {
    "letters": lambda n: "a" * n,
    "letters then @": lambda n: "a" * n + "@",
    "digits": lambda n: "1" * n,
    "at signs": lambda n: "@" * n,
}


def _timed(run) -> tuple[float, float]:  # noqa: ANN001
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - cpu, time.perf_counter() - wall


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,40000,80000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--markdown", type=Path)
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    rows = []
    for name, make in INPUTS.items():
        for size in sizes:
            text = make(size)
            cpu, wall = _median(
                [_timed(lambda t=text: mask_personal_data(t, NAMES)) for _ in range(options.rounds)]
            )
            rows.append((f"mask, {name}", f"{size:,}", cpu, wall))
    huge = ("Sean O'Brien paid 12.50 via +1 (415) 555-0142. " * 110_000)[:5_000_000]
    message = ToolMessage(huge, tool_call_id="t")
    cpu, wall = _median(
        [
            _timed(lambda: gate_message(message, NAMES, allow_raw_rows=False))
            for _ in range(options.rounds)
        ]
    )
    rows.append(("gate, 5 MB reply", f"{len(huge):,}", cpu, wall))
    load = os.getloadavg()[0]
    lines = [
        f"# Privacy gate recogniser on adversarial texts (load average {load:.1f})",
        "",
        f"`python benchmarks/privacy_bench.py` (median of {options.rounds} runs).",
        "",
        "| input | characters | CPU s | wall s |",
        "|---|---|---|---|",
        *(f"| {n} | {s} | {c:.3f} | {w:.3f} |" for n, s, c, w in rows),
    ]
    print("\n".join(lines))
    if options.markdown:
        options.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
