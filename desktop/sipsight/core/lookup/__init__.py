"""A lookup: a provider's attempts for a query, analysed (`analyse`: classify -> diagnose -> replies), as one
synchronous call (`run_lookup`); a caller-first lookup when the customer named no number (`run_caller_lookup`:
which number did they mean? `candidates`); `lookup_case`, the one entry point a face calls with what the agent
pasted; and what the core asks of a provider (`provider_api`)."""

from sipsight.core.lookup._analyse import analyse
from sipsight.core.lookup._caller import analyse_caller, lookup_case, run_caller_lookup
from sipsight.core.lookup._run import run_lookup
from sipsight.core.lookup.provider_api import CancelToken, FetchResult, Provider, Session

__all__ = [
    "CancelToken",
    "FetchResult",
    "Provider",
    "Session",
    "analyse",
    "analyse_caller",
    "lookup_case",
    "run_caller_lookup",
    "run_lookup",
]
