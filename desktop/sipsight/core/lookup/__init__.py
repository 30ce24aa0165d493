"""A lookup: a provider's attempts for a query, analysed (`analyse`: classify -> diagnose -> replies), as one
synchronous call (`run_lookup`); and what the core asks of a provider (`provider_api`)."""

from sipsight.core.lookup._analyse import analyse
from sipsight.core.lookup._run import run_lookup
from sipsight.core.lookup.provider_api import CancelToken, FetchResult, Provider, Session

__all__ = ["CancelToken", "FetchResult", "Provider", "Session", "analyse", "run_lookup"]
