"""`sipsight lookup NUMBER`: what happened to recent calls to a number, and what to answer."""

from __future__ import annotations

import argparse
import json
import os
import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sipsight.core.errors import InputError
from sipsight.core.phone import InvalidNumber, to_e164

_RELATIVE = re.compile(r"^\s*(\d{1,4})\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
MAX_WINDOW = timedelta(days=30)  # Voice Insights keeps 30 days; older windows only look complete


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lookup",
        help="look up recent calls to a number at the provider and explain them",
        description="Fetch the recent call attempts to NUMBER (and the caller ID's other calls) and explain them.",
    )
    p.add_argument("number", help="the destination number, in any notation: +1 303 555 0199, (303) 555-0199, tel:...")
    p.add_argument(
        "--from", dest="caller_id", metavar="CALLER_ID", help="the customer's caller ID (inferred if omitted)"
    )
    p.add_argument("--since", default=None, help="time window: 24h, 7d, 30m, or a date YYYY-MM-DD (default: 7d)")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--profile", help="a saved profile (see 'sipsight profile list')")
    src.add_argument("--demo", action="store_true", help="use the built-in demo data (no account needed)")
    p.add_argument("--scenario", help="demo scenario name (implies --demo)")
    p.add_argument("--json", action="store_true", help="print the JSON document instead of the text report")
    p.add_argument("--tz", help="time zone for displayed times (IANA name, 'local' or 'UTC')")
    p.add_argument("--region", help="default country for numbers without +country code (e.g. US, GB)")
    p.set_defaults(func=run)


def local_zone_name() -> str:
    """The system's IANA zone name, for a 'local' preference; UTC when it cannot be told."""
    env = os.environ.get("TZ", "").lstrip(":")
    if env and _valid_zone(env):
        return env
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target and _valid_zone(target.split("zoneinfo/", 1)[1]):
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "UTC"


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def resolve_tz(value: str | None) -> str:
    if not value or value.lower() == "local":
        return local_zone_name()
    if value.upper() == "UTC":
        return "UTC"
    if not _valid_zone(value):
        raise InputError(
            f"'{value}' is not a time zone.", "Use an IANA name such as America/Denver, or 'local' or 'UTC'."
        )
    return value


def parse_since(text: str | None, tz: str, now: datetime | None = None) -> datetime:
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
    if since > now:
        raise InputError(f"--since '{text}' is in the future.", "Give a past date or a window like 7d.")
    if now - since > MAX_WINDOW + timedelta(days=1):
        raise InputError(
            f"--since '{text}' reaches back more than 30 days.",
            "Voice Insights keeps 30 days of call data; use 30d or less.",
        )
    return since


def run(args: argparse.Namespace) -> int:
    from sipsight.core.lookup import run_lookup
    from sipsight.core.models import Query
    from sipsight.providers.factory import open_provider

    demo = bool(args.demo or args.scenario)
    with open_provider(profile=args.profile, demo=demo, scenario=args.scenario) as session:
        region = (args.region or session.region or "US").upper()
        try:
            destination = to_e164(args.number, region)
            caller = to_e164(args.caller_id, region) if args.caller_id else None
        except InvalidNumber as err:
            raise InputError(str(err), "Give the number with its country code, e.g. +1 303 555 0199.") from None
        tz = resolve_tz(args.tz or session.timezone)
        query = Query(destination=destination, caller_id=caller, since=parse_since(args.since, tz))
        result = run_lookup(session, query, tz=tz)
    if args.json:
        from sipsight.core.report import to_document

        print(json.dumps(to_document(result), indent=2, ensure_ascii=False))
    else:
        import sys

        from sipsight.cli.render import render_result

        print(render_result(result, tz, sys.stdout.isatty()))
    return 0
