"""The time window of a lookup, checked once for every face: not empty, not in the future, and no older than the
provider keeps call data (the provider catalog's retention), since an older window only looks complete."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sipsight.core.errors import InputError
from sipsight.core.knowledge import ProviderCatalogError, provider_info


def _default_retention() -> tuple[timedelta, str]:
    # Twilio is the default provider and the demo serves its shape, so its retention is every face's default
    info = provider_info("twilio")
    if info.history_retention_days is None:
        raise ProviderCatalogError("resources/providers/twilio.yaml must give history_retention_days.")
    return timedelta(days=info.history_retention_days), info.retention_note


DEFAULT_RETENTION, DEFAULT_RETENTION_NOTE = _default_retention()
DEFAULT_WINDOW = timedelta(days=7)
_SLACK = timedelta(days=1)  # a date typed as "30 days ago" reaches back to its midnight: a day of grace


def check_window(
    since: datetime,
    until: datetime | None = None,
    *,
    now: datetime | None = None,
    retention: timedelta = DEFAULT_RETENTION,
    retention_note: str = DEFAULT_RETENTION_NOTE,
    what: str = "The time window",
    hint: str = "Use 24h, 7d, 30m, or a date like 2026-11-20.",
) -> None:
    """Raise an InputError naming `what` when the window from `since` to `until` (None: now) cannot be looked up."""
    now = now or datetime.now(UTC)
    end = until or now
    if since > now:
        raise InputError(f"{what} starts in the future.", "Give a past date or a window like 7d.")
    if end <= since:
        raise InputError(f"{what} is an empty window.", hint)
    if now - since > retention + _SLACK:
        days = round(retention / timedelta(days=1))
        raise InputError(f"{what} reaches back more than {days} days.", f"{retention_note}; use {days} days or less.")


def clamp_to_retention(span: timedelta, retention: timedelta = DEFAULT_RETENTION) -> timedelta:
    """A look-back span no longer than the provider keeps (the training cases widen their window up to it)."""
    return min(span, retention)
