"""The knowledge base (SIP, Q.850 and each provider's vocabularies, from resources/knowledge/), the provider
catalog (resources/providers/), the analytics engine behind each carrier (resources/health/engines.yaml), and the
outcome of one attempt read from them."""

from sipsight.core.knowledge._base import (
    PREFIXES,
    VOCABULARIES,
    KnowledgeBase,
    KnowledgeEntry,
    KnowledgeError,
    knowledge,
    load_knowledge,
)
from sipsight.core.knowledge._classify import (
    classify,
    classify_all,
    code_families,
    code_family,
    codes_say,
    decide,
    error_entry,
    explain_attempt,
)
from sipsight.core.knowledge._engines import Engine, EngineData, EngineDataError, Registry, engine_data, engine_for
from sipsight.core.knowledge._outcomes import TABLE_FILE as OUTCOME_TABLE_FILE
from sipsight.core.knowledge._outcomes import OutcomeTableError, outcome_table, parse_outcome_table
from sipsight.core.knowledge._providers import (
    HINT_KINDS,
    ProviderCatalogError,
    ProviderInfo,
    provider_info,
    provider_names,
)

__all__ = [
    "HINT_KINDS",
    "OUTCOME_TABLE_FILE",
    "PREFIXES",
    "VOCABULARIES",
    "Engine",
    "EngineData",
    "EngineDataError",
    "KnowledgeBase",
    "KnowledgeEntry",
    "KnowledgeError",
    "OutcomeTableError",
    "ProviderCatalogError",
    "ProviderInfo",
    "Registry",
    "classify",
    "classify_all",
    "code_families",
    "code_family",
    "codes_say",
    "decide",
    "engine_data",
    "engine_for",
    "error_entry",
    "explain_attempt",
    "knowledge",
    "load_knowledge",
    "outcome_table",
    "parse_outcome_table",
    "provider_info",
    "provider_names",
]
