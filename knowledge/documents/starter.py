"""The starter knowledge shipped with the copilot: the demo brand's guidelines and playbooks."""

from __future__ import annotations

from pathlib import Path

from knowledge.documents.brand import STARTER_DIR
from knowledge.documents.store import AddReport, KnowledgeBase, Progress

STARTER_PREFIX = "starter/"


def starter_files(directory: Path = STARTER_DIR) -> list[Path]:
    """The shipped starter documents (English and Chinese Markdown)."""
    return sorted(directory.glob("*.md"))


def ensure_starter_knowledge(
    kb: KnowledgeBase, progress: Progress | None = None, directory: Path = STARTER_DIR
) -> AddReport:
    """Load the starter documents; cheap when they are already there (unchanged files are skipped).

    They are stored as 'starter/<file name>' so the sources do not depend on where
    the package is installed; starter files no longer shipped are removed.
    """
    report = AddReport()
    files = starter_files(directory)
    for number, path in enumerate(files):
        if progress:
            progress(f"loading {path.name}", number / max(len(files), 1))
        one = kb.add_file(path, source=STARTER_PREFIX + path.name)
        report.added += one.added
        report.updated += one.updated
        report.skipped += one.skipped
        report.chunks += one.chunks
    shipped = {STARTER_PREFIX + p.name for p in files}
    for info in kb.list():
        if info.source.startswith(STARTER_PREFIX) and info.source not in shipped:
            kb.remove(info.source)
    if progress:
        progress("done", 1.0)
    return report
