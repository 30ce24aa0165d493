"""run_lookup with any provider: the fetch's facts are stated, and what it could not tell is inferred."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sipsight.core.lookup import FetchResult, run_lookup
from sipsight.core.models import Attempt, Query

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


class _Provider:
    name = "twilio"

    def __init__(self, result: FetchResult) -> None:
        self.result = result

    def fetch(self, query, cancel=None) -> FetchResult:
        return self.result

    def check_connection(self) -> str:
        return "ok"


def _attempt(i: int, status: str, answered_by: str | None, duration: float) -> Attempt:
    return Attempt(
        id=f"CAtest{i:04d}",
        start_time=NOW - timedelta(hours=i),
        **{"from": "+17205550100"},
        to="+13035550199",
        provider_status=status,
        answered_by=answered_by,
        duration_s=duration,
    )


def test_a_caller_id_the_provider_could_not_tell_is_inferred_from_the_attempts() -> None:
    attempts = [_attempt(i, "completed", "human", 120) for i in range(1, 4)]
    provider = _Provider(FetchResult(attempts=attempts, caller_id=None, request_count=3))
    result = run_lookup(provider, Query(destination="+13035550199", since=NOW - timedelta(days=7)))
    assert result.caller_id == "+17205550100"
    assert result.request_count == 3
    assert result.diagnosis is not None and result.diagnosis.kind == "normal"
    assert "+1 303-555-0199" in result.replies.customer


def test_the_providers_caller_id_wins() -> None:
    attempts = [_attempt(1, "completed", "human", 60)]
    provider = _Provider(FetchResult(attempts=attempts, caller_id="+17205550101"))
    result = run_lookup(provider, Query(destination="+13035550199", since=NOW - timedelta(days=7)))
    assert result.caller_id == "+17205550101"
