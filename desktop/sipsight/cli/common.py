"""What several subcommands share: reading a named input file, and the number, window and time zone of a lookup."""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sipsight.core.errors import InputError
from sipsight.core.lookup.window import check_window, retention_of
from sipsight.core.timezones import resolve_tz

if TYPE_CHECKING:
    from sipsight.core.models import Query
    from sipsight.providers.factory import ProviderSession

MB = 1024 * 1024
_RELATIVE = re.compile(r"^\s*(\d{1,4})\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def read_input_file(name: str, *, max_bytes: int, kind: str, looks_like: str, instead: str) -> bytes:
    """The bytes of the file the user named; each failure an InputError that names the file.

    `kind` completes "Give the path of a ... file", `looks_like` "it does not look like ...", and `instead`
    "Check the path, or ..." (how to give the input another way).
    """
    path = Path(name)
    if not path.exists():
        raise InputError(f"File not found: {name}.", f"Check the path, or {instead}.")
    if path.is_dir():
        raise InputError(f"{name} is a folder, not a file.", f"Give the path of a {kind} file.")
    try:
        if path.stat().st_size > max_bytes:
            raise InputError(f"{name} is larger than {max_bytes // MB} MB; it does not look like {looks_like}.")
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"Cannot read {name}: {err.strerror}.") from None


def region_arg(value: str | None, option: str = "--region") -> str | None:
    """A two-letter country code from the command line, upper-cased; None stays None (the default applies)."""
    if value is None:
        return None
    import phonenumbers

    region = value.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise InputError(
            f"{option} '{value}' is not a country code.", "Use a two-letter ISO code such as US, CA or GB."
        )
    return region


def number_arg(value: str, region: str) -> str:
    """A number typed on the command line, in E.164; one that does not parse is an InputError with an example."""
    from sipsight.core.phone import InvalidNumber, to_e164

    try:
        return to_e164(value, region)
    except InvalidNumber as err:
        raise InputError(str(err), "Give the number with its country code, e.g. +1 303 555 0199.") from None


def parse_since(text: str | None, tz: str, now: datetime | None = None, *, provider: str = "twilio") -> datetime:
    """The start of a `--since` window: 24h, 7d, 30m, 2w, or a date (midnight in `tz`); 7 days by default.

    The window may reach back as far as `provider` keeps its call data (Twilio, the default, 30 days)."""
    now = now or datetime.now(UTC)
    text = (text or "7d").strip()
    match = _RELATIVE.match(text)
    if match:
        since = now - timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
    else:
        try:
            day = datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            raise InputError(
                f"--since '{text}' is not a time window.", "Use 24h, 7d, 30m, or a date like 2026-11-20."
            ) from None
        since = datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)
    retention, note = retention_of(provider)
    # an empty window would look like "no calls", and one older than the provider keeps like "no calls back then"
    check_window(since, now=now, what=f"--since '{text}'", retention=retention, retention_note=note)
    return since


def lookup_query(args: argparse.Namespace, session: ProviderSession) -> tuple[Query, str]:
    """The Query and display time zone of a NUMBER lookup: `args.number`, `.caller_id`, `.since`, `.region`
    and `.tz`, with the session's profile filling in region and time zone."""
    from sipsight.core.models import Query

    region = region_arg(args.region) or (session.region or "US").upper()
    destination = number_arg(args.number, region)
    caller = number_arg(args.caller_id, region) if args.caller_id else None
    tz = resolve_tz(args.tz or session.timezone)
    since = parse_since(args.since, tz, provider=session.provider.name)
    return Query(destination=destination, caller_id=caller, since=since), tz
