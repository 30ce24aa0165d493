"""`sipsight health CALLER_ID`: is the customer's caller ID labeled or blocked, on which carriers, and the way out.

Reads every call of the caller ID over 7, 14 or 30 days, names the carriers (the call records', else Twilio Lookup v2,
cached and capped), and prints the verdict with its evidence, the tables by day and by carrier, and the redress drafts
(docs/health.md). `--json` prints the health document (docs/json-schema.md); `--export FILE.md|FILE.json` writes the
report for a team lead."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sipsight.cli.common import number_arg, region_arg
from sipsight.core.errors import InputError

if TYPE_CHECKING:
    from sipsight.core.health import HealthReport, Requester
    from sipsight.providers.factory import ProviderSession

EXPORTS = (".md", ".json")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "health",
        help="is a caller ID labeled or blocked, on which carriers, and how to get it reviewed",
        description="Read every call of CALLER_ID over the window and say whether it is healthy, worth watching, "
        "likely labeled or blocked on named carriers, with the evidence, the analytics engine behind each carrier and "
        "filled-in redress requests (docs/health.md).",
    )
    p.add_argument("caller_id", nargs="?", metavar="CALLER_ID", help="the caller ID (optional with --scenario/--demo)")
    p.add_argument("--since", default=None, help="the window: 7d, 14d or 30d (default: 14d)")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--profile", help="a saved profile (see 'sipsight profile list')")
    src.add_argument("--demo", action="store_true", help="use the built-in demo data (no account needed)")
    p.add_argument("--scenario", help="demo scenario name (implies --demo); without CALLER_ID: its customer's")
    p.add_argument("--json", action="store_true", help="print the health JSON document instead of the text report")
    p.add_argument("--export", metavar="FILE", help="also write the report for a team lead: FILE.md or FILE.json")
    p.add_argument("--business", help="the customer's business name, for the redress requests")
    p.add_argument("--use-case", help="what the calls are for, for the redress requests")
    p.add_argument(
        "--max-lookups", type=int, default=None, metavar="N",
        help="at most N carrier lookups (Twilio Lookup v2, billed) for numbers the call records leave without a "
        "carrier; 0: none (default: resources/health/thresholds.yaml)",
    )  # fmt: skip
    p.add_argument("--tz", help="time zone for the days (IANA name, 'local' or 'UTC')")
    p.add_argument("--region", help="default country for numbers without +country code (e.g. US, GB)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sipsight.cli.cmd_lookup import check_source
    from sipsight.core.health import run_health, window_days
    from sipsight.core.timezones import resolve_tz
    from sipsight.providers.factory import open_provider
    from sipsight.providers.line_lookup import carrier_source

    check_source(args)
    days = window_days(args.since)  # a bad window is said before any provider is opened
    export = _export_path(args.export) if args.export is not None else None
    if args.max_lookups is not None and args.max_lookups < 0:
        raise InputError("--max-lookups cannot be negative.", "Give 0 for no lookups, or a number such as 50.")
    demo = bool(args.demo or args.scenario)
    if args.caller_id:  # a number that cannot be read is said before any provider is opened
        number_arg(args.caller_id, region_arg(args.region) or "US")
    if not args.caller_id and not demo:
        raise InputError(
            "Give the CALLER_ID to check.",
            "Example: sipsight health +17205550100 (add --demo for demo data).",
        )
    with open_provider(profile=args.profile, demo=demo, scenario=args.scenario) as session:
        region = region_arg(args.region) or (session.region or "US").upper()
        caller = number_arg(args.caller_id, region) if args.caller_id else session.contact_caller_id
        if caller is None:  # a demo session always names its customer; kept for the type checker
            raise InputError("Give the CALLER_ID to check.")
        tz = resolve_tz(args.tz or session.timezone)
        source = carrier_source(session, cap=args.max_lookups, demo_scenario=session.scenario if session.demo else None)
        report = run_health(session, caller, days=days, carriers=source, requester=_requester(args, session), tz=tz)
    if export is not None:
        _write_export(report, export)
    if args.json:
        from sipsight.core.health import to_document

        print(json.dumps(to_document(report), indent=2, ensure_ascii=False))
    else:
        from sipsight.cli.health_report import render_health
        from sipsight.cli.text_report import use_color

        print(render_health(report, use_color(sys.stdout)))
        if export is not None:
            print(f"\nReport written to {export}")
    return 0


def _requester(args: argparse.Namespace, session: ProviderSession) -> Requester:
    """Who the drafts speak for: the options, else the demo scenario's customer; signed from the settings."""
    from sipsight.core.health import Requester
    from sipsight.settings.store import load_settings

    settings = load_settings()
    signer = " / ".join(x for x in (settings.agent_name, settings.company_name) if x) or None
    business = args.business
    use_case = args.use_case
    customer = None
    if session.demo:
        from sipsight.core.scenarios import get_scenario

        scenario = get_scenario(session.scenario)
        business, use_case = business or scenario.business, use_case or scenario.use_case
        customer = scenario.customer_name.split()[0] if scenario.customer_name else None
    return Requester(business=business, use_case=use_case, customer=customer, signature=signer)


def _export_path(name: str) -> Path:
    path = Path(name.strip()) if name.strip() else None
    if path is None or path.suffix.lower() not in EXPORTS:
        raise InputError(
            f"--export '{name}' needs a file name ending in {' or '.join(EXPORTS)}.",
            "Example: --export caller-health.md (Markdown for a team lead) or --export caller-health.json.",
        )
    if path.is_dir():
        raise InputError(f"--export {name} is a folder, not a file.", "Give a file name such as caller-health.md.")
    if not path.parent.exists():
        raise InputError(f"The folder of --export {name} does not exist.", "Create it first, or write elsewhere.")
    return path


def _write_export(report: HealthReport, path: Path) -> None:
    from sipsight.core import storage
    from sipsight.core.health import to_document, to_markdown

    if path.suffix.lower() == ".json":
        text = json.dumps(to_document(report), indent=2, ensure_ascii=False) + "\n"
    else:
        text = to_markdown(report)
    try:
        storage.atomic_write_text(path, text)
    except OSError as err:
        raise InputError(f"Cannot write {path}: {err.strerror or err}.", "Check the folder's permissions.") from None
