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
    retention: timedelta | None = DEFAULT_RETENTION,
    retention_note: str = DEFAULT_RETENTION_NOTE,
    what: str = "The time window",
    hint: str = "Use 24h, 7d, 30m, or a date like 2026-11-20.",
) -> None:
    """Raise an InputError naming `what` when the window from `since` to `until` (None: now) cannot be looked up.
    `retention` None: the provider documents no limit, so any past start is fine."""
    now = now or datetime.now(UTC)
    end = until or now
    if since > now:
        raise InputError(f"{what} starts in the future.", "Give a past date or a window like 7d.")
    if end <= since:
        raise InputError(f"{what} is an empty window.", hint)
    if retention is not None and now - since > retention + _SLACK:
        days = round(retention / timedelta(days=1))
        raise InputError(f"{what} reaches back more than {days} days.", f"{retention_note}; use {days} days or less.")


def clamp_to_retention(span: timedelta, retention: timedelta | None = DEFAULT_RETENTION) -> timedelta:
    """A look-back span no longer than the provider keeps (the training cases widen their window up to it)."""
    return span if retention is None else min(span, retention)


def retention_of(provider: str) -> tuple[timedelta | None, str]:
    """How far back `provider` keeps the call data a lookup reads (None: its documentation names no limit), and
    the note that says so: its provider catalog entry."""
    info = provider_info(provider)
    days = info.history_retention_days
    return (None if days is None else timedelta(days=days)), info.retention_note
