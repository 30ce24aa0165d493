"""The lookup pipeline: provider -> classify -> diagnose -> replies, as one synchronous call.

The GUI calls `run_lookup` from a worker thread (with a CancelToken so a new lookup supersedes the
old one); the CLI calls it directly. Network errors surface as typed ProviderErrors (exit code 3).
"""

from __future__ import annotations

import time
from typing import Any, cast

from sipsight.core.lookup.provider_api import CancelToken, FetchResult, Provider, Session
from sipsight.core.models import DiagnosisContext, LookupResult, Query


def run_lookup(
    session_or_provider: Session | Provider,
    query: Query,
    *,
    context: DiagnosisContext | None = None,
    cancel: CancelToken | None = None,
    tz: str = "UTC",
) -> LookupResult:
    """Fetch the attempts for `query` and analyse them; `session_or_provider` is a ProviderSession or a Provider."""
    from sipsight.core.lookup._analyse import (
        analyse,  # the pipeline pulls in the knowledge base: load it only when used
    )

    session: Session | None = None
    if hasattr(session_or_provider, "provider"):  # a session wraps its provider; a bare provider has none
        session = cast(Session, session_or_provider)  # hasattr narrows only the other branch
        provider = session.provider
    else:
        provider = session_or_provider
    started = time.monotonic()
    fetched: FetchResult = provider.fetch(query, cancel)
    meta: dict[str, Any] = {
        "profile": session.profile if session else None,
        "demo": bool(session.demo) if session else False,
        "scenario": session.scenario if session else None,
        "caller_id": fetched.caller_id,
        "line_type": fetched.line_type,
        "request_count": fetched.request_count,
    }
    if cancel is not None:
        cancel.raise_if_cancelled()
    result = analyse(
        query,
        fetched.attempts,
        fetched.caller_attempts,
        provider=provider.name,
        data=fetched.data,
        context=context,
        tz=tz,
        **meta,
    )
    # whatever the pipeline did with **meta, the fetch facts are ours to state (a caller ID the
    # provider could not tell leaves the pipeline's own inference in place)
    facts = {k: v for k, v in meta.items() if not (k == "caller_id" and v is None)}
    return result.model_copy(update={**facts, "elapsed_s": time.monotonic() - started})
