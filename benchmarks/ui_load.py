"""Metric questions only through the web UI: `load.py --mix metrics` (kept for `copilot bench ui`).

Usage: python benchmarks/ui_load.py [load.py's options, e.g. --users 50 --think 0]

One load script, benchmarks/load.py, serves, asks, counts only real answers and
reports; this file only chooses its metrics-only mix. Note load.py's default
think time is 10 s (this script's used to be 0: pass --think 0 for that).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import main  # noqa: E402 - after the path set-up above

if __name__ == "__main__":
    main(["--mix", "metrics", *sys.argv[1:]])
