"""Start-up time of the `copilot` command: CPU seconds and wall time, median of N runs.

Usage: python benchmarks/startup_bench.py [--rounds 5] [--only help,ask,ui]
       [--markdown benchmarks/results/startup.md] [--baseline DIR]
       (or `copilot bench startup ...`)

Each figure is a whole process as a user starts it (the installed `copilot`
script, else `python -m copilot.frontends.cli`), in a temporary home:

- `help`: `copilot --help`.
- `ask`: `copilot ask "What was revenue last month?"` on the demo store (created
  once beforehand by `copilot demo-data`, not counted), start to exit.
- `ui`: `copilot ui` from start until its page answers HTTP 200 on loopback.
- `first`: `copilot ask ...` on a new, empty home: the first start, which creates
  the 2,000-customer demo store (one run per round; reported, no target).

Every process imports the code of the checkout this script is in (PYTHONPATH),
whatever copy of the package is installed. `--baseline DIR` also times the same
commands with the code of another checkout DIR (say, `git archive main | tar -x
-C DIR`), alternating the two run by run, so both see the same load on a
shared machine; the report then has a before/after table.

CPU = user + system seconds of the process (rusage of the child; for `ui`, read
from /proc at the moment the page answered). One unmeasured warm-up run per
command comes first, so Python's bytecode caches are written. Targets (issue 10,
idle 2-core machine): help < 0.5 s, ask < 2.5 s, ui < 10 s, wall time.

Each run also records the 1-minute load average when it started. On a shared
machine wall time grows with the load while CPU seconds barely do, so the report
gives CPU seconds (median) as the steady figure, and the wall time of the
least-loaded run next to its load; a wall target is only called met or missed
when that run had the machine to itself (load below the core count), or when the
CPU seconds alone already exceed it.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "What was revenue last month?"
TARGETS_S = {"help": 0.5, "ask": 2.5, "ui": 10.0}
LABELS = {
    "help": "`copilot --help`",
    "ask": f'`copilot ask "{QUESTION}"` (demo store)',
    "ui": "`copilot ui` until its page is served",
    "first": "first start: `copilot ask` on a new home (creates the demo store)",
}
UI_TIMEOUT_S = 600.0  # gradio alone takes minutes of wall time on a machine loaded 10x over


def copilot_command() -> list[str]:
    """The installed console script, or the module when the package is not installed."""
    found = shutil.which("copilot")
    return [found] if found else [sys.executable, "-m", "copilot.frontends.cli"]


def environment(home: Path, source: Path = ROOT) -> dict[str, str]:
    """A user's environment on `home`, importing the copilot from the checkout `source`."""
    env = {**os.environ, "COPILOT_HOME": str(home), "COPILOT_LLM_PROVIDER": "offline"}
    env["PYTHONPATH"] = os.pathsep.join([str(source), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("COPILOT_DATABASE_URL", None)
    # As on a user's machine: Python caches compiled modules (some CI images turn that off,
    # which recompiles every module of the project on every start).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


Run = tuple[float, float, float]
"""(CPU seconds, wall seconds, 1-minute load average at the start) of one run."""


def timed_run(args: list[str], env: dict[str, str]) -> Run:
    """(CPU s, wall s, load) of one process run to its end; fails loudly if it fails."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, load


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _process_cpu(pid: int) -> float:
    """user + system CPU seconds of a running process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14, 15)


def timed_ui(env: dict[str, str]) -> Run:
    """(CPU s, wall s, load) from starting `copilot ui` until GET / answers 200."""
    port = _free_port()
    load = os.getloadavg()[0]
    began = time.perf_counter()
    process = subprocess.Popen(
        [*copilot_command(), "ui", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while time.perf_counter() - began < UI_TIMEOUT_S:
            if process.poll() is not None:
                raise SystemExit(f"copilot ui exited early:\n{process.stderr.read()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    if response.status == 200:
                        wall = time.perf_counter() - began
                        return _process_cpu(process.pid), wall, load
            except OSError:
                time.sleep(0.05)
        raise SystemExit(f"copilot ui did not serve its page within {UI_TIMEOUT_S:.0f} s")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def runner(name: str, base: Path, source: Path = ROOT) -> Callable[[], Run]:
    """One run of command `name` with the code of checkout `source`."""
    demo_home = base / "demo-home"
    if name in ("ask", "ui") and not (demo_home / "store.duckdb").exists():
        timed_run([*copilot_command(), "demo-data"], environment(demo_home))
    if name == "help":
        return lambda: timed_run([*copilot_command(), "--help"], environment(demo_home, source))
    if name == "ask":
        return lambda: timed_run(
            [*copilot_command(), "ask", QUESTION], environment(demo_home, source)
        )
    if name == "ui":
        return lambda: timed_ui(environment(demo_home, source))
    counter = iter(range(1_000_000))  # "first": a new home each run
    return lambda: timed_run(
        [*copilot_command(), "ask", QUESTION],
        environment(base / f"new-home-{source.name}-{next(counter)}", source),
    )


def measure(name: str, rounds: int, base: Path) -> list[Run]:
    """`rounds` measured runs of one command, after one warm-up run."""
    run = runner(name, base)
    run()  # warm-up: bytecode caches, page cache
    return [run() for _ in range(rounds)]


def measure_against(
    name: str, rounds: int, base: Path, baseline: Path
) -> tuple[list[Run], list[Run]]:
    """(baseline runs, this checkout's runs) of one command, alternating run by run."""
    before, after = runner(name, base, baseline), runner(name, base)
    before(), after()  # warm-up of both
    pairs = [(before(), after()) for _ in range(rounds)]
    return [b for b, _ in pairs], [a for _, a in pairs]


def verdict(target: float | None, cpu: float, quiet: Run, cores: int) -> str:
    """Met / MISSED only when the figures can say so (see the module docstring)."""
    if target is None:
        return "-"
    if cpu >= target:
        return f"< {target} s: MISSED (CPU alone {cpu:.2f} s)"
    if quiet[2] < cores:
        return f"< {target} s: {'met' if quiet[1] < target else 'MISSED'}"
    return f"< {target} s: not checked (load {quiet[2]:.1f} on {cores} cores; CPU is under it)"


def report(results: dict[str, list[Run]], rounds: int) -> str:
    cores = os.cpu_count() or 1
    loads = [load for runs in results.values() for _, _, load in runs]
    lines = [
        f"# Start-up time ({date.today()}, {platform.machine()}, {cores} cores, "
        f"Python {platform.python_version()})",
        "",
        f"Median of {rounds} runs after one warm-up run; each run is a whole `copilot` "
        "process in a temporary home (see `benchmarks/startup_bench.py`).",
        f"1-minute load average at the start of the runs: {min(loads):.1f} to {max(loads):.1f}"
        + (
            f" on {cores} cores: the machine was shared, so wall times are longer than on "
            "an idle machine and CPU seconds are the steady figure."
            if max(loads) >= cores
            else "."
        ),
        "",
        "| command | CPU s (median) | CPU s (min) | wall s (median) | wall s, least-loaded run "
        "(its load) | target (wall, idle machine) |",
        "|---|---|---|---|---|---|",
    ]
    for name, runs in results.items():
        cpu = statistics.median(c for c, _, _ in runs)
        wall = statistics.median(w for _, w, _ in runs)
        quiet = min(runs, key=lambda run: (run[2], run[1]))
        lines.append(
            f"| {LABELS[name]} | {cpu:.2f} | {min(c for c, _, _ in runs):.2f} | {wall:.2f} | "
            f"{quiet[1]:.2f} ({quiet[2]:.1f}) | {verdict(TARGETS_S.get(name), cpu, quiet, cores)} |"
        )
    return "\n".join(lines) + "\n"


def comparison(pairs: dict[str, tuple[list[Run], list[Run]]], baseline: Path) -> str:
    """A before/after table: CPU and wall medians of alternating runs, and their loads."""
    lines = [
        "",
        f"Before ({baseline}) and after (this checkout), runs alternating, median of "
        f"{len(next(iter(pairs.values()))[0])}:",
        "",
        "| command | before: CPU s | after: CPU s | before: wall s | after: wall s | "
        "load during the runs |",
        "|---|---|---|---|---|---|",
    ]
    for name, (before, after) in pairs.items():
        loads = [load for _, _, load in before + after]
        lines.append(
            f"| {LABELS[name]} | {statistics.median(c for c, _, _ in before):.2f} | "
            f"{statistics.median(c for c, _, _ in after):.2f} | "
            f"{statistics.median(w for _, w, _ in before):.2f} | "
            f"{statistics.median(w for _, w, _ in after):.2f} | "
            f"{min(loads):.1f} to {max(loads):.1f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="Measured runs per command.")
    parser.add_argument(
        "--only", default="help,ask,ui", help="Commands, comma-separated: help, ask, ui, first."
    )
    parser.add_argument("--markdown", type=Path, help="Also write the report to this file.")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="Another checkout to compare with (its runs alternate with this checkout's).",
    )
    args = parser.parse_args()
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = sorted(set(names) - set(LABELS))
    if unknown or args.rounds < 1:
        parser.error(f"--only takes {', '.join(LABELS)}; --rounds must be at least 1")
    if args.baseline is not None and not (args.baseline / "copilot" / "__init__.py").exists():
        parser.error(f"--baseline {args.baseline} holds no copilot package (copilot/__init__.py)")
    with tempfile.TemporaryDirectory(prefix="copilot-startup-") as base:
        results, pairs = {}, {}
        for name in names:
            if args.baseline is None:
                results[name] = measure(name, args.rounds, Path(base))
            else:
                pairs[name] = measure_against(name, args.rounds, Path(base), args.baseline)
                results[name] = pairs[name][1]
            print(f"{name}: done", file=sys.stderr)
    text = report(results, args.rounds)
    if pairs:
        text += comparison(pairs, args.baseline)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
