"""The knowledge base (SIP, Q.850 and each provider's vocabularies, from resources/knowledge/) and the
outcome of one attempt read from it."""

from sipsight.core.knowledge._base import (
    PREFIXES,
    VOCABULARIES,
    KnowledgeBase,
    KnowledgeEntry,
    KnowledgeError,
    knowledge,
    load_knowledge,
)
from sipsight.core.knowledge._classify import classify, classify_all, explain_attempt

__all__ = [
    "PREFIXES",
    "VOCABULARIES",
    "KnowledgeBase",
    "KnowledgeEntry",
    "KnowledgeError",
    "classify",
    "classify_all",
    "explain_attempt",
    "knowledge",
    "load_knowledge",
]
